// The package's main entry in Node.js: everything of the portable entry,
// with compress and route defaulting to the built-in model.
export * from "../index.js";
export { compress, route } from "./defaults.js";
