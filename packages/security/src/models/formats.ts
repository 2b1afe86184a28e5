/**
 * File name endings of formats that run code while they are loaded:
 * Python pickles and the PyTorch, Lightning, joblib and dill files built
 * on them.
 */
const PICKLE_ENDINGS = [
  ".pkl",
  ".pickle",
  ".pt",
  ".pth",
  ".ckpt",
  ".joblib",
  ".dill",
];

/** How many leading bytes of a file {@link pickleContentReason} reads. */
export const FORMAT_HEAD_BYTES = 4096;

/**
 * How many trailing bytes of a file {@link pickleContentReason} reads: a
 * ZIP archive lists its members in a central directory at its end.
 */
export const FORMAT_TAIL_BYTES = 1 << 20;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const NUMPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;

/**
 * Protocol 0 and 1 pickles that call a function start by naming it with
 * the GLOBAL (`c`) or INST (`i`) opcode, `module\nname\n`, at most after
 * a MARK or an empty list or dictionary.
 */
const TEXT_PICKLE = /^[(\]}]?[ci][A-Za-z_][\w.]*\n[A-Za-z_]\w*\n/u;

/** A NumPy header whose dtype, or one of its fields, is `O` (object). */
const NUMPY_OBJECT = /['"][|<>=]?O\d*['"]/u;

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => head[index] === byte);
}

/** Names the pickle-based format a file name ends with, if any. */
export function pickleNameReason(path: string): string | undefined {
  const lower = path.toLowerCase().replace(/[.\s]+$/u, "");
  const ending = PICKLE_ENDINGS.find((suffix) => lower.endsWith(suffix));
  return ending === undefined
    ? undefined
    : `its name ends with ${ending}, a pickle-based format`;
}

/**
 * Reads the member names of a ZIP archive from its central directory,
 * which must lie within `tail` (the last bytes of a file of `size`
 * bytes). Returns undefined when the directory cannot be found there.
 */
function zipMemberNames(tail: Buffer, size: number): string[] | undefined {
  const end = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > tail.length) {
    return undefined;
  }
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  let at = directoryOffset - (size - tail.length);
  if (tail.readUInt32LE(end) !== END_OF_DIRECTORY || at < 0) {
    return undefined;
  }
  const names: string[] = [];
  const stop = Math.min(at + directorySize, end);
  while (at + 46 <= stop && tail.readUInt32LE(at) === DIRECTORY_ENTRY) {
    const nameLength = tail.readUInt16LE(at + 28);
    const skip = tail.readUInt16LE(at + 30) + tail.readUInt16LE(at + 32);
    names.push(tail.toString("latin1", at + 46, at + 46 + nameLength));
    at += 46 + nameLength + skip;
  }
  return names;
}

function zipReason(tail: Buffer, size: number): string | undefined {
  const names = zipMemberNames(tail, size);
  if (names === undefined) {
    return "it is a ZIP archive whose member list could not be read, so a pickle inside cannot be ruled out";
  }
  const pickle = names.find((name) => pickleNameReason(name) !== undefined);
  return pickle === undefined
    ? undefined
    : `it is a ZIP archive holding a pickle (${pickle}), as PyTorch saves checkpoints`;
}

/** Returns the header of a NumPy `.npy` file, a Python dict literal. */
function numpyHeader(head: Uint8Array): string {
  const bytes = Buffer.from(head);
  if (bytes.length < 12) {
    return "";
  }
  const major = bytes[6];
  const length = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  return bytes.toString(
    "latin1",
    start,
    Math.min(bytes.length, start + length),
  );
}

/**
 * Tells from a file's first and last bytes whether it holds a pickle: a
 * pickle of any protocol, a ZIP archive with a pickle among its members
 * (how PyTorch saves `pytorch_model.bin`), or a NumPy array of Python
 * objects. `tail` holds the last bytes of the file, `size` its length.
 */
export function pickleContentReason(
  head: Uint8Array,
  tail: Uint8Array,
  size: number,
): string | undefined {
  const latin1 = Buffer.from(head).toString("latin1");
  const last = tail[tail.length - 1];
  if (head[0] === 0x80 && (head[1] ?? 0) >= 2 && (head[1] ?? 0) <= 5) {
    return "its bytes start like a Python pickle";
  }
  if (TEXT_PICKLE.test(latin1) && last === 0x2e) {
    return "its bytes read as a protocol 0 or 1 Python pickle that imports a function";
  }
  if (startsWith(head, ZIP_MAGIC)) {
    return zipReason(Buffer.from(tail), size);
  }
  if (startsWith(head, NUMPY_MAGIC) && NUMPY_OBJECT.test(numpyHeader(head))) {
    return "it is a NumPy array of Python objects, stored as pickles";
  }
  return undefined;
}
