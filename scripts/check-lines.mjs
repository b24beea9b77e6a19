// No line of src/ over 120 characters: the formatter wraps code at 120, but not a long
// string or regular expression; this names what it could not wrap.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const MAX = 120;
const long = [];
for (const f of readdirSync(join(root, 'src'), { recursive: true })) {
  if (!/\.(ts|cjs|mjs|js)$/.test(String(f))) continue;
  const path = join(root, 'src', String(f));
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.length > MAX) long.push(`${relative(root, path)}:${i + 1}: ${line.length} characters`);
    });
}
if (long.length) {
  console.error(`lines of src/ over ${MAX} characters:\n${long.join('\n')}`);
  process.exit(1);
}
