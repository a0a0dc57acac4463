// Hand-written SVG charts (no dependency): self-contained files with a white background, so
// they read the same embedded in a README on a light or a dark page.

/** One series of bars (one implementation). */
export interface ChartSeries {
  /** Legend label. */
  readonly label: string;
  /** Bar colour (CSS). */
  readonly color: string;
}

/** A group of bars, one per series, under one label. */
export interface ChartGroup {
  /** Label under the group (an operation). */
  readonly label: string;
  /** The section the group belongs to (a key kind); consecutive groups of a section share a caption. */
  readonly section: string;
  /** One value per series, in series order (`undefined`: no bar). */
  readonly values: readonly (number | undefined)[];
}

/** A horizontal reference line (the anchor at 1.0, a target). */
export interface ReferenceLine {
  /** Value on the y axis. */
  readonly value: number;
  /** Label: in the legend, or under the section caption. */
  readonly label: string;
  /** Line colour (CSS). */
  readonly color: string;
  /** `stroke-dasharray`, or none for a solid line. */
  readonly dash?: string;
  /** Draw only across this section, labelled under its caption (default: the whole plot, in the legend). */
  readonly section?: string;
}

/** One plot of a chart: groups of bars and reference lines. */
export interface ChartPanel {
  /** Caption above the plot. */
  readonly title: string;
  /** Groups, left to right. */
  readonly groups: readonly ChartGroup[];
  /** Reference lines. */
  readonly lines: readonly ReferenceLine[];
}

/** A grouped bar chart of one or more stacked panels sharing series and y scale. */
export interface GroupedBarChart {
  /** Title of the figure. */
  readonly title: string;
  /** Lines under the title (what was measured, where). */
  readonly subtitle: readonly string[];
  /** Y-axis caption. */
  readonly yLabel: string;
  /** Top of the y axis; taller bars are cut with a break mark and labelled with their value. */
  readonly yMax: number;
  /** Series, in bar order. */
  readonly series: readonly ChartSeries[];
  /** Panels, top to bottom. */
  readonly panels: readonly ChartPanel[];
  /** Small print under the plots (one line each). */
  readonly notes: readonly string[];
  /** Width of one bar, px (default 13: many groups per panel). */
  readonly barWidth?: number;
  /** Smallest plot width, px (default 400), so a chart of few groups still fits its title. */
  readonly minPlotWidth?: number;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const BAR = 13;
const GROUP_GAP = 12;
const SECTION_GAP = 22;
const LEFT = 64;
const RIGHT = 24;
const PLOT_HEIGHT = 210;
const HEADROOM = 34;

/** Escapes text for SVG content and attributes. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function num(value: number): string {
  return Number(value.toFixed(1)).toString();
}

/** x positions of each group and the extent of each section, for one panel. */
function layout(groups: readonly ChartGroup[], seriesCount: number, bar: number) {
  const groupWidth = seriesCount * bar;
  const xs: number[] = [];
  const sections: { name: string; x0: number; x1: number }[] = [];
  let x = LEFT + SECTION_GAP / 2;
  groups.forEach((group, i) => {
    const previous = groups[i - 1];
    if (previous !== undefined) x += previous.section === group.section ? GROUP_GAP : SECTION_GAP;
    const last = sections[sections.length - 1];
    if (last === undefined || last.name !== group.section)
      sections.push({ name: group.section, x0: x, x1: x + groupWidth });
    else last.x1 = x + groupWidth;
    xs.push(x);
    x += groupWidth;
  });
  return { xs, sections, width: x + SECTION_GAP / 2 };
}

function renderPanel(chart: GroupedBarChart, panel: ChartPanel, top: number, plotRight: number): string[] {
  const out: string[] = [];
  const plotTop = top + 22 + HEADROOM;
  const bottom = plotTop + PLOT_HEIGHT;
  const y = (v: number): number => bottom - (Math.min(v, chart.yMax) / chart.yMax) * PLOT_HEIGHT;
  const bar = chart.barWidth ?? BAR;
  const { xs, sections } = layout(panel.groups, chart.series.length, bar);

  out.push(`<text x="${LEFT}" y="${top + 14}" font-size="14" font-weight="600">${esc(panel.title)}</text>`);
  // Grid and y axis.
  const step = chart.yMax > 3 ? 1 : 0.5;
  for (let v = 0; v <= chart.yMax + 1e-9; v += step) {
    out.push(
      `<line x1="${LEFT}" x2="${plotRight}" y1="${num(y(v))}" y2="${num(y(v))}" stroke="#e5e7eb" stroke-width="1"/>`,
      `<text x="${LEFT - 6}" y="${num(y(v) + 4)}" font-size="11" text-anchor="end" fill="#4b5563">${v.toFixed(1)}×</text>`,
    );
  }
  out.push(
    `<text transform="translate(${LEFT - 44} ${num((plotTop + bottom) / 2)}) rotate(-90)" font-size="11" text-anchor="middle" fill="#374151">${esc(chart.yLabel)}</text>`,
  );
  // Section separators and captions.
  sections.forEach((section, i) => {
    if (i > 0) {
      const sx = section.x0 - SECTION_GAP / 2;
      out.push(
        `<line x1="${sx}" x2="${sx}" y1="${plotTop - 8}" y2="${bottom + 34}" stroke="#d1d5db" stroke-width="1"/>`,
      );
    }
    out.push(
      `<text x="${num((section.x0 + section.x1) / 2)}" y="${bottom + 32}" font-size="12" font-weight="600" text-anchor="middle" fill="#111827">${esc(section.name)}</text>`,
    );
  });
  // Bars, value labels, group labels.
  panel.groups.forEach((group, g) => {
    const gx = xs[g] ?? 0;
    group.values.forEach((value, s) => {
      if (value === undefined || !Number.isFinite(value)) return;
      const color = chart.series[s]?.color ?? '#000';
      const x = gx + s * bar;
      const top = y(value);
      out.push(
        `<rect x="${num(x + 1)}" y="${num(top)}" width="${bar - 2}" height="${num(bottom - top)}" fill="${color}"><title>${esc(`${chart.series[s]?.label ?? ''} · ${group.section} · ${group.label}: ${value.toFixed(2)}×`)}</title></rect>`,
      );
      if (value > chart.yMax) {
        out.push(
          `<path d="M${num(x)} ${num(top + 10)} l${bar / 2} -4 l${bar / 2} 4 v4 l${-bar / 2} -4 l${-bar / 2} 4 z" fill="#ffffff"/>`,
        );
      }
      const cx = x + bar / 2 + 3;
      out.push(
        `<text transform="translate(${num(cx)} ${num(top - 3)}) rotate(-90)" font-size="9" fill="#374151" stroke="#ffffff" stroke-width="2.5" paint-order="stroke">${value.toFixed(2)}</text>`,
      );
    });
    out.push(
      `<text x="${num(gx + (chart.series.length * bar) / 2)}" y="${bottom + 14}" font-size="11" text-anchor="middle" fill="#374151">${esc(group.label)}</text>`,
    );
  });
  // Reference lines, drawn over the bars: whole-plot lines are named in the legend, a section's
  // line under the section's caption (labels on the plot would collide with bar labels).
  for (const line of panel.lines) {
    const ly = num(y(line.value));
    const dash = line.dash === undefined ? '' : ` stroke-dasharray="${line.dash}"`;
    const section = line.section === undefined ? undefined : sections.find((s) => s.name === line.section);
    if (line.section !== undefined && section === undefined) continue;
    const x0 = section === undefined ? LEFT : section.x0 - 4;
    const x1 = section === undefined ? plotRight : section.x1 + 4;
    out.push(
      `<line x1="${num(x0)}" x2="${num(x1)}" y1="${ly}" y2="${ly}" stroke="${line.color}" stroke-width="1.5"${dash}/>`,
    );
    if (section !== undefined) {
      out.push(
        `<text x="${num((section.x0 + section.x1) / 2)}" y="${bottom + 46}" font-size="11" text-anchor="middle" fill="${line.color}">${esc(line.label)}</text>`,
      );
    }
  }
  out.push(`<line x1="${LEFT}" x2="${plotRight}" y1="${bottom}" y2="${bottom}" stroke="#374151" stroke-width="1"/>`);
  return out;
}

/**
 * Renders a grouped bar chart (ratios against an anchor, say) as a standalone SVG document.
 *
 * @example
 * writeFileSync('chart.svg', renderGroupedBarChart({ title: 'get', subtitle: '', yLabel: '× Map', yMax: 3, series, panels, notes: [] }));
 */
export function renderGroupedBarChart(chart: GroupedBarChart): string {
  const bar = chart.barWidth ?? BAR;
  const plotRight = Math.max(
    ...chart.panels.map((panel) => layout(panel.groups, chart.series.length, bar).width),
    chart.minPlotWidth ?? 400,
  );
  const width = plotRight + RIGHT;
  const panelHeight = 22 + HEADROOM + PLOT_HEIGHT + 62;
  const legendTop = 40 + chart.subtitle.length * 16;
  const panelsTop = legendTop + 26;
  const height = panelsTop + chart.panels.length * panelHeight + chart.notes.length * 15 + 16;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${height}" viewBox="0 0 ${num(width)} ${height}" ${FONT}>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="24" font-size="17" font-weight="700" fill="#111827">${esc(chart.title)}</text>`,
    ...chart.subtitle.map(
      (line, i) => `<text x="${LEFT}" y="${43 + i * 16}" font-size="12" fill="#4b5563">${esc(line)}</text>`,
    ),
  ];
  let lx = LEFT;
  for (const series of chart.series) {
    out.push(
      `<rect x="${lx}" y="${legendTop}" width="12" height="12" fill="${series.color}"/>`,
      `<text x="${lx + 17}" y="${legendTop + 10}" font-size="12" fill="#111827">${esc(series.label)}</text>`,
    );
    lx += 28 + series.label.length * 7.4;
  }
  const legendLines = new Map<string, ReferenceLine>();
  for (const panel of chart.panels)
    for (const line of panel.lines) if (line.section === undefined) legendLines.set(line.label, line);
  for (const line of legendLines.values()) {
    const dash = line.dash === undefined ? '' : ` stroke-dasharray="${line.dash}"`;
    out.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${legendTop + 6}" y2="${legendTop + 6}" stroke="${line.color}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 27}" y="${legendTop + 10}" font-size="12" fill="#111827">${esc(line.label)}</text>`,
    );
    lx += 40 + line.label.length * 7;
  }
  chart.panels.forEach((panel, i) => {
    out.push(...renderPanel(chart, panel, panelsTop + i * panelHeight, plotRight));
  });
  chart.notes.forEach((note, i) => {
    out.push(
      `<text x="${LEFT}" y="${panelsTop + chart.panels.length * panelHeight + 6 + i * 15}" font-size="11" fill="#4b5563">${esc(note)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** One bar of a {@link HorizontalBarChart}. */
export interface HorizontalBar {
  /** Label left of the bar. */
  readonly label: string;
  /** Length of the bar. */
  readonly value: number;
  /** Text right of the bar. */
  readonly caption: string;
  /** Bar colour (CSS). */
  readonly color: string;
}

/** A horizontal bar chart with optional vertical markers (a limit, say). */
export interface HorizontalBarChart {
  /** Title of the figure. */
  readonly title: string;
  /** One line under the title. */
  readonly subtitle: string;
  /** Bars, top to bottom. */
  readonly bars: readonly HorizontalBar[];
  /** Vertical markers at values on the bar scale. */
  readonly markers: readonly { readonly value: number; readonly label: string; readonly color: string }[];
  /** The value at the right end of the scale. */
  readonly max: number;
  /** Small print under the bars. */
  readonly notes: readonly string[];
  /** Width of the label column left of the bars, px (default 150). */
  readonly labelWidth?: number;
}

/**
 * Renders a horizontal bar chart as a standalone SVG document.
 *
 * @example
 * renderHorizontalBarChart({ title: 'entries held', subtitle: '', bars, markers: [], max: 5e7, notes: [] });
 */
export function renderHorizontalBarChart(chart: HorizontalBarChart): string {
  const left = chart.labelWidth ?? 150;
  const scaleWidth = 560;
  const width = left + scaleWidth + 260;
  // One label row per marker above the bars, so nearby markers do not overprint each other.
  const barsTop = 78 + 14 * Math.max(0, chart.markers.length - 1);
  const rowHeight = 40;
  const barsBottom = barsTop + chart.bars.length * rowHeight;
  const height = barsBottom + 30 + chart.notes.length * 15 + 8;
  const x = (v: number): number => left + (Math.min(v, chart.max) / chart.max) * scaleWidth;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="20" y="24" font-size="17" font-weight="700" fill="#111827">${esc(chart.title)}</text>`,
    `<text x="20" y="43" font-size="12" fill="#4b5563">${esc(chart.subtitle)}</text>`,
  ];
  // Bars, then the marker lines over them, then the captions (with a white halo, over the lines).
  chart.bars.forEach((bar, i) => {
    const top = barsTop + i * rowHeight;
    out.push(
      `<text x="${left - 10}" y="${top + 17}" font-size="13" text-anchor="end" fill="#111827">${esc(bar.label)}</text>`,
      `<rect x="${left}" y="${top + 2}" width="${num(x(bar.value) - left)}" height="22" fill="${bar.color}"/>`,
    );
  });
  chart.markers.forEach((marker, i) => {
    const mx = num(x(marker.value));
    const labelY = barsTop - 18 - 14 * (chart.markers.length - 1 - i);
    out.push(
      `<line x1="${mx}" x2="${mx}" y1="${labelY + 4}" y2="${barsBottom}" stroke="${marker.color}" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      `<text x="${mx}" y="${labelY}" font-size="11" text-anchor="middle" fill="${marker.color}">${esc(marker.label)}</text>`,
    );
  });
  chart.bars.forEach((bar, i) => {
    const top = barsTop + i * rowHeight;
    out.push(
      `<text x="${num(x(bar.value) + 8)}" y="${top + 17}" font-size="12" fill="#374151" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(bar.caption)}</text>`,
    );
  });
  chart.notes.forEach((note, i) => {
    out.push(`<text x="20" y="${barsBottom + 26 + i * 15}" font-size="11" fill="#4b5563">${esc(note)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** One group of a {@link LogBarChart}: one bar per series, under one label. */
export interface LogBarGroup {
  /** Label left of the group. */
  readonly label: string;
  /** One value per series, in series order (`undefined`: no bar). Must be positive. */
  readonly values: readonly (number | undefined)[];
  /** Text right of each bar (default: the value, formatted). */
  readonly captions?: readonly (string | undefined)[];
}

/** A horizontal grouped bar chart on a logarithmic scale, for figures that differ by orders of magnitude. */
export interface LogBarChart {
  /** Title of the figure. */
  readonly title: string;
  /** Lines under the title. */
  readonly subtitle: readonly string[];
  /** Series, in bar order within each group. */
  readonly series: readonly ChartSeries[];
  /** Groups, top to bottom. */
  readonly groups: readonly LogBarGroup[];
  /** Formats a value for the axis ticks and default captions (`12.3 ms`). */
  readonly format: (value: number) => string;
  /** Caption of the x axis. */
  readonly axisLabel: string;
  /** Small print under the bars. */
  readonly notes: readonly string[];
  /** Width of the label column, px (default 230). */
  readonly labelWidth?: number;
  /** Vertical dashed lines at values on the scale (a target), labelled at the top of the plot. */
  readonly markers?: readonly { readonly value: number; readonly label: string; readonly color: string }[];
}

/**
 * Renders a horizontal grouped bar chart on a log10 scale (one decade per grid line) as a
 * standalone SVG document. Within a group, only series with a value take a row.
 *
 * @example
 * renderLogBarChart({ title: 'snapshot()', subtitle: [], series, groups, format: formatDuration, axisLabel: 'time', notes: [] });
 */
export function renderLogBarChart(chart: LogBarChart): string {
  const left = chart.labelWidth ?? 230;
  const scaleWidth = 520;
  const width = left + scaleWidth + 250;
  const bar = 16;
  const groupGap = 16;
  const markers = chart.markers ?? [];
  const values = [
    ...chart.groups.flatMap((g) => g.values.filter((v): v is number => v !== undefined && v > 0)),
    ...markers.map((m) => m.value),
  ];
  // A decade below the smallest value, so the shortest bar never has zero length.
  const lo = Math.floor(Math.log10(Math.min(...values) * 0.8));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values))));
  const x = (v: number): number => left + ((Math.log10(v) - lo) / (hi - lo)) * scaleWidth;
  const legendTop = 36 + chart.subtitle.length * 16;
  const plotTop = legendTop + (chart.markers === undefined ? 34 : 48);
  // A group is as tall as the bars it has: series without a value take no row.
  const present = (g: LogBarGroup): number => g.values.filter((v) => v !== undefined && v > 0).length;
  const groupHeight = (g: LogBarGroup) => present(g) * bar + groupGap;
  const plotBottom = plotTop + chart.groups.reduce((sum, g) => sum + groupHeight(g), 0);
  const height = plotBottom + 44 + chart.notes.length * 15 + 8;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="20" y="24" font-size="17" font-weight="700" fill="#111827">${esc(chart.title)}</text>`,
    ...chart.subtitle.map(
      (line, i) => `<text x="20" y="${43 + i * 16}" font-size="12" fill="#4b5563">${esc(line)}</text>`,
    ),
  ];
  let lx = left;
  for (const series of chart.series) {
    out.push(
      `<rect x="${lx}" y="${legendTop}" width="12" height="12" fill="${series.color}"/>`,
      `<text x="${lx + 17}" y="${legendTop + 10}" font-size="12" fill="#111827">${esc(series.label)}</text>`,
    );
    lx += 28 + series.label.length * 7.4;
  }
  for (let d = lo; d <= hi; d++) {
    const gx = num(x(10 ** d));
    out.push(
      `<line x1="${gx}" x2="${gx}" y1="${plotTop - 6}" y2="${plotBottom}" stroke="#e5e7eb" stroke-width="1"/>`,
      `<text x="${gx}" y="${plotBottom + 16}" font-size="11" text-anchor="middle" fill="#4b5563">${esc(chart.format(10 ** d))}</text>`,
    );
  }
  out.push(
    `<text x="${left + scaleWidth / 2}" y="${plotBottom + 34}" font-size="11" text-anchor="middle" fill="#374151">${esc(chart.axisLabel)}</text>`,
  );
  let top = plotTop;
  for (const group of chart.groups) {
    const inner = present(group) * bar;
    let row = 0;
    out.push(
      `<text x="${left - 10}" y="${num(top + inner / 2 + 4)}" font-size="12" text-anchor="end" fill="#111827">${esc(group.label)}</text>`,
    );
    group.values.forEach((value, s) => {
      if (value === undefined || !(value > 0)) return;
      const y = top + row++ * bar;
      const end = x(value);
      const color = chart.series[s]?.color ?? '#000';
      const caption = group.captions?.[s] ?? chart.format(value);
      out.push(
        `<rect x="${left}" y="${y + 1}" width="${num(Math.max(1, end - left))}" height="${bar - 2}" fill="${color}"><title>${esc(`${chart.series[s]?.label ?? ''} · ${group.label}: ${chart.format(value)}`)}</title></rect>`,
        `<text x="${num(end + 6)}" y="${y + bar - 4}" font-size="11" fill="#374151" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(caption)}</text>`,
      );
    });
    top += groupHeight(group);
  }
  out.push(
    `<line x1="${left}" x2="${left}" y1="${plotTop - 6}" y2="${plotBottom}" stroke="#374151" stroke-width="1"/>`,
  );
  for (const marker of markers) {
    const mx = num(x(marker.value));
    out.push(
      `<line x1="${mx}" x2="${mx}" y1="${plotTop - 8}" y2="${plotBottom}" stroke="${marker.color}" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      `<text x="${num(x(marker.value) + 4)}" y="${plotTop - 10}" font-size="11" fill="${marker.color}">${esc(marker.label)}</text>`,
    );
  }
  chart.notes.forEach((note, i) => {
    out.push(`<text x="20" y="${plotBottom + 56 + i * 15}" font-size="11" fill="#4b5563">${esc(note)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
