// The real Hugging Face Daily Papers bodies (../shared/hf-papers-samples, read at run time,
// never copied into the repo), cut into pools the generator recombines: title fragments,
// abstract sentences, author names, AI keywords and summaries, links, submitters.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { samplesDir } from '../../kit/samples.mjs';

// Where they are found is the kit's rule, the tests' too ($PAPERS_SAMPLES, else ../shared).
export { samplesDir };

const ws = (s) =>
  String(s ?? '')
    .replace(/\s+/g, ' ')
    .trim();

/** Title connectors: a title body is split at the first of these into a head and a tail. */
const CONNECTORS = new Set([
  'for',
  'with',
  'via',
  'in',
  'of',
  'through',
  'from',
  'to',
  'on',
  'using',
  'towards',
  'toward',
  'by',
  'without',
  'under',
  'beyond',
  'at',
  'as',
  'and',
]);

function splitTitle(title) {
  const t = ws(title);
  let prefix = null;
  let body = t;
  const c = t.indexOf(': ');
  if (c > 0 && c < 60) {
    prefix = t.slice(0, c);
    body = t.slice(c + 2);
  }
  const words = body.split(' ');
  let cut = -1;
  for (let i = 2; i < words.length - 1; i++) {
    if (CONNECTORS.has(words[i].toLowerCase())) {
      cut = i;
      break;
    }
  }
  const head = cut > 0 ? words.slice(0, cut).join(' ') : body;
  const tail = cut > 0 ? words.slice(cut).join(' ') : null;
  return { prefix, head, tail };
}

/** `BlenderFusion` -> [`Blender`, `Fusion`]; `GPT-4o` stays whole. */
function camelParts(name) {
  if (!/^[A-Za-z][A-Za-z0-9]{3,}$/.test(name)) return null;
  const parts = name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g);
  return parts && parts.length >= 2 ? parts : null;
}

function splitSentences(text) {
  return ws(text)
    .split(/(?<=[.!?])\s+(?=[A-Z(["'$\\])/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 12);
}

export function loadSamples(dir = samplesDir()) {
  const dailyDir = join(dir, 'hf-api', 'daily');
  const files = readdirSync(dailyDir)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .sort();
  const days = [];
  const entries = [];
  for (const f of files) {
    const list = JSON.parse(readFileSync(join(dailyDir, f), 'utf8'));
    days.push({ day: f.slice(0, 10), count: list.length });
    for (const e of list) entries.push(e);
  }
  return { dir, days, entries, bytes: entries.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) };
}

export function buildPools(samples) {
  const { entries, days } = samples;
  const prefixes = [];
  const camelHeads = [];
  const camelTails = [];
  const heads = [];
  const tails = [];
  let withPrefix = 0;
  const donors = [];
  const first = [];
  const middle = [];
  const last = [];
  const sentenceCounts = [];
  const given = [];
  const family = [];
  const fullNames = [];
  const authorCounts = [];
  const keywordOcc = [];
  const keywordFreq = new Map();
  const keywordCounts = [];
  const aiSummaries = [];
  const repos = [];
  const pages = [];
  const submitters = [];
  const owners = new Map();
  let authorsWithUser = 0;
  let authorsTotal = 0;

  for (const e of entries) {
    const p = e.paper ?? {};
    const t = splitTitle(e.title ?? p.title ?? '');
    if (t.prefix) {
      withPrefix++;
      prefixes.push(t.prefix);
      const cp = camelParts(t.prefix);
      if (cp) {
        camelHeads.push(cp.slice(0, Math.ceil(cp.length / 2)).join(''));
        camelTails.push(cp.slice(Math.ceil(cp.length / 2)).join(''));
      }
    }
    heads.push(t.head);
    if (t.tail) tails.push(t.tail);

    const sents = splitSentences(p.summary ?? '');
    if (sents.length >= 2) {
      first.push(sents[0]);
      last.push(sents[sents.length - 1]);
      for (const s of sents.slice(1, -1)) middle.push(s);
    }
    sentenceCounts.push(Math.max(2, sents.length));
    const kws = Array.isArray(p.ai_keywords) ? p.ai_keywords.filter((k) => typeof k === 'string' && k.trim()) : [];
    if (kws.length) keywordCounts.push(kws.length);
    for (const k of kws) {
      keywordOcc.push(k);
      const key = k.toLowerCase();
      keywordFreq.set(key, (keywordFreq.get(key) ?? 0) + 1);
    }
    if (typeof p.ai_summary === 'string') aiSummaries.push(p.ai_summary);
    donors.push({ sents, kws, aiSummary: typeof p.ai_summary === 'string' ? p.ai_summary : null });

    const authors = Array.isArray(p.authors) ? p.authors : [];
    authorCounts.push(Math.max(1, authors.length));
    for (const a of authors) {
      authorsTotal++;
      if (a.user) authorsWithUser++;
      const name = ws(a.name);
      if (!name) continue;
      fullNames.push(name);
      const sp = name.lastIndexOf(' ');
      if (sp > 0) {
        given.push(name.slice(0, sp));
        family.push(name.slice(sp + 1));
      }
    }
    if (typeof p.githubRepo === 'string' && /^https:\/\/github\.com\/[^/\s]+\/[^/\s]+/.test(p.githubRepo.trim())) {
      const repo = p.githubRepo.trim();
      repos.push(repo);
      const owner = repo.split('/')[3];
      owners.set(owner.toLowerCase(), owner);
    }
    if (typeof p.projectPage === 'string' && /^https?:\/\//.test(p.projectPage)) pages.push(p.projectPage.trim());
    if (e.submittedBy && typeof e.submittedBy === 'object') submitters.push(e.submittedBy);
  }

  const meanDay = days.reduce((n, d) => n + d.count, 0) / days.length;
  return {
    prefixes,
    camelHeads,
    camelTails,
    heads,
    tails,
    prefixRate: withPrefix / entries.length,
    donors,
    first,
    middle,
    last,
    sentenceCounts,
    given,
    family,
    fullNames,
    authorCounts,
    userRate: authorsWithUser / Math.max(1, authorsTotal),
    keywordOcc,
    keywordFreq,
    keywordCounts,
    aiSummaries,
    repos,
    pages,
    submitters,
    orgNames: [...owners.values()].sort(),
    dayRatios: days.map((d) => d.count / meanDay),
  };
}

/**
 * The 30 topic queries: real AI keywords of the samples, frequent and rare. A parenthesised
 * acronym is dropped ("large language models (llms)" -> "large language models"); keywords
 * are taken in a fixed order so every run asks the same questions.
 */
export function topicQueries(pools, n = 30) {
  const freq = new Map();
  for (const [k, c] of pools.keywordFreq) {
    const q = k
      .replace(/\s*\([^)]*\)\s*/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (!/^[a-z][a-z0-9 -]*[a-z0-9]$/.test(q) || q.length < 3) continue;
    freq.set(q, (freq.get(q) ?? 0) + c);
  }
  const all = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  // "language model" is the example of a common topic (it matches about half the
  // papers); it leads the frequent ones. Then the most frequent, skipping near-repeats.
  const frequent = [];
  const lm = all.find(([q]) => q === 'language model');
  if (lm) frequent.push(lm);
  const words = (q) => new Set(q.split(/[\s-]+/));
  for (const cand of all) {
    if (frequent.length >= 10) break;
    const w = words(cand[0]);
    const near = frequent.some(([q]) => {
      const v = words(q);
      return [...w].every((x) => v.has(x)) || [...v].every((x) => w.has(x));
    });
    if (!near) frequent.push(cand);
  }
  const mid = all.filter(([, c]) => c >= 3 && c <= 8);
  const rare = all.filter(([q, c]) => c === 1 && q.includes(' '));
  const spread = (arr, k) => Array.from({ length: k }, (_, i) => arr[Math.floor(((i + 0.5) * arr.length) / k)]);
  const taken = new Set(frequent.map(([q]) => q));
  const picked = [
    ...frequent,
    ...spread(
      mid.filter(([q]) => !taken.has(q)),
      10,
    ),
    ...spread(rare, n - 20),
  ];
  return picked.map(([q, c], i) => ({ query: q, sampleFreq: c, kind: i < 10 ? 'frequent' : i < 20 ? 'mid' : 'rare' }));
}
