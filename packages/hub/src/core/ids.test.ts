import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { subscriberId, timeOrderedId } from './ids.ts';

describe('generated ids', () => {
  it('are valid IRIs: urn:uuid with a version 7 UUID ([spec] Publication: the hub MUST generate a valid IRI)', () => {
    assert.match(
      timeOrderedId(),
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('sort in generation order, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => timeOrderedId(1_700_000_000_000));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('subscriber ids are random UUIDs (version 4) as URNs ([spec] Subscription Events: an IRI)', () => {
    assert.match(
      subscriberId(),
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
