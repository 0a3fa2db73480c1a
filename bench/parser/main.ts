/**
 * Parser benchmark: @spout/protocol against eventsource-parser on the same
 * ~50 MB realistic stream, fed as bytes in chunks of 8 B, 64 B, 4 KiB and the
 * whole stream. eventsource-parser takes text, so it is fed through a
 * streaming TextDecoder, as its users do; Spout decodes by itself.
 *
 * Run: npm run bench -- parser   (or: npm exec -- node bench/parser/main.ts)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createParser } from '@spout/protocol';
import { createParser as createReferenceParser } from 'eventsource-parser';
import { machineLine, markdownTable, median, publish } from '../lib/report.ts';
import { buildCorpus } from './corpus.ts';

interface Normalized {
  type: string;
  data: string;
  id: string | undefined;
}

type Runner = (bytes: Uint8Array, chunkSize: number, onEvent: (event: Normalized) => void) => void;

const runners: Record<string, Runner> = {
  '@spout/protocol': (bytes, chunkSize, onEvent) => {
    const parser = createParser({
      onEvent: (event) => onEvent({ type: event.type, data: event.data, id: event.lastEventId }),
    });
    for (let i = 0; i < bytes.length; i += chunkSize) parser.feed(bytes.subarray(i, i + chunkSize));
  },
  'eventsource-parser': (bytes, chunkSize, onEvent) => {
    const decoder = new TextDecoder();
    const parser = createReferenceParser({
      onEvent: (event) => onEvent({ type: event.event ?? 'message', data: event.data, id: event.id }),
    });
    for (let i = 0; i < bytes.length; i += chunkSize) {
      parser.feed(decoder.decode(bytes.subarray(i, i + chunkSize), { stream: true }));
    }
  },
};

/** Both parsers must agree before any figure means anything. */
function checkSameEvents(bytes: Uint8Array): number {
  const ours: Normalized[] = [];
  const theirs: Normalized[] = [];
  runners['@spout/protocol']!(bytes, 4096, (event) => ours.push(event));
  runners['eventsource-parser']!(bytes, 4096, (event) => theirs.push(event));
  if (ours.length !== theirs.length)
    throw new Error(`event counts differ: ${ours.length} vs ${theirs.length}`);
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!;
    const b = theirs[i]!;
    // eventsource-parser reports only the id set in the event itself; Spout the persisted one.
    if (a.type !== b.type || a.data !== b.data || (b.id !== undefined && a.id !== b.id)) {
      throw new Error(`event ${i} differs: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
  return ours.length;
}

function time(runner: Runner, bytes: Uint8Array, chunkSize: number): { seconds: number; events: number } {
  let events = 0;
  // CPU time of this process, not wall time: other processes on the machine do not count against a parser.
  const start = process.cpuUsage();
  runner(bytes, chunkSize, () => {
    events++;
  });
  const used = process.cpuUsage(start);
  return { seconds: (used.user + used.system) / 1e6, events };
}

const sizeArgument = Number(process.env.SPOUT_BENCH_PARSER_MB ?? 50);
const bytes = buildCorpus(sizeArgument * 1e6);
const runs = Number(process.env.SPOUT_BENCH_RUNS ?? 5);
const eventCount = checkSameEvents(bytes);
console.error(`corpus: ${(bytes.length / 1e6).toFixed(1)} MB, ${eventCount} events; both parsers agree`);

const chunkSizes: [string, number][] = [
  ['8 B', 8],
  ['64 B', 64],
  ['4 KiB', 4096],
  ['whole stream', bytes.length],
];
const rows: string[][] = [];
for (const [label, chunkSize] of chunkSizes) {
  const throughput: Record<string, number> = {};
  for (const name of Object.keys(runners)) {
    time(runners[name]!, bytes.subarray(0, 5e6), chunkSize); // warm-up
  }
  const samples: Record<string, number[]> = {};
  for (let run = 0; run < runs; run++) {
    for (const [name, runner] of Object.entries(runners)) {
      const { seconds } = time(runner, bytes, chunkSize);
      (samples[name] ??= []).push(seconds);
    }
  }
  for (const [name, seconds] of Object.entries(samples)) {
    const s = median(seconds);
    throughput[name] = bytes.length / 1e6 / s;
    rows.push([label, name, (bytes.length / 1e6 / s).toFixed(0), (eventCount / s / 1e6).toFixed(2)]);
  }
  const ratio = throughput['@spout/protocol']! / throughput['eventsource-parser']!;
  rows.push([label, '**ratio**', `**${ratio.toFixed(2)}×**`, '']);
  console.error(`${label}: ratio ${ratio.toFixed(2)}`);
}

const require = createRequire(import.meta.url);
const referenceVersion = JSON.parse(
  readFileSync(require.resolve('eventsource-parser/package.json'), 'utf8'),
).version;
publish(
  'parser',
  [
    '## Parser throughput',
    '',
    `Measured ${machineLine()}; eventsource-parser ${referenceVersion}. Median CPU time of ${runs} runs after a warm-up.`,
    `Stream: ${(bytes.length / 1e6).toFixed(1)} MB, ${eventCount} events (bench/parser/corpus.ts).`,
    '',
    markdownTable(['chunk', 'parser', 'MB/s', 'million events/s'], rows),
  ].join('\n'),
);
