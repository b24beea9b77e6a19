'use strict';
// Preloaded into a process under check (`node -r bench/lib/trace-sql.cjs ...`): every
// better-sqlite3 connection the process opens gets the `verbose` option, which SQLite's
// statement trace calls with each statement as it is executed (`exec`, `run`, `get`, `all`,
// `iterate`, pragmas; parameters expanded into the text). At exit the statements are written
// to $PAPERS_BENCH_SQL_TRACE as JSON lines, the connection's file name beside each. Used only
// by the floor check (lib/sql-trace.mjs), never in a timed run: tracing costs time.
const fs = require('node:fs');

const out = process.env.PAPERS_BENCH_SQL_TRACE;
if (!out) throw new Error('trace-sql.cjs: set PAPERS_BENCH_SQL_TRACE to the file to write');
const id = require.resolve('better-sqlite3');
const Database = require(id);
const lines = [];

function TracedDatabase(filename, options) {
  const name = typeof filename === 'string' ? filename : ':buffer:';
  return new Database(filename, { ...options, verbose: (sql) => lines.push(JSON.stringify({ db: name, sql })) });
}
TracedDatabase.prototype = Database.prototype;
Object.setPrototypeOf(TracedDatabase, Database);
// papers (bin/load-bundle.js) and the floors require the package by name from the same
// node_modules: this module is what they get.
require.cache[id].exports = TracedDatabase;

process.on('exit', () => fs.writeFileSync(out, lines.length ? lines.join('\n') + '\n' : ''));
