/**
 * Uploads through the HTTP API with real files made in the test: identity documents (JPEG, PNG, WebP,
 * PDF, judged by their bytes) and damage photos (images only), re-encoded without EXIF or GPS,
 * stored encrypted by id only, downloaded as attachments under the same access rules as their
 * customer or order, and gone with the customer's erasure.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { eur } from '../../support/fixtures.js';
import { minimalPdf, multipart, type FormPart } from '../../support/multipart.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const MAX = 200_000;
let t: TestApp;
let s: ReturnType<typeof shop>;
beforeAll(async () => {
  t = await startTestApp({ UPLOAD_MAX_BYTES: String(MAX) });
  s = shop(t);
});
afterAll(() => t.close());

const today = (days = 0) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const file = (bytes: Buffer, filename = 'scan.jpg', contentType = 'image/jpeg'): FormPart => ({
  name: 'file',
  filename,
  contentType,
  bytes,
});
const send = (url: string, parts: FormPart[], headers: Record<string, string> = s.staff()) => {
  const form = multipart(parts);
  return t.app.inject({ method: 'POST', url, payload: form.payload, headers: { ...headers, ...form.headers } });
};
const uploadDocument = (customerId: string, parts: FormPart[], headers?: Record<string, string>) =>
  send(`/v1/customers/${customerId}/documents`, parts, headers);
const after = (position: string, headers: Record<string, string> = s.staff()) => ({
  ...headers,
  'x-min-position': position,
});

/** A JPEG that carries a copyright note and a GPS position in its EXIF. */
async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 24, channels: 3, background: '#3a6' } })
    .jpeg()
    .withExif({
      IFD0: { Copyright: 'exif-canary-7f3a', Make: 'RentlogCam' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 3230/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 4366/100',
      },
    })
    .toBuffer();
}
const png = () =>
  sharp({ create: { width: 8, height: 8, channels: 4, background: '#fff0' } })
    .png()
    .toBuffer();
const webp = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } })
    .webp()
    .toBuffer();

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('identity documents', () => {
  it('takes a JPEG with GPS EXIF, and gives back a JPEG with no EXIF at all, as an attachment', async () => {
    const customerId = await s.customer();
    const original = await jpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    expect(original.includes('exif-canary-7f3a')).toBe(true);
    const res = await uploadDocument(customerId, [file(original), { name: 'kind', value: 'passport' }]);
    expect(res.statusCode).toBe(201);
    const { documentId, position } = res.json();
    expect(documentId).toMatch(/^[0-9a-f-]{36}$/);

    const got = await s.get(`/v1/documents/${documentId}/content`, after(position));
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['content-disposition']).toBe(`attachment; filename="document-${documentId}.jpg"`);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    const bytes = got.rawPayload;
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 32, 24]);
    expect(meta.exif).toBeUndefined();
    expect(bytes.includes('exif-canary-7f3a')).toBe(false);
    expect(bytes.includes('RentlogCam')).toBe(false);

    const list = await s.get(`/v1/customers/${customerId}/documents`, after(position));
    expect(list.json()).toEqual({
      items: [
        { documentId, kind: 'passport', contentType: 'image/jpeg', size: bytes.length, uploadedAt: expect.any(String) },
      ],
    });
  });

  it('takes a PDF as it is, a PNG named .pdf as the PNG it is, and a WebP', async () => {
    const customerId = await s.customer();
    const pdf = minimalPdf('Driving licence 123');
    const a = await uploadDocument(customerId, [
      file(pdf, 'licence.pdf', 'application/pdf'),
      { name: 'kind', value: 'driving_licence' },
    ]);
    const b = await uploadDocument(customerId, [
      file(await png(), 'scan.pdf', 'application/pdf'),
      { name: 'kind', value: 'id_card' },
    ]);
    const c = await uploadDocument(customerId, [
      file(await webp(), 'x.bin', 'application/octet-stream'),
      { name: 'kind', value: 'id_card' },
    ]);
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([201, 201, 201]);
    const pdfBack = await s.get(`/v1/documents/${a.json().documentId}/content`, after(c.json().position));
    expect(pdfBack.headers['content-type']).toBe('application/pdf');
    expect(pdfBack.rawPayload.equals(pdf)).toBe(true);
    const list = await s.get(`/v1/customers/${customerId}/documents`, after(c.json().position));
    expect(list.json().items.map((d: { contentType: string }) => d.contentType)).toEqual([
      'application/pdf',
      'image/png',
      'image/webp',
    ]);
  });

  it('refuses what the bytes say is not an allowed type (415), whatever its name and header', async () => {
    const customerId = await s.customer();
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(20, 0), Buffer.from('<script>alert(1)</script>')]);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const bytes of [html, gif, svg, Buffer.from('just some text')]) {
      const res = await uploadDocument(customerId, [
        file(bytes, 'photo.jpg', 'image/jpeg'),
        { name: 'kind', value: 'passport' },
      ]);
      expect(res.statusCode).toBe(415);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('keeps nothing of a polyglot but its image: a JPEG carrying HTML (and a ZIP) after its end is re-encoded clean', async () => {
    const customerId = await s.customer();
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#900' } })
      .jpeg()
      .toBuffer();
    const payload = Buffer.from('<html><script>alert("polyglot")</script></html>PK\x03\x04zip-inside');
    const res = await uploadDocument(customerId, [
      file(Buffer.concat([jpeg, payload])),
      { name: 'kind', value: 'id_card' },
    ]);
    expect(res.statusCode).toBe(201);
    const got = await s.get(`/v1/documents/${res.json().documentId}/content`, after(res.json().position));
    expect(got.rawPayload.includes('polyglot')).toBe(false);
    expect(got.rawPayload.includes('PK\x03\x04')).toBe(false);
    expect((await sharp(got.rawPayload).metadata()).format).toBe('jpeg');
  });

  it('answers 413 for a file over UPLOAD_MAX_BYTES, 400 for an empty one, and stores neither', async () => {
    const customerId = await s.customer();
    const big = Buffer.concat([minimalPdf('big'), Buffer.alloc(MAX + 1, 0x20)]);
    const over = await uploadDocument(customerId, [
      file(big, 'big.pdf', 'application/pdf'),
      { name: 'kind', value: 'passport' },
    ]);
    expect([over.statusCode, over.json().code]).toEqual([413, 'BODY_TOO_LARGE']);
    const empty = await uploadDocument(customerId, [file(Buffer.alloc(0)), { name: 'kind', value: 'passport' }]);
    expect([empty.statusCode, empty.json().code]).toEqual([400, 'UPLOAD_EMPTY']);
    const list = await s.get(`/v1/customers/${customerId}/documents`);
    expect(list.json().items).toEqual([]);
  });

  it('refuses a second file, a missing file, an unknown field, a wrong kind, and JSON (400 and 415)', async () => {
    const customerId = await s.customer();
    const pdf = minimalPdf('x');
    const kind = { name: 'kind', value: 'passport' };
    const cases: Array<[FormPart[], number, string]> = [
      [[file(pdf), file(pdf), kind], 400, 'UPLOAD_INVALID'],
      [[kind], 400, 'UPLOAD_INVALID'],
      [[file(pdf), kind, { name: 'owner', value: 'me' }], 400, 'UPLOAD_INVALID'],
      [[file(pdf), { name: 'kind', value: 'selfie' }], 400, 'VALIDATION_FAILED'],
      [[file(pdf)], 400, 'VALIDATION_FAILED'],
      [[{ ...file(pdf), name: 'document' }, kind], 400, 'UPLOAD_INVALID'],
    ];
    for (const [parts, status, code] of cases) {
      const res = await uploadDocument(customerId, parts);
      expect([res.statusCode, res.json().code]).toEqual([status, code]);
    }
    const json = await s.post(`/v1/customers/${customerId}/documents`, { kind: 'passport', file: 'JVBERi0=' });
    expect([json.statusCode, json.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('replays the first answer for a repeated Idempotency-Key (ids derive from the key), storing one document', async () => {
    const customerId = await s.customer();
    const headers = { ...s.staff(), 'idempotency-key': `upload-${customerId}` };
    const kind = { name: 'kind', value: 'passport' };
    const first = await uploadDocument(customerId, [file(minimalPdf('first'), 'a.pdf'), kind], headers);
    const again = await uploadDocument(customerId, [file(minimalPdf('second'), 'b.pdf'), kind], headers);
    expect(first.statusCode).toBe(201);
    expect([again.statusCode, again.json().documentId]).toEqual([201, first.json().documentId]);
    const list = await s.get(`/v1/customers/${customerId}/documents`, after(first.json().position));
    expect(list.json().items).toHaveLength(1);
  });

  it('stores a file by its id only: a path-traversal file name writes nothing outside the blob folder', async () => {
    const customerId = await s.customer();
    const before = new Set(filesUnder(t.config.dataDir));
    const res = await uploadDocument(customerId, [
      file(minimalPdf('traversal'), '../../../../../../tmp/rentlog-evil.pdf', 'application/pdf'),
      { name: 'kind', value: 'passport' },
    ]);
    expect(res.statusCode).toBe(201);
    const added = filesUnder(t.config.dataDir).filter((f) => !before.has(f) && !/\.db(-wal|-shm)?$/.test(f));
    const blobs = path.join(t.config.dataDir, 'blobs');
    expect(added).toEqual([expect.stringMatching(new RegExp(`${res.json().documentId}\\.blob$`))]);
    expect(added[0].startsWith(blobs + path.sep)).toBe(true);
    expect(filesUnder(t.config.dataDir).some((f) => f.includes('evil'))).toBe(false);
    for (const mode of [statSync(added[0]).mode, statSync(path.dirname(added[0])).mode, statSync(blobs).mode])
      expect(mode & 0o077).toBe(0);
  });

  it("lets a customer upload and read its own documents, and finds no one else's (404); analysts get 403", async () => {
    const [mine, theirs] = [await s.customer(), await s.customer()];
    const me = t.authAs(['customer'], { userId: `u-${mine}`, customerId: mine });
    const own = await uploadDocument(mine, [file(minimalPdf('mine'), 'a.pdf'), { name: 'kind', value: 'id_card' }], me);
    expect(own.statusCode).toBe(201);
    const other = await uploadDocument(theirs, [
      file(minimalPdf('theirs'), 'b.pdf'),
      { name: 'kind', value: 'id_card' },
    ]);
    const position = other.json().position;
    expect((await s.get(`/v1/documents/${own.json().documentId}/content`, after(position, me))).statusCode).toBe(200);
    expect((await s.get(`/v1/customers/${mine}/documents`, after(position, me))).json().items).toHaveLength(1);
    for (const url of [`/v1/documents/${other.json().documentId}/content`, `/v1/customers/${theirs}/documents`]) {
      const res = await s.get(url, after(position, me));
      expect([res.statusCode, res.json().code]).toEqual([
        404,
        url.includes('content') ? 'CUSTOMER_DOCUMENT_NOT_FOUND' : 'CUSTOMER_NOT_FOUND',
      ]);
    }
    const upload = await uploadDocument(
      theirs,
      [file(minimalPdf('x'), 'c.pdf'), { name: 'kind', value: 'id_card' }],
      me,
    );
    expect([upload.statusCode, upload.json().code]).toEqual([404, 'CUSTOMER_NOT_FOUND']);
    const analyst = await s.get(`/v1/documents/${own.json().documentId}/content`, t.authAs(['analyst']));
    expect(analyst.statusCode).toBe(403);
    const unknown = await uploadDocument('00000000-0000-4000-8000-000000000000', [
      file(minimalPdf('x')),
      { name: 'kind', value: 'id_card' },
    ]);
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'CUSTOMER_NOT_FOUND']);
  });
});

/** An order of `customerId` whose goods are out (placed, deposit paid, confirmed, picked up). */
async function pickedUpOrder(customerId: string): Promise<{ orderId: string; productId: string }> {
  const productId = await s.product({ stock: 5 });
  const placed = await s.post('/v1/orders', {
    customerId,
    rentalStart: today(),
    rentalEnd: today(2),
    items: [{ productId, quantity: 1 }],
  });
  const orderId = placed.json().orderId;
  const paid = await s.post(`/v1/orders/${orderId}/payments`, {
    amount: eur(5000),
    purpose: 'deposit',
    paymentMethod: 'pm_card_ok',
  });
  expect(paid.statusCode).toBe(201);
  expect((await s.post(`/v1/orders/${orderId}/confirm`, {})).statusCode).toBe(200);
  expect((await s.post(`/v1/orders/${orderId}/pickup`, {})).statusCode).toBe(200);
  return { orderId, productId };
}

describe('damage photos', () => {
  it('takes an image of an order that is out, strips its GPS, and a return names it', async () => {
    const customerId = await s.customer();
    const { orderId, productId } = await pickedUpOrder(customerId);
    const added = await send(`/v1/orders/${orderId}/photos`, [
      file(await jpegWithGps()),
      { name: 'caption', value: 'Scratch on the left pole' },
    ]);
    expect(added.statusCode).toBe(201);
    const { photoId, position } = added.json();
    const got = await s.get(`/v1/orders/${orderId}/photos/${photoId}`, after(position));
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-disposition']).toBe(`attachment; filename="photo-${photoId}.jpg"`);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect((await sharp(got.rawPayload).metadata()).exif).toBeUndefined();
    expect(got.rawPayload.includes('exif-canary-7f3a')).toBe(false);

    const unknown = await s.post(`/v1/orders/${orderId}/return`, {
      damages: [
        { productId, description: 'Scratch', charge: eur(1000), photoIds: ['00000000-0000-4000-8000-000000000001'] },
      ],
    });
    expect([unknown.statusCode, unknown.json().code]).toEqual([409, 'DAMAGE_PHOTO_UNKNOWN']);
    const returned = await s.post(`/v1/orders/${orderId}/return`, {
      damages: [{ productId, description: 'Scratch', charge: eur(1000), photoIds: [photoId] }],
    });
    expect(returned.statusCode).toBe(200);
    const order = await s.get(`/v1/orders/${orderId}`, after(returned.json().position));
    expect(order.json().timeline.map((e: { type: string }) => e.type)).toContain('DamagePhotoAdded');
  });

  it("shows the photo to the order's customer and to no other (404); customers cannot add photos (403)", async () => {
    const [owner, stranger] = [await s.customer(), await s.customer()];
    const { orderId } = await pickedUpOrder(owner);
    const added = await send(`/v1/orders/${orderId}/photos`, [file(await png(), 'p.png', 'image/png')]);
    const { photoId, position } = added.json();
    const url = `/v1/orders/${orderId}/photos/${photoId}`;
    const asOwner = t.authAs(['customer'], { userId: `u-${owner}`, customerId: owner });
    const asStranger = t.authAs(['customer'], { userId: `u-${stranger}`, customerId: stranger });
    expect((await s.get(url, after(position, asOwner))).headers['content-type']).toBe('image/png');
    const hidden = await s.get(url, after(position, asStranger));
    expect([hidden.statusCode, hidden.json().code]).toEqual([404, 'ORDER_PHOTO_NOT_FOUND']);
    const otherOrder = await s.get(
      `/v1/orders/00000000-0000-4000-8000-000000000000/photos/${photoId}`,
      after(position),
    );
    expect(otherOrder.statusCode).toBe(404);
    const byCustomer = await send(`/v1/orders/${orderId}/photos`, [file(await png(), 'p.png', 'image/png')], asOwner);
    expect(byCustomer.statusCode).toBe(403);
  });

  it('takes images only (a PDF is a 415), and none for an order whose goods are not out yet (409)', async () => {
    const customerId = await s.customer();
    const { orderId } = await pickedUpOrder(customerId);
    const pdf = await send(`/v1/orders/${orderId}/photos`, [file(minimalPdf('not a photo'), 'p.jpg')]);
    expect([pdf.statusCode, pdf.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const productId = await s.product();
    const reserved = await s.post('/v1/orders', {
      customerId,
      rentalStart: today(),
      rentalEnd: today(1),
      items: [{ productId, quantity: 1 }],
    });
    const early = await send(`/v1/orders/${reserved.json().orderId}/photos`, [file(await png(), 'p.png')]);
    expect([early.statusCode, early.json().code]).toEqual([409, 'ORDER_NOT_PHOTOGRAPHABLE']);
    const none = await send('/v1/orders/00000000-0000-4000-8000-000000000000/photos', [file(await png(), 'p.png')]);
    expect([none.statusCode, none.json().code]).toEqual([404, 'ORDER_NOT_FOUND']);
  });
});

describe('export and erasure', () => {
  it('exports documents and photos with links to their content; erasure deletes their bytes and lists', async () => {
    const customerId = await s.customer();
    const doc = await uploadDocument(customerId, [
      file(minimalPdf('passport 42'), 'p.pdf'),
      { name: 'kind', value: 'passport' },
    ]);
    const { orderId } = await pickedUpOrder(customerId);
    const photo = await send(`/v1/orders/${orderId}/photos`, [
      file(await png(), 'p.png'),
      { name: 'caption', value: 'Dent' },
    ]);
    const admin = t.authAs(['admin']);
    const exported = (await s.get(`/v1/customers/${customerId}/export`, after(photo.json().position, admin))).json();
    const { documentId } = doc.json();
    const { photoId } = photo.json();
    expect(exported.documents).toEqual([
      expect.objectContaining({
        documentId,
        kind: 'passport',
        contentType: 'application/pdf',
        content: `/v1/documents/${documentId}/content`,
      }),
    ]);
    expect(exported.photos).toEqual([
      expect.objectContaining({
        photoId,
        orderId,
        caption: 'Dent',
        content: `/v1/orders/${orderId}/photos/${photoId}`,
      }),
    ]);

    const blobFolder = path.join(
      t.config.dataDir,
      'blobs',
      Buffer.from(`customer:${customerId}`).toString('base64url'),
    );
    expect(readdirSync(blobFolder)).toHaveLength(2);
    const erased = await t.app.inject({ method: 'DELETE', url: `/v1/customers/${customerId}`, headers: admin });
    expect(erased.statusCode).toBe(202);
    expect(() => readdirSync(blobFolder)).toThrow(/ENOENT/);
    const position = erased.json().position;
    expect((await s.get(`/v1/documents/${documentId}/content`, after(position))).statusCode).toBe(404);
    expect((await s.get(`/v1/orders/${orderId}/photos/${photoId}`, after(position))).statusCode).toBe(404);
    expect((await s.get(`/v1/customers/${customerId}/documents`, after(position))).json().items).toEqual([]);
    const again = await uploadDocument(customerId, [file(minimalPdf('x')), { name: 'kind', value: 'passport' }]);
    expect(again.statusCode).toBe(404);
  });
});
