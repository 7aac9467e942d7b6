/**
 * Embedded store benchmark: inserts/s (batched in transactions via insertMany), version-checked
 * updates/s, and the latency of an indexed inbox query (tasks whose `candidateRoles` array holds a
 * role and whose `orgPath` holds a township, open, sorted by `dueAt`, 50 per page) at each size in
 * BENCH_SIZES (default 100000,1000000). Target: p95 < 20 ms at 1M documents.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type EmbeddedStore, openEmbeddedStore } from '../src/infra/store/embedded.js';
import type { Collection, Filter, FindOptions, StoredDoc } from '../src/infra/store/port.js';

const TARGET_P95_MS = 20;
const ROLES = [
  'village-assistant',
  'township-staff',
  'township-approver',
  'county-approver',
  'county-finance',
  'city-admin',
  'auditor',
  'disability-federation',
];
const STATUSES = ['open', 'open', 'claimed', 'done', 'done'];
const ITEMS = ['dibao', 'tekun', 'linshi-jiuzhu', 'gaoling-butie', 'canji-butie', 'cunwu-gongkai'];

interface Task extends StoredDoc {
  caseId: string;
  item: string;
  title: string;
  candidateRoles: string[];
  orgPath: string[];
  status: string;
  dueAt: string;
  createdAt: string;
  applicant: { name: string; village: string };
}

/** A small deterministic generator so runs are comparable. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 白银市 → 5 counties → 3 townships each → 3 villages each.
const COUNTIES = ['620402', '620403', '620421', '620422', '620423'];
const TOWNSHIPS = COUNTIES.flatMap((c) => [1, 2, 3].map((t) => `${c}${String(100 + t)}`));
const VILLAGES = TOWNSHIPS.flatMap((t) => [1, 2, 3].map((v) => `${t}${String(200 + v)}`));
const BASE = Date.parse('2026-01-01T00:00:00Z');

function makeTask(i: number, rand: () => number): Task {
  const village = VILLAGES[Math.floor(rand() * VILLAGES.length)];
  const township = village.slice(0, 9);
  const county = village.slice(0, 6);
  const r1 = ROLES[Math.floor(rand() * ROLES.length)];
  const r2 = ROLES[Math.floor(rand() * ROLES.length)];
  const item = ITEMS[i % ITEMS.length];
  return {
    _id: `task-${String(i).padStart(8, '0')}`,
    _v: 1,
    caseId: `case-${Math.floor(i / 3)}`,
    item,
    title: `${item} 审核（第 ${i % 5} 步）`,
    candidateRoles: r1 === r2 ? [r1] : [r1, r2],
    orgPath: ['620400', county, township, village],
    status: STATUSES[Math.floor(rand() * STATUSES.length)],
    dueAt: new Date(BASE + Math.floor(rand() * 90 * 86_400_000)).toISOString(),
    createdAt: new Date(BASE - Math.floor(rand() * 30 * 86_400_000)).toISOString(),
    applicant: { name: `申请人${i % 997}`, village },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function fill(tasks: Collection<Task>, from: number, to: number, rand: () => number): Promise<number> {
  const started = performance.now();
  const batch = 2000;
  for (let i = from; i < to; i += batch) {
    const docs: Task[] = [];
    for (let j = i; j < Math.min(to, i + batch); j++) docs.push(makeTask(j, rand));
    await tasks.insertMany(docs);
  }
  return ((to - from) / (performance.now() - started)) * 1000;
}

async function updates(tasks: Collection<Task>, size: number, count: number, rand: () => number): Promise<number> {
  const started = performance.now();
  for (let k = 0; k < count; k++) {
    const id = `task-${String(Math.floor(rand() * size)).padStart(8, '0')}`;
    const task = await tasks.get(id);
    if (!task) throw new Error(`missing ${id}`);
    await tasks.replace(id, task._v, { ...task, status: task.status === 'open' ? 'claimed' : 'open' });
  }
  return (count / (performance.now() - started)) * 1000;
}

async function inboxLatency(tasks: Collection<Task>, queries: number, rand: () => number) {
  const times: number[] = [];
  let returned = 0;
  for (let k = 0; k < queries + 20; k++) {
    const filter: Filter = {
      candidateRoles: ROLES[Math.floor(rand() * ROLES.length)],
      orgPath: TOWNSHIPS[Math.floor(rand() * TOWNSHIPS.length)],
      status: 'open',
    };
    const options: FindOptions = { sort: { dueAt: 1 }, limit: 50 };
    const t0 = performance.now();
    const page = await tasks.find(filter, options);
    // Every third query also fetches the next page, as a user scrolling the inbox does.
    if (k % 3 === 0 && page.nextCursor) await tasks.find(filter, { ...options, cursor: page.nextCursor });
    const ms = performance.now() - t0;
    if (k >= 20) {
      times.push(k % 3 === 0 ? ms / 2 : ms); // per page
      returned += page.items.length;
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), avgItems: returned / queries };
}

function explain(store: EmbeddedStore, tasks: Collection<Task>): string {
  const plan = (tasks as unknown as { explain(f: Filter, o: FindOptions): { sql: string; params: unknown[] } }).explain(
    { candidateRoles: 'township-staff', orgPath: TOWNSHIPS[0], status: 'open' },
    { sort: { dueAt: 1 }, limit: 50 },
  );
  const rows = store.db.prepare(`EXPLAIN QUERY PLAN ${plan.sql}`).all(...plan.params) as { detail: string }[];
  return rows
    .map((r) => r.detail)
    .filter((d) => d.startsWith('SEARCH') || d.startsWith('SCAN') || d.startsWith('USE'))
    .slice(0, 3)
    .join('; ');
}

export async function run(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? '100000,1000000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-bench-store-'));
  const store = openEmbeddedStore(dir);
  try {
    await store.ensureCollection({
      name: 'tasks',
      indexes: [
        { name: 'inbox', fields: { candidateRoles: 1, status: 1, dueAt: 1 }, multikey: true },
        { name: 'org', fields: { orgPath: 1 }, multikey: true },
        { name: 'case', fields: { caseId: 1 } },
      ],
    });
    const tasks = store.collection<Task>('tasks');
    const rand = rng(20260101);
    console.log(
      `embedded store (SQLite ${store.db.prepare('select sqlite_version() v').pluck().get()}), data in ${dir}`,
    );
    console.log(`inbox query: candidateRoles ∋ role, orgPath ∋ township, status open, sort dueAt, limit 50`);
    console.log(`plan: ${explain(store, tasks)}`);
    let size = 0;
    for (const target of sizes) {
      const insertRate = await fill(tasks, size, target, rand);
      size = target;
      const updateRate = await updates(tasks, size, 10_000, rand);
      const q = await inboxLatency(tasks, 500, rand);
      const mb = fs.statSync(path.join(dir, 'minflow.sqlite')).size / 1e6;
      console.log(
        `\n${fmt(size)} documents (${fmt(mb)} MB file)\n` +
          `  inserts:  ${fmt(insertRate)}/s (insertMany, batches of 2000)\n` +
          `  updates:  ${fmt(updateRate)}/s (get + version-checked replace)\n` +
          `  inbox:    p50 ${q.p50.toFixed(2)} ms, p95 ${q.p95.toFixed(2)} ms per page (${q.avgItems.toFixed(0)} items/page avg)\n` +
          `  target:   p95 < ${TARGET_P95_MS} ms → ratio p95/target ${(q.p95 / TARGET_P95_MS).toFixed(2)} ${q.p95 < TARGET_P95_MS ? '(met)' : '(MISSED)'}`,
      );
    }
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
