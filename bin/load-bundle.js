'use strict';
// Loads dist/papers.cjs the way require would, but hands V8 the code cache the build made
// (dist/papers.cache, scripts/code-cache.cjs). Compiling the 560 KB bundle is the largest part
// of a read command's start-up beyond node itself (about 8 ms), and Node 20 has no compile
// cache of its own (module.enableCompileCache arrived in Node 22).
//
// The cache is used only when its header names this bundle (a SHA-1 of its bytes, 0.5 ms: a
// rebuilt or edited bundle never runs another bundle's code; mtimes would not do, npm pack
// and install rewrite them) and V8 accepts it (the same V8 and flags: `node --stack-size=...`
// or V8 flags in NODE_OPTIONS make V8 refuse it). Otherwise the bundle compiles from source,
// as require would: slower, never different.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createHash } = require('node:crypto');
const { createRequire } = require('node:module');

const DIST = path.join(__dirname, '..', 'dist');
const BUNDLE = path.join(DIST, 'papers.cjs');
const CACHE = path.join(DIST, 'papers.cache');

/** The cache header: which bundle a cache was made from (its bytes, and the node that made it). */
function stamp(bytes) {
  return `papers-code-cache ${createHash('sha1').update(bytes).digest('hex')} ${process.version}\n`;
}

/** The V8 cache for the bundle whose header is `head`, or undefined. */
function readCache(head) {
  let buf;
  try {
    buf = fs.readFileSync(CACHE);
  } catch {
    return undefined;
  }
  const want = Buffer.from(head);
  return buf.length > want.length && buf.subarray(0, want.length).equals(want) ? buf.subarray(want.length) : undefined;
}

/**
 * Compiles and runs the bundle. `useCache: false` compiles from source (the build does, to
 * make the cache). Returns the bundle's exports and the script (for createCachedData).
 */
function loadBundle({ useCache = true } = {}) {
  const bytes = fs.readFileSync(BUNDLE);
  const head = stamp(bytes);
  const source = bytes.toString('utf8');
  const cachedData = useCache ? readCache(head) : undefined;
  // The wrapper of a CommonJS module, plus the import() the bundle must use (src/shims/import.ts).
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __papers_import) {${source}\n})`,
    { filename: BUNDLE, cachedData },
  );
  const mod = { exports: {}, filename: BUNDLE, id: BUNDLE, loaded: false };
  script
    .runInThisContext()
    .call(mod.exports, mod.exports, createRequire(BUNDLE), mod, BUNDLE, DIST, (specifier) => import(specifier));
  mod.loaded = true;
  return {
    exports: mod.exports,
    script,
    stamp: head,
    cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used',
  };
}

module.exports = { loadBundle, BUNDLE, CACHE };
