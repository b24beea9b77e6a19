// Every test file gets its own temp root (PAPERS_HOME and every temp dir it makes live
// there, removed afterwards) and no route to the real network.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'papers-test-'));
const previousTmp = process.env.TMPDIR;
// os.tmpdir() reads TMPDIR on each call: tempHome() and friends land under `root`.
process.env.TMPDIR = root;
const home = join(root, 'home');
mkdirSync(home);
process.env.PAPERS_HOME = home;
delete process.env.PAPERS_DB;
delete process.env.HF_TOKEN;
// Anything that forgets to point HF_ENDPOINT at a local server fails fast instead of
// reaching huggingface.co: port 9 on loopback refuses connections.
process.env.HF_ENDPOINT = 'http://127.0.0.1:9';
delete process.env.HTTPS_PROXY;
delete process.env.HTTP_PROXY;
delete process.env.https_proxy;
delete process.env.http_proxy;
process.env.NO_COLOR = '';

afterAll(() => {
  if (previousTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmp;
  rmSync(root, { recursive: true, force: true });
});
