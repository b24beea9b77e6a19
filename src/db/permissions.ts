/**
 * Who may write the archive and the files SQLite keeps beside it. A read by another user
 * once left `-wal`/`-shm` files only that user could write, and every later write failed
 * with "attempt to write a readonly database": these helpers name the file, its owner and
 * its mode instead, for open's errors and for doctor.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Who {
  uid: number;
  gids: number[];
  name: string;
}

export type FileRole = 'archive' | 'wal' | 'shm' | 'lock' | 'folder';

export interface FileAccess {
  file: string;
  role: FileRole;
  exists: boolean;
  /** Owner and mode, when it exists: `nobody (uid 65534), mode 0644`. */
  owner?: string;
  uid?: number;
  gid?: number;
  mode?: string;
  /** `who` may write it (a folder: create files in it). */
  writable: boolean;
}

export interface PermissionProblem {
  file: string;
  role: FileRole;
  detail: string;
  repair: string;
}

export interface PermissionReport {
  user: Who;
  files: FileAccess[];
  /** Empty when `user` can write the archive and everything beside it. */
  problems: PermissionProblem[];
}

function names(file: string): Map<number, string> {
  const m = new Map<number, string>();
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id && /^\d+$/.test(id)) m.set(Number(id), name);
    }
  } catch {
    // No passwd file (a container, another OS): numbers only.
  }
  return m;
}

let users: Map<number, string> | undefined;
let groups: Map<number, string> | undefined;
const userName = (uid: number) => (users ??= names('/etc/passwd')).get(uid);
const groupName = (gid: number) => (groups ??= names('/etc/group')).get(gid);

/** The user this process runs as. */
export function currentUser(): Who {
  const uid = process.getuid?.() ?? -1;
  const gids = [...new Set([process.getgid?.() ?? -1, ...(process.getgroups?.() ?? [])])];
  return { uid, gids, name: userName(uid) ?? `uid ${uid}` };
}

function octal(mode: number): string {
  return '0' + (mode & 0o777).toString(8).padStart(3, '0');
}

/** `nobody (uid 65534), mode 0644`. */
export function describeOwner(uid: number, mode: number): string {
  const name = userName(uid);
  return `${name ? `${name} (uid ${uid})` : `uid ${uid}`}, mode ${octal(mode)}`;
}

/** Permission bits as `who` gets them: root writes everything, else owner, group or other. */
function mayWrite(st: { uid: number; gid: number; mode: number }, who: Who, folder: boolean): boolean {
  if (who.uid === 0) return true;
  const shift = st.uid === who.uid ? 6 : who.gids.includes(st.gid) ? 3 : 0;
  const bits = (st.mode >> shift) & 0o7;
  return folder ? (bits & 0o3) === 0o3 : (bits & 0o2) !== 0;
}

function access(file: string, role: FileRole, who: Who): FileAccess {
  if (!existsSync(file)) return { file, role, exists: false, writable: false };
  const st = statSync(file);
  return {
    file,
    role,
    exists: true,
    owner: describeOwner(st.uid, st.mode),
    uid: st.uid,
    gid: st.gid,
    mode: octal(st.mode),
    writable: mayWrite(st, who, role === 'folder'),
  };
}

/** The files beside an archive that SQLite and the sync lock write. */
export function sidecars(path: string): { file: string; role: FileRole }[] {
  return [
    { file: `${path}-wal`, role: 'wal' },
    { file: `${path}-shm`, role: 'shm' },
    { file: `${path}.sync-lock`, role: 'lock' },
  ];
}

/**
 * Which of the archive, its folder and the files beside it `who` (by default this process's
 * user) cannot write, each with the file, its owner and mode, and a repair. For `doctor`:
 * a problem here explains "attempt to write a readonly database" where an FTS or integrity
 * check would only see its symptom.
 */
export function diagnosePermissions(path: string, who: Who = currentUser()): PermissionReport {
  const archive = access(path, 'archive', who);
  const folder = access(dirname(path), 'folder', who);
  const beside = sidecars(path).map((s) => access(s.file, s.role, who));
  const files = [archive, folder, ...beside];
  const problems: PermissionProblem[] = [];
  const owner = archive.exists
    ? `${userName(archive.uid!) ?? archive.uid}:${groupName(archive.gid!) ?? archive.gid}`
    : undefined;
  if (archive.exists && !archive.writable) {
    problems.push({
      file: path,
      role: 'archive',
      detail:
        `the archive ${path} is owned by ${archive.owner}: ` +
        `${who.name} can read it but not write it (sync and import fail)`,
      repair: `run papers as its owner, or make it writable for ${who.name} (chmod/chown ${path})`,
    });
  }
  for (const f of beside) {
    if (!f.exists || f.writable) continue;
    problems.push({
      file: f.file,
      role: f.role,
      detail:
        `${f.file} is owned by ${f.owner}: ${who.name} cannot write it, so every ` +
        `${f.role === 'lock' ? 'sync' : 'write to the archive'} fails (a read or sync by another user can leave it so)`,
      repair: owner
        ? `as root: chown ${owner} ${f.file} && chmod ${archive.mode} ${f.file}`
        : `as root: chown ${who.name} ${f.file}`,
    });
  }
  const missing = beside.filter((f) => f.role !== 'lock' && !f.exists);
  if (folder.exists && !folder.writable && missing.length > 0) {
    problems.push({
      file: folder.file,
      role: 'folder',
      detail:
        `${who.name} cannot create files in ${folder.file} (owned by ${folder.owner}); ` +
        `writing needs ${missing.map((f) => f.file).join(' and ')}`,
      repair: `make ${folder.file} writable for ${who.name}, or keep the archive elsewhere (--db, PAPERS_HOME)`,
    });
  }
  return { user: who, files, problems };
}
