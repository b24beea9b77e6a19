'use strict';
// Loads the bundles in dist/ the way require would, but hands V8 the code cache the build
// made for each (scripts/code-cache.cjs). Node 20 has no compile cache of its own
// (module.enableCompileCache arrived in Node 22), and compiling is most of what loading costs:
// - dist/papers.cjs, the CLI: about 8 ms of every command's start-up without its cache;
// - dist/undici.cjs, the part of undici papers uses (src/shims/undici.cjs): what every
//   command that touches the network loads. From node_modules undici is about 100 files and
//   57 ms; this bundle, with its cache, about 10 ms.
//
// A cache file holds a header, a copy of the bundle it was made from and V8's data. It is
// used only when that copy equals the bundle byte for byte (a rebuilt or edited bundle never
// runs another bundle's code; mtimes would not do, npm pack and install rewrite them) and V8
// accepts it (the same V8 and flags: `node --stack-size=...` or V8 flags in NODE_OPTIONS make
// V8 refuse it). Otherwise the bundle compiles from source, as require would: slower, never
// different. The copy costs a read and a memcmp, well under the 2.5 ms that loading
// node:crypto and hashing the bundle did.
//
// Nothing here loads a builtin the floor does not (node:module's createRequire pulled in
// the ES module loader): a bundle gets this file's require, which resolves packages from
// bin/ exactly as from dist/, both one level below the package root.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const DIST = path.join(__dirname, '..', 'dist');
/** The packages bundled on their own (scripts/build.mjs), loaded by name from the CLI's import(). */
const PACKAGES = ['undici'];

const files = (name) => ({ bundle: path.join(DIST, `${name}.cjs`), cache: path.join(DIST, `${name}.cache`) });

/** The cache header: the node that made the cache and the length of the bundle copy after it. */
function stamp(bytes) {
  return `papers-code-cache ${process.version} ${bytes.length}\n`;
}

/** The V8 cache in `file` made from exactly `bytes` by this node, or undefined. */
function readCache(file, bytes) {
  let buf;
  try {
    buf = fs.readFileSync(file);
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

/** The bundles this process loaded, by name: what the build makes their caches from. */
const loaded = new Map();

/**
 * The import() the CLI bundle uses (src/shims/import.ts): a package bundled in dist/ from
 * there, with its cache; anything else (or a package the build did not bundle) from
 * node_modules, as import() would.
 */
function importPackage(specifier) {
  if (PACKAGES.includes(specifier) && fs.existsSync(files(specifier).bundle)) {
    return new Promise((resolve) => resolve(load(specifier).exports));
  }
  return import(specifier);
}

/**
 * Compiles and runs bundle `name` once per process. `useCache: false` compiles from source
 * (the build does, to make the cache). Returns its exports, the script (for
 * createCachedData), its bytes and what became of its cache.
 */
function load(name, { useCache = true } = {}) {
  const known = loaded.get(name);
  if (known) return known;
  const { bundle, cache } = files(name);
  const bytes = fs.readFileSync(bundle);
  const source = bytes.toString('utf8');
  const cachedData = useCache ? readCache(cache, bytes) : undefined;
  // The wrapper of a CommonJS module, plus the import() the CLI must use (src/shims/import.ts).
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __papers_import) {${source}\n})`,
    { filename: bundle, cachedData },
  );
  const mod = { exports: {}, filename: bundle, id: bundle, loaded: false };
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, bundle, DIST, importPackage);
  mod.loaded = true;
  const out = {
    exports: mod.exports,
    script,
    bytes,
    cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used',
  };
  loaded.set(name, out);
  return out;
}

/** The CLI bundle, dist/papers.cjs. */
function loadBundle(opts) {
  return load('papers', opts);
}

module.exports = { loadBundle, load, loaded, files, cacheFile };
