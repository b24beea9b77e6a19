// Bundled in place of node:child_process (the alias in scripts/build.mjs). commander
// requires child_process when it loads, for executable subcommands, which papers does not
// use; loading it (and net, dgram, ... behind it) costs about 5 ms of every start. This
// loads the real module on first use instead, as src/shims/builtins.ts does for our own code.
//
// Every trap an importer can reach is here, not only `get`: esbuild's __toESM (what an
// `import { spawn } from 'node:child_process'` in src/ compiles to) copies the module's OWN
// property names, so a Proxy without `ownKeys` and `getOwnPropertyDescriptor` looks empty
// to it and `spawn` comes out undefined (issue 20: the pager never started in the bundle).
// test/system/shims.test.ts checks through the built CLI that every name survives.
'use strict';
let real;
const load = () => (real ??= process.getBuiltinModule('node:child_process'));
module.exports = new Proxy(
  {},
  {
    get: (_t, key) => load()[key],
    has: (_t, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    // Configurable: the empty target has none of these, and a Proxy may not claim otherwise.
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(load(), key);
      return d && { ...d, configurable: true };
    },
  },
);
