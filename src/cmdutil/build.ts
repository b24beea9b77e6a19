/**
 * A command spec to a commander command. The only place that knows commander's API
 * beyond the root program: options and arguments come from the spec's declarations,
 * defaults are applied after parsing (so a value option given twice is detectable), and
 * the action hands a typed input to the runner that cli.ts provides.
 */
import { Command, Option } from 'commander';
import { reflowParagraphs, wrapHelp } from '../render/help.js';
import type { Access, AnyCommandSpec, ArgDefs, CommandSpec, Input, OptionDefs } from './spec.js';

/** Runs a command: cli.ts builds the context (with the access the spec asks for) and maps errors. */
export type Runner = (cmd: Command, spec: AnyCommandSpec, input: Record<string, unknown>) => Promise<void>;

/** Help text after commander's, wrapped to the width the help is written at. */
export function addWrappedHelp(cmd: Command, text: string): void {
  // commander leaves descriptions unwrapped where their column is under 40: wrap them anyway.
  cmd.configureHelp({ minWidthToWrap: 20 });
  cmd.addHelpText('after', (ctx) => {
    const out = ctx.command.configureOutput();
    const width = (ctx.error ? out.getErrHelpWidth?.() : out.getOutHelpWidth?.()) ?? 80;
    return wrapHelp(text, width);
  });
}

export function examplesText(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/** The commander Option of a declaration; its key must be the attribute commander derives. */
export function toOption(key: string, def: OptionDefs[string]): Option {
  const o = new Option(def.flags, def.description);
  if (o.attributeName() !== key) {
    throw new Error(`option ${def.flags} is declared under "${key}" but commander names it "${o.attributeName()}"`);
  }
  if (def.parse) o.argParser(def.parse);
  if (def.conflicts?.length) o.conflicts([...def.conflicts]);
  if (def.hidden) o.hideHelp();
  return o;
}

/** The access a spec asks for, given its input. */
export function accessOf(spec: AnyCommandSpec, input: Record<string, unknown>): Access {
  const a = spec.access ?? 'write';
  return typeof a === 'function' ? a(input as Input<OptionDefs, never>) : a;
}

export function buildCommand(spec: AnyCommandSpec, run: Runner): Command {
  const cmd = new Command(spec.name).description(spec.summary);
  for (const alias of spec.aliases ?? []) cmd.alias(alias);
  const after = [
    spec.description ? `\n${reflowParagraphs(spec.description.trimEnd())}\n` : '',
    spec.examples?.length ? examplesText(spec.examples) : '',
  ]
    .filter(Boolean)
    .join('');
  addWrappedHelp(cmd, after);
  const args = Object.entries((spec.args ?? {}) as ArgDefs);
  for (const [, a] of args) {
    const dots = a.variadic ? '...' : '';
    cmd.argument(a.optional ? `[${a.name}${dots}]` : `<${a.name}${dots}>`, a.description);
  }
  const options = Object.entries((spec.options ?? {}) as OptionDefs);
  for (const [key, def] of options) cmd.addOption(toOption(key, def));
  for (const sub of spec.subcommands ?? []) cmd.addCommand(buildCommand(sub, run), { isDefault: !!sub.isDefault });
  if (spec.run) {
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const input: Record<string, unknown> = { ...command.opts() };
      for (const [key, def] of options)
        if (input[key] === undefined && def.defaultValue !== undefined) input[key] = def.defaultValue;
      args.forEach(([key], i) => {
        input[key] = params[i];
      });
      await run(command, spec, input);
    });
  }
  return cmd;
}

export type InputOf<S> = S extends CommandSpec<infer O, infer A> ? Input<O, A> : never;

/**
 * The input a spec's `run` would receive for `argv`, without running it (gh's runF
 * capture): for tests of flag parsing, and for calling `run` directly with real input.
 * Usage errors throw commander's CommanderError. A seam for tests (test/docs.test.ts
 * parses every documented command line with it), built by the same buildCommand.
 *
 * @public
 */
export async function parseInput<S extends AnyCommandSpec>(spec: S, argv: readonly string[]): Promise<InputOf<S>> {
  let captured: Record<string, unknown> | undefined;
  const cmd = buildCommand({ ...spec, subcommands: undefined }, async (_c, _s, input) => {
    captured = input;
  });
  cmd.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  await cmd.parseAsync([...argv], { from: 'user' });
  return captured as InputOf<S>;
}
