/**
 * What a command is: one object that owns its whole definition (name, summary, examples,
 * arguments, options, whether it reads or writes the archive) and its `run`. The input
 * `run` receives is inferred from the declared options and arguments, so a flag renamed
 * in its declaration fails the type check wherever it is used (gh's NewCmdX(f, runF);
 * sqlite-utils' reusable option decorators).
 */
import type { Context } from '../context.js';

/** One option: its commander flags, help and parsing; `T` is the value `run` sees. */
export interface OptionDef<T> {
  readonly flags: string;
  readonly description: string;
  /** Turns the text into the value; throws commander's InvalidArgumentError on bad input. */
  readonly parse?: (value: string, previous: unknown) => unknown;
  readonly defaultValue?: unknown;
  /** Long names of options this one cannot be combined with. */
  readonly conflicts?: readonly string[];
  readonly hidden?: boolean;
  /** The values a fixed set takes (`papers completion` offers them). */
  readonly choices?: readonly string[];
  /** Phantom: carries T for inference, never set. */
  readonly __value?: T;
}

/** One positional argument, `<name>` or `<name...>`. */
export interface ArgDef<T> {
  readonly name: string;
  readonly description: string;
  readonly variadic: boolean;
  readonly optional: boolean;
  readonly __value?: T;
}

// biome-ignore lint/suspicious/noExplicitAny: the widest option/argument maps
export type OptionDefs = Record<string, OptionDef<any>>;
// biome-ignore lint/suspicious/noExplicitAny: the widest option/argument maps
export type ArgDefs = Record<string, ArgDef<any>>;

type ValueOf<D> = D extends OptionDef<infer T> ? T : D extends ArgDef<infer T> ? T : never;

/** What `run` receives: every option and argument by its key, typed from its declaration. */
export type Input<O extends OptionDefs, A extends ArgDefs> = { [K in keyof O]: ValueOf<O[K]> } & {
  [K in keyof A]: ValueOf<A[K]>;
};

/**
 * How a command uses the archive. 'read': an existing archive, read-only, one snapshot.
 * 'update': an existing archive, written (a mark, a watch, the index). 'write': it may
 * create the archive (sync, import, today). Only 'write' commands create one.
 */
export type Access = 'read' | 'update' | 'write';

export interface CommandSpec<O extends OptionDefs = OptionDefs, A extends ArgDefs = ArgDefs> {
  name: string;
  aliases?: readonly string[];
  /** One line, for the list of commands. */
  summary: string;
  /** More text for the command's own --help, before the examples. */
  description?: string;
  args?: A;
  options?: O;
  /** Shown under `Examples:` in --help; a `#` starts a comment. */
  examples?: readonly string[];
  /** See Access; a function decides from the input (`new` only writes with --mark-seen). */
  access?: Access | ((input: Input<O, A>) => Access);
  /** Long output on a terminal goes through $PAGER (list, search, show...). */
  pager?: boolean;
  // biome-ignore lint/suspicious/noConfusingVoidType: a run that returns nothing exits 0
  run?: (ctx: Context, input: Input<O, A>) => Promise<number | undefined | void>;
  /** A group (`watch add|list|rm|show`): its subcommands, each a spec. */
  subcommands?: readonly AnyCommandSpec[];
  /**
   * The subcommand a group runs when none is named (`papers library` lists, `papers library
   * import` imports). A group that ran itself would parse the options typed after a
   * subcommand's name as its own (commander reads them before it dispatches).
   */
  isDefault?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: specs of any input, in one list
export type AnyCommandSpec = CommandSpec<any, any>;

/** Declares a command; the identity, there for the inference of `run`'s input. */
export function defineCommand<O extends OptionDefs = Record<never, never>, A extends ArgDefs = Record<never, never>>(
  spec: CommandSpec<O, A>,
): CommandSpec<O, A> {
  return spec;
}
