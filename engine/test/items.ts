import path from 'node:path';
import type { MinflowPlugin } from '@minflow/sdk';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { repoRoot } from '../src/config.js';
import { ManualClock } from '../src/infra/clock.js';
import type { InlineQueue } from '../src/infra/queue/inline.js';
import { createTestApp, loginAs, type TestApp } from './helpers.js';

/** A resident ID number with a valid GB 11643 check digit, from region (6), birth date (YYYYMMDD) and sequence (3). */
export function residentId(region: string, birth: string, seq: string): string {
  const body = region + birth + seq;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

export interface CaseJson {
  id: string;
  status: string;
  data: Record<string, unknown>;
  variables?: Record<string, unknown>;
  openTasks: Array<{
    id: string;
    elementId: string;
    dueAt: string | null;
    assignee: string | null;
    candidateRoles: string[];
  }>;
  history?: Array<Record<string, unknown>>;
  outcome?: { reason: string | null } | null;
}

/**
 * Drives business items through the real API as the demo users, on a fresh app with every item
 * under definitions/ published and a manual clock. Sessions are re-opened on every call because
 * they follow the same clock (idle timeout).
 */
export class ItemWalker {
  private constructor(
    readonly t: TestApp,
    readonly clock: ManualClock,
  ) {}

  static async start(options: { plugins?: MinflowPlugin[]; now?: string } = {}): Promise<ItemWalker> {
    const clock = new ManualClock(options.now ?? '2026-03-02T01:00:00Z');
    const t = await createTestApp({
      clock,
      plugins: options.plugins,
      config: { definitionsDir: path.join(repoRoot, 'definitions') },
    });
    return new ItemWalker(t, clock);
  }

  get app(): FastifyInstance {
    return this.t.app;
  }

  async close(): Promise<void> {
    await this.t.close();
  }

  async as(
    username: string,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const auth = await loginAs(this.app, username);
    return this.app.inject({ method, url, headers: { ...auth, ...headers }, payload: payload as object | undefined });
  }

  /** Files an application as `username`; asserts 201 and runs the jobs due (service tasks). */
  async file(username: string, itemKey: string, data: Record<string, unknown>, orgUnitId?: string): Promise<CaseJson> {
    const res = await this.as(
      username,
      'POST',
      '/api/cases',
      { itemKey, data, ...(orgUnitId ? { orgUnitId } : {}) },
      {
        'idempotency-key': `walk-${itemKey}-${Math.random().toString(36).slice(2)}`,
      },
    );
    expect(res.statusCode, res.body).toBe(201);
    await this.runJobs();
    return this.read(username, res.json().id);
  }

  /** Files an application expected to be refused; returns the error body. */
  async refuse(
    username: string,
    itemKey: string,
    data: Record<string, unknown>,
  ): Promise<{ code: string; message: string; details: Array<{ path: string; message: string }> }> {
    const res = await this.as(username, 'POST', '/api/cases', { itemKey, data });
    expect(res.statusCode, res.body).toBe(400);
    return res.json();
  }

  async read(username: string, caseId: string): Promise<CaseJson> {
    const res = await this.as(username, 'GET', `/api/cases/${caseId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  /** The open task at `elementId`, found in `username`'s inbox (so routing to that user is checked too). */
  async taskFor(username: string, caseId: string, elementId: string): Promise<string> {
    const res = await this.as(username, 'GET', '/api/tasks?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    const task = (res.json().items as Array<{ id: string; caseId: string; elementId: string }>).find(
      (x) => x.caseId === caseId && x.elementId === elementId,
    );
    expect(task, `${elementId} of ${caseId} in ${username}'s inbox`).toBeDefined();
    return (task as { id: string }).id;
  }

  /** Acts on the task at `elementId` as `username` (found through their inbox), then runs due jobs. */
  async act(
    username: string,
    caseId: string,
    elementId: string,
    body: {
      action: string;
      data?: Record<string, unknown>;
      changes?: Record<string, unknown>;
      comment?: string;
      to?: string | string[];
      target?: string;
    },
  ): Promise<CaseJson> {
    const taskId = await this.taskFor(username, caseId, elementId);
    const res = await this.as(username, 'POST', `/api/tasks/${taskId}/complete`, body);
    expect(res.statusCode, res.body).toBe(200);
    await this.runJobs();
    return this.read(username, caseId);
  }

  /** Sends a message to the case (e.g. an objection during 公示). */
  async message(
    username: string,
    caseId: string,
    name: string,
    payload: Record<string, unknown> = {},
  ): Promise<boolean> {
    const res = await this.as(username, 'POST', `/api/cases/${caseId}/messages/${name}`, { payload });
    expect(res.statusCode, res.body).toBe(200);
    await this.runJobs();
    return res.json().correlated;
  }

  /** Moves the manual clock and runs every job and timer that fell due. */
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    await this.runJobs();
  }

  async runJobs(): Promise<void> {
    const queue = this.app.queue as InlineQueue;
    // Jobs may enqueue follow-ups that are already due: drain until nothing ran.
    for (let i = 0; i < 20 && (await queue.runDue()) > 0; i++);
  }
}

export const DAY = 24 * 60 * 60 * 1000;
