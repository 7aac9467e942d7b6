import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { MinflowConfig } from '../../../engine/src/config.ts';
// The engine's typing of app.config, app.store… (module augmentation of fastify).
import type {} from '../../../engine/src/fastify-augment.ts';
import type { Clock } from '../../../engine/src/infra/clock.ts';
import { createTestApp, loginAs, TEST_DEMO_PASSWORD, type TestApp } from '../../../engine/test/helpers.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export { TEST_DEMO_PASSWORD };

/** Debian's Chromium (apt-get install chromium fonts-noto-cjk); never a downloaded browser build. */
export const CHROMIUM = process.env.MINFLOW_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds the UIs when their sources are newer than dist (the same script `npm start` runs). */
export function ensureUiBuilt(): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'ensure-built.mjs'), 'runtime-ui', 'designer'], {
    stdio: 'inherit',
    env: { ...process.env, MINFLOW_BUNDLE_REPORT: 'summary' },
  });
}

export interface UiServer {
  test: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser profile (cookies, localStorage) with the given viewport, zh-CN by default. */
  newContext(options?: { width?: number; height?: number; locale?: string }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * The engine on a temp data dir (demo users seeded with TEST_DEMO_PASSWORD, the definitions under
 * definitions/ imported), listening on a free loopback port and serving the built UI, plus Chromium.
 */
export async function startUiServer(
  options: { clock?: Clock; config?: Partial<MinflowConfig> } = {},
): Promise<UiServer> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  }
  const snapshot = snapshotBuiltUis();
  // MINFLOW_E2E_DEFINITIONS_DIR points the run at another definitions folder (e.g. one item under work).
  const definitionsDir = process.env.MINFLOW_E2E_DEFINITIONS_DIR || path.join(repoRoot, 'definitions');
  let test: TestApp;
  try {
    test = await createTestApp({
      clock: options.clock,
      config: { definitionsDir, runtimeUiDir: snapshot.runtimeUi, designerDir: snapshot.designer, ...options.config },
    });
  } catch (err) {
    snapshot.remove();
    throw err;
  }
  let browser: Browser | undefined;
  try {
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    const address = test.app.server.address();
    if (!address || typeof address === 'string') throw new Error('engine did not listen on a TCP port');
    const baseUrl = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const b = browser;
    return {
      test,
      baseUrl,
      browser: b,
      async newContext({ width = 1280, height = 800, locale = 'zh-CN' } = {}) {
        const context = await b.newContext({
          viewport: { width, height },
          locale,
          timezoneId: 'Asia/Shanghai',
          baseURL: baseUrl,
        });
        context.setDefaultTimeout(15_000);
        return context;
      },
      async close() {
        await b.close().catch(() => {});
        await test.close();
        snapshot.remove();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await test.close();
    snapshot.remove();
    throw err;
  }
}

/** True when the folder holds a whole build: index.html and every file of its bundle report (written last). */
function completeBuild(dir: string): boolean {
  const report = path.join(dir, 'bundle-report.json');
  if (!fs.existsSync(path.join(dir, 'index.html')) || !fs.existsSync(report)) return false;
  try {
    const { assets } = JSON.parse(fs.readFileSync(report, 'utf8')) as { assets: { file: string }[] };
    return assets.every((a) => fs.existsSync(path.join(dir, a.file)));
  } catch {
    return false;
  }
}

/**
 * Builds the UIs when stale, then serves a copy of each dist from a temp folder: another test run (or a
 * person) rebuilding dist meanwhile (Vite empties it first) cannot pull the files from under this run's pages.
 */
function snapshotBuiltUis(): { runtimeUi: string; designer: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-e2e-ui-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const copies = { runtimeUi: path.join(dir, 'runtime-ui'), designer: path.join(dir, 'designer') };
    for (let attempt = 1; ; attempt++) {
      ensureUiBuilt();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.cpSync(path.join(repoRoot, 'runtime-ui', 'dist'), copies.runtimeUi, { recursive: true });
      fs.cpSync(path.join(repoRoot, 'designer', 'dist'), copies.designer, { recursive: true });
      if (completeBuild(copies.runtimeUi) && completeBuild(copies.designer)) return { ...copies, remove };
      if (attempt === 3) throw new Error('runtime-ui/dist or designer/dist kept changing while being copied');
    }
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * The engine's clock in a test that must pass days (a 公示 timer, a deadline): it starts at `start` and runs
 * with real time, plus whatever the test `advance()`s. It exists only in the test process, handed to the
 * engine built in-process by `startUiServer({ clock })`; nothing in the engine or its HTTP API can move
 * time. The queue polls with this clock, so a timer that falls due after `advance()` fires within one poll
 * (250 ms). A fixed start keeps what depends on the date (the year's assistance standard, working days)
 * the same whenever the test runs; the browser keeps its own clock.
 */
export class TestClock implements Clock {
  private offsetMs: number;
  constructor(start: string | Date = new Date()) {
    this.offsetMs = new Date(start).getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** Creates the definitions folder holding only the given items (symlinks), so the engine imports just those. */
export function definitionsWith(itemKeys: string[]): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-e2e-defs-'));
  for (const key of itemKeys) fs.symlinkSync(path.join(repoRoot, 'definitions', key), path.join(dir, key));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Saves numbered screenshots under .test-output/screenshots/<suite>/ so a person can look at each step. */
export function screenshots(suite: string) {
  const dir = path.join(repoRoot, '.test-output', 'screenshots', suite);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, name: string): Promise<string> => {
    n += 1;
    const file = path.join(dir, `${String(n).padStart(2, '0')}-${name}.png`);
    // Animations are fast-forwarded so a drawer or a message is captured where it ends, not half-way.
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    return file;
  };
}

/** Logs in through the login form, as a person would. */
export async function loginThroughForm(page: Page, username: string, password = TEST_DEMO_PASSWORD): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByTestId('login-submit').click();
}

/** True when the page is wider than the viewport (a phone user would have to scroll sideways). */
export async function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/** A fresh browser profile signed in as `username` through the login form, on the home page. */
export async function login(
  ui: UiServer,
  username: string,
  opts: { width?: number; height?: number } = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await ui.newContext(opts);
  const page = await ctx.newPage();
  await page.goto('/app/login');
  await loginThroughForm(page, username);
  await page.getByTestId('greeting').waitFor();
  return { ctx, page };
}

/** 我的待办 from the side menu. */
export async function openInbox(page: Page): Promise<void> {
  await page.getByRole('link', { name: '我的待办' }).first().click();
  await page.waitForURL((u) => u.pathname === '/app/inbox');
  await page.getByTestId('inbox-table').waitFor();
}

/** Types a date into an antd date picker and confirms it with Enter. */
export async function pickDate(page: Page, selector: string, value: string): Promise<void> {
  const input = page.locator(selector);
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

/** Presses OK in the action's confirmation dialog and returns the engine's answer to the completion. */
export async function confirmDialog(page: Page) {
  const answer = page.waitForResponse((r) => /\/api\/tasks\/.+\/complete$/.test(new URL(r.url()).pathname));
  await page.getByTestId('dialog-ok').click();
  return answer;
}

/** Creates and publishes an item definition as the city admin (the set-up of tests that bring their own item). */
export async function publishDefinition(ui: UiServer, definition: { key: string }): Promise<void> {
  const headers = await loginAs(ui.test.app, 'admin');
  const created = await ui.test.app.inject({ method: 'POST', url: '/api/definitions', headers, payload: definition });
  if (created.statusCode !== 201) throw new Error(`create ${definition.key}: ${created.statusCode} ${created.body}`);
  const published = await ui.test.app.inject({
    method: 'POST',
    url: `/api/definitions/${definition.key}/publish`,
    headers,
    payload: {},
  });
  if (published.statusCode !== 201)
    throw new Error(`publish ${definition.key}: ${published.statusCode} ${published.body}`);
}
