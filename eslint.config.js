import config from "@retrieval-free/eslint-config";

export default config;
