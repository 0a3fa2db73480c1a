import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSelector, type TopicSelector } from './selector.ts';
import { TopicIndex } from './topic-index.ts';

function member(name: string, ...selectors: string[]): { name: string; selectors: TopicSelector[] } {
  return { name, selectors: selectors.map(parseSelector) };
}

type Member = ReturnType<typeof member>;

/** The distinct subscribers the index finds for `topics`. */
function matched(index: TopicIndex<Member>, topics: string[]): Set<Member> {
  const found = new Set<Member>();
  index.forEachMatch(topics, (m) => found.add(m));
  return found;
}

describe('TopicIndex', () => {
  it('finds subscribers by exact topic, template and wildcard', () => {
    const index = new TopicIndex<Member>();
    const exact = member('exact', 'https://e.com/a');
    const template = member('template', 'https://e.com/{x}', 'https://e.com/a');
    const wildcard = member('wildcard', '*');
    const other = member('other', 'https://e.com/b/c');
    for (const m of [exact, template, wildcard, other]) index.add(m);
    const found = [...matched(index, ['https://e.com/a'])].map((m) => m.name).sort();
    assert.deepEqual(found, ['exact', 'template', 'wildcard']);
  });

  it('matches on any topic of the update (alternate topics)', () => {
    const index = new TopicIndex<Member>();
    const m = member('alt', 'https://e.com/alt');
    index.add(m);
    assert.equal(matched(index, ['https://e.com/canonical', 'https://e.com/alt']).has(m), true);
  });

  it('forgets removed subscribers', () => {
    const index = new TopicIndex<Member>();
    const m = member('gone', 'https://e.com/a', 'https://e.com/{x}', '*');
    index.add(m);
    index.remove(m);
    assert.equal(matched(index, ['https://e.com/a']).size, 0);
  });

  it('forEachMatch visits every matching subscriber, once per matching selector', () => {
    const index = new TopicIndex<Member>();
    const twice = member('twice', 'https://e.com/{x}', 'https://e.com/a');
    const once = member('once', 'https://e.com/a');
    const none = member('none', 'https://e.com/b');
    for (const m of [twice, once, none]) index.add(m);
    const visited: string[] = [];
    index.forEachMatch(['https://e.com/a'], (m) => visited.push(m.name));
    assert.deepEqual(visited.sort(), ['once', 'twice', 'twice']);
  });
});
