import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../../errors.js";
import { detectPii } from "../detect.js";
import { maskPii } from "../mask.js";
import type { PiiFinding } from "../types.js";
import { detectPiiWithModel } from "./detect-with-model.js";
import { loadNerRecognizer } from "./load.js";
import type { NerRecognizer } from "./recognizer.js";
import { captureSecurityError } from "./test-support/capture-error.js";
import { removeTinyModel, writeTinyNerModel } from "./test-support/tiny-ner.js";

function spansOf(findings: readonly PiiFinding[]): [string, string][] {
  return findings.map((finding) => [finding.type, finding.text]);
}

function overlaps(left: PiiFinding, right: PiiFinding): boolean {
  return left.start < right.end && right.start < left.end;
}

let folder = "";
let ner: NerRecognizer;

beforeAll(async () => {
  folder = await writeTinyNerModel();
  ner = await loadNerRecognizer(folder);
});

afterAll(async () => {
  await ner.close();
  await removeTinyModel(folder);
});

describe("detectPiiWithModel", () => {
  it("adds model findings to rule findings", async () => {
    const text = "then ada lovelace went to paris, mail ada@example.com";
    const findings = await detectPiiWithModel(text, { models: [ner] });
    expect(spansOf(findings)).toEqual([
      ["PERSON", "ada lovelace"],
      ["LOCATION", "paris"],
      ["EMAIL", "ada@example.com"],
    ]);
    expect(findings[0]?.recognizer).toBe("ner");
    // The rules alone find no lower-case names.
    const rules = detectPii(text).map((finding) => finding.type);
    expect(rules).not.toContain("PERSON");
  });

  it("keeps an adjacent e-mail address whole", async () => {
    const text = "Ada Lovelace ada.lovelace@example.com wrote.";
    const findings = await detectPiiWithModel(text, {
      models: [ner],
      types: ["PERSON", "EMAIL"],
    });
    const email = findings.find((finding) => finding.type === "EMAIL");
    expect(email?.text).toBe("ada.lovelace@example.com");
    const names = findings.filter((finding) => finding.type === "PERSON");
    expect(names.map((finding) => finding.text)).toEqual(["Ada Lovelace"]);
    for (const name of names) {
      expect(overlaps(name, email as PiiFinding)).toBe(false);
    }
    // The model itself finds the names inside the address.
    const raw = await ner.recognize(text);
    expect(raw.map((finding) => finding.text)).toEqual([
      "Ada Lovelace",
      "ada",
      "lovelace",
    ]);
  });

  it("applies minScore and types to models", async () => {
    const text = "Kim met Ada in Paris.";
    const findings = await detectPiiWithModel(text, {
      models: [ner],
      minScore: 0.5,
      types: ["PERSON"],
    });
    expect(spansOf(findings)).toEqual([["PERSON", "Ada"]]);
  });

  it("skips models of unrequested kinds", async () => {
    let calls = 0;
    const counting: NerRecognizer = {
      name: ner.name,
      types: ner.types,
      labels: ner.labels,
      maxLength: ner.maxLength,
      recognize: (text) => {
        calls++;
        return ner.recognize(text);
      },
      prepare: (text) => ner.prepare(text),
      find: (text) => ner.find(text),
      close: () => ner.close(),
    };
    await detectPiiWithModel("mail ada@example.com", {
      models: [counting],
      types: ["EMAIL"],
    });
    expect(calls).toBe(0);
    await detectPiiWithModel("mail ada@example.com", { models: [counting] });
    expect(calls).toBe(1);
  });

  it("gives findings that maskPii masks", async () => {
    const text = "Ask marie curie in zurich.";
    const findings = await detectPiiWithModel(text, { models: [ner] });
    const masked = maskPii(text, { findings });
    expect(masked.text).toBe("Ask <PERSON_1> in <LOCATION_1>.");
  });

  it("rejects invalid models and options", async () => {
    const missing = await captureSecurityError(() =>
      detectPiiWithModel("Ada", {} as never),
    );
    expect(missing.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(missing.issues[0]?.path).toBe("models");
    const unknown = await captureSecurityError(() =>
      detectPiiWithModel("Ada", { models: [ner], colour: "red" } as never),
    );
    expect(unknown.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(unknown.issues[0]?.path).toBe("colour");
    const text = await captureSecurityError(() =>
      detectPiiWithModel(42 as unknown as string, { models: [ner] }),
    );
    expect(text.code).toBe(SecurityErrorCode.INVALID_INPUT);
  });
});

describe("detectPiiWithModel with faulty models", () => {
  /** A model recognizer that returns `result` without running a model. */
  function fakeModel(
    result: unknown,
    types: readonly string[] = ["PERSON"],
  ): NerRecognizer {
    return {
      name: "fake",
      types: types as NerRecognizer["types"],
      labels: ["O"],
      maxLength: 512,
      recognize: () => Promise.resolve(result as PiiFinding[]),
      prepare: () => Promise.resolve(),
      find: () => [],
      close: () => Promise.resolve(),
    };
  }

  it("rejects a model whose recognize returns no list", async () => {
    for (const result of [undefined, {}, null]) {
      const error = await captureSecurityError(() =>
        detectPiiWithModel("Ada wrote.", { models: [fakeModel(result)] }),
      );

      expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
      expect(error.message).toContain('Model recognizer "fake" returned');
    }
  });

  it("rejects a model type that is not a kind of personal data", async () => {
    const error = await captureSecurityError(() =>
      detectPiiWithModel("Ada wrote.", {
        models: [fakeModel([], ["PERSON", "NAME"])],
      }),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.issues[0]?.path).toBe("models[0].types");
    expect(error.message).toContain('"NAME"');
  });

  it("rejects a model finding of a kind the model does not declare", async () => {
    const finding: PiiFinding = {
      type: "EMAIL",
      start: 2,
      end: 5,
      text: "Ada",
      score: 1,
      recognizer: "fake",
      validation: {},
    };
    const error = await captureSecurityError(() =>
      detectPiiWithModel("x Ada y", { models: [fakeModel([finding])] }),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.message).toContain("kind EMAIL");
  });
});
