/**
 * The public notice board (`GET /api/notices`, no login): the 公示 and 公布 lists. Types shared by the engine
 * (engine/src/modules/notices/board.ts, which builds and masks them) and the runtime UI's notice page; the route's
 * JSON Schema (engine/src/modules/notices/schemas.ts) describes the same shapes.
 */

/** One line of the board: masked by the engine, numbers only. */
export interface NoticeEntry {
  caseId: string;
  name: string | null;
  idNumber: string | null;
  householdSize: number | null;
  amount: number | null;
  /** 公示: the notice period; 公布: when the decision was published. */
  from: string | null;
  until: string | null;
}

/** The board per unit and item: 公示 (in the notice period) and 公布 (approved). */
export interface NoticeGroup {
  orgUnitId: string;
  orgUnitName: string;
  itemKey: string;
  itemName: string;
  publicity: NoticeEntry[];
  publication: NoticeEntry[];
}

/** The route's answer. */
export interface NoticeList {
  generatedAt: string;
  groups: NoticeGroup[];
}
