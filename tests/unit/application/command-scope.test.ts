import {
  commandScope,
  derivedEventId,
  derivedUuid,
  newCommandScope,
  nextCallIndex,
  nextScopedId,
} from '../../../application/shared/command-scope.js';

describe('the command scope: ids derived from an Idempotency-Key seed', () => {
  it('derives the same RFC 9562 version-8 UUID from the same parts, another from other parts', () => {
    const id = derivedUuid('seed', 'event', 'product-1', '0', '0');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedUuid('seed', 'event', 'product-1', '0', '0')).toBe(id);
    expect(derivedEventId('seed', 'product-1', 0, 1)).not.toBe(derivedEventId('seed', 'product-1', 0, 0));
    expect(derivedEventId('seed', 'product-1', 1, 0)).not.toBe(derivedEventId('seed', 'product-1', 0, 0));
    expect(derivedEventId('other', 'product-1', 0, 0)).not.toBe(derivedEventId('seed', 'product-1', 0, 0));
  });

  it('numbers the calls per stream and the new ids in order: a retry with the seed gets the same ones', () => {
    const run = () =>
      commandScope.run({ ...newCommandScope(), seed: 'key-seed' }, () => [
        nextScopedId(),
        nextCallIndex('product-1'),
        nextCallIndex('order-1'),
        nextCallIndex('product-1'),
        nextScopedId(),
      ]);
    const first = run();
    expect(first.slice(1, 4)).toEqual([
      { seed: 'key-seed', call: 0, retry: false },
      { seed: 'key-seed', call: 0, retry: false },
      { seed: 'key-seed', call: 1, retry: false },
    ]);
    expect(first[0]).not.toBe(first[4]);
    expect(run()).toEqual(first);
  });

  it('derives nothing without a seed (no key, a job, a workflow): ids stay random', () => {
    expect(nextScopedId()).toBeUndefined();
    expect(commandScope.run(newCommandScope(), () => nextCallIndex('product-1'))).toBeUndefined();
  });
});
