import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type {} from '../../../engine/src/fastify-augment.ts';
import { createTestApp, TEST_DEMO_PASSWORD, type TestApp } from '../../../engine/test/helpers.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export { TEST_DEMO_PASSWORD };

/** Debian's Chromium (apt-get install chromium fonts-noto-cjk), never a downloaded build. */
const CHROMIUM = process.env.MINFLOW_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

export interface DesignerServer {
  test: TestApp;
  baseUrl: string;
  browser: Browser;
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * The real engine on a temp data dir (demo users, the given items of definitions/ imported and published),
 * listening on a free loopback port and serving the freshly built designer, plus Chromium.
 */
export async function startDesignerServer(items: string[] = ['elderly-allowance']): Promise<DesignerServer> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'ensure-built.mjs'), 'designer'], {
    stdio: 'inherit',
    env: { ...process.env, MINFLOW_BUNDLE_REPORT: 'summary' },
  });
  // Only the items the tests open are imported (all 19 take long to publish on a busy 2-core box).
  const definitionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-designer-defs-'));
  for (const key of items) {
    fs.cpSync(path.join(repoRoot, 'definitions', key), path.join(definitionsDir, key), { recursive: true });
  }
  const test = await createTestApp({ config: { definitionsDir } });
  const closeTest = async () => {
    await test.close();
    fs.rmSync(definitionsDir, { recursive: true, force: true });
  };
  let browser: Browser | undefined;
  try {
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    const address = test.app.server.address();
    if (!address || typeof address === 'string') throw new Error('engine did not listen on a TCP port');
    const baseUrl = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const b = browser;
    return {
      test,
      baseUrl,
      browser: b,
      async newContext() {
        const ctx = await b.newContext({
          viewport: { width: 1440, height: 900 },
          locale: 'zh-CN',
          timezoneId: 'Asia/Shanghai',
          baseURL: baseUrl,
        });
        ctx.setDefaultTimeout(15_000);
        return ctx;
      },
      async close() {
        await b.close().catch(() => {});
        await closeTest();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await closeTest();
    throw err;
  }
}

/** Numbered full-page screenshots under .test-output/screenshots/designer/<suite>/. */
export function screenshots(suite: string) {
  const dir = path.join(repoRoot, '.test-output', 'screenshots', 'designer', suite);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, name: string): Promise<string> => {
    n += 1;
    const file = path.join(dir, `${String(n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    return file;
  };
}

/** Collects uncaught page errors and console errors, so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

export async function login(page: Page, username = 'admin'): Promise<void> {
  await page.goto('/designer/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(TEST_DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
}
