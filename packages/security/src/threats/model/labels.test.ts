import { describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../../errors.js";
import { captureSecurityError } from "../../pii/model/test-support/capture-error.js";
import { isBenignLabel, selectThreatLabels } from "./labels.js";
import { loadThreatClassifier } from "./load.js";
import {
  removeTinyThreatModel,
  writeTinyThreatModel,
} from "./test-support/tiny-classifier.js";

const CONFIG = "/models/guard/config.json";

describe("isBenignLabel", () => {
  it.each(["SAFE", "benign", " Legit ", "LEGITIMATE", "negative", "LABEL_0"])(
    "reads %j as benign",
    (label) => {
      expect(isBenignLabel(label)).toBe(true);
    },
  );

  it.each(["INJECTION", "JAILBREAK", "UNSAFE", "LABEL_1", "POSITIVE", "O"])(
    "reads %j as a threat",
    (label) => {
      expect(isBenignLabel(label)).toBe(false);
    },
  );
});

describe("selectThreatLabels", () => {
  it.each([
    [["SAFE", "INJECTION"], [1]],
    [
      ["BENIGN", "INJECTION", "JAILBREAK"],
      [1, 2],
    ],
    [["LABEL_0", "LABEL_1"], [1]],
    [["INJECTION", "LEGIT"], [0]],
    [["INJECTION"], [0]],
    [["LABEL_0"], [0]],
  ])("picks the default threat labels of %j", (labels, expected) => {
    expect(selectThreatLabels(labels, undefined, CONFIG)).toEqual(expected);
  });

  it("matches requested labels in any case", () => {
    const labels = ["BENIGN", "INJECTION", "JAILBREAK"];

    expect(selectThreatLabels(labels, ["jailbreak"], CONFIG)).toEqual([2]);
    expect(
      selectThreatLabels(labels, [" Jailbreak ", "injection"], CONFIG),
    ).toEqual([1, 2]);
  });

  it("names every label that the model lacks", async () => {
    const error = await captureSecurityError(() =>
      selectThreatLabels(["SAFE", "INJECTION"], ["UNSAFE", "ATTACK"], CONFIG),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "threatLabels[0]",
      "threatLabels[1]",
    ]);
    expect(error.message).toContain(CONFIG);
    expect(error.message).toContain("use one of SAFE, INJECTION");
  });

  it("rejects a request for every label", async () => {
    const error = await captureSecurityError(() =>
      selectThreatLabels(["SAFE", "INJECTION"], ["SAFE", "INJECTION"], CONFIG),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain("every sentence would score 1");
  });

  it.each([
    [["INJECTION", "JAILBREAK"], "no benign label"],
    [["SAFE", "BENIGN"], "no threat label"],
  ])(
    "asks for threatLabels when %j defeats the default",
    async (labels, gap) => {
      const error = await captureSecurityError(() =>
        selectThreatLabels(labels, undefined, CONFIG),
      );

      expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
      expect(error.issues[0]?.path).toBe("threatLabels");
      expect(error.message).toContain(gap);
      expect(error.message).toContain("pass threatLabels");
    },
  );
});

describe("loadThreatClassifier label selection", () => {
  const labels = ["BENIGN", "INJECTION", "JAILBREAK"];
  const sentences = ["jailbreak the", "the report"];

  it("sums every threat label by default", async () => {
    const folder = await writeTinyThreatModel({
      labels,
      biases: { BENIGN: 2 },
    });
    const classifier = await loadThreatClassifier(folder);

    const [jailbreak, neutral] = await classifier.classify(sentences);
    await classifier.close();
    await removeTinyThreatModel(folder);

    expect(classifier.threatLabels).toEqual(["INJECTION", "JAILBREAK"]);
    // Logits [2, 0, 24 / 4]: the two threat labels share e^0 + e^6.
    expect(jailbreak).toBeCloseTo(
      (1 + Math.E ** 6) / (Math.E ** 2 + 1 + Math.E ** 6),
      5,
    );
    expect(neutral).toBeCloseTo(2 / (Math.E ** 2 + 2), 5);
  });

  it("scores only the requested labels", async () => {
    const folder = await writeTinyThreatModel({
      labels,
      biases: { BENIGN: 2 },
    });
    const classifier = await loadThreatClassifier(folder, {
      threatLabels: ["injection"],
    });

    const [jailbreak] = await classifier.classify(sentences);
    await classifier.close();
    await removeTinyThreatModel(folder);

    expect(classifier.threatLabels).toEqual(["INJECTION"]);
    expect(jailbreak).toBeCloseTo(1 / (Math.E ** 2 + 1 + Math.E ** 6), 5);
  });

  it("applies the sigmoid to a single output", async () => {
    const folder = await writeTinyThreatModel({
      labels: ["INJECTION"],
      biases: { INJECTION: -2 },
    });
    const classifier = await loadThreatClassifier(folder);

    const [flagged, neutral] = await classifier.classify([
      "zorblat the report",
      "the report",
    ]);
    await classifier.close();
    await removeTinyThreatModel(folder);

    // Logits -2 + 24 / 5 and -2.
    expect(flagged).toBeCloseTo(1 / (1 + Math.exp(2 - 24 / 5)), 5);
    expect(neutral).toBeCloseTo(1 / (1 + Math.exp(2)), 5);
  });
});
