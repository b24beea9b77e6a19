// A worker for the parallel-ranking experiment of explore-search.mjs: ranks one rowid range
// of the archive with its own connection. bm25() uses the whole index for idf and the average
// length, so the scores of the ranges are comparable and their top 20s merge exactly.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { fileMustExist: true });
if (workerData.pragmas) for (const p of workerData.pragmas) db.pragma(p);
const stmt = db.prepare(`SELECT rowid AS pk, bm25(papers_fts, ${workerData.weights}) AS s FROM papers_fts
  WHERE papers_fts MATCH ? AND rowid BETWEEN ? AND ? ORDER BY s, rowid LIMIT ?`);
// Rowid bounds are bound as BigInt: better-sqlite3 binds a JS number as REAL, and FTS5 ignores
// a rowid constraint that is not an INTEGER (it then scans every match).
parentPort.on('message', ({ id, match, lo, hi, limit }) => {
  parentPort.postMessage({ id, rows: stmt.all(match, BigInt(lo), BigInt(hi), limit) });
});
