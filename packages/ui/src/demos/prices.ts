import { createLoop, type Demo, type DemoTiming } from './loop.ts';
import type { PublishFn } from './publisher.ts';
import { PRICE_SYMBOLS, type PriceTick, priceTopic } from './topics.ts';

export interface PricesDemoOptions extends DemoTiming {
  publish: PublishFn;
  symbols?: readonly string[] | undefined;
  /** Source of randomness in [0, 1); tests pass a seeded one. */
  random?: (() => number) | undefined;
}

const OPENING: Record<string, number> = {
  AAPL: 228.5,
  META: 571.2,
  GOOGL: 166.8,
  MSFT: 417.9,
  AMZN: 186.4,
  NVDA: 135.6,
};

/**
 * The live prices ticker: every interval, one update per symbol on that
 * symbol's topic, priced by a small random walk. Each tick carries a
 * per-symbol sequence number so a page can show it never missed one.
 */
export function createPricesDemo(options: PricesDemoOptions): Demo {
  const symbols = options.symbols ?? PRICE_SYMBOLS;
  const random = options.random ?? Math.random;
  const state = new Map(
    symbols.map((symbol) => [symbol, { open: OPENING[symbol] ?? 100, price: 0, seq: 0 }]),
  );
  for (const entry of state.values()) entry.price = entry.open;

  const publishTick = async (symbol: string): Promise<void> => {
    const entry = state.get(symbol)!;
    const tick = nextTick(symbol, entry, random());
    await options.publish({ topics: [priceTopic(symbol)], data: JSON.stringify(tick) });
    // Only an accepted tick advances the sequence: a refused one is retried, never a gap.
    entry.price = tick.price;
    entry.seq = tick.seq;
  };
  const step = async (): Promise<void> => {
    const results = await Promise.allSettled(symbols.map(publishTick));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };
  return createLoop('prices', options.intervalMs ?? 1000, step, options.onError);
}

function nextTick(symbol: string, entry: { open: number; price: number; seq: number }, r: number): PriceTick {
  // A walk of at most ±0.4% per tick keeps the sparkline lively but plausible.
  const price = round(Math.max(0.01, entry.price * (1 + (r - 0.5) * 0.008)), 2);
  return {
    symbol,
    seq: entry.seq + 1,
    price,
    changePct: round(((price - entry.open) / entry.open) * 100, 2),
    at: Date.now(),
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
