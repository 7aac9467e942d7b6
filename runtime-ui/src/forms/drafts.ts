/** What `DraftStore` needs of `localStorage` (so tests can pass a Map-backed one). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Draft {
  /** The item's published version the data was typed against. */
  version: number;
  data: unknown;
  /** Sent as `Idempotency-Key` with this draft's submit; kept across reloads so a retry never makes two cases. */
  idempotencyKey: string;
  savedAt: string;
}

const PREFIX = 'minflow.draft.v1';

/**
 * Unsent applications, one per user and item, kept in the browser so a reload, a crash or a dropped
 * connection loses nothing. Keyed by user so two clerks sharing a PC never see each other's drafts.
 */
export class DraftStore {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static key(userId: string, itemKey: string): string {
    return `${PREFIX}:${encodeURIComponent(userId)}:${encodeURIComponent(itemKey)}`;
  }

  load(userId: string, itemKey: string): Draft | null {
    let raw: string | null;
    try {
      raw = this.storage.getItem(DraftStore.key(userId, itemKey));
    } catch {
      return null;
    }
    if (!raw) return null;
    try {
      const d = JSON.parse(raw) as Partial<Draft>;
      if (typeof d.idempotencyKey !== 'string' || typeof d.savedAt !== 'string' || !('data' in d)) return null;
      return { version: Number(d.version) || 0, data: d.data, idempotencyKey: d.idempotencyKey, savedAt: d.savedAt };
    } catch {
      return null;
    }
  }

  /** Saves and returns the stored draft, or null when the browser refused (storage full or blocked). */
  save(userId: string, itemKey: string, draft: Omit<Draft, 'savedAt'>): Draft | null {
    const stored: Draft = { ...draft, savedAt: this.now().toISOString() };
    try {
      this.storage.setItem(DraftStore.key(userId, itemKey), JSON.stringify(stored));
      return stored;
    } catch {
      return null;
    }
  }

  clear(userId: string, itemKey: string): void {
    try {
      this.storage.removeItem(DraftStore.key(userId, itemKey));
    } catch {
      // nothing to clear
    }
  }
}

/** True when the data holds anything typed (so an untouched form leaves no draft behind). */
export function hasContent(data: unknown): boolean {
  if (data == null || data === '') return false;
  if (Array.isArray(data)) return data.some(hasContent);
  if (typeof data === 'object') return Object.values(data as Record<string, unknown>).some(hasContent);
  return true;
}
