// Bundled in place of node:child_process (see the build script in package.json).
// commander requires child_process when it loads, for executable subcommands, which
// papers does not use; loading it (and net, dgram, ... behind it) costs about 5 ms of
// every start. This loads the real module on first use instead.
'use strict';
// The name is built at run time so that the bundler cannot resolve it back to this shim.
const NAME = ['node:child', 'process'].join('_');
let real;
const load = () => (real ??= module.require(NAME));
module.exports = new Proxy(
  {},
  {
    get: (_t, key) => load()[key],
    has: (_t, key) => key in load(),
  },
);
