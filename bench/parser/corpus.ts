/**
 * A deterministic, realistic event stream for the parser benchmark: small JSON
 * payloads, multi-line data, ids, event names, comments (heartbeats), a little
 * non-ASCII text, and both LF and CRLF line ends.
 */

/** Mulberry32: a tiny seeded PRNG so every run parses the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYMBOLS = ['AAPL', 'META', 'GOOGL', 'MSFT', 'AMZN', 'NVDA', 'TSLA', 'NFLX'];
const WORDS = ['order', 'shipped', 'driver', 'arriving', 'café', 'naïve', 'token', 'stream', '東京', 'ready'];

/** Builds a stream of about `targetBytes` bytes. */
export function buildCorpus(targetBytes: number, seed = 42): Uint8Array {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const parts: string[] = [];
  let size = 0;
  let id = 1;
  let eol = '\n';
  while (size < targetBytes) {
    // A server writes one line-ending style; the stream switches style every ~200 events so both are exercised.
    if (rand() < 1 / 200) eol = eol === '\n' ? '\r\n' : '\n';
    let text = '';
    const kind = rand();
    if (kind < 0.05) {
      text = `: heartbeat${eol}${eol}`;
    } else if (kind < 0.6) {
      const price = (100 + rand() * 900).toFixed(2);
      text = `id: ${id++}${eol}event: price${eol}data: {"symbol":"${pick(SYMBOLS)}","price":${price},"ts":${1763700000000 + id}}${eol}${eol}`;
    } else if (kind < 0.85) {
      text = `data: {"token":"${pick(WORDS)}","index":${id}}${eol}${eol}`;
      id++;
    } else {
      const lines = 2 + Math.floor(rand() * 4);
      text = `id: ${id++}${eol}event: note${eol}`;
      for (let i = 0; i < lines; i++) text += `data: ${pick(WORDS)} ${pick(WORDS)} ${i}${eol}`;
      text += eol;
    }
    parts.push(text);
    size += text.length;
  }
  return new TextEncoder().encode(parts.join(''));
}
