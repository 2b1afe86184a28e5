/** Kinds of personal data and secrets that {@link detectPii} finds. */
export const PII_TYPES = [
  "EMAIL",
  "PHONE",
  "CREDIT_CARD",
  "IBAN",
  "US_SSN",
  "IP_ADDRESS",
  "URL",
  "MAC_ADDRESS",
  "SECRET",
  "DATE_OF_BIRTH",
  "PERSON",
  "LOCATION",
] as const;

/** One kind of personal data or secret. */
export type PiiType = (typeof PII_TYPES)[number];

/** One piece of personal data found in a text. */
export interface PiiFinding {
  readonly type: PiiType;
  /** Start offset in the text, in UTF-16 code units. */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
  /** The matched text, equal to `text.slice(start, end)`. */
  readonly text: string;
  /** Confidence from 0 to 1. */
  readonly score: number;
  /** Name of the recognizer that found it, such as `credit-card`. */
  readonly recognizer: string;
  /**
   * The checks the recognizer made beyond the pattern, such as
   * `{ luhn: true, issuer: "visa" }` or `{ region: "FR" }`.
   */
  readonly validation: Readonly<Record<string, string | number | boolean>>;
}

/** Settings that recognizers share. */
export interface RecognizerContext {
  /**
   * Region for phone numbers written without a country code, as an ISO
   * 3166-1 alpha-2 code such as "FR".
   */
  readonly defaultRegion: string | undefined;
}

/**
 * Finds one kind of personal data in a text. A recognizer returns every
 * candidate that passes its validation, possibly overlapping others;
 * {@link detectPii} resolves overlaps.
 */
export interface Recognizer {
  /** Short stable name, such as `phone`. */
  readonly name: string;
  readonly types: readonly PiiType[];
  find(text: string, context: RecognizerContext): PiiFinding[];
}
