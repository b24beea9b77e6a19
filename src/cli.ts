/**
 * The composition root: builds the context from the process, runs the command, and
 * is the only place that turns errors into `error:` lines and exit codes.
 */
import { CommanderError, type Command } from 'commander';
import { createContext, type Context, type RunEnv } from './context.js';
import { InterruptedError, PapersError, ReaderGoneError, errorMessage, outputError } from './errors.js';
import { GLOBAL_VALUE_FLAGS } from './cmdutil/globals.js';
import { buildProgram, globalFlags } from './program.js';
import { accessOf, type Runner } from './cmdutil/build.js';
import type { AnyCommandSpec } from './cmdutil/spec.js';
import * as registry from 'papers:commands';
import { clip, visibleControls } from './text.js';
import { debugEnabled, terminalConfig } from './config.js';
import { helpWidth } from './render/io.js';
import { isSqliteError, sqliteHint } from './db/errors.js';

/**
 * An error message for the terminal: it may echo an argument or a server's words, so
 * every control is made visible and no line runs on for pages.
 */
function safeMessage(s: string): string {
  return s
    .split('\n')
    .map((l) => clip(visibleControls(l), 4096))
    .join('\n');
}

function isUsageCommanderError(err: CommanderError): boolean {
  return err.code !== 'commander.helpDisplayed' && err.code !== 'commander.version' && err.code !== 'commander.help';
}

function describeError(err: unknown): { message: string; hint?: string; code: number } {
  // A write to stdout that failed as it was made (a full disk): what failed, not a crash.
  const written = (err as NodeJS.ErrnoException | undefined)?.syscall === 'write' ? outputError(err) : undefined;
  if (written) return { message: written.message, hint: written.hint, code: written.exitCode };
  if (err instanceof PapersError) return { message: err.message, hint: err.hint, code: err.exitCode };
  if (isSqliteError(err)) return { message: `database error: ${errorMessage(err)}`, hint: sqliteHint(err), code: 1 };
  return { message: errorMessage(err), code: 1 };
}

/** The command argv names: the first word that is not a global option or its value. */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return argv[i + 1];
    if (!a.startsWith('-') || a === '-') return a;
    if (GLOBAL_VALUE_FLAGS.includes(a)) i++;
  }
  return undefined;
}

/** The specs to build: the one command argv names, or all of them (help, a typo, no command). */
async function loadSpecs(argv: readonly string[]): Promise<AnyCommandSpec[]> {
  const word = commandWord(argv);
  const wanted = word !== undefined && registry.names.includes(word) ? [word] : registry.names;
  const mods = await Promise.all(wanted.map((n) => registry.load(n)));
  return mods.map((m, i) => {
    if (!m?.default) throw new Error(`src/commands/${wanted[i]}.ts has no default export (its command spec)`);
    return m.default;
  });
}

/** Runs papers with argv (without node and script) and returns the exit code. */
export async function run(argv: string[], env: RunEnv): Promise<number> {
  let exitCode = 0;
  let ctx: Context | undefined;
  let verbose = debugEnabled(env.env);
  const errColor = (s: string) => s;
  const printError = (err: unknown) => {
    if (err instanceof ReaderGoneError) return 0;
    const d = describeError(err);
    // Ctrl-C is not an error: one plain line.
    const message = safeMessage(d.message);
    env.stderr.write(d.code === 130 ? `${message}\n` : `${errColor('error:')} ${message}\n`);
    if (d.hint) env.stderr.write(`hint: ${safeMessage(d.hint)}\n`);
    if (verbose && err instanceof Error && err.stack && !(err instanceof PapersError && err.exitCode === 2)) {
      env.stderr.write(`${safeMessage(err.stack)}\n`);
      let cause = (err as { cause?: unknown }).cause;
      while (cause instanceof Error) {
        env.stderr.write(`caused by: ${safeMessage(cause.stack ?? cause.message)}\n`);
        cause = (cause as { cause?: unknown }).cause;
      }
    }
    return d.code;
  };

  const runner: Runner = async (cmd, spec, input) => {
    const flags = globalFlags(cmd);
    verbose ||= !!flags.verbose;
    try {
      ctx = await createContext(env, flags, { access: accessOf(spec, input), pager: !!spec.pager });
      exitCode = (await spec.run!(ctx, input)) ?? 0;
    } catch (err) {
      exitCode = printError(err);
    } finally {
      try {
        await ctx?.close();
      } catch {
        /* closing a broken handle must not mask the real error */
      }
    }
  };

  let program: Command;
  try {
    program = buildProgram(await loadSpecs(argv), runner);
  } catch (err) {
    return printError(err);
  }
  // Every level of the tree (`watch add` too): commander must throw, never exit itself.
  const configure = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => void env.stdout.write(s),
      writeErr: (s) => void env.stderr.write(s),
      // Help fits the terminal it is written to (80 columns where that is not one).
      getOutHelpWidth: () => helpWidth(env.stdout, terminalConfig(env.env)),
      getErrHelpWidth: () => helpWidth(env.stderr, terminalConfig(env.env)),
      // commander's "(Did you mean --source?)" as the hint line every other error has.
      outputError: (s, write) =>
        write(
          safeMessage(s.endsWith('\n') ? s.slice(0, -1) : s).replace(
            /\n\(Did you mean (.*)\?\)$/,
            '\nhint: did you mean $1?',
          ) + '\n',
        ),
    });
    cmd.commands.forEach(configure);
  };
  configure(program);
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  // commander answers `help bogus` with the general help and exit 0; a typo is a usage error.
  // After the global options (`papers -q --db x help bogus`).
  const at = argv.indexOf('help');
  if (commandWord(argv) === 'help' && argv[at + 1] !== undefined && !argv[at + 1]!.startsWith('-')) {
    const name = argv[at + 1]!;
    if (name !== 'help' && !program.commands.some((c) => c.name() === name || c.aliases().includes(name))) {
      env.stderr.write(`error: unknown command '${safeMessage(name)}'\nhint: \`papers --help\` lists the commands\n`);
      return 2;
    }
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return isUsageCommanderError(err) ? 2 : 0;
    return printError(err);
  }
  return exitCode;
}

/** The process entry point used by bin/papers.js. */
export function main(argv: string[]): void {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    // The first Ctrl-C lets the current day roll back and the archive close cleanly.
    controller.abort(new InterruptedError(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `papers list | head -1`: a closed pipe ends the program quietly, successfully.
  // `papers list > /dev/full`: a failed write is one `error:` line and exit 1, no stack.
  let settled = false;
  const onPipeError = (stream: NodeJS.WriteStream) => (err: NodeJS.ErrnoException) => {
    const e = outputError(err, stream === process.stderr ? 'standard error' : 'standard output');
    if (!e) throw err;
    // Deliberate: whatever is still running (an export waiting for 'drain') has nowhere to write.
    settled = true;
    if (e instanceof ReaderGoneError) process.exit(process.exitCode ?? 0);
    if (stream !== process.stderr) {
      try {
        process.stderr.write(`error: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}`);
      } catch {
        /* stderr is gone too: the exit code still says it */
      }
    }
    process.exit(1);
  };
  process.stdout.on('error', onPipeError(process.stdout));
  process.stderr.on('error', onPipeError(process.stderr));

  // A promise that never settles would let node exit 0 with nothing done: make it loud.
  process.on('exit', () => {
    if (!settled) {
      process.stderr.write(
        'error: papers stopped before finishing (internal error); run with PAPERS_DEBUG=1 and report it\n',
      );
      process.exitCode = 1;
    }
  });
  run(argv, { env: process.env, stdout: process.stdout, stderr: process.stderr, signal: controller.signal })
    .finally(() => {
      settled = true;
    })
    .then((code) => {
      if (controller.signal.aborted && code === 0) code = 130;
      process.exitCode = code;
      // Interrupted, with the archive closed: a read or write still pending off the main thread
      // (a FIFO whose other end never came, or stopped reading) must not keep the process.
      if (controller.signal.aborted) process.exit(code);
    })
    .catch((err) => {
      process.stderr.write(`error: ${errorMessage(err)}\n`);
      process.exitCode = 1;
    });
}
