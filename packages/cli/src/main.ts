/**
 * Entry point of the `promptseg` command. Each subcommand lives in its own file under
 * src/commands/ and exports a function (ctx) => Command; register new ones in COMMANDS below.
 * Keep top-level imports light (no @promptseg/model): `promptseg --help` must not load sharp or
 * ONNX. Commands import the heavy packages inside their action.
 */
import { Command, CommanderError } from 'commander';
import type { CliContext } from './context.js';
import { segmentCommand } from './commands/segment.js';
import { modelsCommand } from './commands/models.js';
import { keysCommand } from './commands/keys.js';
import { asPromptsegError, formatError } from './report.js';

/** Subcommands, in the order `promptseg --help` lists them. */
const COMMANDS: ((ctx: CliContext) => Command)[] = [segmentCommand, modelsCommand, keysCommand];

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('promptseg')
    .description('Type what you want cut out of a picture and get one mask per object, with its label and score.')
    .version('0.1.0', '-V, --version');
  for (const make of COMMANDS) program.addCommand(make(ctx));
  routeThroughMain(program, ctx);
  return program;
}

/**
 * Every command of the tree, nested ones included (`models pull`, `keys create`), writes to the
 * context's streams and throws its usage errors to main() instead of calling process.exit.
 * Commander copies these settings only into subcommands made after they are set, so they are
 * applied here, once the tree is built.
 */
function routeThroughMain(cmd: Command, ctx: CliContext): void {
  cmd.exitOverride().configureOutput({ writeErr: (s) => ctx.stderr.write(s), writeOut: (s) => ctx.stdout.write(s) });
  for (const sub of cmd.commands) routeThroughMain(sub, ctx);
}

/** Runs the CLI with process-style argv and returns the exit code (never calls process.exit). */
export async function main(argv: string[], streams: Partial<Pick<CliContext, 'stdout' | 'stderr' | 'env'>> = {}): Promise<number> {
  let exitCode = 0;
  const ctx: CliContext = {
    stdout: streams.stdout ?? process.stdout,
    stderr: streams.stderr ?? process.stderr,
    env: streams.env ?? process.env,
    setExitCode: (code) => (exitCode = code),
  };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version arrive here too, with exit code 0
      if (e.exitCode === 0) return 0;
      if (e.code === 'commander.help' || e.code === 'commander.helpDisplayed') return e.exitCode;
      // commander printed "error: ..." already; add what to do
      const err = asPromptsegError(e);
      ctx.stderr.write(`  hint: ${err.hint}\n`);
      return err.exitCode;
    }
    const err = asPromptsegError(e);
    ctx.stderr.write(formatError(err) + '\n');
    return err.exitCode;
  }
}
