import { describe, expect, it } from "vitest";

import { findChecked } from "../test-support/findings.js";
import type { PiiFinding, RecognizerContext } from "../types.js";
import { ipAddressRecognizer } from "./ip-address.js";

const context: RecognizerContext = { defaultRegion: undefined };

function find(text: string): PiiFinding[] {
  const findings = findChecked(
    ipAddressRecognizer,
    { type: "IP_ADDRESS", name: "ip-address" },
    text,
    context,
  );
  return findings;
}

function texts(text: string): string[] {
  return find(text).map((finding) => finding.text);
}

describe("ipAddressRecognizer", () => {
  it("finds IPv4 address with offsets", () => {
    const text = "Client 192.0.2.44 connected";
    const [finding] = find(text);
    expect(finding?.text).toBe("192.0.2.44");
    expect(finding?.start).toBe(7);
    expect(finding?.end).toBe(17);
    expect(finding?.validation["version"]).toBe(4);
  });

  it("accepts IPv4 octet bounds", () => {
    expect(texts("0.0.0.0 and 255.255.255.255")).toEqual([
      "0.0.0.0",
      "255.255.255.255",
    ]);
  });

  it("rejects invalid IPv4 octets", () => {
    expect(find("256.1.1.1")).toEqual([]);
    expect(find("1.2.3.999")).toEqual([]);
    expect(find("01.2.3.4")).toEqual([]);
    expect(find("10.00.1.1")).toEqual([]);
  });

  it("rejects longer dotted numbers", () => {
    expect(find("1.2.3.4.5")).toEqual([]);
    expect(find("section 10.1.2.3.4 says")).toEqual([]);
    expect(find("1234.1.1.1")).toEqual([]);
    expect(find("ip10.0.0.1")).toEqual([]);
  });

  it("excludes trailing punctuation and port", () => {
    expect(texts("Ping 10.0.0.1.")).toEqual(["10.0.0.1"]);
    expect(texts("Open 10.0.0.1:8080 now")).toEqual(["10.0.0.1"]);
  });

  it("skips version strings", () => {
    expect(find("version 1.2.3.4")).toEqual([]);
    expect(find("Release: 10.0.0.1")).toEqual([]);
    expect(find("build 2.0.1.7 is out")).toEqual([]);
    expect(find("ver. 1.2.3.4")).toEqual([]);
    expect(find("v 1.2.3.4")).toEqual([]);
    expect(find("v1.2.3.4")).toEqual([]);
  });

  it("skips version after product name and slash", () => {
    expect(find("nginx/1.25.3.1")).toEqual([]);
    expect(find("Server: nginx/1.25.3.1 (Ubuntu)")).toEqual([]);
    expect(find("Firefox version 115.0.2.1")).toEqual([]);
  });

  it("keeps a quad after an ordinary word, which may be an address", () => {
    expect(texts("Router 10.0.0.1 went down")).toEqual(["10.0.0.1"]);
    expect(texts("Tell 192.168.1.1 to retry")).toEqual(["192.168.1.1"]);
  });

  it("keeps address after address word", () => {
    expect(texts("192.0.2.44")).toEqual(["192.0.2.44"]);
    expect(texts("from 10.0.0.1")).toEqual(["10.0.0.1"]);
    expect(texts("IP 8.8.8.8")).toEqual(["8.8.8.8"]);
    expect(texts("host 127.0.0.1")).toEqual(["127.0.0.1"]);
    expect(texts("Server 10.1.2.3 and address 10.4.5.6")).toEqual([
      "10.1.2.3",
      "10.4.5.6",
    ]);
    expect(texts("Firefox: 115.0.2.1")).toEqual(["115.0.2.1"]);
  });

  it("keeps address far from version word", () => {
    expect(texts("version two is out; the server at 1.2.3.4")).toEqual([
      "1.2.3.4",
    ]);
  });

  it("finds compressed IPv6 address", () => {
    const text = "Host 2001:db8::ff00:42:8329 replied";
    const [finding] = find(text);
    expect(finding?.text).toBe("2001:db8::ff00:42:8329");
    expect(finding?.start).toBe(5);
    expect(finding?.validation["version"]).toBe(6);
    expect(finding?.validation["compressed"]).toBe(true);
  });

  it("finds full IPv6 address", () => {
    expect(texts("2001:0db8:85a3:0000:0000:8a2e:0370:7334.")).toEqual([
      "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    ]);
  });

  it("finds IPv6 with embedded IPv4", () => {
    const findings = find("mapped ::ffff:192.0.2.128 here");
    expect(findings.map((finding) => finding.text)).toEqual([
      "::ffff:192.0.2.128",
    ]);
    expect(findings[0]?.validation["embeddedIpv4"]).toBe(true);
  });

  it("finds IPv6 with zone id", () => {
    const [finding] = find("link fe80::1ff:fe23:4567:890a%eth0.");
    expect(finding?.text).toBe("fe80::1ff:fe23:4567:890a%eth0");
    expect(finding?.validation["zoneId"]).toBe(true);
  });

  it("finds bracketed IPv6 with port", () => {
    expect(texts("http://[2001:db8::1234]:8080/")).toEqual(["2001:db8::1234"]);
  });

  it("keeps trailing double colon", () => {
    expect(texts("prefix 2001:db8:: is reserved")).toEqual(["2001:db8::"]);
  });

  it("drops trailing clause colon", () => {
    expect(texts("fe80::1234: down")).toEqual(["fe80::1234"]);
  });

  it("ignores code paths and bare colons", () => {
    expect(find("::")).toEqual([]);
    expect(find("use std::vector<int> here")).toEqual([]);
    expect(find("call A::B now")).toEqual([]);
    expect(find("ABC::DEF and dead::beef")).toEqual([]);
    expect(find("Foo::Bar::baz()")).toEqual([]);
  });

  it("ignores short code-like IPv6 forms", () => {
    expect(find("e2e::fe")).toEqual([]);
    expect(find("cafe::1234")).toEqual([]);
    expect(find("ab12::{x}")).toEqual([]);
    expect(find("fe80::1(x)")).toEqual([]);
    expect(find("fe80::1$x")).toEqual([]);
  });

  it("keeps short real IPv6 forms", () => {
    expect(texts("2001:db8::ff00:42:8329")).toEqual(["2001:db8::ff00:42:8329"]);
    expect(texts("fe80::1%eth0")).toEqual(["fe80::1%eth0"]);
    expect(texts("::ffff:192.0.2.1")).toEqual(["::ffff:192.0.2.1"]);
    expect(texts("route fe80::1234 up")).toEqual(["fe80::1234"]);
  });

  it("ignores times and MAC addresses", () => {
    expect(find("at 12:30:45")).toEqual([]);
    expect(find("00:1A:2B:3C:4D:5E")).toEqual([]);
  });

  it("returns nothing for empty text", () => {
    expect(find("")).toEqual([]);
  });

  it("handles unusual Unicode around addresses", () => {
    const text = "🙂\u200b192.0.2.1\u00a0— ｱﾄﾞﾚｽ 2001:db8::7\u3002";
    expect(texts(text)).toEqual(["192.0.2.1", "2001:db8::7"]);
  });

  it("reports results sorted by start", () => {
    const starts = find("2001:db8::7 then 10.1.1.1 then fe80::9:1").map(
      (finding) => finding.start,
    );
    expect(starts).toEqual([0, 17, 31]);
  });

  it("scans 200k characters quickly", () => {
    const inputs = [
      "1".repeat(200_000),
      "1.".repeat(100_000),
      ":".repeat(200_000),
      "a:".repeat(100_000),
      "1.2.3.4 ".repeat(25_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      ipAddressRecognizer.find(input, context);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});
