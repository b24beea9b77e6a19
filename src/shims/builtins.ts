/**
 * Builtins that only some commands use, loaded on first use: an `import` of them would load
 * them at every start (the bundle's top level runs whole), and node:crypto alone is about
 * 2 ms of a read command's start-up.
 */
export const crypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto');
export const os = (): typeof import('node:os') => process.getBuiltinModule('node:os');
