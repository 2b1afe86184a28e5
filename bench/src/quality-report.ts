import type { MethodName } from "./methods.js";
import { METHOD_LABELS } from "./methods.js";
import { formatNumber, formatPercent, renderTable } from "./markdown.js";
import type { CellSummary, SetResult } from "./quality-runner.js";

type CellMetric = (cell: CellSummary) => string;

function methodsOf(result: SetResult): MethodName[] {
  return [...new Set(result.cells.map((cell) => cell.method))];
}

function ratiosOf(result: SetResult): number[] {
  return [...new Set(result.cells.map((cell) => cell.ratio))];
}

/** Renders one metric as a table of methods (rows) by ratios (columns). */
function renderMetricTable(result: SetResult, metric: CellMetric): string {
  const ratios = ratiosOf(result);
  const rows = methodsOf(result).map((method) => [
    METHOD_LABELS[method],
    ...ratios.map((ratio) => {
      const cell = result.cells.find(
        (entry) => entry.method === method && entry.ratio === ratio,
      );
      return cell === undefined ? "–" : metric(cell);
    }),
  ]);
  return renderTable(["method", ...ratios.map((ratio) => `${ratio}×`)], rows);
}

function renderEngineTable(result: SetResult): string | undefined {
  const cells = result.cells.filter((cell) => cell.engine !== undefined);
  if (cells.length === 0) {
    return undefined;
  }
  const rows = cells.map((cell) => {
    const engine = cell.engine;
    return [
      METHOD_LABELS[cell.method],
      `${cell.ratio}×`,
      formatNumber(cell.meanAchievedRatio, 2),
      formatNumber(cell.minAchievedRatio, 2),
      String(engine?.budgetViolations ?? 0),
      String(engine?.underFilled ?? 0),
      String(engine?.provenanceFailures ?? 0),
      String(engine?.countMismatches ?? 0),
      String(engine?.crashes ?? 0),
      formatNumber(engine?.meanTimeMs, 1),
    ];
  });
  return renderTable(
    [
      "engine mode",
      "ratio",
      "mean ratio",
      "min ratio",
      "over budget",
      "under-filled",
      "provenance failures",
      "count mismatches",
      "crashes",
      "ms per item",
    ],
    rows,
  );
}

function describeSet(result: SetResult): string {
  const scored = result.items - result.yesNoItems;
  const yesNo =
    result.yesNoItems > 0
      ? ` Answer retention counts ${scored} of them, leaving out ${result.yesNoItems} with a yes/no answer.`
      : "";
  return (
    `${result.items} items, mean context ` +
    `${Math.round(result.meanOriginalTokens)} o200k_base tokens.${yesNo}`
  );
}

/** Renders the Markdown section of one set: description and tables. */
export function renderSetSection(result: SetResult): string {
  const hasEvidence = result.cells.some((cell) => cell.evidenceRecall !== null);
  const parts = [
    `## ${result.label} (\`${result.set}\`)`,
    describeSet(result),
    "Answer retention (% of items whose gold answer is in the output):",
    renderMetricTable(result, (cell) => formatPercent(cell.answerRetention)),
  ];
  if (hasEvidence) {
    parts.push(
      "Supporting-fact recall (% of evidence sentences kept, mean over items):",
      renderMetricTable(result, (cell) => formatPercent(cell.evidenceRecall)),
      "All supporting facts kept (% of items):",
      renderMetricTable(result, (cell) => formatPercent(cell.allEvidenceKept)),
    );
  }
  parts.push(
    "Mean achieved ratio (original tokens / output tokens, non-empty outputs):",
    renderMetricTable(result, (cell) =>
      formatNumber(cell.meanAchievedRatio, 2),
    ),
  );
  const engineTable = renderEngineTable(result);
  if (engineTable !== undefined) {
    parts.push("Engine checks (counts of items):", engineTable);
  }
  const empty = result.cells.filter((cell) => cell.emptyOutputs > 0);
  if (empty.length > 0) {
    parts.push(
      "Empty outputs (nothing fits the budget; a mean over seeds for random sentences): " +
        empty
          .map(
            (cell) =>
              `${METHOD_LABELS[cell.method]} ${cell.ratio}×: ${cell.emptyOutputs}`,
          )
          .join(", ") +
        ".",
    );
  }
  return parts.join("\n\n");
}
