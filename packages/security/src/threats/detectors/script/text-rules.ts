import type { MappedText } from "../../normalize/mapped-text.js";
import type { PatternRule } from "../pattern-rules.js";
import { handlerValue, isLocalHandlerCall } from "./handler-code.js";

/**
 * Accepts a handler attribute that starts the match unless it only calls
 * a function of the page.
 */
function handlerCallsScript(match: RegExpExecArray, view: MappedText): boolean {
  return !isLocalHandlerCall(handlerValue(view.text, match.index));
}

/** Accepts a tag whose match ends at its handler's `=`, likewise. */
function tagHandlerCallsScript(
  match: RegExpExecArray,
  view: MappedText,
): boolean {
  const equals = match.index + match[0].length - 1;
  return !isLocalHandlerCall(handlerValue(view.text, equals));
}

/**
 * Names of DOM event handler attributes, in HTML, SVG and old Internet
 * Explorer, as payload lists use them.
 */
const HANDLER = String.raw`on(?:abort|after\w+|animation\w+|auxclick|before\w+|begin|blur|bounce|can\w+|cell\w+|change|click|close|context\w+|control\w+|copy|cue\w+|cut|data\w+|dblclick|deactivate|activate|drag\w*|drop|durationchange|emptied|end(?:ed)?|error(?:update)?|filterchange|finish|focus(?:in|out)?|form\w+|fullscreen\w+|hashchange|help|input|invalid|key\w+|layoutcomplete|load\w*|losecapture|message|mouse\w+|move\w*|offline|online|page\w+|paste|pause|play(?:ing)?|pointer\w+|popstate|progress|propertychange|ratechange|readystatechange|repeat|reset|resize|row\w+|scroll\w*|search|seek\w+|select\w*|show|stalled|start|stop|storage|submit|suspend|timeupdate|toggle|touch\w+|transition\w+|unload|volumechange|waiting|wheel|webkit\w+|moz\w+)`;

/** JavaScript functions that payloads call to prove that script ran. */
const SINK_CALL = String.raw`(?:alert|prompt|confirm|eval|settimeout|setinterval|document\.write(?:ln)?|window\.open|top\[|self\[|this\[)`;

/**
 * Rules that the script detector runs on the decoded, lower-cased text, to
 * find payload fragments that are not whole HTML tags: an attribute
 * injected into an existing tag, a string that breaks out of a script, a
 * javascript: URL written in plain text. They run on slices of 64 KiB, so
 * a run that can follow every start position is bounded (a name of up to
 * 100 characters), which keeps the work linear in the slice length.
 */
export const SCRIPT_TEXT_RULES: readonly PatternRule[] = [
  {
    subtype: "event-handler",
    pattern: new RegExp(
      String.raw`(?<![\w-])${HANDLER}\s*=\s*(?:['"\x60]\s*)?(?:[\w$.\[\]'"]{1,100}\s*[(\x60]|(?:java|vb)script:)`,
      "gu",
    ),
    score: 0.85,
    reason:
      "Injects an event handler attribute that calls script, to be placed inside an HTML tag.",
    accept: handlerCallsScript,
  },
  {
    subtype: "javascript-url",
    pattern:
      /(?<![\w-])(?:java|vb|live)script\s*:\s*(?:[\w$.:]{1,100}\s*[(\x60=[]|\/\/|void\b|['"\x60])/gu,
    score: 0.85,
    reason: "Contains a javascript: URL that runs script when followed.",
  },
  {
    subtype: "script-breakout",
    pattern: new RegExp(
      String.raw`['"\x60][\s;,)+\-\]}]*${SINK_CALL}\s*[(\x60\[]`,
      "gu",
    ),
    score: 0.85,
    reason:
      "Closes a quoted string and calls a JavaScript function, to break out of a value inside a script.",
  },
  {
    subtype: "script-element",
    pattern: /<\s*script\b/gu,
    score: 0.85,
    reason: "Contains an opening script tag.",
  },
  {
    subtype: "script-element",
    pattern: /<\/\s*script\b/gu,
    score: 0.7,
    reason: "Contains a closing script tag, which ends a script block early.",
  },
  {
    subtype: "event-handler",
    pattern: /<[a-z%][^<>]{0,80}?[\s/'"]on[a-z]{2}[^\s=<>]{0,60}\s*=/gu,
    score: 0.8,
    reason:
      "Contains a tag with an event handler attribute, even if the tag is not closed.",
    accept: tagHandlerCallsScript,
  },
  {
    subtype: "obfuscated-call",
    pattern:
      /\b(?:top|self|window|parent|this|globalthis|frames|content)\s*\[\s*['"\x60]|\(\s*(?:alert|prompt|confirm|eval)\s*\)\s*\(|\b(?:alert|prompt|confirm|eval)\s*\.\s*(?:call|apply|bind)\s*\(/gu,
    score: 0.75,
    reason:
      "Calls a JavaScript function through an indirection that hides its name.",
  },
  {
    subtype: "script-breakout",
    pattern:
      /(?:[;>]|\*\/)\s*(?:alert|prompt|confirm)\s*[(\x60]|\b(?:alert|prompt|confirm)\s*\([^()]{0,40}\)[\s;]*(?:\/\/|<!--|-->)/gu,
    score: 0.85,
    reason:
      "Ends a statement or tag and calls alert, prompt or confirm, as script injection payloads do.",
  },
  {
    subtype: "exfiltration",
    pattern:
      /new\s+image\s*\(\s*\)\s*\.src\s*=|navigator\.sendbeacon\s*\(|(?:fetch|xmlhttprequest|\.open)\s*\([^)]{0,120}document\.cookie|document\.cookie[^;\n]{0,120}(?:fetch|\.src\s*=|location\s*=|\.open\s*\(|sendbeacon)/gu,
    score: 0.85,
    reason: "Sends cookies or page data to another site from script.",
  },
  {
    subtype: "alert-probe",
    pattern:
      /(?<![\w.])(?:alert|prompt|confirm)\s*(?:\(|\x60)\s*(?:\d+|document\.\w+|['"\x60][^'"\x60]{0,40}['"\x60]|string\.fromcharcode|\/[^/\n]{1,20}\/|window\.\w+|this\.\w+|\)|\x60)/gu,
    score: 0.7,
    reason:
      "Calls alert, prompt or confirm the way script injection payloads test for execution.",
  },
  {
    subtype: "cookie-access",
    pattern: /\bdocument\.cookie\b/gu,
    score: 0.7,
    reason: "Reads document.cookie, which holds the session of the page.",
  },
  {
    subtype: "dom-sink",
    pattern:
      /\bdocument\.write(?:ln)?\s*\(|\.(?:inner|outer)html\s*\+?=|\binsertadjacenthtml\s*\(|\bstring\.fromcharcode\s*\(|(?:window|document|top|self|parent)\.location(?:\.href)?\s*=/gu,
    score: 0.55,
    reason:
      "Writes HTML into the page, builds code from character codes or redirects the page from script.",
  },
  {
    subtype: "style",
    pattern: /\bexpression\s*\(|-moz-binding\s*:|\bbehaviou?r\s*:\s*url\s*\(/gu,
    score: 0.7,
    reason:
      "Contains CSS that runs script through expression(), a behavior or a binding.",
  },
  {
    subtype: "event-handler-name",
    pattern: new RegExp(String.raw`^\s*${HANDLER}\s*$`, "gu"),
    score: 0.4,
    reason: "Consists of the name of a DOM event handler attribute.",
  },
];
