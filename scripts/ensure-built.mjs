#!/usr/bin/env node
// Builds the web UIs (runtime-ui → /app, designer → /designer) when their dist is missing or older than
// any of their sources, so `npm start` and the browser tests always serve what the code says.
// Usage: node scripts/ensure-built.mjs [runtime-ui|designer ...] [--force]
// Several processes may call it at once (parallel test files): a lock directory makes one build and
// the others wait for it, then find the dist fresh.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Each UI and the paths (relative to the repo root) whose changes it must be rebuilt for. */
const UIS = {
  'runtime-ui': [
    'runtime-ui/src',
    'runtime-ui/build',
    'runtime-ui/public',
    'runtime-ui/index.html',
    'runtime-ui/vite.config.ts',
    'runtime-ui/package.json',
    'runtime-ui/tsconfig.json',
    // bundled into the app: the shared formats and their messages
    'plugins/sdk/src',
    'package-lock.json',
  ],
  designer: [
    'designer/src',
    'designer/public',
    'designer/index.html',
    'designer/vite.config.ts',
    'designer/package.json',
    'runtime-ui/build',
    'package-lock.json',
  ],
};

const SKIP = new Set(['node_modules', 'dist', 'dist-types', '.test-output', 'test']);

/** Newest mtime under `p` (files and directories, so a deleted file counts too); 0 when absent. */
function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  let newest = st.mtimeMs;
  if (st.isDirectory()) {
    for (const entry of fs.readdirSync(p)) {
      if (SKIP.has(entry) || entry.endsWith('.test.ts') || entry.endsWith('.tsbuildinfo')) continue;
      newest = Math.max(newest, newestMtime(path.join(p, entry)));
    }
  }
  return newest;
}

export function isStale(ui) {
  const index = path.join(root, ui, 'dist', 'index.html');
  let built;
  try {
    built = fs.statSync(index).mtimeMs;
  } catch {
    return { stale: true, reason: 'not built yet' };
  }
  const newest = Math.max(...UIS[ui].map((p) => newestMtime(path.join(root, p))));
  return newest > built
    ? { stale: true, reason: 'sources changed since the last build' }
    : { stale: false, reason: 'up to date' };
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock(ui, fn) {
  const lock = path.join(root, ui, '.build-lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A lock left by a killed build is taken over after 5 minutes.
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 5 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export function ensureBuilt(ui, { force = false, log = console.log } = {}) {
  return withLock(ui, () => {
    const { stale, reason } = isStale(ui);
    if (!force && !stale) return false;
    const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    if (!fs.existsSync(vite)) {
      if (fs.existsSync(path.join(root, ui, 'dist', 'index.html'))) {
        log(`[ensure-built] ${ui}: ${reason}, but vite is not installed; serving the existing build`);
        return false;
      }
      throw new Error(`[ensure-built] ${ui} is not built and vite is not installed (run npm install)`);
    }
    log(`[ensure-built] building ${ui} (${force ? 'forced' : reason})…`);
    const res = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: path.join(root, ui),
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (res.status !== 0) throw new Error(`[ensure-built] building ${ui} failed (exit ${res.status ?? res.signal})`);
    return true;
  });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const names = args.filter((a) => !a.startsWith('--'));
  const targets = names.length ? names : Object.keys(UIS);
  try {
    for (const ui of targets) {
      if (!(ui in UIS)) throw new Error(`[ensure-built] unknown UI "${ui}" (known: ${Object.keys(UIS).join(', ')})`);
      ensureBuilt(ui, { force });
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
