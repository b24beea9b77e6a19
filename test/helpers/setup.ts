// Every test gets its own PAPERS_HOME and no route to the real network.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'papers-test-'));
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
  rmSync(home, { recursive: true, force: true });
});
