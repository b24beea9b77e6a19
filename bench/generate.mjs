#!/usr/bin/env node
// A deterministic corpus generator: N papers recombined from the real Daily Papers entries
// (title fragments, abstract sentences, author names, AI keywords and summaries, links,
// organizations), with fresh arXiv ids, weekday listing days, heavy-tailed upvotes, a few
// papers listed twice, and the optional fields of each era. It writes API day bodies
// (compact JSON arrays in the real shape, ordered by upvotes) one file per listing day, so a
// sync from the replay server goes through the real fetch, parse and save path.
//
// Streaming: days are generated and written one at a time; nothing holds the corpus.
//
//   node bench/generate.mjs --scale 10k [--seed 1] [--out DIR]   (default: corpusDir, as run.mjs uses)
import { mkdirSync, rmSync, writeFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Rng, hash32 } from './lib/rng.mjs';
import { buildPools, loadSamples, samplesDir } from './lib/samples.mjs';
import { corpusKey } from './lib/keys.mjs';

/** Recorded in corpus.json; the cache key is a hash of the generator's code (corpusDir). */
export const GENERATOR_VERSION = 2;

/**
 * Where a corpus is cached: keyed by scale, seed, and a hash of the generator's modules and
 * of the real samples, so that any change to what shapes the bodies makes a new corpus.
 */
export function corpusDir(cacheDir, scaleName, seed) {
  const key = corpusKey({
    benchDir: fileURLToPath(new URL('.', import.meta.url)),
    dailyDir: join(samplesDir(), 'hf-api', 'daily'),
  });
  return join(cacheDir, `corpus-${scaleName}-s${seed}-${key}`);
}
/** 2k: a tiny full (not --quick) run CI can afford, so that a scale that breaks fails CI. */
export const SCALES = { '2k': 2_000, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };
export const DEFAULT_SEED = 1;
/** The last listing day of every corpus (a Friday, well before the machine's today). */
export const END_DAY = '2026-10-30';
/**
 * The first listing day a corpus may have: Daily Papers began in May 2023 and sync refuses
 * earlier days (hfDaily.firstDay), so a corpus reaching back further would not arrive whole.
 */
export const FIRST_DAY = '2023-05-01';
/**
 * No day is bigger than this: the API pages by 100 and sync allows 16 requests per day
 * (MAX_REQUESTS_PER_DAY), so a day of 1,400 (and its few relisted papers) costs 15 requests.
 */
export const MAX_PER_DAY = 1400;
/** Share of papers listed again on a later day (seen upstream up to six days apart). */
const RELIST_RATE = 0.005;

export function parseScale(s) {
  const k = String(s).toLowerCase();
  if (SCALES[k]) return { name: k, n: SCALES[k] };
  const m = /^(\d+(?:\.\d+)?)([km]?)$/.exec(k);
  if (!m) throw new Error(`bad scale ${s}: use 10k, 100k, 1m or a number`);
  const n = Math.round(Number(m[1]) * (m[2] === 'k' ? 1e3 : m[2] === 'm' ? 1e6 : 1));
  return { name: k, n };
}

// ---- days ---------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const toMs = (d) => Date.parse(`${d}T00:00:00Z`);
const toDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const isWeekday = (ms) => {
  const w = new Date(ms).getUTCDay();
  return w !== 0 && w !== 6;
};

/**
 * The listing days and how many papers each lists. The span grows with N (1 year at 2k,
 * 3 at 10k) up to the source's whole range (FIRST_DAY to END_DAY, 913 weekdays, from 100k
 * on), the daily counts follow the real days' spread (count / mean of the 262 sample days),
 * times a gentle growth over the years, scaled so that they sum to N exactly, none above
 * MAX_PER_DAY.
 */
export function planDays({ n, seed, pools, end = END_DAY, first = FIRST_DAY }) {
  const years = Math.max(1, 3.5 * Math.log10(Math.max(n, 1000) / 1000) - 0.5);
  const wanted = Math.max(Math.round(years * 261), Math.ceil(n / (MAX_PER_DAY * 0.6)));
  const days = [];
  for (let ms = toMs(end); days.length < wanted && ms >= toMs(first); ms -= DAY_MS)
    if (isWeekday(ms)) days.push(toDay(ms));
  days.reverse();
  // The real range bounds the corpus: past about 0.85 of the cap on every day, the spread
  // of real days could not be followed.
  if (n > days.length * MAX_PER_DAY * 0.85) {
    throw new Error(
      `${n} papers do not fit ${days.length} weekdays from ${first} to ${end} at most ${MAX_PER_DAY} a day`,
    );
  }
  const rng = new Rng(seed, 'plan');
  const w = days.map((_, i) => rng.pick(pools.dayRatios) * (0.7 + (0.6 * i) / Math.max(1, days.length - 1)));
  const counts = new Array(days.length).fill(0);
  const capped = new Set();
  let left = n;
  // Fill proportionally; a day over the cap is fixed at the cap and the rest re-spread.
  for (;;) {
    const active = days.map((_, i) => i).filter((i) => !capped.has(i));
    const total = active.reduce((s, i) => s + w[i], 0);
    let newly = false;
    for (const i of active) {
      if ((left * w[i]) / total > MAX_PER_DAY) {
        capped.add(i);
        counts[i] = MAX_PER_DAY;
        left -= MAX_PER_DAY;
        newly = true;
      }
    }
    if (!newly) {
      const exact = active.map((i) => ({ i, x: (left * w[i]) / total }));
      let given = 0;
      for (const { i, x } of exact) {
        counts[i] = Math.floor(x);
        given += counts[i];
      }
      exact.sort((a, b) => b.x - Math.floor(b.x) - (a.x - Math.floor(a.x)) || a.i - b.i);
      for (let k = 0; given < left; k++, given++) counts[exact[k % exact.length].i]++;
      break;
    }
  }
  if (counts.reduce((a, b) => a + b, 0) !== n) throw new Error('plan does not add up');
  return days.map((day, i) => ({ day, count: counts[i] }));
}

// ---- text ---------------------------------------------------------------------------------

/** arXiv's hard line breaks: wrap at `width`, joining with `sep`. */
function hardWrap(s, width, sep) {
  if (s.length <= width) return s;
  const out = [];
  let line = '';
  for (const word of s.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join(sep);
}

function makeTitle(rng, pools, donorIdx) {
  let prefix = null;
  if (rng.chance(pools.prefixRate)) {
    if (pools.camelHeads.length && rng.chance(0.5)) prefix = rng.pick(pools.camelHeads) + rng.pick(pools.camelTails);
    else prefix = rng.pick(pools.prefixes);
    if (rng.chance(0.15)) prefix += `-${rng.int(1, 9)}`;
  }
  const head = rng.chance(0.5) ? pools.heads[donorIdx] : rng.pick(pools.heads);
  const tail = rng.chance(0.75) ? rng.pick(pools.tails) : null;
  const body = tail ? `${head} ${tail}` : head;
  return prefix ? `${prefix}: ${body}` : body;
}

function makeAbstract(rng, pools, donor) {
  const n = Math.min(14, rng.pick(pools.sentenceCounts));
  const s = [];
  const own = donor.sents;
  s.push(own.length && rng.chance(0.5) ? own[0] : rng.pick(pools.first));
  for (let i = 1; i < n - 1; i++) s.push(own.length > i + 1 && rng.chance(0.5) ? own[i] : rng.pick(pools.middle));
  s.push(own.length > 1 && rng.chance(0.5) ? own[own.length - 1] : rng.pick(pools.last));
  return s.join(' ');
}

function makeKeywords(rng, pools, donor) {
  const n = Math.max(1, Math.min(20, rng.pick(pools.keywordCounts)));
  const out = new Set();
  for (const k of donor.kws) if (out.size < n && rng.chance(0.6)) out.add(k);
  for (let guard = 0; out.size < n && guard < 100; guard++) out.add(rng.pick(pools.keywordOcc));
  return [...out];
}

// ---- entries ------------------------------------------------------------------------------

const STATUSES = ['claimed_verified', 'extracted_confirmed', 'admin_assigned', 'extracted_pending'];

function objectId(rng, ms) {
  return (
    Math.floor(ms / 1000)
      .toString(16)
      .padStart(8, '0') + rng.hex(16)
  );
}

function handleOf(name, rng) {
  const base =
    name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 14) || 'user';
  return rng.chance(0.5) ? base : `${base.toLowerCase()}${rng.int(1, 999)}`;
}

function makeAuthors(rng, pools, era, dayMs) {
  const n = rng.pick(pools.authorCounts);
  const authors = new Array(n);
  for (let i = 0; i < n; i++) {
    const name = rng.chance(0.3) ? rng.pick(pools.fullNames) : `${rng.pick(pools.given)} ${rng.pick(pools.family)}`;
    const a = { _id: objectId(rng, dayMs) };
    if (rng.chance(pools.userRate)) {
      const user = {};
      if (era.ids) user._id = rng.hex(24);
      user.avatarUrl = rng.chance(0.6)
        ? `/avatars/${rng.hex(32)}.svg`
        : `https://cdn-avatars.huggingface.co/v1/production/uploads/${rng.hex(24)}/${rng.hex(10)}.jpeg`;
      user.isPro = rng.chance(0.15);
      user.fullname = name;
      user.user = handleOf(name, rng);
      user.type = 'user';
      a.user = user;
      a.name = name;
      a.status = rng.pick(STATUSES);
      a.statusLastChangedAt = new Date(dayMs + rng.int(0, 86_399_999)).toISOString();
    } else {
      a.name = name;
    }
    a.hidden = false;
    authors[i] = a;
  }
  return authors;
}

/** The fields each era of the API has, by listing day (see the samples README). */
function eraOf(day) {
  return {
    mediaUrl: day < '2024-07-01',
    thumb: day >= '2024-06-01',
    submittedBy: day >= '2024-06-01',
    ids: day >= '2024-09-01',
    discussion: day >= '2024-08-01',
    participating: day >= '2025-01-01',
    v2025: day >= '2025-03-01', // top summary, submittedOnDaily*, links, ai_keywords, paper.mediaUrls
    dailyAt: day >= '2025-03-17',
    dailyMidnight: day >= '2026-01-01',
    aiSummary: day >= '2025-05-01',
    stars: day >= '2025-06-01',
    org: day >= '2025-10-01',
    aiModel: day >= '2026-01-01',
    hardWraps: day < '2025-11-01',
  };
}

function lognormalInt(rng, median, sigma) {
  return Math.floor(median * Math.exp(sigma * rng.normal()));
}

/** Heavy-tailed upvotes: lognormal body (median 7) and a Pareto tail for the hits of the day. */
function upvotes(rng) {
  if (rng.chance(0.012)) return Math.min(5000, Math.floor(80 / (1 - rng.next()) ** 0.8));
  return Math.max(0, lognormalInt(rng, 7, 1.0));
}

function orgObject(name) {
  const r = new Rng(hash32(name), 'org');
  const o = { _id: r.hex(24), name, fullname: name.length < 6 ? name.toUpperCase() : name };
  if (r.chance(0.8))
    o.avatar = `https://cdn-avatars.huggingface.co/v1/production/uploads/${r.hex(24)}/${r.hex(12)}.png`;
  return o;
}

function makeEntry(rng, pools, ctx) {
  const { day, dayMs, era, id, arxivMs } = ctx;
  const donorIdx = rng.int(0, pools.donors.length - 1);
  const donor = pools.donors[donorIdx];
  const title = makeTitle(rng, pools, donorIdx);
  const abstract = makeAbstract(rng, pools, donor);
  const up = ctx.upvotes;
  const submitter = era.submittedBy ? rng.pick(pools.submitters) : null;
  const org = era.org && rng.chance(0.35) ? orgObject(rng.pick(pools.orgNames)) : null;

  const paper = {};
  paper.id = id;
  paper.authors = makeAuthors(rng, pools, era, dayMs);
  paper.publishedAt = new Date(arxivMs).toISOString();
  if (era.dailyAt)
    paper.submittedOnDailyAt = era.dailyMidnight
      ? `${day}T00:00:00.000Z`
      : new Date(dayMs + rng.int(0, 86_399_999)).toISOString();
  paper.title = era.hardWraps ? hardWrap(title, 72, '\n  ') : title;
  if (era.dailyAt && submitter) {
    const by = {};
    if (submitter._id) by._id = submitter._id;
    by.avatarUrl = submitter.avatarUrl;
    by.isPro = !!submitter.isPro;
    by.fullname = submitter.fullname;
    by.user = submitter.name;
    by.type = 'user';
    paper.submittedOnDailyBy = by;
  }
  paper.summary = era.hardWraps ? hardWrap(abstract, 78, '\n') : abstract;
  paper.upvotes = up;
  if (era.discussion) paper.discussionId = objectId(rng, dayMs);
  if (era.v2025 && rng.chance(0.15))
    paper.mediaUrls = [`https://cdn-uploads.huggingface.co/production/uploads/${rng.hex(24)}/${rng.hex(20)}.png`];
  if (era.v2025 && rng.chance(0.3)) paper.projectPage = rng.pick(pools.pages);
  let repo = null;
  if (era.v2025 && rng.chance(0.46)) {
    repo = rng.pick(pools.repos);
    // Seen upstream, kept: a githubRepo with an embedded newline.
    paper.githubRepo = rng.chance(0.002) ? `${repo}\n${repo}` : repo;
  }
  if (era.aiSummary) {
    // Seen upstream: an ai_summary that is a copy of the abstract.
    paper.ai_summary = rng.chance(0.003)
      ? abstract
      : donor.aiSummary && rng.chance(0.5)
        ? donor.aiSummary
        : rng.pick(pools.aiSummaries);
  }
  if (era.aiModel && paper.ai_summary) paper.ai_summary_model = 'gemini-2.5-flash';
  if (era.v2025) paper.ai_keywords = makeKeywords(rng, pools, donor);
  if (era.stars && repo) paper.githubStars = Math.max(0, lognormalInt(rng, 15, 1.8));
  if (org && rng.chance(0.5)) paper.organization = org;

  const e = { paper };
  // The top-level publishedAt: when the paper was put on the list, then (from 2025-03) the
  // arXiv time shifted back 4 to 5 hours. Never the listing day itself as a rule.
  e.publishedAt = era.v2025
    ? new Date(arxivMs - rng.int(4 * 3600_000, 5 * 3600_000)).toISOString()
    : new Date(dayMs + rng.int(0, 86_399_999)).toISOString();
  e.title = title;
  if (era.v2025) e.summary = paper.summary;
  const thumb = `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`;
  if (era.mediaUrl && rng.chance(0.3)) e.mediaUrl = thumb;
  if (era.thumb) e.thumbnail = thumb;
  if (era.thumb && !era.v2025 && rng.chance(0.15))
    e.mediaUrls = [`https://cdn-uploads.huggingface.co/production/uploads/${rng.hex(24)}/${rng.hex(20)}.mp4`];
  e.numComments = Math.floor(rng.next() * rng.next() * (1 + up / 6));
  if (submitter) e.submittedBy = submitter;
  if (org) e.organization = org;
  if (era.participating) e.isAuthorParticipating = rng.chance(0.4);
  return e;
}

/**
 * Day bodies in order: { day, entries }. Ids are YYMM.NNNNN of the arXiv time (a few days
 * before the listing day), unique, increasing within a month by small random steps.
 */
export function* generateDays({ plan, seed, pools }) {
  const maxMonth = new Map();
  for (const { day, count } of plan) maxMonth.set(day.slice(0, 7), (maxMonth.get(day.slice(0, 7)) ?? 0) + count);
  const peak = Math.max(...maxMonth.values());
  const stepMax = Math.max(1, Math.min(9, Math.floor((2 * 99_000) / (peak * 1.2)) - 1));
  const counters = new Map();
  const relists = new Map(); // plan index -> entries listed again that day
  for (let di = 0; di < plan.length; di++) {
    const { day, count } = plan[di];
    const rng = new Rng(seed, `day:${day}`);
    const dayMs = toMs(day);
    const era = eraOf(day);
    const ups = Array.from({ length: count }, () => upvotes(rng)).sort((a, b) => b - a);
    const entries = [];
    for (let i = 0; i < count; i++) {
      const arxivMs = dayMs - rng.int(1, 5) * DAY_MS + rng.int(0, 86_399) * 1000; // arXiv times are whole seconds
      const ym = new Date(arxivMs).toISOString();
      const month = ym.slice(2, 4) + ym.slice(5, 7);
      let c = counters.get(month) ?? rng.int(1, 300);
      c += rng.int(1, stepMax);
      if (c > 99_999) throw new Error(`arXiv month ${month} ran out of 5-digit ids; lower the per-day cap`);
      counters.set(month, c);
      const id = `${month}.${String(c).padStart(5, '0')}`;
      const e = makeEntry(rng, pools, { day, dayMs, era, id, arxivMs, upvotes: ups[i] });
      entries.push(e);
      if (rng.chance(RELIST_RATE)) {
        const at = di + rng.int(1, 4);
        if (at < plan.length) {
          const again = JSON.parse(JSON.stringify(e));
          again.paper.upvotes += rng.int(1, 40);
          if (!relists.has(at)) relists.set(at, []);
          relists.get(at).push(again);
        }
      }
    }
    const extra = relists.get(di);
    if (extra) {
      relists.delete(di);
      // Listed again: same paper, more upvotes. The body stays ordered by upvotes.
      const have = new Set(entries.map((e) => e.paper.id));
      for (const e of extra) if (!have.has(e.paper.id)) entries.push(e);
      entries.sort((a, b) => b.paper.upvotes - a.paper.upvotes);
    }
    yield { day, entries };
  }
}

/**
 * Writes the corpus to `dir/days/YYYY-MM-DD.json` (compact JSON), then `dir/corpus.json`
 * (what was generated). Returns that summary. A corpus.json present means complete.
 */
export function generateCorpus({ n, seed = DEFAULT_SEED, dir, pools, onProgress }) {
  pools ??= buildPools(loadSamples());
  const plan = planDays({ n, seed, pools });
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'days'), { recursive: true });
  let listings = 0;
  let bytes = 0;
  let entryBytes = 0;
  let relisted = 0;
  let maxDay = 0;
  const t0 = Date.now();
  let lastReport = t0;
  let i = 0;
  for (const { day, entries } of generateDays({ plan, seed, pools })) {
    const body = JSON.stringify(entries);
    writeFileSync(join(tmp, 'days', `${day}.json`), body);
    const len = Buffer.byteLength(body);
    bytes += len;
    // The body is `[` entries joined by `,` `]`: what is left is the entries' own JSON.
    entryBytes += entries.length ? len - 2 - (entries.length - 1) : 0;
    listings += entries.length;
    relisted += entries.length - plan[i].count;
    maxDay = Math.max(maxDay, entries.length);
    i++;
    if (onProgress && Date.now() - lastReport > 2000) {
      lastReport = Date.now();
      onProgress({ done: i, total: plan.length, papers: listings - relisted, bytes });
    }
  }
  const summary = {
    generatorVersion: GENERATOR_VERSION,
    seed,
    n,
    listings,
    relisted,
    days: plan.length,
    first: plan[0].day,
    last: plan[plan.length - 1].day,
    maxPerDay: maxDay,
    medianPerDay: [...plan].map((d) => d.count).sort((a, b) => a - b)[plan.length >> 1],
    bytes,
    entryBytes,
    ms: Date.now() - t0,
  };
  writeFileSync(join(tmp, 'corpus.json'), JSON.stringify(summary, null, 2));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return summary;
}

export function readCorpus(dir) {
  const f = join(dir, 'corpus.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
}

// ---- CLI ----------------------------------------------------------------------------------

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '10k' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      out: { type: 'string' },
    },
  });
  const { name, n } = parseScale(values.scale);
  const seed = Number(values.seed);
  const dir = values.out ?? corpusDir(fileURLToPath(new URL('./.cache', import.meta.url)), name, seed);
  const summary = generateCorpus({
    n,
    seed,
    dir,
    onProgress: (p) =>
      process.stderr.write(
        `generate: ${p.done}/${p.total} days, ${p.papers} papers, ${(p.bytes / 1e6).toFixed(0)} MB\n`,
      ),
  });
  process.stderr.write(`generated ${dir}\n`);
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
}
