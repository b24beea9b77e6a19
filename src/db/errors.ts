/**
 * SQLite's errors, classified in one place: what kind of failure a code is, and what the
 * user can do about it. cli.ts, open.ts, the lock, sync and doctor all ask here.
 */

export type SqliteFailure = 'full' | 'readonly' | 'corrupt' | 'busy' | 'cantopen' | 'other';

/** The SQLite result code of an error (or of its cause), e.g. `SQLITE_FULL`; undefined if not SQLite's. */
export function sqliteCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return undefined;
}

export function classifySqlite(err: unknown): SqliteFailure | undefined {
  const code = sqliteCode(err);
  if (!code) return undefined;
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_READONLY')) return 'readonly';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code === 'SQLITE_CANTOPEN') return 'cantopen';
  return 'other';
}

/** Whether the archive itself failed (as opposed to one day's data): nothing else can succeed. */
export function isSqliteError(err: unknown): boolean {
  return sqliteCode(err) !== undefined;
}

/** What to do about a SQLite failure, for a `hint:` line. */
export function sqliteHint(err: unknown): string | undefined {
  switch (classifySqlite(err)) {
    case 'full':
      return 'the disk is full: free some space and run again; the archive keeps every whole day already saved';
    case 'readonly':
    case 'cantopen':
      return 'check that the archive and its folder are writable';
    case 'corrupt':
      return 'the archive is damaged: run `papers doctor`, or move it away and sync again';
    case 'busy':
      return 'another papers process holds the archive; try again';
    default:
      return undefined;
  }
}
