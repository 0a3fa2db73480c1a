/**
 * Parser benchmark: @spout/protocol against eventsource-parser on the same
 * ~50 MB realistic stream, fed as bytes in chunks of 8 B, 64 B, 4 KiB and the
 * whole stream. Spout's native API takes bytes and decodes by itself.
 * eventsource-parser and Spout's compatible API take text: their users decode
 * (e.g. with a TextDecoderStream) and feed strings, so both are timed on the
 * same strings, decoded from the same chunks before the timed region. The same
 * two also run with a streaming TextDecoder inside the timed region, so that the
 * figure with decoding included is shown too.
 *
 * Run: npm run bench -- parser   (or: npm exec -- node --conditions=spout-source bench/parser/main.ts)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createParser } from '@spout/protocol';
import { createParser as createCompatParser } from '@spout/protocol/eventsource-parser';
import { createParser as createReferenceParser } from 'eventsource-parser';
import { machineLine, markdownTable, median, publish } from '../lib/report.ts';
import { buildCorpus } from './corpus.ts';

interface Normalized {
  type: string;
  data: string;
  id: string | undefined;
}

/** What a timed run parses: the stream's bytes in chunks, and the same chunks decoded to text. */
interface Input {
  bytes: Uint8Array;
  chunkSize: number;
  /** Each chunk decoded by a streaming TextDecoder, before any timed run. */
  texts: readonly string[];
}

/**
 * A timed run hands each event's data to `onData`, a consumer that only adds up its length: what a run costs is
 * the parser's work, not building objects for the comparison (that belongs to checkSameEvents).
 */
type Runner = (input: Input, onData: (data: string) => void) => void;

/** A parser fed text, as eventsource-parser and Spout's compatible API are. */
type TextParser = (onData: (data: string) => void) => { feed(text: string): void };

const textParsers: Record<string, TextParser> = {
  '@spout/protocol/eventsource-parser': (onData) =>
    createCompatParser({ onEvent: (event) => onData(event.data) }),
  'eventsource-parser': (onData) => createReferenceParser({ onEvent: (event) => onData(event.data) }),
};

/** Feeds the text decoded before the run: the parser's work alone ("strings in", issue #15). */
const onText =
  (create: TextParser): Runner =>
  ({ texts }, onData) => {
    const parser = create(onData);
    for (const text of texts) parser.feed(text);
  };

/** Decodes each chunk inside the run, then feeds it: the parser's work plus the decoding its user does. */
const decodingIncluded =
  (create: TextParser): Runner =>
  ({ bytes, chunkSize }, onData) => {
    const decoder = new TextDecoder();
    const parser = create(onData);
    for (let i = 0; i < bytes.length; i += chunkSize) {
      parser.feed(decoder.decode(bytes.subarray(i, i + chunkSize), { stream: true }));
    }
  };

/** Suffix of the runners that decode inside the timed region. */
const DECODING = ', decoding included';

type Group = 'strings' | 'bytes';

/**
 * The runners in two groups, each measured in its own fresh process: strings in (the text parsers on strings decoded
 * before the timed region) and bytes in (the decoding inside it, the native API among them). In one process, the
 * garbage of the runs that decode (for the whole stream, a 100 MB string per run) was collected during other
 * runners' timed runs: the compatible API on strings measured 61-69 ms per 20 MB there, 33 ms in its own process.
 */
const groups: Record<Group, Record<string, Runner>> = { strings: {}, bytes: {} };
groups.bytes['@spout/protocol'] = ({ bytes, chunkSize }, onData) => {
  const parser = createParser({ onEvent: (event) => onData(event.data) });
  for (let i = 0; i < bytes.length; i += chunkSize) parser.feed(bytes.subarray(i, i + chunkSize));
};
for (const [name, create] of Object.entries(textParsers)) {
  groups.strings[name] = onText(create);
  groups.bytes[name + DECODING] = decodingIncluded(create);
}

/**
 * The chunks of `bytes`, for the strings group also as a streaming TextDecoder gives them, the way a user's decoder
 * hands them on.
 */
function inputFor(bytes: Uint8Array, chunkSize: number, group: Group): Input {
  const decoder = new TextDecoder();
  const texts: string[] = [];
  for (let i = 0; group === 'strings' && i < bytes.length; i += chunkSize) {
    texts.push(decoder.decode(bytes.subarray(i, i + chunkSize), { stream: true }));
  }
  return { bytes, chunkSize, texts };
}

/**
 * Both parsers must agree before any figure means anything. They run side by side, a slice of the
 * stream at a time, so the check keeps no list of all events: garbage it left behind would make the
 * garbage collector work during the timed runs.
 */
function checkSameEvents(bytes: Uint8Array): number {
  let ours: Normalized[] = [];
  let theirs: Normalized[] = [];
  let compatible: Normalized[] = [];
  const spout = createParser({
    onEvent: (event) => ours.push({ type: event.type, data: event.data, id: event.lastEventId }),
  });
  const decoder = new TextDecoder();
  const reference = createReferenceParser({
    onEvent: (event) => theirs.push({ type: event.event ?? 'message', data: event.data, id: event.id }),
  });
  const compatibleParser = createCompatParser({
    onEvent: (event) => compatible.push({ type: event.event ?? 'message', data: event.data, id: event.id }),
  });
  const compatibleDecoder = new TextDecoder();
  let count = 0;
  for (let i = 0; i < bytes.length; i += 4096) {
    const chunk = bytes.subarray(i, i + 4096);
    spout.feed(chunk);
    reference.feed(decoder.decode(chunk, { stream: true }));
    compatibleParser.feed(compatibleDecoder.decode(chunk, { stream: true }));
    const settled = Math.min(ours.length, theirs.length, compatible.length);
    for (let k = 0; k < settled; k++) {
      const a = ours[k]!;
      const b = theirs[k]!;
      // eventsource-parser reports only the id set in the event itself; Spout the persisted one.
      if (a.type !== b.type || a.data !== b.data || (b.id !== undefined && a.id !== b.id)) {
        throw new Error(`event ${count + k} differs: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
      // The compatible API must give exactly what eventsource-parser gives, id included.
      const c = compatible[k]!;
      if (c.type !== b.type || c.data !== b.data || c.id !== b.id) {
        throw new Error(
          `event ${count + k} differs (compatible API): ${JSON.stringify(c)} vs ${JSON.stringify(b)}`,
        );
      }
    }
    count += settled;
    ours = ours.slice(settled);
    theirs = theirs.slice(settled);
    compatible = compatible.slice(settled);
  }
  if (ours.length !== 0 || theirs.length !== 0 || compatible.length !== 0) {
    throw new Error(`event counts differ: ${count + ours.length} vs ${count + theirs.length}`);
  }
  return count;
}

/** CPU seconds one run takes: CPU time of this process, not wall time, so other processes do not count against a parser. */
function time(runner: Runner, input: Input): number {
  // The consumer reads each event's data, as any consumer does; a run that parsed nothing is a broken run.
  let characters = 0;
  const start = process.cpuUsage();
  runner(input, (data) => {
    characters += data.length;
  });
  const used = process.cpuUsage(start);
  if (characters === 0) throw new Error('no data parsed');
  return (used.user + used.system) / 1e6;
}

const sizeArgument = Number(process.env.SPOUT_BENCH_PARSER_MB ?? 50);
const bytes = buildCorpus(sizeArgument * 1e6);
const runs = Number(process.env.SPOUT_BENCH_RUNS ?? 8);

/** Timed runs of a group's parsers at one chunk size, interleaved, after a warm-up: CPU seconds per run. */
function sample(chunkSize: number, group: Group): Record<string, number[]> {
  const runners = groups[group];
  const warmUp = inputFor(bytes.subarray(0, 5e6), chunkSize, group);
  for (const runner of Object.values(runners)) time(runner, warmUp);
  const input = inputFor(bytes, chunkSize, group);
  const samples: Record<string, number[]> = {};
  for (let run = 0; run < runs; run++) {
    for (const [name, runner] of Object.entries(runners)) {
      samples[name] ??= [];
      samples[name].push(time(runner, input));
    }
  }
  return samples;
}

/**
 * Each chunk size and group is measured in a fresh process (this script, told which by SPOUT_BENCH_PARSER_CHUNK
 * and SPOUT_BENCH_PARSER_GROUP): in one process, what the engine optimised for one chunk size carries into the
 * next and skews both parsers.
 */
function sampleInChild(chunkSize: number, group: Group): Record<string, number[]> {
  const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, SPOUT_BENCH_PARSER_CHUNK: String(chunkSize), SPOUT_BENCH_PARSER_GROUP: group },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output) as Record<string, number[]>;
}

const childChunk = process.env.SPOUT_BENCH_PARSER_CHUNK;
if (childChunk !== undefined) {
  process.stdout.write(
    JSON.stringify(sample(Number(childChunk), process.env.SPOUT_BENCH_PARSER_GROUP as Group)),
  );
  process.exit(0);
}

/** The machine is shared: its load average (1 minute) at the start and the end of the run goes with the figures. */
const loadAtStart = loadavg()[0] ?? 0;
const eventCount = checkSameEvents(bytes);
console.error(`corpus: ${(bytes.length / 1e6).toFixed(1)} MB, ${eventCount} events; all three agree`);

const chunkSizes: [string, number][] = [
  ['8 B', 8],
  ['64 B', 64],
  ['4 KiB', 4096],
  ['whole stream', bytes.length],
];
/** Rows of the table of parsers fed strings, and of the table of parsers fed bytes (decoding timed). */
const stringRows: string[][] = [];
const byteRows: string[][] = [];
const COMPATIBLE = '@spout/protocol/eventsource-parser';
const REFERENCE = 'eventsource-parser';
for (const [label, chunkSize] of chunkSizes) {
  const samples = { ...sampleInChild(chunkSize, 'strings'), ...sampleInChild(chunkSize, 'bytes') };
  // The fastest run is the one least disturbed by other processes on a shared machine; the median is shown too.
  const best = (name: string) => Math.min(...samples[name]!);
  const speed = (name: string) => [
    label,
    name,
    (bytes.length / 1e6 / best(name)).toFixed(0),
    (eventCount / best(name) / 1e6).toFixed(2),
  ];
  const ratio = (rowLabel: string, spout: string, reference: string) => {
    const fastest = best(reference) / best(spout);
    const medians = median(samples[reference]!) / median(samples[spout]!);
    console.error(`${label}: ${spout} ratio ${fastest.toFixed(2)} (median ${medians.toFixed(2)})`);
    return [label, rowLabel, `**${fastest.toFixed(2)}×**`, `median of runs: ${medians.toFixed(2)}×`];
  };
  stringRows.push(
    speed(COMPATIBLE),
    speed(REFERENCE),
    ratio('**ratio, compatible API**', COMPATIBLE, REFERENCE),
  );
  // Each Spout API against the same eventsource-parser runs.
  byteRows.push(
    speed('@spout/protocol'),
    speed(COMPATIBLE + DECODING),
    speed(REFERENCE + DECODING),
    ratio('**ratio**', '@spout/protocol', REFERENCE + DECODING),
    ratio('**ratio, compatible API, decoding included**', COMPATIBLE + DECODING, REFERENCE + DECODING),
  );
}

const here = import.meta.dirname;
const require = createRequire(import.meta.url);
const referenceVersion = JSON.parse(
  readFileSync(require.resolve('eventsource-parser/package.json'), 'utf8'),
).version;
publish(
  'parser',
  [
    '## Parser throughput',
    '',
    `Measured ${machineLine()}; eventsource-parser ${referenceVersion}. Fastest CPU time of ${runs} interleaved runs after a warm-up, each chunk size and each table's parsers in a fresh process (the ratio row also gives the ratio of medians). Load average ${loadAtStart.toFixed(1)} at the start of the run and ${(loadavg()[0] ?? 0).toFixed(1)} at the end, on ${cpus().length} cores shared with other work.`,
    `Stream: ${(bytes.length / 1e6).toFixed(1)} MB, ${eventCount} events (bench/parser/corpus.ts).`,
    '',
    '### Strings in: the eventsource-parser compatible API',
    '',
    'Both parsers are fed the same strings, each chunk decoded by a streaming TextDecoder before the timed region: their users decode (e.g. with a TextDecoderStream) and feed text ("strings in", issue #15).',
    '',
    markdownTable(['chunk', 'parser', 'MB/s', 'million events/s'], stringRows),
    '',
    '### Bytes in: decoding inside the timed region',
    '',
    '@spout/protocol is fed the bytes and decodes them itself; the two text parsers are fed each chunk as a streaming TextDecoder decodes it inside the timed region (the method of the tables before 2026-12-07, for the compatible API too).',
    '',
    markdownTable(['chunk', 'parser', 'MB/s', 'million events/s'], byteRows),
    '',
    readFileSync(join(here, 'notes.md'), 'utf8').trimEnd(),
  ].join('\n'),
);
