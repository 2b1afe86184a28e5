#!/usr/bin/env node
// Runs the compiled audit CLI from dist/, or explains how to build it.
import { existsSync } from "node:fs";

const entry = new URL("../dist/audit/cli.js", import.meta.url);

if (existsSync(entry)) {
  const { runAuditCli } = await import(entry.href);
  process.exitCode = await runAuditCli(process.argv.slice(2));
} else {
  process.stderr.write(
    "rfcc-audit: the command is not built yet. Run `pnpm build` at the repository root first.\n",
  );
  process.exitCode = 2;
}
