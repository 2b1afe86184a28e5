import type { z } from "zod";

import { readEnvLayer } from "./env.js";
import { environmentFilePath, readConfigFile } from "./files.js";
import type { Layer } from "./layers.js";
import { mergeLayers, validateMerged } from "./layers.js";
import type { PlainObject } from "./paths.js";
import { deepFreeze } from "./paths.js";
import type { SecretMatcher } from "./secrets.js";
import type { ConfigSource, ConfigWarning } from "./sources.js";

/** A validated configuration and where each value came from. */
export interface Snapshot<T> {
  readonly value: T;
  readonly sources: ReadonlyMap<string, ConfigSource>;
  readonly warnings: readonly ConfigWarning[];
}

/** The inputs of a snapshot, besides the files. */
export interface SnapshotInputs<S extends z.ZodType> {
  readonly schema: S;
  readonly secrets: SecretMatcher;
  readonly defaults: PlainObject;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly envPrefix: string;
  readonly overrides: PlainObject;
}

/** Lists the config files to read: the base file, then the environment file. */
export function configFiles(
  file: string | undefined,
  environment: string | undefined,
): { base: string; environment: string | undefined } | undefined {
  if (file === undefined) {
    return undefined;
  }
  return {
    base: file,
    environment:
      environment === undefined
        ? undefined
        : environmentFilePath(file, environment),
  };
}

/**
 * Reads the config files into layers. The base file must exist and the
 * environment file is optional.
 *
 * @throws ConfigError `CONFIG_FILE_UNREADABLE` for a file that cannot be
 *   read or parsed.
 */
export async function readFileLayers(
  files: ReturnType<typeof configFiles>,
): Promise<Layer[]> {
  if (files === undefined) {
    return [];
  }
  const layers: Layer[] = [];
  const base = await readConfigFile(files.base);
  if (base !== undefined) {
    const source = { kind: "file", name: files.base } as const;
    layers.push({ value: base, sourceAt: () => source });
  }
  if (files.environment !== undefined) {
    const value = await readConfigFile(files.environment, true);
    const source = { kind: "environment-file", name: files.environment };
    if (value !== undefined) {
      layers.push({ value, sourceAt: () => source as ConfigSource });
    }
  }
  return layers;
}

/**
 * Merges defaults, file layers, env variables and overrides, in that
 * order, and validates the result.
 *
 * @throws ConfigError `INVALID_CONFIG` listing every issue.
 */
export function buildSnapshot<S extends z.ZodType>(
  inputs: SnapshotInputs<S>,
  fileLayers: readonly Layer[],
): Snapshot<z.output<S>> {
  const envLayer = readEnvLayer(
    inputs.env,
    inputs.envPrefix,
    inputs.schema,
    inputs.secrets,
  );
  const merged = mergeLayers([
    { value: inputs.defaults, sourceAt: () => ({ kind: "default" }) },
    ...fileLayers,
    {
      value: envLayer.value,
      sourceAt: (path) => ({
        kind: "env",
        name: nearestName(envLayer.names, path),
      }),
    },
    { value: inputs.overrides, sourceAt: () => ({ kind: "override" }) },
  ]);
  const value = validateMerged(
    inputs.schema,
    merged,
    inputs.secrets,
    envLayer.issues,
  );
  return {
    value: deepFreeze(value),
    sources: merged.sources,
    warnings: [...envLayer.warnings, ...merged.warnings],
  };
}

// A JSON object from one variable sets several leaves, and each of them
// names that variable.
function nearestName(names: ReadonlyMap<string, string>, path: string) {
  const segments = path.split(".");
  for (let length = segments.length; length > 0; length -= 1) {
    const name = names.get(segments.slice(0, length).join("."));
    if (name !== undefined) {
      return name;
    }
  }
  return "";
}
