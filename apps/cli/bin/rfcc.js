#!/usr/bin/env node
// Runs the compiled CLI from dist/, or explains how to build it.
import { existsSync } from "node:fs";

const entry = new URL("../dist/main.js", import.meta.url);

if (existsSync(entry)) {
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv.slice(2));
} else {
  process.stderr.write(
    "rfcc: the command is not built yet. Run `pnpm build` at the repository root first.\n",
  );
  process.exitCode = 1;
}
