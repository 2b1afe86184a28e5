// Native addons (better-sqlite3) fall back to compiling with node-gyp when
// no prebuilt binary can be downloaded. node-gyp then downloads the Node.js
// headers unless it is told where they are, and pnpm passes only some
// settings on to build scripts. Where the running Node.js ships its own
// headers, point node-gyp at them so the build works without a network.
const { existsSync } = require("node:fs");
const { dirname, join } = require("node:path");

const prefix = join(dirname(process.execPath), "..");
const headers = join(prefix, "include", "node", "node_api.h");

module.exports = {
  hooks: {
    updateConfig(config) {
      if (process.env.npm_config_nodedir || !existsSync(headers)) {
        return config;
      }
      return {
        ...config,
        extraEnv: { ...config.extraEnv, npm_config_nodedir: prefix },
      };
    },
  },
};
