import { SecurityError, SecurityErrorCode } from "../errors.js";
import { decryptPersonal } from "./personal.js";
import type { SubjectKeyLookup, SubjectKeyring } from "./subject-keys.js";
import type { AuditEntry, PersonalData } from "./types.js";

/**
 * State of an entry's personal data after reading: `none` (the entry has
 * none), `decrypted`, `erased` (the subject's key was destroyed), or
 * `key-missing` (no key and no erasure recorded, as when the key store
 * does not belong to the log).
 */
export type PersonalState = "none" | "decrypted" | "erased" | "key-missing";

/** An entry with its personal data decrypted where possible. */
export interface AuditRecord {
  readonly entry: AuditEntry;
  readonly personalState: PersonalState;
  /** The decrypted personal data when `personalState` is `decrypted`. */
  readonly personal?: PersonalData;
}

/**
 * Decrypts the personal data of entries, looking up each subject's key
 * once. Throws AUDIT_TAMPERED when a ciphertext fails authentication.
 */
export async function readPersonal(
  entries: readonly AuditEntry[],
  keyring: SubjectKeyring,
): Promise<AuditRecord[]> {
  const lookups = new Map<string, SubjectKeyLookup>();
  const records: AuditRecord[] = [];
  for (const entry of entries) {
    records.push(await readOne(entry, keyring, lookups));
  }
  return records;
}

async function readOne(
  entry: AuditEntry,
  keyring: SubjectKeyring,
  lookups: Map<string, SubjectKeyLookup>,
): Promise<AuditRecord> {
  const { personal, subject } = entry;
  if (personal === undefined) {
    return { entry, personalState: "none" };
  }
  if (subject === undefined) {
    throw tampered(entry, "has personal data but no subject");
  }
  let lookup = lookups.get(subject);
  if (lookup === undefined) {
    lookup = await keyring.keyForRead(subject);
    lookups.set(subject, lookup);
  }
  if (lookup.status === "erased") {
    return { entry, personalState: "erased" };
  }
  if (lookup.status === "missing") {
    return { entry, personalState: "key-missing" };
  }
  try {
    const data = decryptPersonal(personal, lookup.key, subject);
    return { entry, personalState: "decrypted", personal: data };
  } catch (error) {
    throw tampered(entry, "has personal data that fails authentication", error);
  }
}

function tampered(
  entry: AuditEntry,
  problem: string,
  cause?: unknown,
): SecurityError {
  return new SecurityError(
    SecurityErrorCode.AUDIT_TAMPERED,
    `The audit entry at index ${entry.index} ${problem}. Run verify() to ` +
      "find what changed.",
    cause === undefined ? {} : { cause },
  );
}
