// The command registry, made from the files in src/commands/ (one file, one command, as
// oclif discovers its commands): adding a command is adding its file. Both the bundle
// (scripts/build.mjs, an esbuild plugin) and the tests (vitest.config.ts, a Vite plugin)
// serve the same virtual module, `papers:commands`:
//   export const names = ['digest', 'doctor', ...];
//   export function load(name) { ... return import('.../src/commands/NAME.ts') }
// so the CLI loads only the command it runs (and all of them for the help).
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const MODULE_ID = 'papers:commands';

export function commandNames(root) {
  return readdirSync(join(root, 'src', 'commands'))
    .filter((f) => /^[a-z][a-z0-9-]*\.ts$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

export function commandsSource(root) {
  const names = commandNames(root);
  const cases = names
    .map(
      (n) =>
        `    case ${JSON.stringify(n)}: return import(${JSON.stringify(resolve(root, 'src', 'commands', `${n}.ts`))});`,
    )
    .join('\n');
  return `export const names = ${JSON.stringify(names)};
export function load(name) {
  switch (name) {
${cases}
    default: return Promise.resolve(undefined);
  }
}
`;
}

export function esbuildCommandsPlugin(root) {
  return {
    name: 'papers-commands',
    setup(build) {
      build.onResolve({ filter: /^papers:commands$/ }, () => ({ path: MODULE_ID, namespace: 'papers-commands' }));
      build.onLoad({ filter: /.*/, namespace: 'papers-commands' }, () => ({
        contents: commandsSource(root),
        loader: 'js',
        resolveDir: root,
        watchFiles: commandNames(root).map((n) => join(root, 'src', 'commands', `${n}.ts`)),
      }));
    },
  };
}

export function viteCommandsPlugin(root) {
  const id = `\0${MODULE_ID}`;
  return {
    name: 'papers-commands',
    resolveId: (source) => (source === MODULE_ID ? id : undefined),
    load: (source) => (source === id ? commandsSource(root) : undefined),
  };
}
