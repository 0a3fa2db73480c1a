import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSelector } from '../topics/index.ts';
import { mayReceive, publishRefusal } from './authorize.ts';
import { ANONYMOUS, type MercureClaims } from './claims.ts';

function claims(publish?: string[], subscribe?: string[]): MercureClaims {
  return {
    publish: publish?.map(parseSelector),
    subscribe: subscribe?.map(parseSelector),
    payload: undefined,
  };
}

describe('publisher authorization ([spec] Authorization: Publishers)', () => {
  it('MUST NOT authorize any update when mercure.publish is not defined', () => {
    assert.match(publishRefusal(ANONYMOUS, { topics: ['a'], private: false }) ?? '', /no "mercure.publish"/);
  });

  it('MUST NOT authorize any update, public or private, when mercure.publish is an empty array', () => {
    for (const isPrivate of [false, true]) {
      const refusal = publishRefusal(claims([]), { topics: ['any'], private: isPrivate });
      assert.match(refusal ?? '', /claim is empty/);
    }
  });

  it('MUST check that every topic of the update matches a mercure.publish selector', () => {
    const c = claims(['https://e.com/books/{id}']);
    assert.equal(publishRefusal(c, { topics: ['https://e.com/books/1'], private: true }), undefined);
    const refusal = publishRefusal(c, {
      topics: ['https://e.com/books/1', 'https://e.com/users/1'],
      private: false,
    });
    assert.match(refusal ?? '', /users\/1/);
  });
});

describe('subscriber authorization ([spec] Authorization: Subscribers)', () => {
  it('public updates reach everyone', () => {
    assert.equal(mayReceive(ANONYMOUS, { topics: ['a'], private: false }), true);
  });

  it('a private update MUST NOT reach a subscriber without mercure.subscribe', () => {
    assert.equal(mayReceive(ANONYMOUS, { topics: ['a'], private: true }), false);
  });

  it('a private update reaches a subscriber when one of its topics (canonical or alternate) matches', () => {
    const c = claims(undefined, ['https://e.com/users/foo/{?topic}']);
    const alternate = 'https://e.com/users/foo/?topic=https%3A%2F%2Fe.com%2Fbooks%2F1';
    assert.equal(mayReceive(c, { topics: ['https://e.com/books/1', alternate], private: true }), true);
    assert.equal(mayReceive(c, { topics: ['https://e.com/books/1'], private: true }), false);
  });
});
