import { Command } from "commander";

import type { CommandContext } from "./command-context.js";
import { createCompressCommand } from "./compress-command.js";
import { EXIT_CODE_HELP } from "./exit-codes.js";
import { createRouteCommand } from "./route-command.js";
import { readVersion } from "./version.js";

const DESCRIPTION = `Compresses long documents into a token budget for an LLM prompt, keeping
exact source spans, and routes questions through saved mega-tokens.`;

/**
 * Creates the `rfcc` program. Commander reports usage errors by throwing
 * a `CommanderError` instead of exiting, and prints no message of its own,
 * so that the caller words every error the same way.
 */
export function createProgram(context: CommandContext): Command {
  const program = new Command("rfcc")
    .description(DESCRIPTION)
    .version(readVersion(), "-V, --version", "print the version of rfcc")
    .helpOption("-h, --help", "print help for the command")
    .helpCommand("help [COMMAND]", "print help for a command")
    .addHelpText("after", EXIT_CODE_HELP)
    .exitOverride()
    .configureOutput({
      outputError: () => {
        // The caller prints the error with the "rfcc: " prefix.
      },
    })
    .showSuggestionAfterError(true);
  // addCommand, unlike command(), does not copy these settings by itself.
  for (const command of [
    createCompressCommand(context),
    createRouteCommand(context),
  ]) {
    program.addCommand(command.copyInheritedSettings(program));
  }
  return program;
}
