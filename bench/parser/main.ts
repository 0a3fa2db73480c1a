/**
 * Parser benchmark: @spout/protocol against eventsource-parser on the same
 * ~50 MB realistic stream, fed as bytes in chunks of 8 B, 64 B, 4 KiB and the
 * whole stream. eventsource-parser takes text, so it is fed through a
 * streaming TextDecoder, as its users do; Spout decodes by itself. Spout's
 * eventsource-parser compatible API is fed text exactly like eventsource-parser.
 *
 * Run: npm run bench -- parser   (or: npm exec -- node --conditions=spout-source bench/parser/main.ts)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
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

/**
 * A timed run hands each event's data to `onData`, a consumer that only adds up its length: what a run costs is
 * the parser's work, not building objects for the comparison (that belongs to checkSameEvents).
 */
type Runner = (bytes: Uint8Array, chunkSize: number, onData: (data: string) => void) => void;

const runners: Record<string, Runner> = {
  '@spout/protocol': (bytes, chunkSize, onData) => {
    const parser = createParser({ onEvent: (event) => onData(event.data) });
    for (let i = 0; i < bytes.length; i += chunkSize) parser.feed(bytes.subarray(i, i + chunkSize));
  },
  // The compatible API is fed text, exactly as eventsource-parser is: decoding is part of both runs.
  '@spout/protocol/eventsource-parser': (bytes, chunkSize, onData) => {
    const decoder = new TextDecoder();
    const parser = createCompatParser({ onEvent: (event) => onData(event.data) });
    for (let i = 0; i < bytes.length; i += chunkSize) {
      parser.feed(decoder.decode(bytes.subarray(i, i + chunkSize), { stream: true }));
    }
  },
  'eventsource-parser': (bytes, chunkSize, onData) => {
    const decoder = new TextDecoder();
    const parser = createReferenceParser({ onEvent: (event) => onData(event.data) });
    for (let i = 0; i < bytes.length; i += chunkSize) {
      parser.feed(decoder.decode(bytes.subarray(i, i + chunkSize), { stream: true }));
    }
  },
};

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
function time(runner: Runner, bytes: Uint8Array, chunkSize: number): number {
  // The consumer reads each event's data, as any consumer does; a run that parsed nothing is a broken run.
  let characters = 0;
  const start = process.cpuUsage();
  runner(bytes, chunkSize, (data) => {
    characters += data.length;
  });
  const used = process.cpuUsage(start);
  if (characters === 0) throw new Error('no data parsed');
  return (used.user + used.system) / 1e6;
}

const sizeArgument = Number(process.env.SPOUT_BENCH_PARSER_MB ?? 50);
const bytes = buildCorpus(sizeArgument * 1e6);
const runs = Number(process.env.SPOUT_BENCH_RUNS ?? 8);

/** Timed runs of both parsers at one chunk size, interleaved, after a warm-up: CPU seconds per run. */
function sample(chunkSize: number): Record<string, number[]> {
  for (const runner of Object.values(runners)) time(runner, bytes.subarray(0, 5e6), chunkSize); // warm-up
  const samples: Record<string, number[]> = {};
  for (let run = 0; run < runs; run++) {
    for (const [name, runner] of Object.entries(runners)) {
      samples[name] ??= [];
      samples[name].push(time(runner, bytes, chunkSize));
    }
  }
  return samples;
}

/**
 * Each chunk size is measured in a fresh process (this script, told which size by SPOUT_BENCH_PARSER_CHUNK):
 * in one process, what the engine optimised for one chunk size carries into the next and skews both parsers.
 */
function sampleInChild(chunkSize: number): Record<string, number[]> {
  const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, SPOUT_BENCH_PARSER_CHUNK: String(chunkSize) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output) as Record<string, number[]>;
}

const childChunk = process.env.SPOUT_BENCH_PARSER_CHUNK;
if (childChunk !== undefined) {
  process.stdout.write(JSON.stringify(sample(Number(childChunk))));
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
const rows: string[][] = [];
for (const [label, chunkSize] of chunkSizes) {
  const samples = sampleInChild(chunkSize);
  // The fastest run is the one least disturbed by other processes on a shared machine; the median is shown too.
  const bestSeconds: Record<string, number> = {};
  const medianSeconds: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(samples)) {
    const s = Math.min(...seconds);
    bestSeconds[name] = s;
    medianSeconds[name] = median(seconds);
    rows.push([label, name, (bytes.length / 1e6 / s).toFixed(0), (eventCount / s / 1e6).toFixed(2)]);
  }
  // One ratio row per Spout API, each against the same eventsource-parser runs.
  for (const [name, rowLabel] of [
    ['@spout/protocol', '**ratio**'],
    ['@spout/protocol/eventsource-parser', '**ratio, compatible API**'],
  ] as const) {
    const ratio = bestSeconds['eventsource-parser']! / bestSeconds[name]!;
    const medianRatio = medianSeconds['eventsource-parser']! / medianSeconds[name]!;
    rows.push([label, rowLabel, `**${ratio.toFixed(2)}×**`, `median of runs: ${medianRatio.toFixed(2)}×`]);
    console.error(`${label}: ${name} ratio ${ratio.toFixed(2)} (median ${medianRatio.toFixed(2)})`);
  }
}

/** How the parser gets its speed, and what bounds it at 4 KiB (figures from the experiments behind it). */
const NOTES = `### Where the time goes

Spout decodes each chunk's complete lines with one TextDecoder call (input larger than 32 KiB a window at a
time, so the text being parsed stays in cache) and keeps an unfinished line as bytes, so tiny chunks cost no
decoder call until a line completes. eventsource-parser searches every line and decodes every chunk, however
small.

Below 256 bytes of complete lines (the 8 B and 64 B rows) the text is parsed in JavaScript: only lines of
unknown length (\`data:\`, comments, other fields) are searched for their end with \`indexOf\`; blank lines,
\`id:\` values and \`event:\` values (compared in place with the previous type) are read character by
character, and a text with no CR is never searched for one.

From 256 bytes (the 4 KiB and whole-stream rows) a WebAssembly line scanner (SIMD, 16 bytes at a time, 900
bytes of code) reads the same bytes as the decoder: it writes each line end as a byte offset and as a UTF-16
offset into the decoded text, counting code units per byte, and validates the UTF-8 of every block that is not
ASCII (invalid input, where the decoder's U+FFFD would shift the offsets, is parsed by the JavaScript path). The
JavaScript loop then matches field names on the bytes, four at a time, finds repeated event types by their
bytes, and only slices the text: no \`indexOf\`, no \`charCodeAt\`. At 4 KiB, for the whole 50 MB (CPU ms):
copying into the scanner's memory 2, scanning 23, decoding 36, the loop over scanned lines 63; the same
decoding plus the JavaScript path's loop took 36 + 103.

Measured on the way, at 4 KiB: a scanner that also classified each line and returned per-line records reached
1.38× with branchy code; made branch-free, its per-line work in WebAssembly cost as much as it saved in
JavaScript. What remains is the floor both parsers share: a chunk of this corpus almost always holds a
character past U+00FF, so TextDecoder returns a two-byte string (0.7 ns/B to decode, against 0.18 ns/B for
ASCII), plus one string per value and one object per event, and the garbage they make. Figures move by up to
10% between runs on a shared machine, the 64 B ratio among them (on the same machine and hour, the parser
before the scanner measured 1.45× at 64 B and 1.31× at 4 KiB).

The timed consumer adds up the length of each event's data, for both parsers alike. Until
this table, the timed runs also copied every event into a normalized object (the shape the agreement
check compares), an allocation that belongs to neither parser and that narrowed every ratio: with it, the
scanner version measured 1.46–1.50× at 64 B and 1.53–1.59× at 4 KiB. The agreement check itself is unchanged.

Each chunk size is measured in a fresh process. In one process, what the engine optimised for the previous
size carried into the next: at 64 B right after 8 B, Spout measured 8% slower and eventsource-parser 6% faster
than in a fresh process (1.41× against 1.61×), so the older tables, made that way, understated the 64 B row.

### The 64 B ratio: 1.63× on 2026-11-21, 1.26× in the table before this one

Not the parser. At commit 378394e and at the merge of the compatible API (99c90c0), the native parser measured
1.66× and 1.67× at 64 B against eventsource-parser (20 MB, medians of 7 interleaved runs, same process, alone
with eventsource-parser). The drop came from this benchmark running the compatible API, then built on the same
LineParser, in the same process: the engine's type feedback for LineParser's loop and dispatch also saw the
compatible API's callbacks and block hooks, and the native parser ran at 1.29–1.33× beside it. The compatible
API now has its own loop, LineParser has no hooks, and with both APIs in one process the native parser measures
1.58–1.62× at 64 B, as alone.

### The eventsource-parser compatible API

\`@spout/protocol/eventsource-parser\` is fed text, decoded by the same streaming TextDecoder as eventsource-parser, so
its row includes that decoding, as eventsource-parser's does. It has its own loop over the text
(src/eventsource-parser/parse.ts), with LineParser's field matching: the complete lines of each chunk are parsed
in place, and only the unfinished line is kept, joined to the next chunk's text up to its first line end; an
unfinished \`data:\` line is completed by joining its value, without reading the line again. Before, a chunk's
complete lines were sliced off, joined to the unfinished line (which the engine then copied to read it) and parsed
by LineParser: 1.21×, 1.00×, 0.99× and 1.24× (8 B, 64 B, 4 KiB, whole stream) in the previous table, against the
figures above. It still misses the ≥ 1.5× target.

The whole-stream row varies most between runs (ratio of medians 1.05×, 1.12× and 1.13× in three runs on
2026-12-07): on text already decoded, the compatible API parsed 20 MB in 41 ms against eventsource-parser's
47 ms, and the rest of both runs is decoding one 40 MB string and the garbage collection that follows it.

What bounds it is the decoding both rows include and the native API avoids: decoding alone took 41% of
eventsource-parser's time at 8 B, 23% at 64 B, 16% at 4 KiB and 22% for the whole stream (20 MB, medians of 5
runs), so at 8 B the compatible API would have to parse 2.3 times as fast as eventsource-parser to reach 1.5×.
In a chunk that holds a CR, each line of unknown length takes two \`indexOf\` calls (next LF, next CR).

Measured and dropped (20 MB, medians of 7 runs, each against the kept version in the same run): reading every
line's end character by character instead of with \`indexOf\` (64 B 191 → 199 ms, 4 KiB 57 → 71 ms, whole 99 →
115 ms); searching every line's end with \`indexOf\`, with no backward scan for the chunk's last line end (8 B
695 → 775 ms, 4 KiB 49 → 64 ms); bounded forward scans instead of that backward scan (8 B 678 → 765 ms, 4 KiB 50
→ 58 ms). Encoding the text to bytes for the WebAssembly scanner was not built: \`TextEncoder.encodeInto\` alone
takes 25 ms per 20 MB in 4 KiB chunks, half of the compatible API's whole 4 KiB run (about 50 ms), so encoding
and scanning cannot beat reading the text. Users who can hand Spout bytes should use the native API.`;

const require = createRequire(import.meta.url);
const referenceVersion = JSON.parse(
  readFileSync(require.resolve('eventsource-parser/package.json'), 'utf8'),
).version;
publish(
  'parser',
  [
    '## Parser throughput',
    '',
    `Measured ${machineLine()}; eventsource-parser ${referenceVersion}. Fastest CPU time of ${runs} interleaved runs after a warm-up, each chunk size in a fresh process (the ratio row also gives the ratio of medians). Load average ${loadAtStart.toFixed(1)} at the start of the run and ${(loadavg()[0] ?? 0).toFixed(1)} at the end, on ${cpus().length} cores shared with other work.`,
    `Stream: ${(bytes.length / 1e6).toFixed(1)} MB, ${eventCount} events (bench/parser/corpus.ts).`,
    '',
    markdownTable(['chunk', 'parser', 'MB/s', 'million events/s'], rows),
    '',
    NOTES,
  ].join('\n'),
);
