#!/usr/bin/env node
// Runs the compiled audit CLI from dist/, or explains how to build it.
// Exit status 1 means tampering, so every failure to run exits with 2.
import { existsSync } from "node:fs";

const entry = new URL("../dist/audit/cli.js", import.meta.url);

if (existsSync(entry)) {
  try {
    const { runAuditCli } = await import(entry.href);
    process.exitCode = await runAuditCli(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `rfcc-audit: Unexpected error: ${message.replace(/\s*\n\s*/gu, " ")}\n`,
    );
    process.exitCode = 2;
  }
} else {
  process.stderr.write(
    "rfcc-audit: the command is not built yet. Run `pnpm build` at the repository root first.\n",
  );
  process.exitCode = 2;
}
