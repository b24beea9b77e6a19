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

/**
 * The file URL of a package's ES module entry, found as node would from this module's folder
 * (or the working directory): for a worker thread, whose `import()` of a bare name would
 * resolve from the working directory, not from papers' node_modules.
 */
export function packageEntryUrl(specifier: string): string {
  const { existsSync, readFileSync } = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  const { dirname, join } = process.getBuiltinModule('node:path') as typeof import('node:path');
  const { pathToFileURL } = process.getBuiltinModule('node:url') as typeof import('node:url');
  const bases = [typeof __dirname === 'string' ? __dirname : undefined, process.cwd()];
  for (const base of bases) {
    for (let dir = base; dir; dir = dirname(dir) === dir ? undefined : dirname(dir)) {
      const root = join(dir, 'node_modules', specifier);
      if (!existsSync(join(root, 'package.json'))) continue;
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        exports?: { '.'?: { import?: { default?: string } | string } };
        module?: string;
        main?: string;
      };
      const imp = pkg.exports?.['.']?.import;
      const entry = (typeof imp === 'string' ? imp : imp?.default) ?? pkg.module ?? pkg.main ?? 'index.js';
      return pathToFileURL(join(root, entry)).href;
    }
  }
  throw new Error(`cannot find the package ${specifier} in node_modules`);
}
