import { useEffect, useState } from 'react';
import { request } from './api';

/** What the engine offers the pick lists (GET /api/meta/roles and /api/meta/handlers). */
export interface RoleMeta {
  key: string;
  name: { zh: string; en?: string };
  levels: string[];
}
export interface HandlerMeta {
  key: string;
  title: { zh: string; en?: string };
  description?: { zh: string; en?: string };
  plugin: string;
  version: string;
}
export interface EngineMeta {
  roles: RoleMeta[];
  levels: string[];
  handlers: HandlerMeta[];
}

let pending: Promise<EngineMeta> | null = null;

/** Loads once per page; a failure is retried on the next call. */
export function loadMeta(): Promise<EngineMeta> {
  pending ??= Promise.all([
    request<{ roles: RoleMeta[]; levels: string[] }>('/api/meta/roles'),
    request<{ items: HandlerMeta[] }>('/api/meta/handlers'),
  ])
    .then(([r, h]) => ({ roles: r.roles, levels: r.levels, handlers: h.items }))
    .catch((err) => {
      pending = null;
      throw err;
    });
  return pending;
}

/** The engine's roles and handlers, or null while loading (or when the engine could not answer). */
export function useEngineMeta(): EngineMeta | null {
  const [meta, setMeta] = useState<EngineMeta | null>(null);
  useEffect(() => {
    let live = true;
    loadMeta()
      .then((m) => live && setMeta(m))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return meta;
}
