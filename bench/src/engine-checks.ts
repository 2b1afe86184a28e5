import type { EngineFindings } from "./engine-method.js";
import type { MethodName } from "./methods.js";
import type { QaSetName } from "./qa-items.js";

/** Kinds of engine findings listed item by item. */
export type AnomalyKind =
  | "crash"
  | "budget-violation"
  | "provenance-failure"
  | "count-mismatch"
  | "under-filled";

/** One engine finding with the input that caused it. */
export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly set: QaSetName;
  readonly method: MethodName;
  readonly ratio: number;
  readonly itemId: string;
  readonly detail: string;
}

/** Engine checks summed over the items of one set, method and ratio. */
export interface EngineSummary {
  /** Calls that threw; their items are left out of every other metric. */
  readonly crashes: number;
  /** Items whose `compressedTokens` exceed `request.budgetTokens`. */
  readonly budgetViolations: number;
  /**
   * Items whose achieved ratio is more than 10% above the requested one
   * while a context sentence not in the output would still fit.
   */
  readonly underFilled: number;
  /** Items with at least one span that fails the provenance check. */
  readonly provenanceFailures: number;
  /** Items whose engine counts or budget differ from ours. */
  readonly countMismatches: number;
  /** Mean wall time of one `compress` call, in milliseconds. */
  readonly meanTimeMs: number | null;
}

/** Sums engine findings for one set, method and ratio. */
export class EngineAccumulator {
  private calls = 0;
  private crashes = 0;
  private budgetViolations = 0;
  private underFilled = 0;
  private provenanceFailures = 0;
  private countMismatches = 0;
  private timeSum = 0;

  /** Adds the findings of one successful call. */
  add(findings: EngineFindings): void {
    this.calls++;
    this.timeSum += findings.timeMs;
    this.budgetViolations += Number(findings.budgetViolation);
    this.underFilled += Number(findings.underFilledBy !== undefined);
    this.provenanceFailures += Number(findings.provenanceFailures > 0);
    this.countMismatches += Number(findings.countMismatches.length > 0);
  }

  /** Counts one call that threw. */
  addCrash(): void {
    this.crashes++;
  }

  /** Returns the totals and the mean time. */
  summarize(): EngineSummary {
    return {
      crashes: this.crashes,
      budgetViolations: this.budgetViolations,
      underFilled: this.underFilled,
      provenanceFailures: this.provenanceFailures,
      countMismatches: this.countMismatches,
      meanTimeMs: this.calls > 0 ? this.timeSum / this.calls : null,
    };
  }
}

/** Most anomalies of one kind kept for the report; the rest are counted. */
const MAX_ANOMALIES_PER_KIND = 25;

/** Collects anomalies, keeping the first few of each kind. */
export class AnomalyLog {
  readonly firstCases: Anomaly[] = [];
  readonly totals: Partial<Record<AnomalyKind, number>> = {};

  /** Records an anomaly; only counts it once its kind is full. */
  record(anomaly: Anomaly): void {
    const total = (this.totals[anomaly.kind] ?? 0) + 1;
    this.totals[anomaly.kind] = total;
    if (total <= MAX_ANOMALIES_PER_KIND) {
      this.firstCases.push(anomaly);
    }
  }
}

/** Longest quoted source text in an anomaly's detail, in characters. */
const MAX_QUOTE_LENGTH = 80;

function quote(text: string): string {
  const short =
    text.length > MAX_QUOTE_LENGTH
      ? `${text.slice(0, MAX_QUOTE_LENGTH - 1)}…`
      : text;
  return JSON.stringify(short);
}

/** Turns the findings of one call into anomalies. */
export function findingsToAnomalies(
  findings: EngineFindings,
  where: Omit<Anomaly, "kind" | "detail">,
  budget: number,
  compressedTokens: number,
): Anomaly[] {
  const anomalies: Anomaly[] = [];
  if (findings.budgetViolation) {
    anomalies.push({
      ...where,
      kind: "budget-violation",
      detail: `${compressedTokens} tokens for a budget of ${budget}`,
    });
  }
  if (findings.provenanceFailures > 0) {
    anomalies.push({
      ...where,
      kind: "provenance-failure",
      detail: `${findings.provenanceFailures} spans differ from the source`,
    });
  }
  if (findings.countMismatches.length > 0) {
    anomalies.push({
      ...where,
      kind: "count-mismatch",
      detail: findings.countMismatches.join("; "),
    });
  }
  if (findings.underFilledBy !== undefined) {
    anomalies.push({
      ...where,
      kind: "under-filled",
      detail: `${compressedTokens} tokens of a budget of ${budget}; ${quote(findings.underFilledBy)} would fit`,
    });
  }
  return anomalies;
}
