import type { MappedText } from "../normalize/mapped-text.js";

/**
 * Counts the `quote` characters before `index` that can open or close an
 * SQL string: those not between two letters, as the apostrophe in
 * "don't" is.
 */
function quotesBefore(text: string, index: number, quote: string): number {
  let count = 0;
  for (let at = text.indexOf(quote); at >= 0 && at < index;) {
    const inWord =
      /\p{L}/u.test(text.charAt(at - 1)) && /\p{L}/u.test(text.charAt(at + 1));
    if (!inWord) {
      count++;
    }
    at = text.indexOf(quote, at + 1);
  }
  return count;
}

/** The operator that starts an injected condition, after its quote. */
const CONDITION_START =
  /^['"\x60)](?:[\s+]|\/\*[^*]{0,40}\*\/)*(?:or|and|xor|\|\||&&)/u;

/** Removes separators, brackets, comments and quotes from an operand. */
function bare(operand: string): string {
  return operand.replace(/\/\*[^*]{0,40}\*\/|[\s+()'"\x60]/gu, "");
}

/**
 * Returns the two sides of the `=` of a condition such as "' OR a = 'b",
 * bare, or undefined when the condition compares otherwise.
 */
function equalitySides(condition: string): [string, string] | undefined {
  const start = CONDITION_START.exec(condition);
  const rest = condition.slice(start?.[0].length ?? 0);
  const equals = rest.indexOf("=");
  if (equals <= 0 || /[<>!]/u.test(rest.charAt(equals - 1))) {
    return undefined;
  }
  return [bare(rest.slice(0, equals)), bare(rest.slice(equals + 1))];
}

/**
 * Tells whether a quote followed by OR or AND injects a condition. It
 * does not when the quote closes a string that opens earlier in the same
 * sentence and the two sides of its `=` differ, as in the query
 * `WHERE status = 'active' OR status = 'pending'`. An equality of equal
 * sides, such as `'a'='a'`, is always true and counts either way.
 */
export function injectsCondition(
  match: RegExpExecArray,
  view: MappedText,
): boolean {
  const quote = match[0].charAt(0);
  if (quote !== "'" && quote !== '"') {
    return true;
  }
  if (quotesBefore(view.text, match.index, quote) % 2 === 0) {
    return true;
  }
  const sides = equalitySides(match[0]);
  return sides === undefined || sides[0] === sides[1];
}

/** A complete SELECT with its FROM clause, earlier in the statement. */
const COMPLETE_SELECT = /\bselect\b[^;]{1,200}?\bfrom\s+[\w.[\]"\x60]+/u;

/**
 * Tells whether a UNION SELECT joins two complete queries, as SQL
 * documentation writes them: a SELECT with a FROM clause comes before it
 * in the same statement, and no comment follows it to cut the query off.
 */
export function joinsCompleteQueries(
  match: RegExpExecArray,
  view: MappedText,
): boolean {
  const statementStart = view.text.lastIndexOf(";", match.index) + 1;
  const before = view.text.slice(statementStart, match.index);
  const end = match.index + match[0].length;
  const statementEnd = view.text.indexOf(";", end);
  const after = view.text.slice(
    end,
    statementEnd < 0 ? undefined : statementEnd,
  );
  return COMPLETE_SELECT.test(before) && !/--|#|\/\*/u.test(after);
}
