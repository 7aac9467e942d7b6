/**
 * Runs `engine/src/main.ts` as a child process (as `npm start` does) for the crash-recovery and
 * multi-process suites: start, wait until it listens, talk HTTP, SIGKILL it, and make sure no child
 * outlives the test (`killAll()` in afterEach/afterAll).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../src/config.js';

export interface EngineProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Waits until the output matches `re` (from `from` on), or fails after `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const children = new Set<ChildProcess>();
// Should the test runner exit abruptly, take the engines down with it.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** SIGKILLs every engine this module started that is still running. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  children.clear();
}

/** The environment without the variables that move the engine off its embedded default (CI exports them); pass them in `env` to opt in. */
function embeddedEnv(): NodeJS.ProcessEnv {
  const { MONGODB_URL: _m, REDIS_URL: _r, MINFLOW_TEST_MONGODB_URL: _t, ...rest } = process.env;
  return rest;
}

export async function startEngine(env: Record<string, string>, startTimeoutMs = 60_000): Promise<EngineProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'engine/src/main.ts')], {
    cwd: repoRoot,
    env: { ...embeddedEnv(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      for (const l of listeners) l();
      resolve(code);
    }),
  );
  const waitFor = (re: RegExp, timeoutMs = 30_000, from = 0) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = out.slice(from).match(re);
        if (m) {
          done();
          resolve(m);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(new Error(`engine exited (${child.exitCode ?? child.signalCode}) before ${re}:\n${out.slice(-4000)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${re}:\n${out.slice(-4000)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  try {
    const m = await waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, startTimeoutMs);
    return {
      child,
      url: m[1],
      output: () => out,
      exited,
      waitFor,
      async kill(signal: NodeJS.Signals = 'SIGKILL') {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill(signal);
        await exited;
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
}

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many shapes, read by the tests
  body: any;
}

/** One JSON request; a dead engine (connection refused or reset) answers status 0. */
export async function call(
  url: string,
  token: string | null,
  method: 'GET' | 'POST',
  pathname: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  try {
    const res = await fetch(url + pathname, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  } catch {
    return { status: 0, body: null };
  }
}

export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await call(url, null, 'POST', '/api/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** Writes a definition folder (`<dir>/<key>/`) the engine imports and publishes on first start. */
export function writeItem(
  dir: string,
  key: string,
  item: { name: string; startLevels: string[]; formSchema: object; bpmn: string },
): void {
  const folder = path.join(dir, key);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'item.json'),
    JSON.stringify({
      name: { zh: item.name },
      category: 'social-assistance',
      description: item.name,
      startLevels: item.startLevels,
    }),
  );
  fs.writeFileSync(path.join(folder, 'form.schema.json'), JSON.stringify(item.formSchema));
  fs.writeFileSync(path.join(folder, 'process.bpmn'), item.bpmn);
}

export const simpleForm = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['name', 'idNumber'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', title: '姓名', minLength: 1, maxLength: 50 },
    idNumber: { type: 'string', title: '身份证号码', format: 'cn-resident-id' },
  },
};

/** A resident ID number with a valid GB 11643 check digit. */
export function residentId(region: string, birth: string, seq: string): string {
  const body = region + birth + seq;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}
