import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import ts from "typescript";

const SOURCE_FOLDER = fileURLToPath(new URL("..", import.meta.url));

/** A temporary folder with JavaScript builds of source modules. */
export interface TranspiledModules {
  readonly folder: string;
  remove(): Promise<void>;
}

/**
 * Transpiles the named modules of `src/` (such as `shutdown`), and the
 * modules they import by relative path, to ES modules in a new temporary
 * folder, so a child process can import them without a build. The
 * modules must not import packages.
 */
export async function transpileModules(
  names: readonly string[],
): Promise<TranspiledModules> {
  const folder = await mkdtemp(join(tmpdir(), "resilience-modules-"));
  const pending = [...names];
  const done = new Set<string>();
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (done.has(name)) {
      continue;
    }
    done.add(name);
    const source = await readFile(join(SOURCE_FOLDER, `${name}.ts`), "utf8");
    const output = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    }).outputText;
    await writeFile(join(folder, `${name}.js`), output);
    for (const match of output.matchAll(/from "\.\/([\w-]+)\.js"/gu)) {
      pending.push(match[1] ?? "");
    }
  }
  return {
    folder,
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}
