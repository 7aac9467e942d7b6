import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs } from '../../../test/helpers.js';
import { residentId } from '../definitions/fixtures.test-helpers.js';
import { attachmentItem, TINY_PDF, TINY_PNG } from './fixtures.test-helpers.js';
import { contentDisposition } from './routes.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Headers = Record<string, string>;

const KEY = 'attach-allowance';
const definition = attachmentItem(KEY, 2048);
const PDF = TINY_PDF;
const PNG = TINY_PNG;

/** What the form stores of an upload answer. */
const formValue = (a: { name: string; url: string; size: number; contentType: string }) => ({
  name: a.name,
  url: a.url,
  size: a.size,
  contentType: a.contentType,
});

function multipart(filename: string, contentType: string, bytes: Buffer) {
  const boundary = '----minflow-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('attachments (附件): upload, limits, case link, download by whoever may read the case', () => {
  let t: TestApp;
  const h: Record<string, Headers> = {};
  let linked: ReturnType<typeof formValue> | null = null;
  beforeAll(async () => {
    t = await createTestApp();
    for (const u of ['admin', 'village', 'township', 'township2', 'county', 'auditor']) h[u] = await loginAs(t.app, u);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: h.admin,
      payload: definition,
    });
    expect(created.statusCode, created.body).toBe(201);
    const published = await t.app.inject({
      method: 'POST',
      url: `/api/definitions/${KEY}/publish`,
      headers: h.admin,
      payload: {},
    });
    expect(published.statusCode, published.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  const upload = (who: string, file: { name: string; type: string; bytes: Buffer }, field = '/attachments/idCards') => {
    const body = multipart(file.name, file.type, file.bytes);
    return t.app.inject({
      method: 'POST',
      url: `/api/attachments?itemKey=${KEY}&field=${encodeURIComponent(field)}`,
      headers: { ...h[who], 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const fileCase = (idemKey: string, data: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...h.village, 'idempotency-key': idemKey },
      payload: { itemKey: KEY, data: data as object },
    });
  const download = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: h[who] });
  const auditOf = (id: string) =>
    t.app.store
      .collection('audit_log')
      .find({ subjectType: 'Attachment', subjectId: id })
      .then((p) => p.items.map((e) => `${e.action} by ${e.actorId}`));

  it('stores a PDF with its sniffed type, size and hash, and only the uploader may fetch it before submit', async () => {
    const res = await upload('village', { name: '身份证 正面.pdf', type: 'application/pdf', bytes: PDF });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      name: '身份证 正面.pdf',
      size: PDF.length,
      contentType: 'application/pdf',
      caseId: null,
    });
    expect(a.url).toBe(`/api/attachments/${a.id}`);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);

    const own = await download('village', a.url);
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload.equals(PDF)).toBe(true);
    expect(own.headers['content-type']).toBe('application/pdf');
    expect(own.headers['content-disposition']).toBe(contentDisposition('身份证 正面.pdf'));
    // A draft's upload is the uploader's alone: even their township clerk gets "not found".
    expect((await download('township', a.url)).statusCode).toBe(404);
    expect(await auditOf(a.id)).toEqual([
      expect.stringMatching(/^attachment\.upload by /),
      expect.stringMatching(/^attachment\.download by /),
    ]);
  });

  it('refuses a file whose content is not an accepted type, whatever its name and declared type say', async () => {
    const text = Buffer.from('just some text pretending to be a PDF');
    const res = await upload('village', { name: 'fake.pdf', type: 'application/pdf', bytes: text });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('MINFLOW_ERR_ATTACHMENTS_TYPE_NOT_ALLOWED');
    expect(res.json().message).toContain('只能上传');
    // ui:options.accept narrows a field to PNG: a real PDF is refused there.
    const narrowed = await upload(
      'village',
      { name: 'a.pdf', type: 'application/pdf', bytes: PDF },
      '/attachments/photos',
    );
    expect(narrowed.statusCode).toBe(415);
    expect(
      (await upload('village', { name: 'p.png', type: 'image/png', bytes: PNG }, '/attachments/photos')).statusCode,
    ).toBe(201);
  });

  it('refuses a file over the field’s size.maximum with 413 and the limit in the message', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(3000, 32)]);
    const res = await upload('village', { name: 'big.pdf', type: 'application/pdf', bytes: big });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      code: 'MINFLOW_ERR_ATTACHMENTS_TOO_LARGE',
      message: expect.stringContaining('2 KB'),
    });
    const en = await t.app.inject({
      method: 'POST',
      url: `/api/attachments?itemKey=${KEY}&field=%2Fname`,
      headers: {
        ...h.village,
        'accept-language': 'en',
        ...{ 'content-type': multipart('a.pdf', 'application/pdf', PDF).contentType },
      },
      payload: multipart('a.pdf', 'application/pdf', PDF).payload,
    });
    expect(en.statusCode).toBe(400);
    expect(en.json().message).toBe('"/name" is not an attachment field of this form');
  });

  it('auditors (read-only) cannot upload', async () => {
    expect((await upload('auditor', { name: 'a.pdf', type: 'application/pdf', bytes: PDF })).statusCode).toBe(403);
  });

  it('a case refers to its uploads; then whoever may read the case downloads them, other townships get 404', async () => {
    const a = (await upload('village', { name: 'id.png', type: 'image/png', bytes: PNG })).json();
    const value = formValue(a);
    linked = value;
    const data = {
      name: '张桂兰',
      idNumber: residentId('620422', '19400305', '002'),
      attachments: { idCards: [value] },
    };
    const filed = await fileCase('attach-case-0001', data);
    expect(filed.statusCode, filed.body).toBe(201);
    const caseId = filed.json().id;
    // The same submit again (idempotent replay) is still accepted and answers the same case.
    const again = await fileCase('attach-case-0001', data);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().id).toBe(caseId);

    for (const who of ['village', 'township', 'county', 'auditor']) {
      const res = await download(who, a.url);
      expect(res.statusCode, who).toBe(200);
      expect(res.rawPayload.equals(PNG)).toBe(true);
    }
    const outside = await download('township2', a.url);
    expect(outside.statusCode).toBe(404);
    expect(outside.body).not.toContain('id.png');
    // Linked to a case, it can no longer be deleted by its uploader.
    expect((await t.app.inject({ method: 'DELETE', url: a.url, headers: h.village })).statusCode).toBe(403);
    expect(await auditOf(a.id)).toContain('attachment.link by ' + (await me('village')));
  });

  it('a case may not refer to someone else’s upload, an unknown id, or a file another case already holds', async () => {
    const theirs = (await upload('township', { name: 'x.pdf', type: 'application/pdf', bytes: PDF })).json();
    const data = (v: unknown) => ({
      name: '李四',
      idNumber: residentId('620422', '19400305', '003'),
      attachments: { idCards: [v] },
    });
    const res = await fileCase('attach-case-0002', data(formValue(theirs)));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'MINFLOW_ERR_ATTACHMENTS_REFERENCE_INVALID',
      details: [{ path: '/data/attachments/idCards/0', message: expect.any(String) }],
    });
    const unknown = {
      name: 'y.pdf',
      url: '/api/attachments/doesnotexist000',
      size: 10,
      contentType: 'application/pdf',
    };
    const res2 = await fileCase('attach-case-0003', data(unknown));
    expect(res2.statusCode).toBe(400);
    // The file of an earlier case (even the same applicant's) cannot be given to a new one.
    const res3 = await fileCase('attach-case-0005', data(linked));
    expect(res3.statusCode).toBe(400);
    expect(res3.json().code).toBe('MINFLOW_ERR_ATTACHMENTS_REFERENCE_INVALID');
    const cases = await t.app.inject({ method: 'GET', url: `/api/cases?itemKey=${KEY}`, headers: h.village });
    expect(cases.json().items).toHaveLength(1);
  });

  it('a correction (补正) adds a new file: checked like a submit, then the case’s, readable by the township', async () => {
    const first = (await upload('village', { name: 'old.pdf', type: 'application/pdf', bytes: PDF })).json();
    const data = {
      name: '赵六',
      idNumber: residentId('620422', '19400305', '004'),
      attachments: { idCards: [formValue(first)] },
    };
    const filed = await fileCase('attach-case-0004', data);
    expect(filed.statusCode, filed.body).toBe(201);
    const act = (who: string, taskId: string, payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: `/api/tasks/${encodeURIComponent(taskId)}/complete`,
        headers: h[who],
        payload: payload as object,
      });
    const returned = await act('township', filed.json().openTasks[0].id, {
      action: 'return',
      target: 'applicant',
      comment: '身份证复印件不清楚，请重新上传',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    const correction = returned.json().openTasks[0];
    expect(correction.kind).toBe('correction');

    // Someone else's upload cannot be slipped in…
    const theirs = (await upload('township', { name: 'x.png', type: 'image/png', bytes: PNG })).json();
    const refused = await act('village', correction.id, {
      action: 'approve',
      changes: { attachments: { idCards: [formValue(first), formValue(theirs)] } },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details).toEqual([{ path: '/changes/attachments/idCards/1', message: expect.any(String) }]);
    // …the applicant's own new upload can, beside the case's earlier file.
    const fresh = (await upload('village', { name: 'new.png', type: 'image/png', bytes: PNG })).json();
    const resubmitted = await act('village', correction.id, {
      action: 'approve',
      changes: { attachments: { idCards: [formValue(first), formValue(fresh)] } },
      comment: '已重新上传',
    });
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    const res = await download('township', fresh.url);
    expect(res.statusCode).toBe(200);
    expect((await download('township2', fresh.url)).statusCode).toBe(404);
  });

  it('the uploader may remove an unsubmitted upload; afterwards it is gone', async () => {
    const a = (await upload('village', { name: 'gone.pdf', type: 'application/pdf', bytes: PDF })).json();
    expect((await t.app.inject({ method: 'DELETE', url: a.url, headers: h.township })).statusCode).toBe(404);
    const del = await t.app.inject({ method: 'DELETE', url: a.url, headers: h.village });
    expect(del.json()).toEqual({ deleted: true });
    expect((await download('village', a.url)).statusCode).toBe(404);
  });

  async function me(who: string): Promise<string> {
    return (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: h[who] })).json().user?.id ?? '';
  }
});
