import { decodeEscapes } from "../../normalize/decode.js";
import { findEncodedRuns } from "../../normalize/encoded.js";
import { MappedText } from "../../normalize/mapped-text.js";
import { foldText, stripInvisible } from "../../normalize/unicode.js";
import { boundedSlices } from "../../segment.js";
import type { ThreatFinding } from "../../types.js";
import { toFinding } from "../detector.js";
import type { Detector, ScanContext } from "../detector.js";
import { tokenizeHtml } from "./html-tokens.js";
import type { HtmlTokens } from "./html-tokens.js";
import { checkAttribute, checkElement } from "./markup-rules.js";
import type { MarkupHit } from "./markup-rules.js";
import { SCRIPT_TEXT_RULES } from "./text-rules.js";

/**
 * Maximum length of a slice tokenized at once. Cuts fall at line breaks,
 * so only an element written across a cut is missed.
 */
const HTML_SLICE_LENGTH = 65536;

/** How many documents deep `srcdoc` and conditional comments are read. */
const MAX_NESTING = 3;

/**
 * Builds the view that script rules read: invisible characters removed;
 * percent-encoding, character references, JavaScript escapes and UTF-7
 * decoded; NFKC-folded and lower-cased.
 */
export function scriptView(text: string, offset: number): MappedText {
  let view = stripInvisible(MappedText.fromOriginal(text, offset));
  view = decodeEscapes(view, {
    percent: true,
    entities: true,
    javascript: true,
    utf7: true,
  });
  // Decoding can produce control characters such as %00 inside a tag name.
  return foldText(stripInvisible(view), "code");
}

function nestedHit(html: string, depth: number): MarkupHit | undefined {
  if (depth >= MAX_NESTING || !html.includes("<")) {
    return undefined;
  }
  const hits = markupHits(html, tokenizeHtml(html), depth + 1);
  return hits.sort((left, right) => right.score - left.score)[0];
}

function documentHits(tokens: HtmlTokens, depth: number): MarkupHit[] {
  const hits: MarkupHit[] = [];
  for (const tag of tokens.tags) {
    const srcdoc = tag.attributes.find((item) => item.name === "srcdoc");
    if (srcdoc !== undefined) {
      const inner = nestedHit(srcdoc.value, depth);
      hits.push({
        subtype: "srcdoc",
        start: srcdoc.start,
        end: srcdoc.end,
        score: Math.max(0.7, inner?.score ?? 0),
        reason:
          inner === undefined
            ? `Sets srcdoc on <${tag.name}>, which renders an HTML document inside the page.`
            : `Sets srcdoc on <${tag.name}> to an HTML document that runs script.`,
      });
    }
  }
  for (const comment of tokens.comments) {
    const inner = /^\s*\[if\b/iu.test(comment.data)
      ? nestedHit(comment.data, depth)
      : undefined;
    if (inner !== undefined) {
      hits.push({
        ...inner,
        start: comment.start,
        end: comment.end,
        reason: `${inner.reason} It sits in a conditional comment that old Internet Explorer renders.`,
      });
    }
  }
  return hits;
}

function markupHits(html: string, tokens: HtmlTokens, depth = 0): MarkupHit[] {
  const hits: MarkupHit[] = documentHits(tokens, depth);
  for (const tag of tokens.tags) {
    const element = checkElement(tag, html);
    if (element !== undefined) {
      hits.push(element);
    }
    for (const attribute of tag.attributes) {
      const found = checkAttribute(tag, attribute);
      if (found !== undefined) {
        hits.push(found);
      }
    }
  }
  return hits;
}

function markupFindings(
  context: ScanContext,
  view: MappedText,
  note: string,
): ThreatFinding[] {
  if (!view.text.includes("<")) {
    return [];
  }
  return markupHits(view.text, tokenizeHtml(view.text)).map((hit) => {
    const span = view.toOriginal(hit.start, hit.end);
    return toFinding(context, {
      type: "SCRIPT_INJECTION",
      subtype: hit.subtype,
      detector: "script-injection",
      span,
      match: span,
      score: hit.score,
      reason: `${hit.reason}${note}`,
    });
  });
}

function textRuleFindings(
  context: ScanContext,
  view: MappedText,
): ThreatFinding[] {
  const found: ThreatFinding[] = [];
  for (const rule of SCRIPT_TEXT_RULES) {
    for (const match of view.text.matchAll(rule.pattern)) {
      if (match[0].length === 0) {
        continue;
      }
      if (rule.accept !== undefined && !rule.accept(match, view)) {
        continue;
      }
      const span = view.toOriginal(match.index, match.index + match[0].length);
      found.push(
        toFinding(context, {
          type: "SCRIPT_INJECTION",
          subtype: rule.subtype,
          detector: "script-injection",
          span,
          match: span,
          score: rule.score,
          reason: rule.reason,
        }),
      );
    }
  }
  return found;
}

/** Appends findings one by one; a spread of a long list overflows the stack. */
function appendAll(
  target: ThreatFinding[],
  items: readonly ThreatFinding[],
): void {
  for (const item of items) {
    target.push(item);
  }
}

/**
 * Finds script in one slice. Markup is tokenized as written, as a browser
 * reads it, and again after decoding when decoding changes the text, to
 * catch markup hidden by escapes, invisible characters or encodings.
 */
function sliceFindings(
  context: ScanContext,
  raw: string,
  offset: number,
): ThreatFinding[] {
  const original = MappedText.fromOriginal(raw, offset);
  const view = scriptView(raw, offset);
  const found = markupFindings(context, original, "");
  if (view.text !== raw.toLowerCase()) {
    const hidden = markupFindings(
      context,
      view,
      " It is hidden with escapes, encodings or invisible characters.",
    );
    appendAll(found, hidden);
  }
  appendAll(found, textRuleFindings(context, view));
  return found;
}

/**
 * Finds markup hidden as base64, such as the payload of a data: URL,
 * reported at the span of the encoded run.
 */
function encodedFindings(
  context: ScanContext,
  raw: string,
  offset: number,
): ThreatFinding[] {
  const found: ThreatFinding[] = [];
  for (const run of findEncodedRuns(raw, offset)) {
    const hit =
      run.encoding === "base64"
        ? nestedHit(run.decoded.toLowerCase(), 0)
        : undefined;
    if (hit !== undefined) {
      const span = { start: run.start, end: run.end };
      found.push(
        toFinding(context, {
          type: "SCRIPT_INJECTION",
          subtype: hit.subtype,
          detector: "script-injection",
          span,
          match: span,
          score: hit.score,
          reason: `${hit.reason} It is hidden as base64 text.`,
        }),
      );
    }
  }
  return found;
}

/** A cheap test for text that no script rule can match. */
const SCRIPT_GATE = /[<%&\\+:(`]|on[a-z]/iu;

/**
 * Finds script injection. It reads `<script>` and embedding elements,
 * event handler attributes, SVG animation of handlers, `srcdoc` documents
 * and CSS that runs script. It reads javascript: and active data: URLs the
 * way browsers do, after character references and with white space
 * removed. It also reads payload fragments, such as injected attributes
 * or strings that break out of a script. Markup is tokenized with parse5,
 * as written and again after decoding escapes.
 */
export const scriptInjectionDetector: Detector = {
  name: "script-injection",
  detect(context) {
    const found: ThreatFinding[] = [];
    for (const slice of boundedSlices(context.text, HTML_SLICE_LENGTH)) {
      const raw = context.text.slice(slice.start, slice.end);
      if (SCRIPT_GATE.test(raw)) {
        appendAll(found, sliceFindings(context, raw, slice.start));
      }
      appendAll(found, encodedFindings(context, raw, slice.start));
    }
    return found;
  },
};
