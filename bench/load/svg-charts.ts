/** Small SVG charts drawn here (no library, nothing fetched): lines over time and grouped bars. */

export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

const W = 720;
const H = 260;
const PAD = { left: 60, right: 16, top: 34, bottom: 40 };

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A round upper bound for an axis (1, 2 or 5 times a power of ten). */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * power >= value) ?? 10) * power;
}

const fmt = (v: number) => (Math.abs(v) >= 1000 ? `${Math.round(v / 100) / 10}k` : `${Math.round(v * 100) / 100}`);

function frame(id: string, title: string, yMax: number, xLabel: string, yLabel: string, body: string): string {
  const plotH = H - PAD.top - PAD.bottom;
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const y = PAD.top + plotH * (1 - f);
      return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${fmt(yMax * f)}</text>`;
    })
    .join('');
  return `<svg class="chart" id="${id}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">
<title>${escapeHtml(title)}</title><text x="${PAD.left}" y="18" font-size="14" font-weight="bold">${escapeHtml(title)}</text>
${ticks}<text x="${(W + PAD.left) / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(xLabel)}</text>
<text transform="translate(14 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(yLabel)}</text>
${body}</svg>`;
}

function legend(items: Array<{ name: string; color: string }>): string {
  return items
    .map((s, i) => {
      const x = W - PAD.right - (items.length - i) * 130;
      return `<rect x="${x}" y="9" width="10" height="10" fill="${s.color}"/><text x="${x + 14}" y="18">${escapeHtml(s.name)}</text>`;
    })
    .join('');
}

export function lineChart(id: string, title: string, series: Series[], xLabel: string, yLabel: string): string {
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map(([x]) => x));
  const yMax = niceMax(Math.max(0, ...all.map(([, y]) => y)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + (x / xMax) * plotW;
  const sy = (y: number) => PAD.top + plotH * (1 - y / yMax);
  const xTicks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<text x="${sx(xMax * f)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${fmt(xMax * f)}</text>`)
    .join('');
  const lines = series
    .map((s) => {
      const d = s.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
      const dots =
        s.points.length === 1
          ? `<circle cx="${sx(s.points[0][0])}" cy="${sy(s.points[0][1])}" r="3" fill="${s.color}"/>`
          : '';
      return `<path class="series" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"/>${dots}`;
    })
    .join('');
  return frame(id, title, yMax, xLabel, yLabel, `${xTicks}${lines}${legend(series)}`);
}

/** Bars grouped by label, one bar per series value (such as p50, p95, p99 per route). */
export function barChart(
  id: string,
  title: string,
  labels: string[],
  series: Array<{ name: string; color: string; values: number[] }>,
  yLabel: string,
): string {
  const yMax = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const group = plotW / Math.max(1, labels.length);
  const bar = (group * 0.8) / Math.max(1, series.length);
  const bars = labels
    .map((label, g) => {
      const x0 = PAD.left + g * group + group * 0.1;
      const rects = series
        .map((s, i) => {
          const h = (s.values[g] / yMax) * plotH;
          return `<rect class="bar" x="${(x0 + i * bar).toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${(bar - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"><title>${escapeHtml(`${label} ${s.name}: ${s.values[g]}`)}</title></rect>`;
        })
        .join('');
      return `${rects}<text x="${x0 + group * 0.4}" y="${H - PAD.bottom + 14}" text-anchor="middle">${escapeHtml(label)}</text>`;
    })
    .join('');
  return frame(id, title, yMax, '', yLabel, `${bars}${legend(series)}`);
}
