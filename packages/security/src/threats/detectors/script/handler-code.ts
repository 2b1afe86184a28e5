/**
 * Names whose use in a handler runs code, reads the page or sends data:
 * the calls that payloads prove execution with, and the objects and
 * functions that reach the document, the window or the network.
 */
const SINK_NAMES =
  /\b(?:alert|prompt|confirm|print|eval|settimeout|setinterval|function|fetch|open|write|writeln|import|require|atob|btoa|unescape|decodeuri\w*|fromcharcode|constructor|document|window|location|cookie|top|self|parent|frames|globalthis|navigator|xmlhttprequest|sendbeacon|innerhtml|outerhtml|javascript)\b/iu;

/** One argument of a simple call: a word, a number or a short plain string. */
const ARGUMENT = String.raw`(?:[\w$.-]{1,40}|'[\w\s.-]{0,40}'|"[\w\s.-]{0,40}")`;

/** Maximum length of handler code that is read as a simple call. */
const MAX_CALL_LENGTH = 300;

/**
 * A handler that calls one function by name with simple arguments, as in
 * `toggleMenu()` or `menu.show('main', this)`.
 */
const SIMPLE_CALL = new RegExp(
  String.raw`^\s*[a-z_$][\w$]{0,40}(?:\.[a-z_$][\w$]{0,40}){0,2}\s*\(\s*(?:${ARGUMENT}(?:\s*,\s*${ARGUMENT}){0,5}\s*)?\)[\s;]*(?:return\s+false[\s;]*)?$`,
  "iu",
);

/**
 * Tells whether a handler's code only calls a function of the page, such
 * as `toggleMenu()`, without reaching a sink. Pages write such handlers;
 * payloads call alert, eval, fetch or the document instead.
 */
export function isLocalHandlerCall(code: string): boolean {
  return (
    code.length <= MAX_CALL_LENGTH &&
    SIMPLE_CALL.test(code) &&
    !SINK_NAMES.test(code)
  );
}

/**
 * Returns the value of the handler attribute whose `=` is the first one
 * at or after `from`: the text inside its quotes, or up to white space or
 * the end of the tag.
 */
export function handlerValue(text: string, from: number): string {
  let at = text.indexOf("=", from) + 1;
  while (/\s/u.test(text.charAt(at))) {
    at++;
  }
  const quote = text.charAt(at);
  if (quote === '"' || quote === "'" || quote === "\x60") {
    const close = text.indexOf(quote, at + 1);
    return text.slice(at + 1, close < 0 ? at + 201 : close);
  }
  const end = text.slice(at, at + 200).search(/[\s>]/u);
  return text.slice(at, end < 0 ? at + 200 : at + end);
}
