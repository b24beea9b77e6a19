#!/usr/bin/env node
// The replay server in a process of its own, so that the process timed (papers sync, or the
// floor) shares no event loop with it and the harness stays idle while it runs.
// Prints {"url"} once listening; when stdin closes, prints {"requests"} and exits.
//   node bench/lib/serve-corpus.mjs DAYS_DIR
import { startCorpusServer } from './server.mjs';

const server = await startCorpusServer(process.argv[2]);
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  const requests = server.requests.length;
  await server.close();
  process.stdout.write(JSON.stringify({ requests }) + '\n', () => process.exit(0));
});
