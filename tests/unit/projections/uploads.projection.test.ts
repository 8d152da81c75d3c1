import type { UploadsDoc } from '../../../application/customer/uploads.view.js';
import type { CustomerEvent } from '../../../domain/customer/customer.events.js';
import type { OrderEvent } from '../../../domain/order/order.events.js';
import { uploadsProjection } from '../../../projections/customer/uploads.projection.js';
import { recorded } from '../../support/fixtures.js';

const at = '2026-01-01T00:00:00.000Z';
const uploaded: CustomerEvent = {
  type: 'DocumentUploaded',
  data: {
    customerId: 'c1',
    documentId: 'd1',
    kind: 'passport',
    contentType: 'application/pdf',
    size: 10,
    uploadedAt: at,
  },
};
const photo: OrderEvent = {
  type: 'DamagePhotoAdded',
  data: {
    orderId: 'o1',
    customerId: 'c1',
    photoId: 'p1',
    contentType: 'image/png',
    size: 20,
    caption: 'Dent',
    addedAt: at,
  },
};
const erased: CustomerEvent = { type: 'CustomerErased', data: { customerId: 'c1', userId: null, erasedAt: at } };

/** Applies an event to every document it keys, as the runner does. */
function run(docs: Map<string, UploadsDoc>, event: CustomerEvent | OrderEvent, position: bigint) {
  const r = recorded(event, position) as never;
  for (const id of uploadsProjection.keys(r)) {
    const next = uploadsProjection.apply(docs.get(id) ?? null, r, id);
    if (next) docs.set(id, next);
    else docs.delete(id);
  }
  return docs;
}

describe('uploads projection', () => {
  it("lists a customer's documents and photos, and finds each file's customer by its id", () => {
    const docs = run(run(new Map(), uploaded, 1n), photo, 2n);
    expect(docs.get('c1')).toMatchObject({
      kind: 'customer',
      documents: [{ documentId: 'd1', kind: 'passport', contentType: 'application/pdf', size: 10, uploadedAt: at }],
      photos: [{ photoId: 'p1', orderId: 'o1', contentType: 'image/png', size: 20, caption: 'Dent', uploadedAt: at }],
    });
    expect(docs.get('file:d1')).toEqual({
      _id: 'file:d1',
      kind: 'file',
      fileId: 'd1',
      file: 'document',
      customerId: 'c1',
      orderId: null,
    });
    expect(docs.get('file:p1')).toMatchObject({ file: 'photo', orderId: 'o1' });
  });

  it.each([uploaded, photo])('changes nothing when %s is applied again', (event) => {
    const once = run(new Map(), event, 1n);
    const twice = run(new Map(once), event, 1n);
    expect(Object.fromEntries(twice)).toEqual(Object.fromEntries(once));
  });

  it('empties an erased customer for good: nothing it uploaded is listed, later or again', () => {
    const docs = run(run(run(new Map(), uploaded, 1n), photo, 2n), erased, 3n);
    expect(docs.get('c1')).toEqual({
      _id: 'c1',
      kind: 'customer',
      customerId: 'c1',
      documents: [],
      photos: [],
      erased: true,
    });
    run(docs, uploaded, 4n);
    expect(docs.get('c1')).toMatchObject({ documents: [], erased: true });
  });
});
