// OpenFeature entry: needs the optional peer @openfeature/server-sdk.
export { ConfigFlagProvider } from "./provider.js";
export type { ConfigFlagProviderOptions } from "./provider.js";
