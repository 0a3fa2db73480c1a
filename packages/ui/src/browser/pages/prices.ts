import { PRICE_SYMBOLS, PRICE_TOPIC_TEMPLATE, type PriceTick } from '../../demos/topics.ts';
import { Layout, StateBadge } from '../components/layout.ts';
import { Sparkline } from '../components/sparkline.ts';
import { html, useEffect, useRef, useState } from '../lib/html.ts';
import { mount } from '../lib/mount.ts';
import { openStream, type StreamHandle, type StreamLogEntry, type StreamState } from '../lib/stream.ts';

/** Points kept per sparkline. */
const HISTORY = 60;

interface Row {
  tick: PriceTick;
  history: number[];
}

interface Tally {
  ticks: number;
  gaps: number;
  duplicates: number;
  /** Ticks that arrived after a drop but were published during it: the resume at work. */
  caughtUp: number;
}

function Prices() {
  const [rows, setRows] = useState<Record<string, Row>>({});
  const [tally, setTally] = useState<Tally>({ ticks: 0, gaps: 0, duplicates: 0, caughtUp: 0 });
  const [state, setState] = useState<StreamState>('connecting');
  const [log, setLog] = useState<readonly StreamLogEntry[]>([]);
  const stream = useRef<StreamHandle | undefined>(undefined);
  const droppedAt = useRef(0);
  const lastSeq = useRef<Record<string, number>>({});
  const firstSeq = useRef<Record<string, number>>({});

  useEffect(() => {
    stream.current = openStream({
      topics: [PRICE_TOPIC_TEMPLATE],
      onState: (next, entries) => {
        setState(next);
        setLog([...entries]);
      },
      onEvent: (event) => {
        const tick = JSON.parse(event.data) as PriceTick;
        const previousSeq = lastSeq.current[tick.symbol];
        // Order per symbol is the proof: the next tick must be exactly one more.
        const verdict =
          previousSeq === undefined
            ? 'first'
            : tick.seq === previousSeq + 1
              ? 'next'
              : tick.seq <= previousSeq
                ? 'duplicate'
                : 'gap';
        const caughtUp =
          droppedAt.current > 0 && tick.at >= droppedAt.current && tick.at < event.receivedAt - 500;
        setTally((t) => ({
          ticks: t.ticks + 1,
          gaps: t.gaps + (verdict === 'gap' ? 1 : 0),
          duplicates: t.duplicates + (verdict === 'duplicate' ? 1 : 0),
          caughtUp: t.caughtUp + (caughtUp ? 1 : 0),
        }));
        if (verdict === 'duplicate') return;
        firstSeq.current[tick.symbol] ??= tick.seq;
        lastSeq.current[tick.symbol] = tick.seq;
        setRows((previous) => {
          const history = [...(previous[tick.symbol]?.history ?? []), tick.price].slice(-HISTORY);
          return { ...previous, [tick.symbol]: { tick, history } };
        });
      },
    });
    return () => stream.current?.close();
  }, []);

  const drop = (): void => {
    droppedAt.current = Date.now();
    setTally((t) => ({ ...t, caughtUp: 0 }));
    stream.current?.drop(3000);
  };

  return html`<${Layout}
    title="Live prices"
    intro="One EventSource subscribed to the URI template ${PRICE_TOPIC_TEMPLATE}. Every tick carries a sequence number per symbol, so the page can prove it missed none."
  >
    <section class="card">
      <div class="row">
        <${StateBadge} state=${state} />
        <button onClick=${drop} disabled=${state !== 'open'} data-testid="drop">Drop connection</button>
        <span class="counts" data-testid="tally" data-ticks=${tally.ticks} data-gaps=${tally.gaps} data-duplicates=${tally.duplicates}>
          ${tally.ticks} ticks · <b class=${tally.gaps ? 'error' : 'ok'}>${tally.gaps} missed</b> ·
          <b class=${tally.duplicates ? 'error' : 'ok'}>${tally.duplicates} duplicated</b>
          ${droppedAt.current ? html` · ${tally.caughtUp} caught up after the drop` : null}
        </span>
      </div>
      <table class="prices">
        <thead><tr><th>symbol</th><th>price</th><th>change</th><th>last 60 ticks</th><th>tick #</th></tr></thead>
        <tbody>
          ${PRICE_SYMBOLS.map((symbol) => {
            const row = rows[symbol];
            const change = row?.tick.changePct ?? 0;
            return html`<tr data-symbol=${symbol} data-seq=${row?.tick.seq ?? 0} data-first=${firstSeq.current[symbol] ?? 0}>
              <td class="symbol">${symbol}</td>
              <td class="price" data-testid="price-${symbol}">${row ? row.tick.price.toFixed(2) : '—'}</td>
              <td class=${change >= 0 ? 'up' : 'down'}>${row ? `${change >= 0 ? '+' : ''}${change.toFixed(2)}%` : ''}</td>
              <td><${Sparkline} values=${row?.history ?? []} rising=${change >= 0} /></td>
              <td class="seq">${row?.tick.seq ?? ''}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </section>
    <section class="card">
      <h2>Connection log</h2>
      <ul class="connlog" data-testid="connlog">
        ${log.map((entry) => html`<li>${new Date(entry.at).toLocaleTimeString([], { hour12: false })} ${entry.text}</li>`)}
      </ul>
    </section>
  <//>`;
}

mount(Prices);
