/**
 * The publication field rules the current Mercure protocol adds to the classic ones
 * ([spec] current: Publication), for updates whose publisher presented an `at+jwt` access token.
 */
import { MAX_TOPIC_LENGTH } from '../topics/pattern-cost.ts';
import { CONTROL, FORMAT, type PublishLimits, refusal, type UpdateDraft } from './update-draft.ts';

function checkTopic(draft: UpdateDraft, index: number | undefined): void {
  // [spec] the topic field MUST appear exactly once; more than one MUST be rejected with 400
  if (draft.topics.length > 1) {
    throw refusal(400, 'an update has exactly one "topic" under the current Mercure protocol', index);
  }
  const topic = draft.topics[0];
  if (topic === undefined) return;
  // [spec] * is the reserved wildcard: a topic named * could never be selected alone
  if (topic === '*') throw refusal(400, '"*" is the reserved wildcard, not a topic', index);
  // [spec] topics MUST NOT contain Unicode format characters (Cf)
  if (FORMAT.test(topic)) throw refusal(400, 'the "topic" contains a Unicode format character', index);
  // [spec] requests exceeding a field length limit MUST be rejected with 413
  if (topic.length > MAX_TOPIC_LENGTH) {
    throw refusal(413, `the "topic" is longer than ${MAX_TOPIC_LENGTH} characters`, index);
  }
}

function checkIdAndType(draft: UpdateDraft, limits: PublishLimits, index: number | undefined): void {
  if (draft.id !== undefined) {
    // [spec] requests exceeding a field length limit MUST be rejected with 413
    if (draft.id.length > limits.maxIdLength) {
      throw refusal(413, `"id" is longer than ${limits.maxIdLength} characters (setting maxIdLength)`, index);
    }
    // [spec] the id MUST NOT contain Unicode format characters (400)
    if (FORMAT.test(draft.id)) throw refusal(400, '"id" contains a Unicode format character', index);
  }
  // [spec] type MUST NOT contain control or format characters; hubs MUST reject them with 400
  if (draft.type !== undefined && (CONTROL.test(draft.type) || FORMAT.test(draft.type))) {
    throw refusal(400, '"type" contains a control or Unicode format character', index);
  }
}

/**
 * Checks an update against the current protocol's field rules (the classic ones follow).
 * @throws {HttpError} 400 for a bad field, 413 for a field over a length limit.
 */
export function checkCurrentDraft(
  draft: UpdateDraft,
  limits: PublishLimits,
  index: number | undefined,
): void {
  checkTopic(draft, index);
  checkIdAndType(draft, limits, index);
}
