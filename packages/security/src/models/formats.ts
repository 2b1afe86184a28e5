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

/** How many leading bytes of a file {@link pickleContentReason} needs. */
export const FORMAT_HEAD_BYTES = 4096;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const NUMPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => head[index] === byte);
}

/** Names the pickle-based format a file name ends with, if any. */
export function pickleNameReason(path: string): string | undefined {
  const lower = path.toLowerCase();
  const ending = PICKLE_ENDINGS.find((suffix) => lower.endsWith(suffix));
  return ending === undefined
    ? undefined
    : `its name ends with ${ending}, a pickle-based format`;
}

/**
 * Tells from a file's first bytes whether it holds a pickle: a pickle of
 * protocol 2 or later, a ZIP archive holding one (how PyTorch saves
 * `pytorch_model.bin`), or a NumPy array of Python objects.
 */
export function pickleContentReason(head: Uint8Array): string | undefined {
  if (head[0] === 0x80 && (head[1] ?? 0) >= 2 && (head[1] ?? 0) <= 5) {
    return "its bytes start like a Python pickle";
  }
  const latin1 = Buffer.from(head).toString("latin1");
  if (startsWith(head, ZIP_MAGIC) && latin1.includes(".pkl")) {
    return "it is a ZIP archive holding a pickle (a PyTorch checkpoint)";
  }
  if (startsWith(head, NUMPY_MAGIC) && /'descr':\s*'\|O'/u.test(latin1)) {
    return "it is a NumPy array of Python objects, stored as pickles";
  }
  return undefined;
}
