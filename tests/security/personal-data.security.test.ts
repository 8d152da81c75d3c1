/**
 * The canary test of personal data at rest (issue 9): customers with unique canary values register,
 * sign in, order with a delivery address, pay, upload an identity document (a PDF holding a canary),
 * add a damage photo (a canary caption, a canary in its EXIF) and report a damage; no canary is then
 * in plain text in any file under DATA_DIR (event store, read store, key vault, their WAL files, the
 * blobs) nor in the logs.
 * Erased, checkpointed and rebuilt from position zero, no canary can be recovered anywhere: not from
 * the files, not through the codec with the keys the vault still holds, not through any route
 * (audit included), while another customer's data still reads back whole.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { allProjections } from '../../projections/index.js';
import { eur } from '../support/fixtures.js';
import { minimalPdf, multipart } from '../support/multipart.js';
import { shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const tag = randomBytes(6).toString('hex');
/** Every value that must never be seen again once its customer is erased. */
const canary = {
  name: `Canaryname${tag}`,
  email: `canary.${tag}@example.com`,
  phone: `+44 20 ${tag.replace(/\D/g, '7').slice(0, 4)} 9${tag.length}`,
  address: `${tag} Canary Wharf`,
  delivery: `${tag} Delivery Lane`,
  damage: `${tag} scratched by the renter`,
  selfName: `Selfname${tag}`,
  selfEmail: `self.${tag}@example.com`,
  selfDelivery: `${tag} Own Street`,
  device: `CanaryBrowser/${tag}`,
  cancelReason: `${tag} cannot come, moving house`,
  document: `PASSPORT-${tag}-NUMBER`,
  caption: `${tag} dent on the left door`,
  exif: `ExifOwner${tag}`,
};
const control = {
  name: `Keptname${tag}`,
  email: `kept.${tag}@example.com`,
  phone: '+44 20 7946 0123',
  address: 'Kept Road 1',
};

/** Every file under a folder, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
/** The canaries found in plain text in the files, or in a text. */
const canariesIn = (text: string) => Object.values(canary).filter((v) => text.includes(v));
const canariesInFiles = (dir: string) =>
  filesUnder(dir).flatMap((f) => {
    const bytes = readFileSync(f);
    return Object.values(canary)
      .filter((v) => bytes.includes(Buffer.from(v, 'utf8')))
      .map((v) => `${path.basename(f)}: ${v}`);
  });

describe('personal data at rest, and its erasure', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;
  const admin = () => t.authAs(['admin']);
  const ids: Record<string, string> = {};
  let position = '0';
  const at = (p: string) => (BigInt(p) > BigInt(position) ? (position = p) : position);

  beforeAll(async () => {
    t = await startTestApp();
    s = shop(t);
    const product = await s.product({ stock: 5 });
    // A customer staff keep, with every field a canary.
    const staffMade = await s.post('/v1/customers', {
      name: canary.name,
      email: canary.email,
      phone: canary.phone,
      address: canary.address,
    });
    ids.staffMade = staffMade.json().customerId;
    const kept = await s.post('/v1/customers', control);
    ids.kept = kept.json().customerId;
    // A customer who signed up (a user account behind it) and signs in.
    const password = 'violet umbrella harbour 42';
    const signedUp = await s.post(
      '/v1/auth/register',
      { email: canary.selfEmail, password, name: canary.selfName },
      {},
    );
    expect(signedUp.statusCode).toBe(201);
    ids.self = signedUp.json().customerId;
    const login = await s.post(
      '/v1/auth/login',
      { email: canary.selfEmail, password },
      { 'user-agent': canary.device },
    );
    const own = { authorization: `Bearer ${login.json().accessToken}` };
    // Orders with a delivery address, paid; one returned with a damage report.
    const order = async (customerId: string | undefined, address: string, headers = s.staff()) => {
      const res = await s.post(
        '/v1/orders',
        {
          ...(customerId ? { customerId } : {}),
          rentalStart: day(0),
          rentalEnd: day(2),
          items: [{ productId: product, quantity: 1 }],
          fulfilment: { method: 'delivery', address },
        },
        headers,
      );
      expect(res.statusCode).toBe(201);
      const orderId = res.json().orderId as string;
      const paid = await s.post(
        `/v1/orders/${orderId}/payments`,
        { amount: eur(5000), purpose: 'deposit', paymentMethod: 'pm_card_ok' },
        headers,
      );
      expect(paid.statusCode).toBe(201);
      at(paid.json().position);
      return orderId;
    };
    ids.order = await order(ids.staffMade, canary.delivery);
    ids.ownOrder = await order(undefined, canary.selfDelivery, own);
    ids.keptOrder = await order(ids.kept, 'Kept Road 1');
    ids.cancelled = await order(ids.staffMade, canary.delivery);
    at((await s.post(`/v1/orders/${ids.cancelled}/cancel`, { reason: canary.cancelReason })).json().position);
    for (const step of ['confirm', 'pickup']) at((await s.post(`/v1/orders/${ids.order}/${step}`, {})).json().position);
    // An identity document with the canary in its text, and a damage photo with a canary caption and EXIF.
    const upload = async (url: string, parts: Parameters<typeof multipart>[0]) => {
      const form = multipart(parts);
      const res = await t.app.inject({
        method: 'POST',
        url,
        payload: form.payload,
        headers: { ...s.staff(), ...form.headers },
      });
      expect(res.statusCode).toBe(201);
      at(res.json().position);
      return res.json();
    };
    const pdf = minimalPdf(canary.document);
    ids.document = (
      await upload(`/v1/customers/${ids.staffMade}/documents`, [
        { name: 'file', filename: 'passport.pdf', contentType: 'application/pdf', bytes: pdf },
        { name: 'kind', value: 'passport' },
      ])
    ).documentId;
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#777' } })
      .jpeg()
      .withExif({ IFD0: { Artist: canary.exif } })
      .toBuffer();
    ids.photo = (
      await upload(`/v1/orders/${ids.order}/photos`, [
        { name: 'file', filename: 'dent.jpg', contentType: 'image/jpeg', bytes: jpeg },
        { name: 'caption', value: canary.caption },
      ])
    ).photoId;
    const returned = await s.post(`/v1/orders/${ids.order}/return`, {
      returnedOn: day(0),
      damages: [{ productId: product, description: canary.damage, charge: eur(1000) }],
    });
    if (returned.statusCode !== 200) throw new Error(returned.body);
    at(returned.json().position);
    // Staff look customers up by email and by name: the searches must not reach the logs.
    const found = await s.get(`/v1/customers?q=${encodeURIComponent(canary.email)}`, {
      ...s.staff(),
      'x-min-position': position,
    });
    expect(found.json().items.map((c: { customerId: string }) => c.customerId)).toEqual([ids.staffMade]);
    const byName = await s.get(`/v1/customers?q=${canary.name.toLowerCase()}`);
    expect(byName.json().items.map((c: { customerId: string }) => c.customerId)).toEqual([ids.staffMade]);
  });
  afterAll(() => t?.close());

  it('keeps no canary in plain text in any file under DATA_DIR, nor in the logs, and every file to its owner', async () => {
    const view = await s.get(`/v1/customers/${ids.staffMade}`, { ...s.staff(), 'x-min-position': position });
    expect(view.json()).toMatchObject({
      name: canary.name,
      email: canary.email,
      phone: canary.phone,
      address: canary.address,
    });
    const order = await s.get(`/v1/orders/${ids.order}`);
    expect(order.json().fulfilment).toEqual({ method: 'delivery', address: canary.delivery });
    // The document reads back whole through its route, the caption through the export: they are held.
    const document = await s.get(`/v1/documents/${ids.document}/content`);
    expect(document.rawPayload.includes(canary.document)).toBe(true);
    const exported = await s.get(`/v1/customers/${ids.staffMade}/export`, admin());
    expect(exported.json().photos).toEqual([expect.objectContaining({ photoId: ids.photo, caption: canary.caption })]);
    expect(filesUnder(path.join(t.config.dataDir, 'blobs'))).toHaveLength(2);
    expect(canariesInFiles(t.config.dataDir)).toEqual([]);
    expect(canariesIn(JSON.stringify(t.logs()))).toEqual([]);
    expect(JSON.stringify(t.logs())).toContain('q=%5Bredacted%5D');
    expect(statSync(t.config.dataDir).mode & 0o777).toBe(0o700);
    for (const file of filesUnder(t.config.dataDir))
      expect([path.basename(file), statSync(file).mode & 0o077]).toEqual([path.basename(file), 0]);
  });

  it('erases: no canary can be recovered from the files, the codec, a rebuild or any route; the other customer reads whole', async () => {
    for (const id of [ids.staffMade, ids.self]) {
      const erased = await t.app.inject({ method: 'DELETE', url: `/v1/customers/${id}`, headers: admin() });
      expect(erased.statusCode).toBe(202);
      at(erased.json().position);
    }
    const again = await t.app.inject({ method: 'DELETE', url: `/v1/customers/${ids.self}`, headers: admin() });
    expect(again.statusCode).toBe(202);
    expect(BigInt(again.json().position)).toBeLessThanOrEqual(BigInt(position)); // nothing appended
    // Rebuild every read model from position zero, and push the WAL files into the databases.
    for (const projection of allProjections({ shopTimeZone: t.config.shopTimeZone }))
      await t.projector.rebuild(projection.name);
    for (const file of ['events.db', 'read-models.db', 'keys.db']) {
      const db = new Database(path.join(t.config.dataDir, file));
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }
    expect(canariesInFiles(t.config.dataDir)).toEqual([]);
    // With every key the vault still holds: the whole log and every read model, opened.
    const log = await t.infra.events.readAll();
    expect(canariesIn(JSON.stringify(log, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))).toEqual([]);
    for (const projection of allProjections({ shopTimeZone: t.config.shopTimeZone })) {
      const docs = await t.infra.store.collection(projection.collection).find({});
      expect([projection.name, canariesIn(JSON.stringify(docs))]).toEqual([projection.name, []]);
    }
    // Through the routes.
    const auditor = t.authAs(['auditor']);
    const answers = await Promise.all(
      [
        `/v1/customers/${ids.staffMade}`,
        `/v1/customers/${ids.self}`,
        `/v1/customers?q=${encodeURIComponent(canary.email)}`,
        `/v1/orders/${ids.order}`,
        `/v1/orders/${ids.ownOrder}`,
        `/v1/orders?customerId=${ids.staffMade}`,
        `/v1/audit/streams/customer-${ids.staffMade}`,
        `/v1/audit/streams/order-${ids.order}`,
        `/v1/audit/events?limit=1000`,
      ].map((url) => s.get(url, { ...auditor, ...admin(), 'x-min-position': position })),
    );
    for (const res of answers) expect([res.statusCode === 200, canariesIn(res.body)]).toEqual([true, []]);
    const [gone] = answers;
    expect(gone.json()).toEqual({
      customerId: ids.staffMade,
      erased: true,
      erasedAt: expect.any(String),
      orders: 2,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(answers[3].json()).toMatchObject({
      fulfilment: { method: 'delivery', address: '[erased]' },
      total: expect.objectContaining({ currency: 'EUR' }),
    });
    const audit = answers[6].json() as { events: Array<{ type: string; data: Record<string, unknown> }> };
    expect(audit.events.map((e) => e.type)).toEqual(['CustomerRegistered', 'DocumentUploaded', 'CustomerErased']);
    // Its document and damage photo: deleted from the blob store, and gone from every route.
    expect(filesUnder(path.join(t.config.dataDir, 'blobs'))).toEqual([]);
    for (const url of [`/v1/documents/${ids.document}/content`, `/v1/orders/${ids.order}/photos/${ids.photo}`])
      expect((await s.get(url, { ...admin(), 'x-min-position': position })).statusCode).toBe(404);
    const documents = await s.get(`/v1/customers/${ids.staffMade}/documents`, admin());
    expect(documents.json()).toEqual({ items: [] });
    expect(audit.events[0].data).toMatchObject({
      name: '[erased]',
      email: '[erased]',
      phone: '[erased]',
      address: '[erased]',
    });
    // The user account behind the customer is erased too: it cannot sign in.
    const login = await s.post(
      '/v1/auth/login',
      { email: canary.selfEmail, password: 'violet umbrella harbour 42' },
      {},
    );
    expect(login.statusCode).toBe(401);
    // Another customer: untouched.
    const kept = await s.get(`/v1/customers/${ids.kept}`);
    expect(kept.json()).toMatchObject({ ...control, customerId: ids.kept, orders: 1 });
    const keptAudit = await s.get(`/v1/audit/streams/customer-${ids.kept}`, auditor);
    expect(keptAudit.json().events[0].data).toMatchObject(control);
    expect((await s.get(`/v1/orders/${ids.keptOrder}`)).json().fulfilment.address).toBe('Kept Road 1');
    expect(canariesIn(JSON.stringify(t.logs()))).toEqual([]);
  });
});
