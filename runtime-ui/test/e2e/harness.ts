import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
// The engine's typing of app.config, app.store… (module augmentation of fastify).
import type {} from '../../../engine/src/fastify-augment.ts';
import { createTestApp, TEST_DEMO_PASSWORD, type TestApp } from '../../../engine/test/helpers.ts';

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
export async function startUiServer(): Promise<UiServer> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  }
  ensureUiBuilt();
  // MINFLOW_E2E_DEFINITIONS_DIR points the run at another definitions folder (e.g. one item under work).
  const definitionsDir = process.env.MINFLOW_E2E_DEFINITIONS_DIR || path.join(repoRoot, 'definitions');
  const test = await createTestApp({ config: { definitionsDir } });
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
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await test.close();
    throw err;
  }
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
