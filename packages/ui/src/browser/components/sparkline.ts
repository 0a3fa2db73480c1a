import { html } from '../lib/html.ts';

/** A tiny SVG line of recent values; no axes, scaled to its own min and max. */
export function Sparkline(props: {
  values: readonly number[];
  width?: number;
  height?: number;
  rising: boolean;
}) {
  const width = props.width ?? 160;
  const height = props.height ?? 40;
  const values = props.values;
  if (values.length < 2) return html`<svg class="spark" width=${width} height=${height}></svg>`;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const points = values
    .map((value, i) => {
      const x = (i / (values.length - 1)) * width;
      const y = height - 2 - ((value - min) / span) * (height - 4);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  return html`<svg class="spark ${props.rising ? 'up' : 'down'}" width=${width} height=${height} viewBox="0 0 ${width} ${height}">
    <polyline points=${points} fill="none" stroke-width="1.5" />
  </svg>`;
}
