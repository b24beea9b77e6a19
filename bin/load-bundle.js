'use strict';
// Loads dist/papers.cjs the way require would, but hands V8 the code cache the build made
// (dist/papers.cache, scripts/code-cache.cjs). Compiling the 560 KB bundle is the largest part
// of a read command's start-up beyond node itself (about 8 ms), and Node 20 has no compile
// cache of its own (module.enableCompileCache arrived in Node 22).
//
// The cache file holds a header, a copy of the bundle it was made from and V8's data. It is
// used only when that copy equals the bundle byte for byte (a rebuilt or edited bundle never
// runs another bundle's code; mtimes would not do, npm pack and install rewrite them) and V8
// accepts it (the same V8 and flags: `node --stack-size=...` or V8 flags in NODE_OPTIONS make
// V8 refuse it). Otherwise the bundle compiles from source, as require would: slower, never
// different. The copy costs a 560 KB read and a memcmp, well under the 2.5 ms that loading
// node:crypto and hashing the bundle did.
//
// Nothing here loads a builtin the floor does not (node:module's createRequire pulled in
// the ES module loader): the bundle gets this file's require, which resolves packages from
// bin/ exactly as from dist/, both one level below the package root.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const DIST = path.join(__dirname, '..', 'dist');
const BUNDLE = path.join(DIST, 'papers.cjs');
const CACHE = path.join(DIST, 'papers.cache');

/** The cache header: the node that made the cache and the length of the bundle copy after it. */
function stamp(bytes) {
  return `papers-code-cache ${process.version} ${bytes.length}\n`;
}

/** The V8 cache made from exactly `bytes` by this node, or undefined. */
function readCache(bytes) {
  let buf;
  try {
    buf = fs.readFileSync(CACHE);
  } catch {
    return undefined;
  }
  const head = Buffer.from(stamp(bytes));
  const copyEnd = head.length + bytes.length;
  if (buf.length <= copyEnd || !buf.subarray(0, head.length).equals(head)) return undefined;
  return buf.subarray(head.length, copyEnd).equals(bytes) ? buf.subarray(copyEnd) : undefined;
}

/** The contents of a cache file for the bundle `bytes` and V8's `data`. */
function cacheFile(bytes, data) {
  return Buffer.concat([Buffer.from(stamp(bytes)), bytes, data]);
}

/**
 * Compiles and runs the bundle. `useCache: false` compiles from source (the build does, to
 * make the cache). Returns the bundle's exports and the script (for createCachedData).
 */
function loadBundle({ useCache = true } = {}) {
  const bytes = fs.readFileSync(BUNDLE);
  const source = bytes.toString('utf8');
  const cachedData = useCache ? readCache(bytes) : undefined;
  // The wrapper of a CommonJS module, plus the import() the bundle must use (src/shims/import.ts).
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __papers_import) {${source}\n})`,
    { filename: BUNDLE, cachedData },
  );
  const mod = { exports: {}, filename: BUNDLE, id: BUNDLE, loaded: false };
  script
    .runInThisContext()
    .call(mod.exports, mod.exports, require, mod, BUNDLE, DIST, (specifier) => import(specifier));
  mod.loaded = true;
  return {
    exports: mod.exports,
    script,
    bytes,
    cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used',
  };
}

module.exports = { loadBundle, cacheFile, BUNDLE, CACHE };
