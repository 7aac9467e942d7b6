// `npm run bench:ui` (root; here `npm run bench:ui -w runtime-ui`): the runtime UI's speed figures, measured in
// Debian's Chromium (playwright-core, /usr/bin/chromium) against the built UI served by the engine on a temp data
// dir with the 19 items under definitions/ published. Prints each figure with its target (issue #5) and the
// ratio figure / target (≤ 1 meets it):
//   1. the bundle: every chunk of runtime-ui/dist with its gzip size, the first load's total;
//   2. first load of /app with a cold cache (a fresh browser profile each time): the login page, and the
//      home page of a signed-in user;
//   3. the largest of the 19 forms (by schema size): render time, from the item's data received to the
//      first paint with the first screen's groups, and to the paint with the whole form (the groups below the
//      first screen render in parts after it; the route's code already loaded, as after the catalog);
//   4. a keystroke in that form: the main thread's work from keydown to the frame painted, and the
//      keydown-to-next-frame latency (which also waits for the display's next frame, up to 16.7 ms);
//   5. the inbox with 10,000 open tasks of the township user (the store filled by the demo seeder of
//      `npm run seed:demo`: engine-made cases of the 19 items and copies of its open ones): time to the first
//      rows, loading all pages by scrolling, and frames over 50 ms while scrolling the virtual list from top
//      to bottom and back.
// BENCH_INBOX_TASKS=<n> changes the inbox size (e.g. 2000 for a quick run). BENCH_UI_PARTS=form (comma-separated
// of bundle, load, form, inbox; default all) measures only those: without `inbox` the store is not seeded with
// demo cases (the engine starts on a fresh store with the 19 items), which makes a form-only run quick.
// BENCH_UI_DIR=<dir> serves another build of the runtime UI (A/B comparisons); BENCH_UI_RUNS=<n> renders the form n
// times (default 5) for a steadier median on a noisy machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { seedDemoCases } from '../../engine/src/seed/demo-cases.ts';
import { repoRoot, startUiServer, TEST_DEMO_PASSWORD, type UiServer } from '../test/e2e/harness.ts';
import { largestForm } from './largest-form.ts';

const INBOX_TASKS = Number(process.env.BENCH_INBOX_TASKS) || 10_000;
const PARTS = new Set((process.env.BENCH_UI_PARTS || 'bundle,load,form,inbox').split(',').map((p) => p.trim()));
const RUNS = Number(process.env.BENCH_UI_RUNS) || 5;

interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Met when value ≤ target. */
  target: number | null;
}
const figures: Figure[] = [];
const figure = (name: string, value: number, unit: string, target: number | null = null) =>
  figures.push({ name, value: Number(value.toFixed(1)), unit, target });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

/** Milliseconds since the page's navigation start when `selector` is first in the DOM (polled every frame). */
async function appearsAt(page: Page, selector: string): Promise<number> {
  const handle = await page.waitForFunction((sel) => (document.querySelector(sel) ? performance.now() : 0), selector, {
    polling: 'raf',
    timeout: 30_000,
  });
  return (await handle.jsonValue()) as number;
}

function printBundle(): void {
  const report = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'runtime-ui', 'dist', 'bundle-report.json'), 'utf8'),
  ) as {
    firstLoad: { bytes: number; gzip: number; files: number };
    total: { bytes: number; gzip: number; files: number };
    assets: { file: string; bytes: number; gzip: number; initial: boolean }[];
  };
  console.log('\nruntime-ui bundle (runtime-ui/dist; * = part of the first load)');
  for (const a of report.assets) {
    console.log(
      `  ${a.initial ? '*' : ' '} ${a.file.padEnd(48)} ${kb(a.bytes).padStart(10)}  gzip ${kb(a.gzip).padStart(9)}`,
    );
  }
  console.log(
    `  first load: ${kb(report.firstLoad.bytes)} (gzip ${kb(report.firstLoad.gzip)}) in ${report.firstLoad.files} files; ` +
      `all: ${kb(report.total.bytes)} (gzip ${kb(report.total.gzip)}) in ${report.total.files} files`,
  );
  figure('first-load bundle, gzip', report.firstLoad.gzip / 1024, 'kB');
}

async function signedInContext(ui: UiServer, username: string): Promise<BrowserContext> {
  const ctx = await ui.newContext();
  // tsx (esbuild) names inner functions with a `__name` helper the page lacks: the functions passed to
  // page.evaluate below define some.
  await ctx.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const res = await ctx.request.post('/api/auth/login', { data: { username, password: TEST_DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`login as ${username}: ${res.status()}`);
  return ctx;
}

async function firstLoad(ui: UiServer): Promise<void> {
  const login: number[] = [];
  const home: number[] = [];
  let transferred = 0;
  for (let i = 0; i < RUNS; i++) {
    const anon = await ui.newContext();
    const p = await anon.newPage();
    await p.goto('/app/', { waitUntil: 'commit' });
    login.push(await appearsAt(p, '[data-testid="login-submit"]'));
    await anon.close();

    const ctx = await signedInContext(ui, 'township');
    const page = await ctx.newPage();
    await page.goto('/app/', { waitUntil: 'commit' });
    home.push(await appearsAt(page, '[data-testid="inbox-counts"]'));
    transferred = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .concat(performance.getEntriesByType('navigation'))
        .reduce((s, e) => s + ((e as PerformanceResourceTiming).transferSize || 0), 0),
    );
    await ctx.close();
  }
  figure('first load /app (cold cache): login form, median', median(login), 'ms', 2000);
  figure('first load /app (cold cache): signed-in home, median', median(home), 'ms', 2000);
  figure('first load /app (cold cache): signed-in home, worst', Math.max(...home), 'ms', 2000);
  figure('first load /app: bytes over the wire (home)', transferred / 1024, 'kB');
}

/** The largest application form among the items under definitions/ (by its schema's size). */
async function largestFormFigures(ui: UiServer): Promise<void> {
  const form = largestForm();
  const user = form.startLevels.includes('village') ? 'village' : 'township';
  console.log(`\nlargest form: ${form.key} (${kb(form.bytes)} of JSON Schema), as ${user}`);
  const ctx = await signedInContext(ui, user);
  const page = await ctx.newPage();
  await page.goto('/app/catalog');
  await page.getByTestId('catalog-search').waitFor();
  const applyUrl = `/app/apply/${form.key}`;
  // Client-side navigation as a click in the catalog does it; the first visit loads the route's code.
  const measure = () =>
    page.evaluate(async (url) => {
      const go = (to: string) => {
        history.pushState(null, '', to);
        dispatchEvent(new PopStateEvent('popstate'));
      };
      go('/app/catalog');
      await new Promise((r) => setTimeout(r, 100));
      performance.clearResourceTimings();
      const t0 = performance.now();
      go(url);
      // The first frame whose rAF finds `ready()`: that frame paints right after its rAF callbacks, and a task
      // queued from there runs after the paint.
      const frameWhen = (ready: () => boolean) =>
        new Promise<number>((resolve) => {
          const check = () => {
            if (!ready()) {
              requestAnimationFrame(check);
              return;
            }
            const ch = new MessageChannel();
            ch.port1.onmessage = () => resolve(performance.now());
            ch.port2.postMessage(null);
          };
          requestAnimationFrame(check);
        });
      // The first screen: the form's first groups (the rest follow in parts after it, see ObjectFieldTemplate).
      let firstFields = 0;
      const painted = await frameWhen(() => {
        if (!document.querySelector('[data-testid="apply-submit"]')) return false;
        firstFields = document.querySelectorAll('form .ant-form-item').length;
        return firstFields > 0;
      });
      const complete = await frameWhen(() => !document.querySelector('[data-testid="form-rest-pending"]'));
      const item = performance
        .getEntriesByType('resource')
        .filter((e) => new URL(e.name).pathname === `/api/items/${url.split('/').pop()}`)
        .at(-1) as PerformanceResourceTiming | undefined;
      const dataAt = item ? item.responseEnd : t0;
      return {
        total: complete - t0,
        render: painted - dataAt,
        whole: complete - dataAt,
        firstFields,
        fields: document.querySelectorAll('form .ant-form-item').length,
      };
    }, applyUrl);
  await measure(); // warm-up: the route's chunk and the validator code
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure());
  console.log(`  ${runs[0]?.fields} form items, ${runs[0]?.firstFields} of them in the first screen's groups`);
  figure(`largest form (${form.key}) first screen painted, median`, median(runs.map((r) => r.render)), 'ms', 150);
  figure(`largest form (${form.key}) first screen painted, worst`, Math.max(...runs.map((r) => r.render)), 'ms', 150);
  figure(`largest form (${form.key}) whole form painted, median`, median(runs.map((r) => r.whole)), 'ms', 150);
  figure(`largest form (${form.key}) whole form painted, worst`, Math.max(...runs.map((r) => r.whole)), 'ms', 150);
  figure(`largest form (${form.key}) navigation to whole form painted, median`, median(runs.map((r) => r.total)), 'ms');

  // Keystrokes in the first text field of that form, once the whole form is rendered (steady typing; the groups
  // below the first screen render once per visit, see the render figures).
  await page.goto(applyUrl);
  const input = page.locator('form input.ant-input[type="text"], form input.ant-input:not([type])').first();
  await input.waitFor();
  await page.getByTestId('form-rest-pending').waitFor({ state: 'detached' });
  await input.click();
  await page.evaluate(() => {
    const w = window as unknown as { __keys: { work: number; frame: number }[] };
    w.__keys = [];
    addEventListener(
      'keydown',
      (e) => {
        const down = e.timeStamp;
        // After the handlers and React's render (a task queued now runs after them), the next frame
        // (rAF), and a task after that frame's paint.
        setTimeout(() => {
          const handled = performance.now();
          requestAnimationFrame(() => {
            const frameStart = performance.now();
            const ch = new MessageChannel();
            ch.port1.onmessage = () => {
              const painted = performance.now();
              w.__keys.push({ work: handled - down + (painted - frameStart), frame: painted - down });
            };
            ch.port2.postMessage(null);
          });
        });
      },
      true,
    );
  });
  // Latin letters and digits: each is a real keydown (Chinese text would be inserted without key events, as
  // an input method commits it).
  await page.keyboard.type('Ma Fucheng 13830012345 huishi dongguan', { delay: 60 });
  await page.waitForTimeout(200);
  const keys = (await page.evaluate(
    () => (window as unknown as { __keys: { work: number; frame: number }[] }).__keys,
  )) as { work: number; frame: number }[];
  const work = keys.map((k) => k.work);
  const frame = keys.map((k) => k.frame);
  figure(`keystroke (${keys.length} keys): main-thread work, p50`, percentile(work, 50), 'ms', 16);
  figure('keystroke: main-thread work, p95', percentile(work, 95), 'ms', 16);
  figure('keystroke: keydown to painted frame, p50', percentile(frame, 50), 'ms');
  figure('keystroke: keydown to painted frame, p95', percentile(frame, 95), 'ms');
  await ctx.close();
}

async function inboxFigures(ui: UiServer, openTasks: number): Promise<void> {
  const ctx = await signedInContext(ui, 'township');
  const page = await ctx.newPage();
  const first: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.goto('/app/inbox', { waitUntil: 'commit' });
    first.push(await appearsAt(page, '.ant-table-row'));
  }
  figure('inbox (cold page load): first rows, median', median(first), 'ms', 2000);

  // Load every page by scrolling to the end (cursor paging, 100 rows a page).
  const holder = page.locator('.ant-table-tbody-virtual-holder');
  const t1 = Date.now();
  for (let guard = 0; guard < openTasks / 10; guard++) {
    await holder.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
      el.dispatchEvent(new Event('scroll'));
    });
    await page.waitForTimeout(30);
    const text = await page.getByTestId('inbox-foot').textContent();
    if (text?.includes(String(openTasks)) && text.includes('全部')) break;
  }
  const foot = (await page.getByTestId('inbox-foot').textContent()) ?? '';
  if (!foot.includes(String(openTasks))) throw new Error(`the inbox did not load all ${openTasks} rows: ${foot}`);
  figure(`inbox: all ${openTasks} rows loaded by scrolling`, Date.now() - t1, 'ms');

  // Scrolling through the loaded list, 120 px a frame from the top to the bottom and back.
  const frames = await holder.evaluate(async (el) => {
    el.scrollTop = 0;
    const times: number[] = [];
    let last = performance.now();
    const steps = Math.ceil(el.scrollHeight / 120);
    for (let i = 0; i < 2 * steps; i++) {
      const dir = i < steps ? 1 : -1;
      await new Promise((resolve) => {
        requestAnimationFrame(() => {
          el.scrollTop += dir * 120;
          el.dispatchEvent(new Event('scroll'));
          const now = performance.now();
          times.push(now - last);
          last = now;
          resolve(null);
        });
      });
    }
    return times.slice(1);
  });
  const rowsInDom = await page.locator('.ant-table-row').count();
  console.log(`  ${frames.length} frames scrolled; ${rowsInDom} rows in the DOM (virtual list)`);
  figure('inbox scrolling: frames over 50 ms', frames.filter((f) => f > 50).length, 'frames', 0);
  figure('inbox scrolling: frame time p95', percentile(frames, 95), 'ms', 50);
  figure('inbox scrolling: rows kept in the DOM', rowsInDom, 'rows', 200);
  await ctx.close();
}

function printFigures(): void {
  const load = os.loadavg().map((l) => l.toFixed(1));
  console.log(
    `\nruntime-ui figures (Chromium, this machine: ${os.cpus().length} CPUs, load average ${load.join(' ')} at the end;` +
      ' a busy machine inflates every figure)',
  );
  console.log(`  ${'figure'.padEnd(62)} ${'value'.padStart(10)}  ${'target'.padStart(10)}  ratio`);
  for (const f of figures) {
    const value = `${f.value} ${f.unit}`;
    const target = f.target === null ? '' : `< ${f.target} ${f.unit}`;
    const ratio =
      f.target === null
        ? ''
        : f.target === 0
          ? f.value === 0
            ? 'ok'
            : 'MISSED'
          : `${(f.value / f.target).toFixed(2)}${f.value <= f.target ? '' : '  MISSED'}`;
    console.log(`  ${f.name.padEnd(62)} ${value.padStart(10)}  ${target.padStart(10)}  ${ratio}`);
  }
}

// The store is filled first by the demo seeder (`npm run seed:demo`): cases across the 19 items filed over two
// years through the engine, and copies of its open cases until township has INBOX_TASKS open tasks; then the
// engine serving the UI starts on that store. Without the inbox figures, a fresh store with the 19 items.
const loadAtStart = os.loadavg().map((l) => l.toFixed(1));
const definitionsDir = path.join(repoRoot, 'definitions');
let dataDir: string | null = null;
let openTasks = 0;
if (PARTS.has('inbox')) {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-bench-ui-'));
  const t0 = Date.now();
  const seeded = await seedDemoCases({
    dataDir,
    size: INBOX_TASKS + 1000,
    inboxUser: 'township',
    inboxTasks: INBOX_TASKS,
    env: {},
    config: { demoPassword: TEST_DEMO_PASSWORD, definitionsDir },
  });
  openTasks = seeded.inbox?.openTasks ?? 0;
  console.log(
    `store: ${seeded.cases} demo cases (${seeded.engineCases} through the engine), township has ${openTasks} open tasks; ` +
      `seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
}
// BENCH_UI_DIR=<a built runtime-ui> serves that build instead of runtime-ui/dist (to compare two versions).
const uiDir = process.env.BENCH_UI_DIR ? { runtimeUiDir: path.resolve(process.env.BENCH_UI_DIR) } : {};
const ui = await startUiServer({ config: { ...(dataDir ? { dataDir } : {}), definitionsDir, ...uiDir } });
try {
  console.log(`load average at the start: ${loadAtStart.join(' ')}`);
  if (PARTS.has('bundle')) printBundle();
  if (PARTS.has('load')) await firstLoad(ui);
  if (PARTS.has('form')) await largestFormFigures(ui);
  if (PARTS.has('inbox')) await inboxFigures(ui, openTasks);
  printFigures();
} finally {
  await ui.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
