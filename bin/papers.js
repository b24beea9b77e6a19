#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json), loading one CommonJS bundle: on Node 20 that starts 20-40 ms
// sooner than an ES module graph, and start-up is most of what a read command costs.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // What scripts call most: answered without loading the CLI.
  process.stdout.write(require('../package.json').version + '\n');
} else {
  require('./load-bundle.js').loadBundle().exports.main(args);
}
