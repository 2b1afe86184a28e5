// Entry of the page that the browser test bundles: it exposes the golden
// vector computation of the platform-neutral flag evaluator.
import { computeGolden } from "./golden.js";

(
  globalThis as unknown as { computeGolden: typeof computeGolden }
).computeGolden = computeGolden;
