import { describe, expect, it } from "vitest";

import { ProgressBar, renderProgress } from "./progress-bar.js";

function recordingStream(): { writes: string[]; write(text: string): void } {
  const writes: string[] = [];
  return {
    writes,
    write(text) {
      writes.push(text);
    },
  };
}

describe("renderProgress", () => {
  it("shows the stage and the percentage", () => {
    const line = renderProgress({ stage: "encode", completed: 1, total: 4 });

    expect(line).toBe(
      `rfcc: encode      [${"=".repeat(6)}${" ".repeat(18)}]  25%`,
    );
  });

  it("shows a stage without work as complete", () => {
    expect(renderProgress({ stage: "score", completed: 0, total: 0 })).toMatch(
      /100%$/,
    );
  });
});

describe("ProgressBar", () => {
  it("redraws the line in place", () => {
    const stream = recordingStream();
    const bar = new ProgressBar(stream);

    bar.update({ stage: "segment", completed: 1, total: 2 });
    bar.update({ stage: "segment", completed: 2, total: 2 });

    expect(stream.writes).toHaveLength(2);
    expect(stream.writes.every((text) => text.startsWith("\r\u001b[K"))).toBe(
      true,
    );
    expect(stream.writes.some((text) => text.includes("\n"))).toBe(false);
  });

  it("skips an update that looks the same", () => {
    const stream = recordingStream();
    const bar = new ProgressBar(stream);

    bar.update({ stage: "encode", completed: 1, total: 1000 });
    bar.update({ stage: "encode", completed: 2, total: 1000 });

    expect(stream.writes).toHaveLength(1);
  });

  it("erases the line once when cleared", () => {
    const stream = recordingStream();
    const bar = new ProgressBar(stream);

    bar.update({ stage: "select", completed: 1, total: 1 });
    bar.clear();
    bar.clear();

    expect(stream.writes).toEqual([expect.any(String), "\r\u001b[K"]);
  });

  it("writes nothing when cleared before any update", () => {
    const stream = recordingStream();

    new ProgressBar(stream).clear();

    expect(stream.writes).toEqual([]);
  });
});
