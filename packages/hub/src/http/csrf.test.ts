import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cookieOriginRefusal } from './csrf.ts';

describe('CSRF protection for cookie authorization ([spec] Security Considerations)', () => {
  it('SHOULD verify the Origin header against the allowed origins', () => {
    assert.equal(cookieOriginRefusal('https://app.e.com', undefined, ['https://app.e.com']), undefined);
    assert.match(cookieOriginRefusal('https://evil.com', undefined, ['https://app.e.com']) ?? '', /evil/);
  });

  it('SHOULD fall back to the origin of the Referer header', () => {
    assert.equal(
      cookieOriginRefusal(undefined, 'https://app.e.com/page?x', ['https://app.e.com']),
      undefined,
    );
    assert.notEqual(
      cookieOriginRefusal(undefined, 'https://evil.com/page', ['https://app.e.com']),
      undefined,
    );
  });

  it('SHOULD discard the request when neither Origin nor Referer is present', () => {
    assert.match(cookieOriginRefusal(undefined, undefined, ['https://app.e.com']) ?? '', /Origin or Referer/);
  });
});
