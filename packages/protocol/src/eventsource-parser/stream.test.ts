/** EventSourceParserStream from `@spout/protocol/eventsource-parser/stream`, as eventsource-parser documents it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type EventSourceMessage,
  EventSourceParserStream,
  ParseError,
  type StreamOptions,
} from './stream.ts';

/** Pipes the chunks through a stream made with `options`; the messages read, or the error the stream ended with. */
async function pipe(chunks: string[], options?: StreamOptions): Promise<EventSourceMessage[] | unknown> {
  const source = new ReadableStream<string>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  }).pipeThrough(new EventSourceParserStream(options));
  const messages: EventSourceMessage[] = [];
  const reader = source.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) messages.push(read.value);
  } catch (error) {
    return error;
  }
  return messages;
}

test('text chunks in, messages out; an unfinished event at the end is discarded', async () => {
  assert.deepEqual(await pipe(['id: 1\nevent: a\nda', 'ta: x\n\ndata: y\n\n', 'data: unfinished\n']), [
    { id: '1', event: 'a', data: 'x' },
    { id: undefined, event: undefined, data: 'y' },
  ]);
});

test('onRetry, onComment and onId are called as by createParser', async () => {
  const seen: unknown[] = [];
  await pipe([': hi\nretry: 9\nid: 4\n\n'], {
    onComment: (text) => seen.push(text),
    onRetry: (ms) => seen.push(ms),
    onId: (id) => seen.push(`id ${id}`),
  });
  assert.deepEqual(seen, ['hi', 9, 'id 4']);
});

test('by default a parse error is ignored and the stream goes on', async () => {
  assert.deepEqual(await pipe(['bad\ndata: x\n\n']), [{ id: undefined, event: undefined, data: 'x' }]);
});

test('an onError function receives the parse error and the stream goes on', async () => {
  const errors: Error[] = [];
  const result = await pipe(['retry: x\ndata: y\n\n'], { onError: (error) => errors.push(error) });
  assert.equal((result as unknown[]).length, 1);
  assert.ok(errors[0] instanceof ParseError);
  assert.equal((errors[0] as ParseError).type, 'invalid-retry');
});

test("onError: 'terminate' errors the stream with the ParseError", async () => {
  const error = await pipe(['bad\ndata: x\n\n'], { onError: 'terminate' });
  assert.ok(error instanceof ParseError);
  assert.equal(error.type, 'unknown-field');
});

test('passing maxBufferSize always errors the stream, whatever onError says', async () => {
  const errors: Error[] = [];
  const error = await pipe(['data: 0123456789'], { maxBufferSize: 4, onError: (e) => errors.push(e) });
  assert.ok(error instanceof ParseError);
  assert.equal(error.type, 'max-buffer-size-exceeded');
  assert.deepEqual(errors, [error]);
});
