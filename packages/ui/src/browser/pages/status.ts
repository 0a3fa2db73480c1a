import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StatsSample } from '../../api.ts';
import { Layout, StateBadge } from '../components/layout.ts';
import { html, useEffect, useRef, useState } from '../lib/html.ts';
import { mount } from '../lib/mount.ts';

/** Five minutes of one-second samples. */
const WINDOW = 300;

function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit ? 1 : 0)} ${units[unit]}`;
}

function Chart(props: { samples: readonly StatsSample[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  useEffect(() => {
    const opts: uPlot.Options = {
      width: Math.min(900, (box.current?.clientWidth ?? 900) - 8),
      height: 260,
      series: [
        {},
        { label: 'publishes/s', stroke: '#f59e0b', width: 2 },
        { label: 'deliveries/s', stroke: '#38bdf8', width: 2 },
        { label: 'subscribers', stroke: '#a78bfa', width: 2, scale: 'subs' },
      ],
      axes: [
        { stroke: '#94a3b8', grid: { stroke: '#1e293b' } },
        { stroke: '#94a3b8', grid: { stroke: '#1e293b' } },
        { side: 1, scale: 'subs', stroke: '#a78bfa', grid: { show: false } },
      ],
    };
    plot.current = new uPlot(opts, [[], [], [], []], box.current!);
    return () => plot.current?.destroy();
  }, []);
  useEffect(() => {
    const s = props.samples;
    plot.current?.setData([
      s.map((x) => x.at / 1000),
      s.map((x) => x.publishesPerSecond),
      s.map((x) => x.deliveriesPerSecond),
      s.map((x) => x.subscribers),
    ]);
  }, [props.samples]);
  return html`<div class="chart" ref=${box}></div>`;
}

function Status() {
  const [samples, setSamples] = useState<StatsSample[]>([]);
  const [state, setState] = useState('connecting');
  const [unavailable, setUnavailable] = useState(false);
  useEffect(() => {
    const source = new EventSource('/ui/api/stats');
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    source.addEventListener('history', (e) => setSamples(JSON.parse((e as MessageEvent<string>).data)));
    source.addEventListener('sample', (e) => {
      const sample = JSON.parse((e as MessageEvent<string>).data) as StatsSample;
      setSamples((previous) => [...previous, sample].slice(-WINDOW));
    });
    source.addEventListener('unavailable', () => {
      setUnavailable(true);
      source.close();
      setState('closed');
    });
    return () => source.close();
  }, []);
  const last = samples.at(-1);
  return html`<${Layout}
    title="Live status"
    intro="Fed by Server-Sent Events: the hub samples its counters every second and streams them here."
  >
    <section class="card">
      <h2>Now <${StateBadge} state=${state} /></h2>
      ${unavailable ? html`<p class="error">This hub does not report statistics.</p>` : null}
      <div class="tiles" data-testid="tiles">
        <div class="tile"><span class="value" data-testid="subscribers">${last?.subscribers ?? '—'}</span>subscribers</div>
        <div class="tile"><span class="value" data-testid="publishes">${last?.publishesPerSecond ?? '—'}</span>publishes/s</div>
        <div class="tile"><span class="value" data-testid="deliveries">${last?.deliveriesPerSecond ?? '—'}</span>deliveries/s</div>
        <div class="tile"><span class="value" data-testid="store">${last?.storeUpdates ?? last?.storePosition ?? '—'}</span>${last?.storeUpdates === undefined ? 'updates stored' : 'updates kept'}</div>
        <div class="tile" title="UTF-8 bytes of the kept updates' data"><span class="value" data-testid="store-bytes">${formatBytes(last?.storeBytes)}</span>data kept</div>
      </div>
    </section>
    <section class="card">
      <h2>Last ${Math.round(WINDOW / 60)} minutes</h2>
      <${Chart} samples=${samples} />
    </section>
  <//>`;
}

mount(Status);
