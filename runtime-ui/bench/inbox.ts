// Inbox scrolling at 10,000 tasks, measured in Debian's Chromium (npm run bench:inbox -w runtime-ui).
// The engine serves the app and the session; `/api/tasks` is answered in the browser with synthetic pages
// of 100 rows (the server's page size limit), so the figure is the UI's own: the virtual table, the cursor
// paging and the rendering of each row. Prints frame times while scrolling and the rows kept in the DOM.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loginThroughForm, startUiServer } from '../test/e2e/harness.ts';

const TOTAL = 10_000;
const PAGE = 100;

function row(i: number) {
  const due = new Date(Date.now() + (i % 7 === 0 ? -1 : i % 5 === 0 ? 0.5 : 5) * 86_400_000).toISOString();
  return {
    id: `case${i}:task${i}`,
    caseId: `case${i}`,
    itemKey: 'elderly-allowance',
    itemName: { zh: '高龄津贴', en: 'Old-age allowance' },
    elementId: 'townshipReview',
    name: '乡镇民政审批',
    candidateRoles: ['township-staff'],
    level: 'township',
    assignee: i % 3 === 0 ? 'user-township' : null,
    dueAt: due,
    overdue: i % 7 === 0,
    createdAt: new Date(Date.now() - i * 60_000).toISOString(),
    status: 'open',
    applicantName: `申请人${i}`,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

// No definitions to import: the rows are synthetic, and the engine starts faster on a busy machine.
const emptyDefinitions = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-bench-defs-'));
process.env.MINFLOW_E2E_DEFINITIONS_DIR ||= emptyDefinitions;
const ui = await startUiServer();
try {
  const ctx = await ui.newContext({ width: 1280, height: 800 });
  const page = await ctx.newPage();
  let served = 0;
  await page.route('**/api/tasks?*', async (route) => {
    const url = new URL(route.request().url());
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const end = Math.min(TOTAL, start + PAGE);
    served += 1;
    await route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        items: Array.from({ length: end - start }, (_, k) => row(start + k)),
        nextCursor: end < TOTAL ? String(end) : null,
      }),
    });
  });
  await page.goto('/app/login?next=%2Finbox');
  await loginThroughForm(page, 'township');
  const t0 = Date.now();
  await page.locator('.ant-table-row').first().waitFor();
  const firstRows = Date.now() - t0;

  // Scroll to the end page by page until every row is loaded.
  const holder = page.locator('.ant-table-tbody-virtual-holder');
  const t1 = Date.now();
  for (let guard = 0; guard < 400; guard++) {
    await holder.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
      el.dispatchEvent(new Event('scroll'));
    });
    await page.waitForTimeout(30);
    const text = await page.getByTestId('inbox-foot').textContent();
    if (text?.includes(`${TOTAL}`) && text.includes('全部')) break;
  }
  const loadAll = Date.now() - t1;

  // Smooth scrolling from the top to the bottom and back, 120 px per frame, timing each frame.
  // No named inner functions here: tsx would wrap them in `__name`, which the page does not know.
  const frames = await holder.evaluate(async (el) => {
    el.scrollTop = 0;
    const times: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 900; i++) {
      const dir = i < 600 ? 1 : -1;
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
  const domRows = await page.locator('.ant-table-row').count();
  const sorted = [...frames].sort((a, b) => a - b);
  console.log(
    JSON.stringify(
      {
        rows: TOTAL,
        pagesServed: served,
        firstRowsMs: firstRows,
        loadAllByScrollingMs: loadAll,
        scrollFrames: frames.length,
        frameMsP50: Number(percentile(sorted, 50).toFixed(1)),
        frameMsP95: Number(percentile(sorted, 95).toFixed(1)),
        frameMsMax: Number((sorted.at(-1) ?? 0).toFixed(1)),
        framesOver33ms: frames.filter((f) => f > 33.4).length,
        rowsInDom: domRows,
      },
      null,
      2,
    ),
  );
  await ctx.close();
} finally {
  await ui.close();
  fs.rmSync(emptyDefinitions, { recursive: true, force: true });
}
