/**
 * Finds, for one update, every subscriber with a selector matching one of its topics.
 *
 * Exact selectors are found by hash lookup; each distinct template is tested once
 * per topic however many subscribers share it; `*` subscribers always match.
 */
import { matchesAnyTopic, type TopicSelector } from './selector.ts';

/** Something that subscribes with a list of selectors. */
export interface Subscribed {
  readonly selectors: readonly TopicSelector[];
}

interface TemplateEntry<T> {
  selector: TopicSelector;
  members: Set<T>;
}

/** An index from topic selectors to the subscribers that hold them. */
export class TopicIndex<T extends Subscribed> {
  readonly #exact = new Map<string, Set<T>>();
  readonly #templates = new Map<string, TemplateEntry<T>>();
  readonly #wildcard = new Set<T>();

  /** Adds a subscriber under each of its selectors. */
  add(member: T): void {
    for (const selector of member.selectors) {
      if (selector.kind === 'wildcard') this.#wildcard.add(member);
      else if (selector.kind === 'exact') setIn(this.#exact, selector.raw, member);
      else {
        const key = selector.key ?? selector.raw;
        let entry = this.#templates.get(key);
        if (!entry) {
          entry = { selector, members: new Set() };
          this.#templates.set(key, entry);
        }
        entry.members.add(member);
      }
    }
  }

  /** Removes a subscriber; entries left empty are freed. */
  remove(member: T): void {
    for (const selector of member.selectors) {
      if (selector.kind === 'wildcard') this.#wildcard.delete(member);
      else if (selector.kind === 'exact') deleteIn(this.#exact, selector.raw, member);
      else {
        const key = selector.key ?? selector.raw;
        const entry = this.#templates.get(key);
        entry?.members.delete(member);
        if (entry?.members.size === 0) this.#templates.delete(key);
      }
    }
  }

  /**
   * Calls `visit` for every subscriber with a selector matching one of `topics`, without
   * allocating (the fan-out's hot path). A subscriber whose several selectors match, or which
   * matches several topics, is visited once per match: callers that need each once dedupe.
   */
  forEachMatch(topics: readonly string[], visit: (member: T) => void): void {
    for (const member of this.#wildcard) visit(member);
    for (const topic of topics) {
      const members = this.#exact.get(topic);
      if (members) for (const member of members) visit(member);
    }
    for (const entry of this.#templates.values()) {
      if (matchesAnyTopic(entry.selector, topics)) for (const member of entry.members) visit(member);
    }
  }
}

function setIn<T>(map: Map<string, Set<T>>, key: string, member: T): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(member);
}

function deleteIn<T>(map: Map<string, Set<T>>, key: string, member: T): void {
  const set = map.get(key);
  set?.delete(member);
  if (set?.size === 0) map.delete(key);
}
