/**
 * `import()` of a package (undici, cheerio, ora, the BibTeX parser: loaded on first use).
 *
 * bin/load-bundle.js compiles dist/papers.cjs with `vm.Script`, which is how V8's code cache
 * is handed in on Node 20, and Node 20 refuses an `import()` made inside vm-compiled code
 * (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG unless --experimental-vm-modules is set). So the
 * loader passes its own `import()` in as `__papers_import`, a parameter of the function the
 * bundle is wrapped in. Everywhere else (vitest on the sources, a plain `require` of the
 * bundle) it is not defined and this is the real `import()`.
 *
 * Every dynamic import in src/ goes through here: scripts/build.mjs fails the build if the
 * bundle has any other.
 */
declare const __papers_import: ((specifier: string) => Promise<unknown>) | undefined;

export function importPackage<T>(specifier: string): Promise<T> {
  return (typeof __papers_import === 'function' ? __papers_import(specifier) : import(specifier)) as Promise<T>;
}
