import { assemble } from "../assemble.js";
import type { Assembled, AssembleSettings } from "../assemble.js";
import type { TokenCounter } from "../tokenizer.js";
import { selectUnits } from "./greedy.js";
import type { GreedyInput } from "./greedy.js";

/** A selection checked against the budget with the real tokenizer. */
export interface FittedSelection {
  readonly selected: Uint8Array;
  readonly assembled: Assembled;
  /** Exact tokens of `assembled.text`. */
  readonly tokens: number;
  /** Estimated tokens of the mandatory units alone. */
  readonly mandatoryTokens: number;
}

/** Most selection rounds before the best one found is returned. */
const MAX_ROUNDS = 8;
/** A round that fills at least this share of the budget ends the search. */
const GOOD_ENOUGH_FILL = 0.985;

/**
 * Selects units, assembles them and counts the whole output with the
 * target tokenizer, then repeats with a corrected internal budget until the
 * exact count fits. Per-unit counts are estimates of the whole (tokens can
 * merge across a gap marker), so only the final count is trusted.
 */
export function fitToBudget(
  input: Omit<GreedyInput, "budget">,
  budget: number,
  counter: TokenCounter,
  settings: AssembleSettings,
  corpus = input.corpus,
): FittedSelection {
  let effective = budget;
  let best: FittedSelection | undefined;
  let last: FittedSelection | undefined;
  const tried = new Set<number>();
  for (let round = 0; round < MAX_ROUNDS && !tried.has(effective); round++) {
    tried.add(effective);
    const selection = selectUnits({ ...input, budget: effective });
    const assembled = assemble(corpus, selection.selected, settings);
    const tokens = counter.count(assembled.text);
    last = {
      selected: selection.selected,
      assembled,
      tokens,
      mandatoryTokens: selection.mandatoryTokens,
    };
    if (tokens <= budget) {
      if (best === undefined || tokens > best.tokens) {
        best = last;
      }
      if (
        tokens >= budget * GOOD_ENOUGH_FILL ||
        selection.estimatedTokens < effective - budget * 0.05
      ) {
        break;
      }
      effective += budget - tokens;
    } else {
      effective -= tokens - budget;
      if (effective < 0) {
        break;
      }
    }
  }
  return best ?? (last as FittedSelection);
}
