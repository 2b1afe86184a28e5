import type { MethodName } from "./methods.js";
import { METHOD_LABELS, METHOD_NAMES } from "./methods.js";
import type { SetResult } from "./quality-runner.js";

const PANEL_WIDTH = 300;
const PANEL_HEIGHT = 230;
const MARGIN = { top: 34, right: 16, bottom: 40, left: 48 };
const LEGEND_ROW_HEIGHT = 20;
const LEGEND_COLUMN_WIDTH = 190;
const Y_TICKS = [0, 25, 50, 75, 100];

/**
 * Okabe–Ito colours, distinguishable with the common colour-vision
 * deficiencies, and two of Paul Tol's muted colours for the methods beyond
 * its eight.
 */
const METHOD_COLORS: Readonly<Record<MethodName, string>> = {
  "engine-query": "#0072B2",
  "engine-agnostic": "#56B4E9",
  "model-query": "#CC79A7",
  "model-agnostic": "#E69F00",
  "lexical-query": "#000000",
  "lexical-agnostic": "#F0E442",
  "pruned-query": "#882255",
  "pruned-agnostic": "#44AA99",
  head: "#D55E00",
  random: "#999999",
  bm25: "#009E73",
};

function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

interface Scales {
  readonly x: (ratio: number) => number;
  readonly y: (percent: number) => number;
}

function createScales(ratios: readonly number[]): Scales {
  const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const low = Math.log2(Math.min(...ratios));
  const high = Math.log2(Math.max(...ratios));
  return {
    x: (ratio) =>
      MARGIN.left +
      (high === low
        ? plotWidth / 2
        : ((Math.log2(ratio) - low) / (high - low)) * plotWidth),
    y: (percent) => MARGIN.top + plotHeight * (1 - percent / 100),
  };
}

function renderAxes(ratios: readonly number[], scales: Scales): string[] {
  const left = MARGIN.left;
  const right = PANEL_WIDTH - MARGIN.right;
  const bottom = scales.y(0);
  const lines = Y_TICKS.map((tick) => {
    const y = scales.y(tick).toFixed(1);
    return (
      `<line x1="${left}" x2="${right}" y1="${y}" y2="${y}" class="grid"/>` +
      `<text x="${left - 6}" y="${y}" class="tick" text-anchor="end" dominant-baseline="middle">${tick}%</text>`
    );
  });
  for (const ratio of ratios) {
    const x = scales.x(ratio).toFixed(1);
    lines.push(
      `<text x="${x}" y="${bottom + 16}" class="tick" text-anchor="middle">${ratio}×</text>`,
    );
  }
  const middleY = ((scales.y(0) + scales.y(100)) / 2).toFixed(1);
  lines.push(
    `<text x="${(left + right) / 2}" y="${PANEL_HEIGHT - 6}" class="axis" text-anchor="middle">compression ratio (log scale)</text>`,
    `<text transform="translate(12,${middleY}) rotate(-90)" class="axis" text-anchor="middle">answer retention</text>`,
  );
  return lines;
}

function renderPanel(result: SetResult, offsetX: number): string {
  const ratios = [...new Set(result.cells.map((cell) => cell.ratio))];
  const scales = createScales(ratios);
  const parts = [
    `<g transform="translate(${offsetX},0)">`,
    `<text x="${PANEL_WIDTH / 2}" y="18" class="title" text-anchor="middle">${escapeXml(result.label)}</text>`,
    ...renderAxes(ratios, scales),
  ];
  for (const method of METHOD_NAMES) {
    const points = result.cells
      .filter((cell) => cell.method === method && cell.answerRetention !== null)
      .map((cell) => ({
        x: scales.x(cell.ratio),
        y: scales.y((cell.answerRetention ?? 0) * 100),
      }));
    if (points.length === 0) {
      continue;
    }
    const color = METHOD_COLORS[method];
    const path = points
      .map((point) => `${point.x.toFixed(1)},${point.y.toFixed(1)}`)
      .join(" ");
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"/>`,
      ...points.map(
        (point) =>
          `<circle cx="${point.x.toFixed(1)}" cy="${point.y.toFixed(1)}" r="3" fill="${color}"/>`,
      ),
    );
  }
  parts.push("</g>");
  return parts.join("\n");
}

function legendColumns(width: number): number {
  return Math.max(1, Math.floor((width - MARGIN.left) / LEGEND_COLUMN_WIDTH));
}

function renderLegend(
  methods: readonly MethodName[],
  top: number,
  width: number,
): string {
  const columns = legendColumns(width);
  return methods
    .map((method, index) => {
      const x = MARGIN.left + (index % columns) * LEGEND_COLUMN_WIDTH;
      const y = top + Math.floor(index / columns) * LEGEND_ROW_HEIGHT;
      return (
        `<line x1="${x}" x2="${x + 22}" y1="${y}" y2="${y}" stroke="${METHOD_COLORS[method]}" stroke-width="2"/>` +
        `<circle cx="${x + 11}" cy="${y}" r="3" fill="${METHOD_COLORS[method]}"/>` +
        `<text x="${x + 28}" y="${y}" class="tick" dominant-baseline="middle">${escapeXml(METHOD_LABELS[method])}</text>`
      );
    })
    .join("\n");
}

/**
 * Renders answer retention against compression ratio as an SVG: one panel
 * per set, one line per method, and a shared legend below the panels.
 */
export function renderQualityChart(results: readonly SetResult[]): string {
  const methods = METHOD_NAMES.filter((method) =>
    results.some((result) =>
      result.cells.some((cell) => cell.method === method),
    ),
  );
  const width = Math.max(PANEL_WIDTH * results.length, 400);
  const legendRows = Math.ceil(methods.length / legendColumns(width));
  const height = PANEL_HEIGHT + 12 + legendRows * LEGEND_ROW_HEIGHT;
  const panels = results.map((result, index) =>
    renderPanel(result, index * PANEL_WIDTH),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    "<title>Answer retention against compression ratio</title>",
    "<style>.grid{stroke:#ddd;stroke-width:1}.tick{font-size:11px;fill:#333}.axis{font-size:11px;fill:#555}.title{font-size:13px;font-weight:600;fill:#111}</style>",
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...panels,
    renderLegend(methods, PANEL_HEIGHT + 12, width),
    "</svg>",
    "",
  ].join("\n");
}
