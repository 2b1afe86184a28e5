import { isLocalHandlerCall } from "./handler-code.js";
import type { HtmlAttribute, HtmlTag } from "./html-tokens.js";

/** A hit of one markup rule, with offsets in the tokenized string. */
export interface MarkupHit {
  readonly subtype: string;
  readonly start: number;
  readonly end: number;
  readonly score: number;
  readonly reason: string;
}

/** URL schemes that run script when a browser follows the URL. */
const SCRIPT_SCHEME = /^(?:java|vb|live|j|ecma)script:|^mocha:/u;

/** `data:` URLs whose content a browser renders as a document or script. */
const ACTIVE_DATA_URL =
  /^data:(?:text\/html|text\/xml|application\/(?:x-)?(?:xhtml\+xml|javascript|ecmascript)|text\/(?:x-)?(?:javascript|ecmascript)|image\/svg\+xml)/u;

/**
 * Reduces a URL as browsers read its scheme: white space and control
 * characters removed, JavaScript-style escapes that payload lists write
 * literally (`\x09`) removed, lower-cased.
 */
export function urlForScheme(value: string): string {
  const unescaped = value.replace(/\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|0)/giu, "");
  let stripped = "";
  for (const character of unescaped) {
    const code = character.codePointAt(0) ?? 0;
    const ignored =
      code <= 0x20 ||
      (code >= 0x7f && code <= 0xa0) ||
      (code >= 0x200b && code <= 0x200f) ||
      code === 0x2028 ||
      code === 0x2029 ||
      code === 0xfeff;
    if (!ignored) {
      stripped += character;
    }
  }
  return stripped.toLowerCase();
}

/**
 * Decodes CSS escapes such as `\0065` or `\e`, removes comments and white
 * space, and lower-cases, so `expr/**\/ession` reads `expression`.
 */
export function normalizeCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?(?:\*\/|$)/gu, "")
    .replace(/\\([0-9a-f]{1,6})\s?/giu, (_escape, hex: string) => {
      const codePoint = parseInt(hex, 16);
      return codePoint > 0 && codePoint <= 0x10ffff
        ? String.fromCodePoint(codePoint)
        : "";
    })
    .replace(/\\(.)/gsu, "$1")
    .replace(/\s+/gu, "")
    .replaceAll("\u0000", "")
    .toLowerCase();
}

/** Returns a rule hit when CSS can run script, or undefined. */
export function checkCss(
  css: string,
): { subtype: string; score: number; reason: string } | undefined {
  const plain = normalizeCss(css);
  if (/(?:java|vb)script:/u.test(plain)) {
    return {
      subtype: "style",
      score: 0.9,
      reason: "Contains CSS that loads a javascript: URL.",
    };
  }
  if (/expression\(|-moz-binding|behaviou?r:url|behaviou?r:/u.test(plain)) {
    return {
      subtype: "style",
      score: 0.85,
      reason:
        "Contains CSS that runs script through expression(), a behavior or a binding.",
    };
  }
  if (/url\(['"]?data:(?:text\/html|image\/svg\+xml)/u.test(plain)) {
    return {
      subtype: "style",
      score: 0.7,
      reason:
        "Contains CSS that loads an HTML or SVG document from a data: URL.",
    };
  }
  return undefined;
}

function hit(
  span: { start: number; end: number },
  subtype: string,
  score: number,
  reason: string,
): MarkupHit {
  return { subtype, start: span.start, end: span.end, score, reason };
}

/** URL schemes that old browsers render as documents from another origin. */
const DOCUMENT_SCHEME = /^(?:mhtml|view-source|jar|feed|ms-its|mk):/u;

function checkUrlValue(attribute: HtmlAttribute): MarkupHit | undefined {
  // A refresh target such as "0;url=javascript:..." is read after "url=".
  const url = urlForScheme(attribute.value).replace(/^[\d.]*;?url=/u, "");
  if (SCRIPT_SCHEME.test(url)) {
    return hit(
      attribute,
      "javascript-url",
      0.95,
      `Sets the ${attribute.name} attribute to a javascript: URL, which runs script.`,
    );
  }
  if (ACTIVE_DATA_URL.test(url)) {
    return hit(
      attribute,
      "data-url",
      0.85,
      `Sets the ${attribute.name} attribute to a data: URL that holds an HTML or SVG document.`,
    );
  }
  if (DOCUMENT_SCHEME.test(url)) {
    return hit(
      attribute,
      "document-url",
      0.8,
      `Sets the ${attribute.name} attribute to a ${url.split(":")[0] ?? ""}: URL, which old browsers render as a document.`,
    );
  }
  if (/(?:java|vb)script:/u.test(url)) {
    return hit(
      attribute,
      "javascript-url",
      0.9,
      `Puts a javascript: URL inside the ${attribute.name} attribute.`,
    );
  }
  return undefined;
}

/** Checks one attribute for event handlers, script URLs and script CSS. */
export function checkAttribute(
  tag: HtmlTag,
  attribute: HtmlAttribute,
): MarkupHit | undefined {
  const name = attribute.name.replace(/^[\w-]+:/u, "");
  if (/^on[a-z]/u.test(name)) {
    if (isLocalHandlerCall(attribute.value)) {
      return hit(
        attribute,
        "event-handler",
        0.45,
        `Adds the event handler attribute ${attribute.name} to <${tag.name}>, which only calls a function of the page.`,
      );
    }
    const empty = attribute.value.trim() === "";
    return hit(
      attribute,
      "event-handler",
      empty ? 0.6 : 0.9,
      `Adds the event handler attribute ${attribute.name} to <${tag.name}>, which runs script.`,
    );
  }
  if (name === "style") {
    const css = checkCss(attribute.value);
    return css === undefined
      ? undefined
      : hit(attribute, css.subtype, css.score, css.reason);
  }
  if (
    name === "attributename" &&
    /^\s*(?:on[a-z]|(?:xlink:)?href\b)/iu.test(attribute.value)
  ) {
    return hit(
      attribute,
      "svg-animation",
      0.85,
      `Uses SVG <${tag.name}> to set the ${attribute.value.trim()} attribute, which can run script.`,
    );
  }
  if (name === "dataformatas" && /html/iu.test(attribute.value)) {
    return hit(
      attribute,
      "data-binding",
      0.6,
      "Uses IE data binding to insert HTML from a data island.",
    );
  }
  return checkUrlValue(attribute);
}

/** Tags that embed other documents, plugins or change the page's base. */
const EMBEDDING_TAGS: Readonly<Record<string, number>> = {
  iframe: 0.6,
  frame: 0.6,
  frameset: 0.5,
  object: 0.8,
  embed: 0.8,
  applet: 0.8,
  base: 0.6,
  portal: 0.6,
  handler: 0.6,
  listener: 0.6,
  xml: 0.5,
};

function checkStyleElement(tag: HtmlTag, html: string): MarkupHit | undefined {
  if (tag.content === undefined) {
    return undefined;
  }
  const css = checkCss(html.slice(tag.content.start, tag.content.end));
  return css === undefined
    ? undefined
    : hit(
        { start: tag.start, end: tag.content.end },
        css.subtype,
        css.score,
        css.reason,
      );
}

function checkMeta(tag: HtmlTag): MarkupHit | undefined {
  const equiv = tag.attributes.find((item) => item.name === "http-equiv");
  if (equiv === undefined || !/refresh|set-cookie/iu.test(equiv.value)) {
    return undefined;
  }
  return hit(
    tag,
    "meta-refresh",
    0.6,
    `Contains a <meta http-equiv="${equiv.value}"> that redirects the page or sets a cookie.`,
  );
}

function checkLink(tag: HtmlTag): MarkupHit | undefined {
  const rel = tag.attributes.find((item) => item.name === "rel");
  if (rel === undefined || !/import/iu.test(rel.value)) {
    return undefined;
  }
  return hit(
    tag,
    "embedding",
    0.7,
    "Imports an HTML document with <link rel=import>.",
  );
}

/** Checks the element itself, apart from its attributes. */
export function checkElement(
  tag: HtmlTag,
  html: string,
): MarkupHit | undefined {
  switch (tag.name) {
    case "style":
      return checkStyleElement(tag, html);
    case "script":
      return hit(
        { start: tag.start, end: tag.content?.end ?? tag.end },
        "script-element",
        0.9,
        "Contains a <script> element, which runs JavaScript.",
      );
    case "meta":
      return checkMeta(tag);
    case "link":
      return checkLink(tag);
    default: {
      const score = EMBEDDING_TAGS[tag.name];
      return score === undefined
        ? undefined
        : hit(
            tag,
            "embedding",
            score,
            `Contains an <${tag.name}> element, which embeds content that can run script.`,
          );
    }
  }
}
