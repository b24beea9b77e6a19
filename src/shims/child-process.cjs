// Bundled in place of node:child_process (the alias in scripts/build.mjs). commander
// requires child_process when it loads, for executable subcommands, which papers does not
// use; loading it (and net, dgram, ... behind it) costs about 5 ms of every start. This
// loads the real module on first use instead, as src/shims/builtins.ts does for our own code.
'use strict';
let real;
const load = () => (real ??= process.getBuiltinModule('node:child_process'));
module.exports = new Proxy(
  {},
  {
    get: (_t, key) => load()[key],
    has: (_t, key) => key in load(),
  },
);
