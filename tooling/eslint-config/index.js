import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import importX from "eslint-plugin-import-x";
import globals from "globals";
import tseslint from "typescript-eslint";

const SCOPE = "@retrieval-free";

/**
 * Internal packages each workspace folder may import. Dependencies flow one
 * way: the core engine and the base packages import no other internal
 * package, and only the composing layers reach upward.
 */
export const allowedInternalImports = {
  "packages/core-engine": [],
  "packages/config": [],
  "packages/observability": [],
  "packages/resilience": [],
  "packages/security": ["config", "observability"],
  "packages/compliance": ["security", "config"],
  "packages/qa": ["core-engine"],
  "packages/enterprise": [
    "core-engine",
    "config",
    "observability",
    "resilience",
    "security",
    "compliance",
    "qa",
  ],
  "apps/server": ["enterprise", "core-engine", "config", "observability"],
  "apps/cli": ["core-engine"],
  bench: ["core-engine", "security"],
};

/** Subpaths that packages export on purpose besides their root entry. */
const exportedSubpaths = ["core-engine/node"];

/**
 * Tooling packages that any folder may import: configuration presets, and
 * the ONNX graph writer that tests and model builds use.
 */
const toolingPackages = [
  "tsconfig",
  "eslint-config",
  "vitest-config",
  "onnx-graph",
];

function layeringRules(folder, allowed) {
  const allowedPattern = [...allowed, ...exportedSubpaths, ...toolingPackages]
    .map((name) => name.replace("/", "\\/"))
    .join("|");
  return {
    files: [`${folder}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^${SCOPE}/(?!(${allowedPattern})$).+`,
              message: `${folder} may import only ${
                allowed.length > 0 ? allowed.join(", ") : "no internal package"
              } (through the package root); see docs/architecture.md.`,
            },
            {
              regex: "^(\\.\\./)+(packages|apps|tooling|bench)/",
              message:
                "Import another workspace package by its name, not by a relative path.",
            },
          ],
        },
      ],
    },
  };
}

/** Rules that keep browser-safe core code free of Node built-ins. */
const browserSafeCore = {
  files: ["packages/core-engine/src/**/*.ts"],
  ignores: [
    "packages/core-engine/src/node/**",
    "packages/core-engine/src/**/*.test.ts",
    "packages/core-engine/src/test-support/**",
  ],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: `^${SCOPE}/.+`,
            message: "The core engine imports no other internal package.",
          },
          {
            regex: "^node:",
            message:
              "The core engine runs in browsers; put Node-only code under src/node/.",
          },
        ],
      },
    ],
  },
};

/** Flat ESLint configuration shared by the whole repository. */
export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/coverage/**",
      "**/node_modules/**",
      "**/.turbo/**",
      "bench/results/**",
      // pnpm's install hook file, plain CommonJS outside every project.
      ".pnpmfile.cjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            "*.js",
            "*.ts",
            "tooling/*/*.js",
            "apps/*/bin/*.js",
            "packages/*/bin/*.js",
            "packages/*/vitest.config.ts",
            "apps/*/vitest.config.ts",
          ],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 32,
        },
        tsconfigRootDir: process.cwd(),
      },
    },
    plugins: { "import-x": importX },
    rules: {
      "import-x/no-duplicates": "error",
      "import-x/first": "error",
      "import-x/no-default-export": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true },
      ],
      "@typescript-eslint/no-confusing-void-expression": [
        "error",
        { ignoreArrowShorthand: true },
      ],
      "no-console": "error",
    },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: [
      "**/*.config.ts",
      "**/*.config.js",
      "tooling/eslint-config/index.js",
    ],
    rules: { "import-x/no-default-export": "off" },
  },
  {
    files: ["apps/cli/src/**/*.ts", "bench/src/**/*.ts", "apps/*/bin/*.js"],
    rules: { "no-console": "off" },
  },
  ...Object.entries(allowedInternalImports)
    .filter(([folder]) => folder !== "packages/core-engine")
    .map(([folder, allowed]) => layeringRules(folder, allowed)),
  browserSafeCore,
  prettier,
);
