/** The command registry, generated from src/commands/ (see scripts/commands.mjs). */
declare module 'papers:commands' {
  /** The command names, sorted: the files of src/commands/. */
  export const names: readonly string[];
  /** The module of one command, whose default export is its spec; undefined for an unknown name. */
  export function load(name: string): Promise<{ default: import('../cmdutil/spec.js').AnyCommandSpec } | undefined>;
}
