// Writes src/flags/golden-vectors.json: for 10,000 ordinary keys, keys
// whose buckets sit on rollout and variant boundaries, and non-ASCII keys,
// the rollout bucket, variant bucket and variant of a few flags. Tests
// check the Node.js and browser builds against this file, so a change to
// hashing or bucketing shows up as a failing test.
//
// Run after building: pnpm --filter @retrieval-free/config build &&
// node packages/config/scripts/generate-golden-vectors.js
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { format } from "prettier";

import {
  BUCKET_COUNT,
  evaluateDefinition,
  pickRolloutVariant,
} from "../dist/flags/index.js";

const FLAGS = {
  "rollout-25": {
    variants: { on: true, off: false },
    defaultVariant: "off",
    rollout: { percentage: 25, variants: [{ variant: "on", weight: 1 }] },
  },
  "ab-50-50": {
    variants: { control: "control", treatment: "treatment" },
    defaultVariant: "control",
    rollout: {
      variants: [
        { variant: "control", weight: 50 },
        { variant: "treatment", weight: 50 },
      ],
    },
  },
  "weighted-80": {
    variants: { small: 1, medium: 2, large: 3, none: 0 },
    defaultVariant: "none",
    rollout: {
      percentage: 80.5,
      rolloutSeed: "seed-r",
      variantSeed: "seed-v",
      variants: [
        { variant: "small", weight: 10 },
        { variant: "medium", weight: 30 },
        { variant: "large", weight: 60 },
      ],
    },
  },
};

const ORDINARY_KEYS = 10_000;
const EDGE_CANDIDATES = 400_000;
const UNICODE_KEYS = [
  "",
  "é",
  "ключ-пользователя",
  "ユーザー-42",
  "用户-7",
  "emoji-🚀-key",
  "tab\tand\nnewline",
  "a:b:c",
];

/** Lists the buckets next to every rollout and variant boundary of a flag. */
function boundaryBuckets(flag) {
  const rollout = flag.rollout;
  const threshold = Math.round((rollout.percentage ?? 100) * 100);
  const rolloutTargets = new Set([
    0,
    BUCKET_COUNT - 1,
    threshold - 1,
    threshold,
  ]);
  const total = rollout.variants.reduce((sum, item) => sum + item.weight, 0);
  const variantTargets = new Set([0, BUCKET_COUNT - 1]);
  let cumulative = 0;
  for (const item of rollout.variants) {
    cumulative += item.weight;
    const edge = Math.floor((BUCKET_COUNT * cumulative) / total);
    variantTargets.add(edge - 1);
    variantTargets.add(edge);
  }
  // A boundary at 10,000 has no bucket above it.
  rolloutTargets.delete(BUCKET_COUNT);
  variantTargets.delete(BUCKET_COUNT);
  return { rolloutTargets, variantTargets };
}

function findEdgeKeys() {
  const targets = Object.entries(FLAGS).map(([flagKey, flag]) => ({
    flagKey,
    flag,
    ...boundaryBuckets(flag),
  }));
  const found = new Set();
  for (let index = 0; index < EDGE_CANDIDATES; index += 1) {
    const key = `edge-${index}`;
    for (const entry of targets) {
      const pick = pickRolloutVariant(entry.flag.rollout, entry.flagKey, key);
      if (entry.rolloutTargets.delete(pick.rolloutBucket)) {
        found.add(key);
      }
      if (entry.variantTargets.delete(pick.variantBucket)) {
        found.add(key);
      }
    }
  }
  const missing = targets.filter(
    (entry) => entry.rolloutTargets.size + entry.variantTargets.size > 0,
  );
  if (missing.length > 0) {
    throw new Error(
      `no key found for some boundary buckets of ${missing.map((entry) => entry.flagKey).join(", ")}; raise EDGE_CANDIDATES`,
    );
  }
  return [...found];
}

/** Evaluates every flag for every key, in columns that Prettier keeps compact. */
function evaluateAll(keys) {
  const results = {};
  for (const [flagKey, flag] of Object.entries(FLAGS)) {
    const variantNames = Object.keys(flag.variants);
    const column = {
      variantNames,
      rolloutBuckets: [],
      variantBuckets: [],
      variants: [],
    };
    for (const key of keys) {
      const pick = pickRolloutVariant(flag.rollout, flagKey, key);
      const evaluation = evaluateDefinition(flagKey, flag, {
        targetingKey: key,
      });
      column.rolloutBuckets.push(pick.rolloutBucket);
      column.variantBuckets.push(pick.variantBucket);
      column.variants.push(variantNames.indexOf(evaluation.variant));
    }
    results[flagKey] = column;
  }
  return results;
}

const keys = [
  ...Array.from({ length: ORDINARY_KEYS }, (_, index) => `user-${index}`),
  ...findEdgeKeys(),
  ...UNICODE_KEYS,
];
const golden = {
  algorithm:
    "bucket = murmur3_x86_32(utf8(`${seed}:${flagKey}:${targetingKey}`), 0) % 10000",
  layout:
    "results[flag] holds one entry per key, in key order; variants holds indexes into variantNames",
  flags: FLAGS,
  keys,
  results: evaluateAll(keys),
};
const target = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "src",
  "flags",
  "golden-vectors.json",
);
writeFileSync(target, await format(JSON.stringify(golden), { parser: "json" }));
process.stdout.write(`wrote ${keys.length} vectors to ${target}\n`);
