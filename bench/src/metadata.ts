import { cpus, loadavg } from "node:os";

/** Machine, runtime, data and command of a benchmark run, stored with its results. */
export interface RunMetadata {
  /** Start time, ISO 8601 in UTC. */
  readonly date: string;
  readonly nodeVersion: string;
  /** CPU model of the first core, as `os.cpus()` reports it. */
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly platform: string;
  /**
   * One-minute load average at the start and at the end of the run. A
   * value above `cpuCount` means other processes competed for the CPUs,
   * so the timings are noisier and slower than on an idle machine.
   */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly dataDirectory: string;
  /** The command as typed, reconstructed from the script and its flags. */
  readonly command: string;
}

/** Time and load at the start of a run, taken before any work. */
export interface RunStart {
  readonly date: Date;
  /** One-minute load average. */
  readonly loadAverage: number;
}

/** Records the time and load average at the start of a run. */
export function markRunStart(): RunStart {
  return { date: new Date(), loadAverage: loadavg()[0] ?? 0 };
}

/**
 * Collects the run metadata. The command is shown as the pnpm script when
 * pnpm started the process, else as the node invocation.
 */
export function collectMetadata(
  script: string,
  argv: readonly string[],
  dataDirectory: string,
  start: RunStart,
): RunMetadata {
  const processors = cpus();
  const lifecycle = process.env.npm_lifecycle_event;
  const base =
    lifecycle === `bench:${script}`
      ? `pnpm bench:${script}`
      : `node bench/dist/${script}.js`;
  return {
    date: start.date.toISOString(),
    nodeVersion: process.version,
    cpuModel: processors[0]?.model.trim() ?? "unknown",
    cpuCount: processors.length,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: { start: start.loadAverage, end: loadavg()[0] ?? 0 },
    dataDirectory,
    command: [base, ...argv].join(" "),
  };
}

/** Renders the metadata as a Markdown list. */
export function renderMetadata(metadata: RunMetadata): string {
  return [
    `- command: \`${metadata.command}\``,
    `- date: ${metadata.date}`,
    `- machine: ${metadata.cpuModel}, ${metadata.cpuCount} cores, ${metadata.platform}`,
    `- Node.js: ${metadata.nodeVersion}`,
    `- load average (1 min): ${metadata.loadAverage.start.toFixed(2)} at start, ${metadata.loadAverage.end.toFixed(2)} at end`,
    `- data: ${metadata.dataDirectory}`,
  ].join("\n");
}
