import { SecurityError, SecurityErrorCode } from "../errors.js";
import type { ApiKeyChanges, ApiKeyStore, StoredApiKey } from "./types.js";

/** Copies a record so callers cannot change what the store holds. */
function copy(key: StoredApiKey): StoredApiKey {
  return Object.freeze({ ...key, scopes: Object.freeze([...key.scopes]) });
}

function byCreation(a: StoredApiKey, b: StoredApiKey): number {
  if (a.createdAt !== b.createdAt) {
    return a.createdAt - b.createdAt;
  }
  if (a.id === b.id) {
    return 0;
  }
  return a.id < b.id ? -1 : 1;
}

/** Creates the CONFLICT error of a key id that already exists. */
export function duplicateKeyId(id: string): SecurityError {
  return new SecurityError(
    SecurityErrorCode.CONFLICT,
    `An API key with id ${id} already exists. Generate a new key.`,
  );
}

/** Creates the CONFLICT error of a rotation that cannot replace its key. */
export function rotationConflict(id: string): SecurityError {
  return new SecurityError(
    SecurityErrorCode.CONFLICT,
    `The API key ${id} cannot be rotated because it is missing, revoked ` +
      "or already replaced. Rotate its current replacement instead.",
  );
}

/**
 * Creates an API key store in process memory, for tests and single
 * processes. Keys are lost when the process ends, and `close` does
 * nothing.
 */
export function createMemoryApiKeyStore(): ApiKeyStore {
  const keys = new Map<string, StoredApiKey>();

  function insert(key: StoredApiKey): Promise<void> {
    if (keys.has(key.id)) {
      return Promise.reject(duplicateKeyId(key.id));
    }
    keys.set(key.id, copy(key));
    return Promise.resolve();
  }

  function update(
    id: string,
    changes: ApiKeyChanges,
  ): Promise<StoredApiKey | undefined> {
    const current = keys.get(id);
    if (current === undefined) {
      return Promise.resolve(undefined);
    }
    const next = copy({ ...current, ...changes });
    keys.set(id, next);
    return Promise.resolve(next);
  }

  function touch(id: string, at: number, intervalMs: number): Promise<boolean> {
    const current = keys.get(id);
    const due =
      current !== undefined &&
      (current.lastUsedAt === null || current.lastUsedAt <= at - intervalMs);
    if (due) {
      keys.set(id, copy({ ...current, lastUsedAt: at }));
    }
    return Promise.resolve(due);
  }

  function rotate(
    previousId: string,
    graceUntil: number,
    next: StoredApiKey,
  ): Promise<StoredApiKey> {
    const previous = keys.get(previousId);
    if (
      previous === undefined ||
      previous.revokedAt !== null ||
      previous.replacedBy !== null
    ) {
      return Promise.reject(rotationConflict(previousId));
    }
    if (keys.has(next.id)) {
      return Promise.reject(duplicateKeyId(next.id));
    }
    keys.set(next.id, copy(next));
    const replaced = copy({ ...previous, replacedBy: next.id, graceUntil });
    keys.set(previousId, replaced);
    return Promise.resolve(replaced);
  }

  return {
    insert,
    get: (id) => Promise.resolve(keys.get(id)),
    list: (tenant) =>
      Promise.resolve(
        [...keys.values()]
          .filter((key) => key.tenant === tenant)
          .sort(byCreation),
      ),
    update,
    touch,
    rotate,
    close: () => Promise.resolve(),
  };
}
