import { describe, expect, it } from "vitest";

import { scanThreats } from "../../scan.js";
import { findingsOf, matchedText } from "../../test-support/findings.js";

function scriptFindings(text: string) {
  return findingsOf(text, "script-injection", "SCRIPT_INJECTION");
}

describe("scriptInjectionDetector", () => {
  it("flags a script element with its exact span", () => {
    const text = 'Hello <script>alert("x")</script> world';
    const finding = scriptFindings(text)[0];

    expect(finding?.subtype).toBe("script-element");
    expect(finding?.score).toBeGreaterThanOrEqual(0.8);
    expect(finding?.text).toBe('<script>alert("x")</script>');
  });

  it("flags an event handler attribute at the attribute", () => {
    const text = "<img src=x onerror=alert(1)>";
    const finding = scriptFindings(text)[0];

    expect(finding?.subtype).toBe("event-handler");
    expect(matchedText(text, finding)).toBe("onerror=alert(1)");
  });

  it.each([
    ["entities and a tab", '<a href="jav&#x09;ascript&colon;alert(1)">x</a>'],
    ["mixed case and spaces", "<a href=' JaVaScRiPt:alert(1)'>x</a>"],
    [
      "decimal references",
      "<img src=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    ],
    ["a vbscript URL", '<a href="vbscript:msgbox(1)">x</a>'],
  ])("flags a javascript: URL written with %s", (_name, text) => {
    const finding = scriptFindings(text)[0];

    expect(finding?.subtype).toBe("javascript-url");
    expect(finding?.score).toBeGreaterThanOrEqual(0.9);
  });

  it("flags a data: URL that holds HTML", () => {
    const finding = scriptFindings(
      '<object data="data:text/html,<b>hi</b>"></object>',
    ).find((item) => item.subtype === "data-url");

    expect(finding?.score).toBeGreaterThanOrEqual(0.8);
  });

  it("reads the base64 document of a data: URL", () => {
    const finding = scriptFindings(
      '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>',
    )[0];

    expect(finding?.subtype).toBe("script-element");
    expect(finding?.reason).toContain("base64");
  });

  it("flags an iframe srcdoc that runs script", () => {
    const finding = scriptFindings(
      '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    ).find((item) => item.subtype === "srcdoc");

    expect(finding?.score).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ["an SVG onload", '<svg onload="alert(1)"></svg>'],
    [
      "an SVG animation of a handler",
      '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>',
    ],
    [
      "an SVG xlink:href",
      '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    ],
    [
      "a CSS expression",
      '<div style="width: expr/**/ession(alert(1))">x</div>',
    ],
    [
      "a style element with a javascript: URL",
      '<style>li { list-style-image: url("javascript:alert(1)"); }</style>',
    ],
  ])("flags %s", (_name, text) => {
    expect(scriptFindings(text)[0]?.score).toBeGreaterThanOrEqual(0.8);
  });

  it("flags markup hidden by percent-encoding", () => {
    const text = "q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E";
    const finding = scriptFindings(text)[0];

    expect(finding?.score).toBeGreaterThanOrEqual(0.8);
    expect(text.slice(finding?.start, finding?.end)).toContain("%3Cscript%3E");
  });

  it("flags an attribute injected into an existing tag", () => {
    const text = '" onmouseover="alert(1)" x="';

    expect(scriptFindings(text)[0]?.subtype).toBe("event-handler");
  });

  it("flags a string that breaks out of a script", () => {
    expect(
      scriptFindings("';alert(String.fromCharCode(88,83,83))//")[0]?.score,
    ).toBeGreaterThanOrEqual(0.8);
  });

  it("flags markup hidden in base64", () => {
    const encoded = Buffer.from("<svg onload=alert(1)>").toString("base64");
    const text = `payload ${encoded} end`;
    const finding = scriptFindings(text)[0];

    expect(matchedText(text, finding)).toBe(encoded);
  });

  it("keeps a bare event handler name at warn", () => {
    const finding = scriptFindings("onMouseOver")[0];

    expect(finding?.subtype).toBe("event-handler-name");
    expect(finding?.score).toBeLessThan(0.6);
  });

  it.each([
    'Use <b>bold</b> and <a href="https://example.com">a link</a> in the page.',
    "If a < b and c > d then we stop.",
    "The JavaScript language runs in browsers; see chapter 3.",
    "Our prices are 10% lower & shipping is free.",
  ])("ignores the benign text %j", (text) => {
    expect(scriptFindings(text)).toEqual([]);
  });

  it("flags markup hidden by triple percent-encoding", () => {
    const text = "%25253Cscript%25253Ealert(1)%25253C/script%25253E";

    expect(scriptFindings(text)[0]?.score).toBeGreaterThanOrEqual(0.8);
  });

  it("keeps a handler that calls a page function at warn", () => {
    const text = '<button onclick="toggleMenu()">Menu</button>';

    expect(scanThreats(text).risk).toBeLessThan(0.6);
    expect(scriptFindings(text)[0]?.subtype).toBe("event-handler");
  });

  it("flags a handler that calls a page function through a sink", () => {
    const text = '<button onclick="show(document.cookie)">Menu</button>';

    expect(scriptFindings(text)[0]?.score).toBeGreaterThanOrEqual(0.8);
  });
});
