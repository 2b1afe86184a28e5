import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { z } from "zod";

import type { OnnxEncoder } from "../encoder/onnx-encoder.js";
import { CoreEngineError, CoreEngineErrorCode } from "../errors.js";
import { parseWordInformation } from "../text/word-information.js";
import type { WordInformation } from "../text/word-information.js";
import { loadOnnxEncoderWith } from "./onnx-model.js";
import type { LoadOnnxEncoderOptions, ModelFileReader } from "./onnx-model.js";

/** Folder of the model that ships with this package. */
export const BUILT_IN_MODEL_FOLDER = fileURLToPath(
  new URL("../../model/", import.meta.url),
);

const manifestSchema = z.object({
  name: z.string(),
  version: z.string(),
  // Origin of the model. Older manifests lack it.
  source: z.string().optional(),
  license: z.string(),
  dimension: z.int(),
  files: z
    .array(
      z.object({
        // A file name in the folder itself, never "." or "..".
        path: z.string().regex(/^[\w-][\w.-]*$/u),
        bytes: z.int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/u),
      }),
    )
    .min(1),
  sources: z.array(z.object({ name: z.string(), license: z.string() })),
  command: z.string(),
});

/** The parts of a model's `manifest.json` that loading checks. */
export type ModelManifest = z.infer<typeof manifestSchema>;

function invalidModel(message: string, cause?: unknown): CoreEngineError {
  return new CoreEngineError(
    CoreEngineErrorCode.INVALID_MODEL,
    message,
    cause === undefined ? {} : { cause },
  );
}

/** Files a model folder's manifest must list, because loading reads them. */
const REQUIRED_FILES = ["model.onnx", "tokenizer.json", "encoder.json"];
/** Files loading reads when present, so a manifest must list them then. */
const OPTIONAL_FILES = ["tokenizer_config.json"];

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Returns the real path of `path`, which must be a regular file inside
 * `root` (a real path too).
 * @throws {CoreEngineError} `INVALID_MODEL` for a missing file, a folder,
 * a device or a link that leads outside the folder.
 */
async function fileInside(
  root: string,
  path: string,
  manifestPath: string,
): Promise<{ real: string; size: number }> {
  const listed = path === manifestPath ? "" : `, listed in ${manifestPath},`;
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    throw invalidModel(
      `${path}${listed} was not found (${reason(error)}); reinstall the package or rebuild the model.`,
      error,
    );
  }
  if (!real.startsWith(`${root}${sep}`)) {
    throw invalidModel(
      `${path} leads to ${real}, outside the model folder ${root}; replace the link with the file itself.`,
    );
  }
  const stats = await stat(real);
  if (!stats.isFile()) {
    throw invalidModel(
      `${path} is ${stats.isDirectory() ? "a folder" : "not a regular file"}; the manifest ${manifestPath} must list regular files only.`,
    );
  }
  return { real, size: stats.size };
}

type ManifestFile = ModelManifest["files"][number];

/**
 * Checks the names given to {@link verifyModelFolder} as `only`.
 * @throws {CoreEngineError} `INVALID_OPTIONS` for a value that is not a
 * list of names; `INVALID_MODEL` for a name the manifest does not list.
 */
function checkedNames(
  only: unknown,
  manifestPath: string,
  listed: ReadonlySet<string>,
): Set<string> | undefined {
  if (only === undefined) {
    return undefined;
  }
  if (!Array.isArray(only) || !only.every((name) => typeof name === "string")) {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_OPTIONS,
      `only must be a list of file names from the manifest, such as ["model.onnx"] (received ${only === null ? "null" : typeof only}); leave it out to check every file.`,
    );
  }
  const missing = only.filter((name) => !listed.has(name));
  if (missing.length > 0) {
    throw invalidModel(
      `${manifestPath} does not list ${missing.join(", ")}; rebuild the model so that the manifest covers every file.`,
    );
  }
  return new Set(only);
}

/**
 * Compares a file's size and then its SHA-256 with its manifest entry.
 * @throws {CoreEngineError} `INVALID_MODEL` naming the file and the fix.
 */
async function checkBytes(
  path: string,
  size: number,
  digest: () => Promise<string> | string,
  file: ManifestFile,
  manifest: ModelManifest,
): Promise<void> {
  const fix = `The file was changed or damaged; reinstall the package or rebuild the model with "${manifest.command}".`;
  if (size !== file.bytes) {
    throw invalidModel(
      `${path} does not match its manifest: it has ${size} bytes, expected ${file.bytes}. ${fix}`,
    );
  }
  const actual = await digest();
  if (actual !== file.sha256) {
    throw invalidModel(
      `${path} does not match its manifest: SHA-256 ${actual}, expected ${file.sha256}. ${fix}`,
    );
  }
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest("hex");
}

/** A model folder's manifest, read and checked, with the paths it needs. */
interface OpenedManifest {
  readonly manifest: ModelManifest;
  readonly manifestPath: string;
  /** Real path of the folder. */
  readonly root: string;
  /** Entries of the files to check, by file name. */
  readonly checked: ReadonlyMap<string, ManifestFile>;
}

/**
 * Reads a model folder's `manifest.json` and checks its form, that no file
 * is listed twice, and that every name in `only` is listed.
 * @throws {CoreEngineError} `INVALID_MODEL` naming the problem.
 */
async function openManifest(
  folder: string,
  only: readonly string[] | undefined,
): Promise<OpenedManifest> {
  const argument: unknown = folder;
  if (typeof argument !== "string" || argument === "") {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_OPTIONS,
      `verifyModelFolder needs the path of a model folder (received ${typeof argument === "string" ? "an empty string" : typeof argument}).`,
    );
  }
  const folderStats = await stat(folder).catch(() => undefined);
  if (folderStats === undefined) {
    throw invalidModel(
      `The model folder ${folder} was not found; pass the folder that contains manifest.json and the files it lists.`,
    );
  }
  if (!folderStats.isDirectory()) {
    throw invalidModel(
      `${folder} is a file, not a model folder; pass the folder that contains manifest.json.`,
    );
  }
  const root = await realpath(folder);
  const manifestPath = join(folder, "manifest.json");
  let parsed: unknown;
  try {
    const manifest = await fileInside(root, manifestPath, manifestPath);
    const text = await readFile(manifest.real, "utf8");
    // A byte order mark is not JSON, but editors on Windows write one.
    parsed = JSON.parse(text.replace(/^\uFEFF/u, ""));
  } catch (error) {
    if (error instanceof CoreEngineError) {
      throw error;
    }
    throw invalidModel(
      `${manifestPath} could not be read as JSON (${reason(error)}); reinstall the package or rebuild the model.`,
      error,
    );
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    throw invalidModel(
      `${manifestPath} is not a model manifest (${result.error.issues
        .map(
          (issue) => `${issue.path.join(".") || "the file"}: ${issue.message}`,
        )
        .join("; ")}); reinstall the package or rebuild the model.`,
    );
  }
  const paths = result.data.files.map((file) => file.path);
  const repeated = paths.find((path, index) => paths.indexOf(path) !== index);
  if (repeated !== undefined) {
    throw invalidModel(
      `${manifestPath} lists ${repeated} twice; rebuild the model so that each file is listed once.`,
    );
  }
  const names = checkedNames(only, manifestPath, new Set(paths));
  const checked = new Map(
    result.data.files
      .filter((file) => names === undefined || names.has(file.path))
      .map((file) => [file.path, file]),
  );
  return { manifest: result.data, manifestPath, root, checked };
}

/**
 * Reads a file that the manifest lists and checks the bytes read, so the
 * bytes checked are the bytes used.
 * @throws {CoreEngineError} `INVALID_MODEL` for a missing, linked-out or
 * changed file.
 */
async function readChecked(
  opened: OpenedManifest,
  path: string,
  file: ManifestFile,
): Promise<Buffer> {
  const { real } = await fileInside(opened.root, path, opened.manifestPath);
  let bytes: Buffer;
  try {
    bytes = await readFile(real);
  } catch (error) {
    throw invalidModel(
      `${path} could not be read (${reason(error)}); reinstall the package or rebuild the model.`,
      error,
    );
  }
  await checkBytes(
    path,
    bytes.length,
    () => sha256Hex(bytes),
    file,
    opened.manifest,
  );
  return bytes;
}

/**
 * Reads a model folder's `manifest.json` and checks the size and SHA-256
 * of every file it lists, or of the listed files named in `only`. Every
 * listed file must be a regular file inside the folder. Sizes are
 * compared before anything is read.
 * @throws {CoreEngineError} `INVALID_MODEL` naming the first file that is
 * missing or differs, with the expected and actual checksums.
 */
export async function verifyModelFolder(
  folder: string,
  only?: readonly string[],
): Promise<ModelManifest> {
  const opened = await openManifest(folder, only);
  for (const file of opened.checked.values()) {
    const path = join(folder, file.path);
    const { real, size } = await fileInside(
      opened.root,
      path,
      opened.manifestPath,
    );
    await checkBytes(path, size, () => sha256Of(real), file, opened.manifest);
  }
  return opened.manifest;
}

/**
 * Loads the sentence encoder that ships with this package. The manifest
 * must list every file that loading reads, and each file is checked
 * against it as it is read. Nothing is downloaded.
 * @throws {CoreEngineError} `INVALID_MODEL` when a file is missing, changed
 * or not listed.
 */
export async function loadBuiltInEncoder(
  options: LoadOnnxEncoderOptions = {},
  folder: string = BUILT_IN_MODEL_FOLDER,
): Promise<OnnxEncoder> {
  const present = await Promise.all(
    OPTIONAL_FILES.map((name) =>
      stat(join(folder, name)).then(
        () => name,
        () => undefined,
      ),
    ),
  );
  const readFiles = [...REQUIRED_FILES, ...present].filter(
    (name): name is string => name !== undefined,
  );
  // Only the files loading reads are checked, so a damaged file that
  // another feature reads fails that feature alone.
  const opened = await openManifest(folder, readFiles);
  const root = resolve(folder);
  const read: ModelFileReader = async (path) => {
    const file = opened.checked.get(relative(root, resolve(path)));
    if (file !== undefined) {
      return readChecked(opened, path, file);
    }
    try {
      return await readFile(path);
    } catch (error) {
      throw invalidModel(
        `${path} could not be read (${reason(error)}); reinstall the package or rebuild the model.`,
        error,
      );
    }
  };
  return loadOnnxEncoderWith(folder, options, read);
}

/** Name of the word statistics file in a model folder. */
export const WORD_INFORMATION_FILE = "word-information.tsv";

/**
 * Reads the self-information of words that ships with a model folder
 * (the built-in model's by default) and checks the file against the
 * folder's manifest, which must list it.
 * @throws {CoreEngineError} `INVALID_MODEL` when the file is missing,
 * changed, not listed or malformed.
 */
export async function loadWordInformation(
  folder: string = BUILT_IN_MODEL_FOLDER,
): Promise<WordInformation> {
  const opened = await openManifest(folder, [WORD_INFORMATION_FILE]);
  const path = join(folder, WORD_INFORMATION_FILE);
  const file = opened.checked.get(WORD_INFORMATION_FILE) as ManifestFile;
  const bytes = await readChecked(opened, path, file);
  return parseWordInformation(bytes.toString("utf8"), path);
}
