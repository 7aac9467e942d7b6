import type { RegionUnit } from '@minflow/sdk/address';
import { useEffect, useState } from 'react';
import { api } from '../api/client';

interface RegionsResponse {
  cityId: string;
  items: RegionUnit[];
}

/** One request per page load for every address field of every form (the list changes rarely). */
let pending: Promise<RegionUnit[]> | null = null;

export function loadRegions(): Promise<RegionUnit[]> {
  if (!pending) {
    pending = api.get<RegionsResponse>('/api/org-units/regions').then(
      (r) => r.items,
      (err) => {
        pending = null; // a failed load is tried again by the next field or 重试
        throw err;
      },
    );
  }
  return pending;
}

export type RegionsState =
  | { status: 'loading' }
  | { status: 'ok'; units: RegionUnit[] }
  | { status: 'error'; message: string; retry(): void };

/** The city's administrative divisions (`GET /api/org-units/regions`) for address pickers. */
export function useRegions(): RegionsState {
  const [state, setState] = useState<RegionsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load on 重试
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    loadRegions().then(
      (units) => live && setState({ status: 'ok', units }),
      (err: Error) =>
        live && setState({ status: 'error', message: err.message, retry: () => setAttempt((n) => n + 1) }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return state;
}
