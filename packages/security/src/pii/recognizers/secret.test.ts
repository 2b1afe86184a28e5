import { describe, expect, it } from "vitest";

import { generateApiKey } from "../../keys/format.js";
import { findChecked } from "../test-support/findings.js";
import type { PiiFinding, RecognizerContext } from "../types.js";
import { secretRecognizer, shannonEntropy } from "./secret.js";

const context: RecognizerContext = { defaultRegion: undefined };

function find(text: string): PiiFinding[] {
  const findings = findChecked(
    secretRecognizer,
    { type: "SECRET", name: "secret" },
    text,
    context,
  );
  return findings;
}

function kinds(text: string): unknown[] {
  return find(text).map((finding) => finding.validation["kind"]);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

const BASE62_36 = "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2zA4";
const PEM_BODY = [
  "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu",
  "KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm",
  "o3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88vQENZiRm0GRq6a+HPGQMd2k",
]
  .join("\n")
  .concat("\n");

describe("secretRecognizer", () => {
  it("finds AWS access key ids", () => {
    const text = "id AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A.";
    const findings = find(text);
    expect(findings.map((finding) => finding.text)).toEqual([
      "AKIAIOSFODNN7EXAMPLE",
      "ASIAY34FZKBOKMUTVV7A",
    ]);
    expect(findings[0]?.start).toBe(3);
    expect(findings[0]?.validation["kind"]).toBe("aws-access-key-id");
    expect(findings[1]?.validation["prefix"]).toBe("ASIA");
  });

  it("finds API keys of this project", () => {
    const { key } = generateApiKey("live");
    const findings = find(`Authorization: Bearer ${key}`);

    expect(findings.map((finding) => finding.text)).toEqual([key]);
    expect(findings[0]?.validation["kind"]).toBe("retrieval-free-api-key");
  });

  it("rejects AWS ids of wrong length", () => {
    expect(find("AKIAIOSFODNN7EXAMPL")).toEqual([]);
    expect(find("AKIAIOSFODNN7EXAMPLEX")).toEqual([]);
    expect(find("AKIAiosfodnn7example")).toEqual([]);
  });

  it("finds GitHub tokens", () => {
    for (const prefix of ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) {
      const token = `${prefix}${BASE62_36}`;
      const [finding] = find(`token ${token}.`);
      expect(finding?.text).toBe(token);
      expect(finding?.validation["kind"]).toBe("github-token");
      expect(finding?.validation["prefix"]).toBe(prefix);
    }
    const fineGrained = `github_pat_11ABCDEFG0123456789abc_${"x1Y2".repeat(15)}`;
    expect(find(fineGrained)[0]?.text).toBe(fineGrained);
    expect(find("ghp_tooShort123")).toEqual([]);
  });

  it("finds GitLab Slack Stripe and Google keys", () => {
    const gitlab = "glpat-Ab1Cd2Ef3Gh4Ij5Kl6Mn";
    const slack = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
    const stripe = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    const restricted = "rk_live_4eC39HqLyjWDarjtT1zdp7dc";
    const google = "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q";
    const text = `${gitlab} ${slack} ${stripe} ${restricted} ${google}`;
    expect(kinds(text)).toEqual([
      "gitlab-token",
      "slack-token",
      "stripe-key",
      "stripe-key",
      "google-api-key",
    ]);
    expect(find(text).map((finding) => finding.text)).toEqual([
      gitlab,
      slack,
      stripe,
      restricted,
      google,
    ]);
  });

  it("ignores Stripe test keys and wrong lengths", () => {
    expect(find("sk_test_4eC39HqLyjWDarjtT1zdp7dc")).toEqual([]);
    expect(find("AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6")).toEqual([]);
    expect(find("xoxq-1234567890-abc")).toEqual([]);
  });

  it("spans whole PEM private key block", () => {
    const block = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}-----END RSA PRIVATE KEY-----`;
    const text = `Key:\n${block}\nDone.`;
    const [finding] = find(text);
    expect(finding?.start).toBe(5);
    expect(finding?.text).toBe(block);
    expect(finding?.validation["kind"]).toBe("private-key");
    expect(finding?.validation["keyType"]).toBe("RSA");
    expect(finding?.validation["complete"]).toBe(true);
  });

  it("finds PKCS8 and encrypted PEM blocks", () => {
    const pkcs8 = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}-----END PRIVATE KEY-----`;
    expect(find(pkcs8)[0]?.validation["keyType"]).toBe("PKCS8");

    const encrypted = [
      "-----BEGIN RSA PRIVATE KEY-----",
      "Proc-Type: 4,ENCRYPTED",
      "DEK-Info: AES-128-CBC,6A7F9E2B1C3D4E5F6A7B8C9D0E1F2A3B",
      "",
      PEM_BODY.trimEnd(),
      "-----END RSA PRIVATE KEY-----",
    ].join("\n");
    expect(find(encrypted)[0]?.text).toBe(encrypted);
  });

  it("rejects PEM block with mismatched footer", () => {
    const text = `-----BEGIN EC PRIVATE KEY-----\n${PEM_BODY}-----END RSA PRIVATE KEY-----`;
    const [finding] = find(text);
    expect(finding?.validation["complete"]).toBe(false);
    expect(finding?.text).toBe(
      `-----BEGIN EC PRIVATE KEY-----\n${PEM_BODY.trimEnd()}`,
    );
  });

  it("spans truncated PEM key to body end", () => {
    const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}\nThanks, Bob`;
    const [finding] = find(text);
    expect(finding?.text).toBe(
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY.trimEnd()}`,
    );
    expect(finding?.score).toBe(0.8);
  });

  it("ignores public keys and non-base64 bodies", () => {
    expect(
      find(`-----BEGIN PUBLIC KEY-----\n${PEM_BODY}-----END PUBLIC KEY-----`),
    ).toEqual([]);
    expect(
      find(
        "-----BEGIN PRIVATE KEY-----\nnot a key!\n-----END PRIVATE KEY-----",
      ),
    ).toEqual([]);
  });

  it("finds JWT with decoded header", () => {
    const jwt = [
      base64url({ alg: "HS256", typ: "JWT" }),
      base64url({ sub: "1234567890", name: "Jane" }),
      "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ].join(".");
    const text = `Authorization: Bearer ${jwt}.`;
    const findings = find(text);
    expect(findings.map((finding) => finding.text)).toEqual([jwt]);
    expect(findings[0]?.validation["kind"]).toBe("jwt");
    expect(findings[0]?.validation["algorithm"]).toBe("HS256");
  });

  it("accepts unsigned JWT only for none", () => {
    const payload = base64url({ sub: "42" });
    const unsecured = `${base64url({ alg: "none" })}.${payload}.`;
    expect(find(`t ${unsecured}`)[0]?.text).toBe(unsecured);
    expect(find(`t ${base64url({ alg: "RS256" })}.${payload}.`)).toEqual([]);
  });

  it("rejects JWT lookalikes", () => {
    const payload = base64url({ sub: "42" });
    expect(find(`${base64url({ typ: "JWT" })}.${payload}.abc`)).toEqual([]);
    expect(find(`eyJub3Rqc29u.${payload}.abc`)).toEqual([]);
    expect(find(`${base64url({ alg: "HS256" })}.bm90anNvbg.abc`)).toEqual([]);
    const jwe = `${base64url({ alg: "RSA-OAEP" })}.${payload}.abc.def.ghi`;
    expect(find(jwe)).toEqual([]);
  });

  it("finds high-entropy value after keyword", () => {
    const value = "q8Zr2LmX7vTn4WbK9sYd3Pf";
    const text = `api_key = "${value}";`;
    const [finding] = find(text);
    expect(finding?.text).toBe(value);
    expect(finding?.start).toBe(11);
    expect(finding?.validation["kind"]).toBe("high-entropy");
    expect(finding?.validation["keyword"]).toBe("api_key");
    expect(finding?.validation["entropy"]).toBeGreaterThan(3.5);
  });

  it("finds value a few words after keyword", () => {
    const value = "Zx9Qw2Er7Ty4Ui1Op6As3Df";
    expect(find(`The password is now ${value}.`)[0]?.text).toBe(value);
    expect(find(`accessToken: ${value}`)[0]?.text).toBe(value);
    expect(find(`Bearer ${value}`)[0]?.text).toBe(value);
    expect(find(`SECRET_KEY=${value}`)[0]?.text).toBe(value);
  });

  it("finds hex value after keyword", () => {
    const value = "9f86d081884c7d659a2feaa0c55ad015";
    expect(find(`secret: ${value}`)[0]?.text).toBe(value);
  });

  it("keeps base64 padding in value", () => {
    const value = "dGhpcyBpcyBhIHNlY3JldCB2YWx1ZTEy==";
    expect(find(`token=${value}`)[0]?.text).toBe(value);
  });

  it("ignores high-entropy value without keyword", () => {
    expect(find("Reference q8Zr2LmX7vTn4WbK9sYd3Pf attached")).toEqual([]);
  });

  it("ignores keyword too far from value", () => {
    const text = "the key point is that we can all see q8Zr2LmX7vTn4WbK9sYd3Pf";
    expect(find(text)).toEqual([]);
  });

  it("ignores low-entropy and short values", () => {
    expect(find("password: aaaaaaaaaaaaaaaaaaaaaaaa1")).toEqual([]);
    expect(find("api_key = your_api_key_goes_here")).toEqual([]);
    expect(find("token: q8Zr2LmX7vTn4WbK")).toEqual([]);
    expect(find("password = process.env.SECRET_TOKEN")).toEqual([]);
    expect(find("token https://example.com/a1b2c3d4e5f6g7")).toEqual([]);
  });

  it("ignores keyword inside longer words", () => {
    const value = "q8Zr2LmX7vTn4WbK9sYd3Pf";
    expect(find(`monkey ${value}`)).toEqual([]);
    expect(find(`keyboard ${value}`)).toEqual([]);
    expect(find(`tokenizer ${value}`)).toEqual([]);
  });

  it("reports known token once", () => {
    const text = "token: AKIAIOSFODNN7EXAMPLE";
    expect(kinds(text)).toEqual(["aws-access-key-id"]);
  });

  it("computes Shannon entropy", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("ab")).toBe(1);
    expect(shannonEntropy("abcd")).toBe(2);
  });

  it("returns nothing for empty text", () => {
    expect(find("")).toEqual([]);
  });

  it("handles unusual Unicode around secrets", () => {
    const value = "q8Zr2LmX7vTn4WbK9sYd3Pf";
    const text = `🔑 пароль\u200b password：${value}\u00a0🎉 AKIAIOSFODNN7EXAMPLE。`;
    expect(find(text).map((finding) => finding.text)).toEqual([
      value,
      "AKIAIOSFODNN7EXAMPLE",
    ]);
  });

  it("scans 200k characters quickly", () => {
    const inputs = [
      "a".repeat(200_000),
      "key ".repeat(50_000),
      `token ${"Ab1".repeat(66_000)}`,
      "-----BEGIN PRIVATE KEY-----\n".repeat(7_000),
      `eyJ${"a".repeat(200_000)}`,
      "eyJa.".repeat(40_000),
      `ghp_${"a".repeat(200_000)}`,
      "AKIA".repeat(50_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      secretRecognizer.find(input, context);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});

describe("many private key headers without footers", () => {
  function headers(separator: string): string {
    const parts: string[] = [];
    let length = 0;
    for (let index = 0; length < 1_000_000; index += 1) {
      const header = `-----BEGIN L${index} PRIVATE KEY-----${separator}`;
      parts.push(header);
      length += header.length;
    }
    return parts.join("");
  }

  it("are scanned in linear time", () => {
    for (const text of [headers("\n"), headers(""), headers(" ")]) {
      const started = performance.now();
      secretRecognizer.find(text, context);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });

  it("do not hide a later complete key", () => {
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}-----END RSA PRIVATE KEY-----`;
    const text = `${headers("\n").slice(0, 100_000)}\n\n${pem}`;
    const complete = find(text).filter(
      (finding) => finding.validation["complete"] === true,
    );
    expect(complete.map((finding) => finding.text)).toEqual([pem]);
  });
});

describe("private keys inside JSON strings", () => {
  it("are found whole when line breaks are written as escapes", () => {
    const pem = [
      "-----BEGIN PRIVATE KEY-----",
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
      "VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNb",
      "-----END PRIVATE KEY-----",
      "",
    ].join("\n");
    const text = JSON.stringify({ private_key: pem });
    const found = secretRecognizer.find(text, { defaultRegion: undefined });

    expect(found).toHaveLength(1);
    expect(found[0]?.text.startsWith("-----BEGIN PRIVATE KEY-----")).toBe(true);
    expect(found[0]?.text.endsWith("-----END PRIVATE KEY-----")).toBe(true);
  });
});
