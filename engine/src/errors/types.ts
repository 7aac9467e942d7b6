/** One entry of the error registry: HTTP status plus the message in both UI languages. */
export interface ErrorSpec {
  status: number;
  /** zh-CN message; `{name}` placeholders are filled from the error's params. */
  zh: string;
  en: string;
}

export type ErrorTable = Record<`MINFLOW_ERR_${string}`, ErrorSpec>;

/** A field-level problem: `path` is a JSON pointer into the request (e.g. `/members/0/idNumber`). */
export interface ErrorDetail {
  path: string;
  message: string;
}
