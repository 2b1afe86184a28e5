/** Column alignment in a Markdown table. */
export type Alignment = "left" | "right";

/**
 * Renders a Markdown table with padded columns, so it also reads well as
 * plain text. The first column is left-aligned, the others as given.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  alignment: Alignment = "right",
): string {
  const widths = headers.map((header, column) =>
    Math.max(
      3,
      header.length,
      ...rows.map((row) => (row[column] ?? "").length),
    ),
  );
  const pad = (text: string, column: number): string => {
    const width = widths[column] ?? 0;
    return column === 0 || alignment === "left"
      ? text.padEnd(width)
      : text.padStart(width);
  };
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => pad(cell, column)).join(" | ")} |`;
  const rule = widths.map((width, column) =>
    column === 0 || alignment === "left"
      ? "-".repeat(width)
      : `${"-".repeat(width - 1)}:`,
  );
  return [line(headers), line(rule), ...rows.map(line)].join("\n");
}

/** Formats a 0–1 share as a percentage with one decimal, or "–" when null. */
export function formatPercent(share: number | null | undefined): string {
  return share === null || share === undefined ? "–" : (share * 100).toFixed(1);
}

/** Formats a number with the given decimals, or "–" when null. */
export function formatNumber(
  value: number | null | undefined,
  decimals: number,
): string {
  return value === null || value === undefined ? "–" : value.toFixed(decimals);
}
