import fs from 'node:fs';
import { residentIdCheckChar } from '@minflow/sdk/formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentItem, TINY_PDF, TINY_PNG } from '../../../engine/src/modules/attachments/fixtures.test-helpers.ts';
import { login, publishDefinition, screenshots, startUiServer, type UiServer } from './harness.ts';

// A village assistant attaches a scanned ID card (PDF) to an application in Chromium, sees it upload with a
// progress bar, submits; the case file lists it and it downloads byte for byte; the township clerk opens it too.
const KEY = 'e2e-attach-allowance';
const first17 = '62042219400101003';
const idNumber = first17 + residentIdCheckChar(first17);

const definition = attachmentItem(KEY, 1024 * 1024);
const PDF = TINY_PDF;

describe('attachments in Chromium: upload with progress, submit, download from the case file', {
  timeout: 120_000,
}, () => {
  let ui: UiServer;
  const shot = screenshots('attachments');

  beforeAll(async () => {
    ui = await startUiServer();
    await publishDefinition(ui, definition);
  }, 240_000);
  afterAll(async () => {
    await ui?.close();
  });

  it('uploads a PDF with a progress bar, refuses a too-big file and a fake PDF, and the case file downloads it', async () => {
    const { ctx, page } = await login(ui, 'village');
    await page.goto(`/app/apply/${KEY}`);
    await page.getByTestId('apply-title').waitFor();
    await page.getByLabel('姓名').fill('王淑珍');
    await page.getByLabel('身份证号码').fill(idNumber);

    const field = page.getByTestId('attachments-root_attachments_idCards');
    await expect(field.textContent()).resolves.toContain('支持 PNG、PDF，单个文件不超过 1 MB');

    // Too big: refused in the browser before anything is sent, with the limit in Chinese.
    await field.locator('input[type=file]').setInputFiles({
      name: '太大的扫描件.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.concat([PDF, Buffer.alloc(1100 * 1024, 32)]),
    });
    await field.getByTestId('attachment-failed').waitFor();
    await expect(field.getByTestId('attachment-failed').textContent()).resolves.toContain('单个文件不能超过 1 MB');
    await shot(page, 'too-big-refused');
    await field.getByTestId('attachment-cancel').click();

    // Named .pdf but plain text: the engine sniffs the content and refuses it; the message is the server's.
    await field.locator('input[type=file]').setInputFiles({
      name: '假的.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('not really a pdf'),
    });
    await field.getByTestId('attachment-failed').waitFor();
    await expect(field.getByTestId('attachment-failed').textContent()).resolves.toContain('文件类型不符合要求');
    await shot(page, 'fake-pdf-refused');
    await field.getByTestId('attachment-cancel').click();

    // The real one: the upload is held back a moment so the progress bar can be seen, then it completes.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route('**/api/attachments?*', async (route) => {
      await held;
      await route.continue();
    });
    await field
      .locator('input[type=file]')
      .setInputFiles({ name: '身份证.pdf', mimeType: 'application/pdf', buffer: PDF });
    await field.getByTestId('attachment-progress').waitFor();
    await shot(page, 'uploading-progress');
    release();
    await field.getByTestId('attachment-done').waitFor();
    expect(await field.getByTestId('attachment-uploading').count()).toBe(0);
    await expect(field.getByTestId('attachment-done').textContent()).resolves.toContain('身份证.pdf');
    await page.unroute('**/api/attachments?*');
    await shot(page, 'uploaded');

    // Offline: the upload fails with a network message; back online, 重试 sends the same file again.
    await ctx.setOffline(true);
    await field
      .locator('input[type=file]')
      .setInputFiles({ name: '户口簿.png', mimeType: 'image/png', buffer: TINY_PNG });
    const failed = field.getByTestId('attachment-failed');
    await failed.waitFor();
    await expect(failed.textContent()).resolves.toContain('网络');
    await shot(page, 'offline-failed');
    await ctx.setOffline(false);
    await failed.getByTestId('attachment-retry').click();
    await field.getByTestId('attachment-done').nth(1).waitFor();
    expect(await field.getByTestId('attachment-failed').count()).toBe(0);
    await expect(field.getByTestId('attachment-done').nth(1).textContent()).resolves.toContain('户口簿.png');

    const filed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/cases');
    await page.getByTestId('apply-submit').click();
    const res = await filed;
    expect(res.status(), await res.text()).toBe(201);
    const caseId = ((await res.json()) as { id: string }).id;
    await page.getByTestId('apply-success').waitFor();

    // The case file lists the attachment; the link downloads exactly the uploaded bytes.
    await page.goto(`/app/cases/${caseId}`);
    const card = page.getByTestId('case-attachments');
    await card.getByTestId('attachment-link').nth(1).waitFor();
    await shot(page, 'case-file-attachments');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByTestId('attachment-link').first().click(),
    ]);
    expect(download.suggestedFilename()).toBe('身份证.pdf');
    const saved = await download.path();
    expect(fs.readFileSync(saved).equals(PDF)).toBe(true);
    await ctx.close();

    // The township clerk, who handles the case, sees and opens the same file on the case's page.
    const clerk = await login(ui, 'township');
    await clerk.page.goto(`/app/cases/${caseId}`);
    const link = clerk.page.getByTestId('case-attachments').getByTestId('attachment-link').first();
    await link.waitFor();
    const href = await link.getAttribute('href');
    const status = await clerk.page.evaluate(async (u) => (await fetch(u!)).status, href);
    expect(status).toBe(200);
    await shot(clerk.page, 'township-sees-attachment');
    await clerk.ctx.close();

    // Another township's clerk gets nothing for the same link.
    const other = await login(ui, 'township2');
    const denied = await other.page.evaluate(async (u) => {
      const r = await fetch(u!);
      return { status: r.status, body: await r.text() };
    }, href);
    expect(denied.status).toBe(404);
    expect(denied.body).not.toContain('身份证');
    await other.ctx.close();
  });

  it('in English the hint and the refusals are English too', async () => {
    const { ctx, page } = await login(ui, 'village');
    await page.getByTestId('lang-switch').click();
    await page.goto(`/app/apply/${KEY}`);
    await page.getByTestId('apply-title').waitFor();
    const field = page.getByTestId('attachments-root_attachments_idCards');
    await expect(field.textContent()).resolves.toContain('PNG, PDF, at most 1 MB per file');
    await field.locator('input[type=file]').setInputFiles({
      name: 'scan.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello'),
    });
    await expect(field.getByTestId('attachment-failed').textContent()).resolves.toContain(
      '"scan.txt" is not an accepted type; accepted: PNG, PDF',
    );
    // Past the browser's check (declared as a PDF), the engine's own refusal comes in English.
    await field.getByTestId('attachment-cancel').click();
    await field.locator('input[type=file]').setInputFiles({
      name: 'scan.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('hello'),
    });
    await expect(field.getByTestId('attachment-failed').textContent()).resolves.toContain('File type not accepted');
    await shot(page, 'english-refusal');
    await ctx.close();
  });
});
