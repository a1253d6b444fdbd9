import type { Child } from 'hono/jsx';

/**
 * Charts drawn on the server as SVG: no script, nothing to load. Each is an image with a title
 * and a description (role="img", aria-labelledby) and its numbers in a table behind a
 * disclosure, so a screen reader or a spreadsheet gets the same data (WCAG 1.1.1).
 * Colours are presentation attributes, not style attributes: the CSP allows no inline style.
 */
export const PALETTE = ['#1f5eff', '#c2410c', '#0f766e', '#7c3aed', '#b91c1c', '#4d7c0f', '#a16207', '#be185d'];

const dayLabel = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const num = new Intl.NumberFormat('en-GB');

function Figure(props: { id: string; title: string; desc: string; table: Child; children: Child; legend?: Child }) {
  return (
    <figure class="chart">
      <figcaption>
        <h3 id={`${props.id}-h`}>{props.title}</h3>
      </figcaption>
      {props.children}
      {props.legend ?? null}
      <details>
        <summary>Data table</summary>
        <div class="table-wrap" tabindex={0}>{props.table}</div>
      </details>
    </figure>
  );
}

/** The image itself: sized by its viewBox, named by its title and description. */
function ChartSvg(props: { id: string; title: string; desc: string; width: number; height: number; children: Child }) {
  return (
    <svg viewBox={`0 0 ${props.width} ${props.height}`} role="img" aria-labelledby={`${props.id}-t ${props.id}-d`} class="chart-svg">
      <title id={`${props.id}-t`}>{props.title}</title>
      <desc id={`${props.id}-d`}>{props.desc}</desc>
      {props.children}
    </svg>
  );
}

/** The numbers behind a one-series chart: a label column and a value column. */
function CountTable(props: { labelHeader: string; valueHeader: string; rows: Array<{ label: string; value: number }> }) {
  return (
    <table>
      <thead>
        <tr><th scope="col">{props.labelHeader}</th><th scope="col">{props.valueHeader}</th></tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr><th scope="row">{r.label}</th><td>{num.format(r.value)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

function niceMax(v: number): number {
  if (v <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return v;
}

const W = 720;
const H = 240;
const PAD = { l: 48, r: 12, t: 12, b: 28 };

/** Columns per day, stacked by series (unsubscribes per day per topic). */
export function StackedDays(props: { id: string; title: string; desc: string; days: number[]; series: Array<{ name: string; counts: number[] }> }) {
  const totals = props.days.map((_, i) => props.series.reduce((n, s) => n + (s.counts[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const pw = W - PAD.l - PAD.r;
  const ph = H - PAD.t - PAD.b;
  const bw = pw / props.days.length;
  const y = (v: number) => PAD.t + ph - (v / max) * ph;
  const ticks = [0, max / 2, max];
  const labelEvery = Math.ceil(props.days.length / 6);
  return (
    <Figure
      id={props.id}
      title={props.title}
      desc={props.desc}
      legend={<Legend names={props.series.map((s) => s.name)} />}
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {props.series.map((s) => <th scope="col">{s.name}</th>)}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {props.days.map((d, i) =>
              totals[i] ? (
                <tr>
                  <th scope="row">{dayLabel.format(d)}</th>
                  {props.series.map((s) => <td>{num.format(s.counts[i] ?? 0)}</td>)}
                  <td>{num.format(totals[i]!)}</td>
                </tr>
              ) : null,
            )}
          </tbody>
        </table>
      }
    >
      <ChartSvg id={props.id} title={props.title} desc={props.desc} width={W} height={H}>
        {ticks.map((t) => (
          <g>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} stroke="#dfe3e8" />
            <text x={PAD.l - 6} y={y(t) + 4} text-anchor="end" class="axis">{num.format(t)}</text>
          </g>
        ))}
        {props.days.map((d, i) => {
          let base = 0;
          return (
            <g>
              {props.series.map((s, si) => {
                const v = s.counts[i] ?? 0;
                if (!v) return null;
                const top = base + v;
                const rect = <rect x={PAD.l + i * bw + 0.5} y={y(top)} width={Math.max(1, bw - 1)} height={y(base) - y(top)} fill={PALETTE[si % PALETTE.length]} />;
                base = top;
                return rect;
              })}
              {i % labelEvery === 0 ? <text x={PAD.l + i * bw} y={H - 8} class="axis">{dayLabel.format(d)}</text> : null}
            </g>
          );
        })}
      </ChartSvg>
    </Figure>
  );
}

/** Horizontal bars with their values written beside them (sources, campaigns, reasons). */
export function Bars(props: { id: string; title: string; desc: string; rows: Array<{ label: string; value: number }>; labelHeader: string; empty: string }) {
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  // Narrower than the day charts: these sit in half-width columns, and their text must stay readable.
  const bw = 480;
  const row = 30;
  const labelW = 160;
  const h = Math.max(1, props.rows.length) * row + 8;
  const bar = bw - labelW - 60;
  return (
    <Figure
      id={props.id}
      title={props.title}
      desc={props.desc}
      table={
        <CountTable labelHeader={props.labelHeader} valueHeader="Count" rows={props.rows} />
      }
    >
      {props.rows.length === 0 ? (
        <p class="muted empty">{props.empty}</p>
      ) : (
        <ChartSvg id={props.id} title={props.title} desc={props.desc} width={bw} height={h}>
          {props.rows.map((r, i) => (
            <g>
              <text x={labelW - 8} y={i * row + 22} text-anchor="end" class="label">{r.label.length > 22 ? r.label.slice(0, 21) + '…' : r.label}</text>
              <rect x={labelW} y={i * row + 8} width={Math.max(2, (r.value / max) * bar)} height={row - 10} rx="3" fill={PALETTE[0]} />
              <text x={labelW + Math.max(2, (r.value / max) * bar) + 6} y={i * row + 22} class="value">{num.format(r.value)}</text>
            </g>
          ))}
        </ChartSvg>
      )}
    </Figure>
  );
}

/** One line over days (standing suppressions at the end of each day). */
export function Line(props: { id: string; title: string; desc: string; days: number[]; values: number[]; valueHeader: string }) {
  const lo = Math.min(...props.values);
  const hi = Math.max(...props.values);
  const min = Math.max(0, lo - (hi - lo) * 0.1);
  const max = hi === min ? min + 5 : hi;
  const pw = W - PAD.l - PAD.r;
  const ph = H - PAD.t - PAD.b;
  const x = (i: number) => PAD.l + (props.days.length === 1 ? 0 : (i / (props.days.length - 1)) * pw);
  const y = (v: number) => PAD.t + ph - ((v - min) / (max - min)) * ph;
  const points = props.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const area = `${PAD.l},${PAD.t + ph} ${points} ${x(props.values.length - 1).toFixed(1)},${PAD.t + ph}`;
  const labelEvery = Math.ceil(props.days.length / 6);
  return (
    <Figure
      id={props.id}
      title={props.title}
      desc={props.desc}
      table={
        // One row a week (and the last day): ninety rows would bury the trend.
        <CountTable
          labelHeader="Day"
          valueHeader={props.valueHeader}
          rows={props.days.flatMap((d, i) => (i % 7 === 6 || i === props.days.length - 1 ? [{ label: dayLabel.format(d), value: props.values[i]! }] : []))}
        />
      }
    >
      <ChartSvg id={props.id} title={props.title} desc={props.desc} width={W} height={H}>
        {[min, (min + max) / 2, max].map((t) => (
          <g>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} stroke="#dfe3e8" />
            <text x={PAD.l - 6} y={y(t) + 4} text-anchor="end" class="axis">{num.format(Math.round(t))}</text>
          </g>
        ))}
        <polygon points={area} fill="#1f5eff" fill-opacity="0.12" />
        <polyline points={points} fill="none" stroke="#1f5eff" stroke-width="2.5" />
        {props.days.map((d, i) => (i % labelEvery === 0 ? <text x={x(i)} y={H - 8} class="axis">{dayLabel.format(d)}</text> : null))}
      </ChartSvg>
    </Figure>
  );
}

function Legend(props: { names: string[] }) {
  return (
    <ul class="legend">
      {props.names.map((n, i) => (
        <li>
          <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill={PALETTE[i % PALETTE.length]} /></svg>
          {n}
        </li>
      ))}
    </ul>
  );
}
