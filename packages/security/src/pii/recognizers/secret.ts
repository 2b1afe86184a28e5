import type { PiiFinding, Recognizer } from "../types.js";

const NAME = "secret";

type Validation = PiiFinding["validation"];

/** A credential format that a fixed prefix identifies. */
interface TokenPattern {
  readonly kind: string;
  readonly pattern: RegExp;
  readonly score: number;
}

/**
 * Prefixed token formats, with the prefix as group 1. Each pattern rejects
 * a match that starts or ends inside a longer run of token characters, and
 * bounded repeats keep the cost of a failed match small.
 * NOTE: GitHub tokens end in a CRC32 checksum, which is not verified here.
 */
const TOKEN_PATTERNS: readonly TokenPattern[] = [
  {
    // API keys of this project: see keys/format.ts.
    kind: "retrieval-free-api-key",
    pattern:
      /(?<![A-Za-z0-9_])(rfcc_)[a-z][a-z0-9]{0,15}_[0-9a-hjkmnp-tv-z]{48}_[0-9a-hjkmnp-tv-z]{7}(?![A-Za-z0-9_])/g,
    score: 0.95,
  },
  {
    kind: "aws-access-key-id",
    pattern: /(?<![A-Za-z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    score: 0.9,
  },
  {
    kind: "github-token",
    pattern:
      /(?<![A-Za-z0-9_])(gh[pousr]_)[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/g,
    score: 0.95,
  },
  {
    kind: "github-token",
    pattern:
      /(?<![A-Za-z0-9_])(github_pat_)[A-Za-z0-9_]{22,244}(?![A-Za-z0-9_])/g,
    score: 0.95,
  },
  {
    kind: "gitlab-token",
    pattern:
      /(?<![A-Za-z0-9_-])(glpat-)[A-Za-z0-9_-]{20,249}(?![A-Za-z0-9_-])/g,
    score: 0.9,
  },
  {
    kind: "slack-token",
    pattern:
      /(?<![A-Za-z0-9-])(xox[baprs]-)[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])/g,
    score: 0.9,
  },
  {
    kind: "stripe-key",
    pattern:
      /(?<![A-Za-z0-9_])([rs]k_live_)[A-Za-z0-9]{24,247}(?![A-Za-z0-9_])/g,
    score: 0.95,
  },
  {
    kind: "google-api-key",
    pattern: /(?<![A-Za-z0-9_-])(AIza)[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
    score: 0.9,
  },
];

function findPrefixedTokens(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const { kind, pattern, score } of TOKEN_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      findings.push(
        makeFinding(text, match.index, match.index + match[0].length, score, {
          kind,
          prefix: match[1] ?? "",
        }),
      );
    }
  }
  return findings;
}

function makeFinding(
  text: string,
  start: number,
  end: number,
  score: number,
  validation: Validation,
): PiiFinding {
  return {
    type: "SECRET",
    start,
    end,
    text: text.slice(start, end),
    score,
    recognizer: NAME,
    validation,
  };
}

// --- PEM private keys

/**
 * A PEM header for a private key, such as "-----BEGIN RSA PRIVATE KEY-----",
 * "-----BEGIN PRIVATE KEY-----" (PKCS #8) or the OpenPGP armour header
 * "-----BEGIN PGP PRIVATE KEY BLOCK-----".
 */
const PEM_HEADER = /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY( BLOCK)?-----/g;
/** A PEM footer, with the same groups as PEM_HEADER. */
const PEM_FOOTER = /-----END ([A-Z0-9 ]{0,40})PRIVATE KEY( BLOCK)?-----/g;
/**
 * Maximum length of one body line of a key whose footer is missing. PEM
 * writers wrap base64 at 64 characters (RFC 7468) and OpenPGP armour at
 * most at 76 (RFC 4880), so a longer line is not part of the body. The
 * bound also keeps the scan after each header short when the text has no
 * line breaks.
 */
const MAX_PEM_LINE_LENGTH = 1024;
/** A "Name: value" line in a PEM body, such as "Proc-Type: 4,ENCRYPTED". */
const PEM_FIELD_LINE = /^[A-Za-z][A-Za-z0-9-]*: .*$/;
const BASE64_LINE = /^[A-Za-z0-9+/=]+$/;

/**
 * Checks that every body line is base64 or a "Name: value" field and that
 * at least one base64 line exists.
 */
function isPemBody(lines: readonly string[]): boolean {
  let base64Lines = 0;
  for (const rawLine of lines) {
    const line = rawLine.trim();
    if (BASE64_LINE.test(line)) {
      base64Lines += 1;
    } else if (line !== "" && !PEM_FIELD_LINE.test(line)) {
      return false;
    }
  }
  return base64Lines > 0;
}

/**
 * Returns the end of the base64 lines that follow a header whose END line
 * is missing, as in a key cut off when pasted.
 */
function findTruncatedPemEnd(text: string, bodyStart: number): number {
  let end = bodyStart;
  let lineStart = bodyStart;
  while (lineStart < text.length) {
    const window = text.slice(lineStart, lineStart + MAX_PEM_LINE_LENGTH + 1);
    const newline = window.indexOf("\n");
    if (newline === -1 && window.length > MAX_PEM_LINE_LENGTH) {
      break;
    }
    const lineEnd = newline === -1 ? text.length : lineStart + newline;
    const line = text.slice(lineStart, lineEnd).trim();
    // A blank line after base64 ends the body, and so does any line that
    // is neither base64 nor a "Name: value" field.
    if (
      line === ""
        ? end > bodyStart
        : !BASE64_LINE.test(line) && !PEM_FIELD_LINE.test(line)
    ) {
      break;
    }
    if (BASE64_LINE.test(line)) {
      end = lineStart + text.slice(lineStart, lineEnd).trimEnd().length;
    }
    lineStart = lineEnd + 1;
  }
  return end;
}

/** Returns the label of a header or footer, such as "RSA PRIVATE KEY". */
function pemLabel(match: RegExpMatchArray): string {
  return `${match[1] ?? ""}PRIVATE KEY${match[2] ?? ""}`;
}

/** Lists the start of every footer in the text, in order, per label. */
function findPemFooters(text: string): Map<string, number[]> {
  const footers = new Map<string, number[]>();
  for (const match of text.matchAll(PEM_FOOTER)) {
    const label = pemLabel(match);
    const starts = footers.get(label) ?? [];
    starts.push(match.index);
    footers.set(label, starts);
  }
  return footers;
}

function findPrivateKeys(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  // All footers are found in one pass, and each label keeps a cursor into
  // its list of footer starts. Headers come in text order, so a cursor only
  // moves forward, and the whole search is linear in the text length even
  // when many headers with different labels have no footer.
  const footerStarts = findPemFooters(text);
  const footerCursors = new Map<string, number>();
  for (const match of text.matchAll(PEM_HEADER)) {
    const start = match.index;
    const bodyStart = start + match[0].length;
    const label = pemLabel(match);
    const keyType = (match[1] ?? "").trim() || "PKCS8";
    const footer = `-----END ${label}-----`;
    const starts = footerStarts.get(label) ?? [];
    let cursor = footerCursors.get(label) ?? 0;
    while (cursor < starts.length && (starts[cursor] ?? 0) < bodyStart) {
      cursor += 1;
    }
    footerCursors.set(label, cursor);
    const footerStart = starts[cursor] ?? -1;
    const nextHeader = text.indexOf("-----BEGIN ", bodyStart);

    if (footerStart !== -1 && (nextHeader === -1 || footerStart < nextHeader)) {
      // JSON and .env files write the line breaks as "\n" escapes.
      const body = text
        .slice(bodyStart, footerStart)
        .split(/\r?\n|(?:\\r)?\\n/);
      if (isPemBody(body)) {
        const end = footerStart + footer.length;
        findings.push(
          makeFinding(text, start, end, 0.99, {
            kind: "private-key",
            keyType,
            complete: true,
          }),
        );
      }
      continue;
    }

    const end = findTruncatedPemEnd(text, bodyStart);
    if (end > bodyStart) {
      findings.push(
        makeFinding(text, start, end, 0.8, {
          kind: "private-key",
          keyType,
          complete: false,
        }),
      );
    }
  }
  return findings;
}

// --- JSON Web Tokens

/**
 * Three base64url parts joined by dots. The header of a JWT is a JSON object
 * that starts with `{"`, which encodes to "eyJ". The signature is empty
 * only for the unsecured algorithm "none".
 */
const JWT_CANDIDATE =
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-]|\.[A-Za-z0-9_-])/g;

/** Decodes a base64url part to a JSON object, or returns undefined. */
function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  // A base64 string whose length leaves 1 modulo 4 is malformed.
  if (part.length % 4 === 1) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(
      Buffer.from(part, "base64url").toString("utf8"),
    );
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not JSON, so not a JWT.
  }
  return undefined;
}

function findJwts(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const match of text.matchAll(JWT_CANDIDATE)) {
    const [header = "", payload = "", signature = ""] = match[0].split(".");
    const decodedHeader = decodeJsonPart(header);
    const algorithm = decodedHeader?.["alg"];
    if (
      typeof algorithm !== "string" ||
      decodeJsonPart(payload) === undefined
    ) {
      continue;
    }
    if (signature === "" && algorithm !== "none") {
      continue;
    }
    const end = match.index + match[0].length;
    findings.push(
      makeFinding(text, match.index, end, 0.9, { kind: "jwt", algorithm }),
    );
  }
  return findings;
}

// --- High-entropy values after a keyword

/**
 * Words that introduce a secret value, such as `api_key`, `accessToken`,
 * `password` or `Bearer`. The lookarounds keep them from matching inside
 * longer words like "monkey" or "keyboard".
 */
const SECRET_KEYWORD =
  /(?<![\p{L}\p{N}])(?:(?:api|access|secret|private|client|auth|session|refresh)[_-]?)?(?:key|token|secret|password|passwd|pwd|passphrase|credentials?)s?(?![\p{L}])|(?<![\p{L}\p{N}])(?:bearer|authorization)(?![\p{L}])/giu;
/** Separators and one value token after a keyword; `=` is kept as padding. */
const VALUE_TOKEN =
  /[\s"'`,;<>()[\]{}=:\uff1a\uff1d]*([^\s"'`,;<>()[\]{}=:\uff1a\uff1d]+={0,2})/uy;
/** How many tokens after a keyword may hold the value. */
const MAX_TOKENS_AFTER_KEYWORD = 4;
const MIN_VALUE_LENGTH = 20;
/** Longer tokens are data such as files or blobs, not a single credential. */
const MAX_VALUE_LENGTH = 512;

/**
 * Minimum Shannon entropy in bits per character. In a simulation with
 * Math.random in Node 20 (10,000 strings per case), 99% of random
 * 20-character base62 strings scored at least 3.65, and 95% of random
 * 20-character lower-case hex strings scored at least 3.05. English
 * identifiers such as "your_api_key_goes_here" scored 3.3 to 3.6, so a
 * value must also contain a digit.
 */
const MIN_ENTROPY_BITS = 3.5;
/** Hex uses only 16 symbols, so its maximum entropy is 4 bits per character. */
const MIN_HEX_ENTROPY_BITS = 3.0;

/** Computes the Shannon entropy of a string in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  let length = 0;
  for (const character of value) {
    counts.set(character, (counts.get(character) ?? 0) + 1);
    length += 1;
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const probability = count / length;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

/**
 * Returns the entropy of a value that looks like a random credential, or
 * undefined. A value must mix letters and digits, because random tokens of
 * 20 or more characters almost always do and prose words do not.
 */
function measureSecretValue(value: string): number | undefined {
  if (value.length < MIN_VALUE_LENGTH || value.length > MAX_VALUE_LENGTH) {
    return undefined;
  }
  // A leading "/" marks a path or the rest of a URL split at its ":".
  if (!/\p{L}/u.test(value) || !/\d/.test(value) || value.startsWith("/")) {
    return undefined;
  }
  const entropy = shannonEntropy(value);
  const threshold = /^[0-9a-f]+$/i.test(value)
    ? MIN_HEX_ENTROPY_BITS
    : MIN_ENTROPY_BITS;
  return entropy >= threshold ? entropy : undefined;
}

function findKeywordValues(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const keyword of text.matchAll(SECRET_KEYWORD)) {
    let position = keyword.index + keyword[0].length;
    // "KEY-----" closes a PEM label such as "PUBLIC KEY", not a value.
    if (text.startsWith("-----", position)) {
      continue;
    }
    for (let index = 0; index < MAX_TOKENS_AFTER_KEYWORD; index += 1) {
      VALUE_TOKEN.lastIndex = position;
      const token = VALUE_TOKEN.exec(text);
      if (token === null) {
        break;
      }
      position = VALUE_TOKEN.lastIndex;
      // Sentence punctuation after a value is not part of it.
      const value = (token[1] ?? "").replace(/[.!?]+$/, "");
      const entropy = measureSecretValue(value);
      if (entropy === undefined) {
        continue;
      }
      const start = position - (token[1] ?? "").length;
      findings.push(
        makeFinding(text, start, start + value.length, 0.6, {
          kind: "high-entropy",
          keyword: keyword[0].toLowerCase(),
          entropy: Math.round(entropy * 100) / 100,
        }),
      );
      break;
    }
  }
  return findings;
}

/**
 * Finds credentials: cloud and service tokens with known prefixes, PEM
 * private keys, JWTs, and high-entropy values that follow a word such as
 * "token" or "password". validation.kind names the format.
 */
export const secretRecognizer: Recognizer = {
  name: NAME,
  types: ["SECRET"],
  find(text) {
    const known = [
      ...findPrefixedTokens(text),
      ...findPrivateKeys(text),
      ...findJwts(text),
    ];
    // Marks the characters that a finding already covers, so a keyword
    // value is reported once and never inside a known token.
    const covered = new Uint8Array(text.length);
    for (const finding of known) {
      covered.fill(1, finding.start, finding.end);
    }
    const findings = [...known];
    for (const candidate of findKeywordValues(text)) {
      if (!covered.subarray(candidate.start, candidate.end).includes(1)) {
        covered.fill(1, candidate.start, candidate.end);
        findings.push(candidate);
      }
    }
    return findings.sort((left, right) => left.start - right.start);
  },
};
