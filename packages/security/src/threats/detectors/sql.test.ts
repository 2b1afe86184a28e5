import { describe, expect, it } from "vitest";

import { scanThreats } from "../scan.js";
import { findingsOf, matchedText } from "../test-support/findings.js";

function sqlFindings(text: string) {
  return findingsOf(text, "sql-injection", "SQL_INJECTION");
}

describe("sqlInjectionDetector", () => {
  it.each([
    ["tautology", "admin' OR '1'='1"],
    ["tautology", "x' or 1=1 --"],
    ["union-select", "1 UNION ALL SELECT username, password FROM users"],
    ["union-select", "1/**/UNION/**/SELECT/**/null,null"],
    ["stacked-query", "42; DROP TABLE users"],
    ["time-based", "1' AND SLEEP(5)--"],
    ["time-based", "'; WAITFOR DELAY '0:0:10'--"],
    ["boolean-probe", "' AND SUBSTRING(@@version,1,1)='5"],
    ["comment-truncation", "admin'--"],
  ])("flags %s in %j", (subtype, text) => {
    const findings = sqlFindings(text);

    expect(findings.map((finding) => finding.subtype)).toContain(subtype);
    expect(findings[0]?.score).toBeGreaterThanOrEqual(0.8);
  });

  it("flags a payload written with percent-encoding and locates it", () => {
    const text = "id=1%27%20OR%20%271%27%3D%271";
    const finding = sqlFindings(text)[0];

    expect(finding?.subtype).toBe("tautology");
    expect(matchedText(text, finding)).toBe("%27%20OR%20%271%27%3D%271");
  });

  it("lowers an article that quotes a payload as an example below block", () => {
    const result = scanThreats(
      "An article about SQL injection often quotes ' OR 1=1 -- as an example of a login bypass.",
    );

    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.risk).toBeLessThan(0.8);
    expect(result.recommendation).not.toBe("block");
  });

  it.each([
    "Tom or Jerry, which one do you like?",
    'I said "yes" and looked like a fool.',
    "The union selected a new president on Monday.",
    "Please order by 5 pm; delivery takes two days.",
  ])("ignores the prose %j", (text) => {
    expect(sqlFindings(text)).toEqual([]);
  });

  it("keeps a plain query on an accounts table at warn", () => {
    const finding = sqlFindings("Why does SELECT * FROM users run slowly?")[0];

    expect(finding?.score ?? 0).toBeLessThan(0.6);
  });

  it("reads a UNION SELECT inside MySQL versioned comments", () => {
    const text = "1 /*!50000UNION*/ /*!50000SELECT*/ password FROM users";
    const finding = sqlFindings(text).find(
      (item) => item.subtype === "union-select",
    );

    expect(finding?.score).toBeGreaterThanOrEqual(0.8);
    expect(matchedText(text, finding)).toBe("UNION*/ /*!50000SELECT");
  });

  it.each([
    "The query WHERE status = 'active' OR status = 'pending' returns both.",
    "To combine two queries, write SELECT city FROM customers UNION SELECT city FROM suppliers;",
    "If x < y and y > z then 1=1 OR 2=2 holds trivially in this example.",
  ])("keeps the documented SQL %j at warn or below", (text) => {
    expect(scanThreats(text).risk).toBeLessThan(0.6);
  });

  it("keeps a tautology whose quote breaks out of a value", () => {
    const text = "name = 'x' OR 'a'='a";

    expect(sqlFindings(text)[0]?.subtype).toBe("tautology");
    expect(
      sqlFindings("admin' OR status = 'x")[0]?.score,
    ).toBeGreaterThanOrEqual(0.8);
  });

  it("keeps a UNION SELECT that a comment cuts off", () => {
    const text =
      "SELECT city FROM customers UNION SELECT password FROM users--";

    expect(scanThreats(text).recommendation).toBe("block");
  });
});
