/**
 * Ordered, named migrations. `PRAGMA user_version` holds how many have run; the
 * `migrations` table records when. A released migration is never edited: add one.
 *
 * Every migration is idempotent (issue 23.3): each runs in its own transaction with the
 * version it brings, so a killed upgrade resumes at the migration it was in, and one
 * replayed over its own work (a version set back by hand, a restored copy) changes
 * nothing. The released ones were edited once for that, to guard each CREATE and ALTER,
 * and m006 to be linear: their effect on an archive that never had them is unchanged.
 */
import type Database from 'better-sqlite3';
import { cleanArxivText, cleanStoredText } from './clean-text.js';

/** What a long migration reports: how far it is, in its own units. */
export type MigrationProgress = (done: number, total: number) => void;

export interface Migration {
  name: string;
  up: (db: Database.Database, progress?: MigrationProgress) => void;
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/** ALTER TABLE ... ADD COLUMN, unless the column is there already. */
function addColumn(db: Database.Database, table: string, column: string, decl: string): void {
  const has = (db.prepare(`SELECT 1 FROM pragma_table_info(?) WHERE name = ?`).pluck().get(table, column) ?? 0) === 1;
  if (!has) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${decl}`);
}

const FTS_COLUMNS = ['title', 'ai_summary', 'ai_keywords', 'abstract', 'authors'] as const;
/** BM25 column weights, in FTS_COLUMNS order: title most, then AI summary and keywords, abstract, authors. */
export const FTS_WEIGHTS = [10, 4, 4, 2, 1] as const;
const ftsValues = (prefix: string) => FTS_COLUMNS.map((c) => `${prefix}.${c}`).join(', ');

export const migrations: Migration[] = [
  {
    name: 'm001_init',
    up: (db) => {
      db.exec(`
        CREATE TABLE IF NOT EXISTS papers (
          pk            INTEGER PRIMARY KEY,
          id            TEXT NOT NULL UNIQUE,      -- canonical arXiv id, no version
          title         TEXT NOT NULL,
          abstract      TEXT NOT NULL DEFAULT '',
          authors       TEXT NOT NULL DEFAULT '[]', -- JSON array of names
          authors_key   TEXT NOT NULL DEFAULT '',   -- names folded (lower case, no accents), one per line
          published_at  TEXT,                       -- arXiv first-version time
          upvotes       INTEGER NOT NULL DEFAULT 0,
          comments      INTEGER,
          ai_summary    TEXT,
          ai_keywords   TEXT NOT NULL DEFAULT '[]', -- JSON array
          github_repo   TEXT,
          github_stars  INTEGER,
          project_page  TEXT,
          organization  TEXT,
          submitter     TEXT,
          source        TEXT NOT NULL,             -- the source the values below came from
          source_day    TEXT NOT NULL,             -- ...and the listing day they came with
          raw           TEXT NOT NULL,             -- the entry JSON as the source sent it
          first_seen    TEXT NOT NULL,
          updated_at    TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS papers_upvotes ON papers(upvotes);

        CREATE TABLE IF NOT EXISTS listings (
          source    TEXT NOT NULL,
          day       TEXT NOT NULL,
          paper_id  TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
          rank      INTEGER NOT NULL,
          PRIMARY KEY (source, day, paper_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS listings_day ON listings(day, rank);
        -- m007 gives it another definition: only a new archive gets this one.
        CREATE INDEX IF NOT EXISTS listings_paper ON listings(paper_id, day);

        -- One row per (source, day): the outcome of the last attempt, and of the last success.
        CREATE TABLE IF NOT EXISTS sync_days (
          source       TEXT NOT NULL,
          day          TEXT NOT NULL,
          outcome      TEXT NOT NULL CHECK (outcome IN ('ok', 'empty', 'failed')),
          entries      INTEGER NOT NULL DEFAULT 0,
          skipped      INTEGER NOT NULL DEFAULT 0,
          requests     INTEGER NOT NULL DEFAULT 0,
          via          TEXT,
          fetched_at   TEXT NOT NULL,
          ok_at        TEXT,
          ok_count     INTEGER NOT NULL DEFAULT 0,
          error        TEXT,
          PRIMARY KEY (source, day)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS sync_runs (
          id           INTEGER PRIMARY KEY,
          source       TEXT NOT NULL,
          pid          INTEGER,
          started_at   TEXT NOT NULL,
          finished_at  TEXT,
          status       TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
          days         INTEGER NOT NULL DEFAULT 0,
          failed_days  INTEGER NOT NULL DEFAULT 0,
          papers       INTEGER NOT NULL DEFAULT 0,
          new_papers   INTEGER NOT NULL DEFAULT 0,
          updated      INTEGER NOT NULL DEFAULT 0,
          error        TEXT
        );

        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;

        -- External-content FTS5 over the text columns, title first; kept in sync by the
        -- triggers below (as sqlite-utils enable_fts does). Porter stemming so "agents"
        -- finds "agent"; diacritics folded so "Muller" finds "Müller".
        CREATE VIRTUAL TABLE IF NOT EXISTS papers_fts USING fts5(
          ${FTS_COLUMNS.join(', ')},
          content='papers', content_rowid='pk',
          tokenize='porter unicode61 remove_diacritics 2'
        );
        -- Title weighs most, then AI summary and keywords, then abstract, then authors.
        INSERT INTO papers_fts(papers_fts, rank) VALUES ('rank', 'bm25(${FTS_WEIGHTS.join(', ')})');

        CREATE TRIGGER IF NOT EXISTS papers_fts_ai AFTER INSERT ON papers BEGIN
          INSERT INTO papers_fts(rowid, ${FTS_COLUMNS.join(', ')}) VALUES (new.pk, ${ftsValues('new')});
        END;
        CREATE TRIGGER IF NOT EXISTS papers_fts_ad AFTER DELETE ON papers BEGIN
          INSERT INTO papers_fts(papers_fts, rowid, ${FTS_COLUMNS.join(', ')})
            VALUES ('delete', old.pk, ${ftsValues('old')});
        END;
        CREATE TRIGGER IF NOT EXISTS papers_fts_au AFTER UPDATE ON papers
        WHEN ${FTS_COLUMNS.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ')}
        BEGIN
          INSERT INTO papers_fts(papers_fts, rowid, ${FTS_COLUMNS.join(', ')})
            VALUES ('delete', old.pk, ${ftsValues('old')});
          INSERT INTO papers_fts(rowid, ${FTS_COLUMNS.join(', ')}) VALUES (new.pk, ${ftsValues('new')});
        END;
      `);
    },
  },
  {
    name: 'm002_keep_up',
    up: (db) => {
      // Replayed, the papers' first snapshots are there already (and later ones with them).
      const first = tableExists(db, 'snapshots') ? 'false' : 'true';
      db.exec(`
        -- Signals over time: a row whenever a sync sees upvotes, comments or stars change
        -- (and one when the paper first arrives). Written by triggers, so every write path
        -- (sync, import) keeps history without knowing about it.
        CREATE TABLE IF NOT EXISTS snapshots (
          paper_id      TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
          at            TEXT NOT NULL,
          upvotes       INTEGER NOT NULL,
          comments      INTEGER,
          github_stars  INTEGER,
          PRIMARY KEY (paper_id, at)
        ) WITHOUT ROWID;
        INSERT INTO snapshots (paper_id, at, upvotes, comments, github_stars)
          SELECT id, updated_at, upvotes, comments, github_stars FROM papers WHERE ${first}
          ON CONFLICT(paper_id, at) DO NOTHING;
        CREATE TRIGGER IF NOT EXISTS papers_snapshot_ai AFTER INSERT ON papers BEGIN
          INSERT INTO snapshots (paper_id, at, upvotes, comments, github_stars)
          VALUES (new.id, new.updated_at, new.upvotes, new.comments, new.github_stars)
          ON CONFLICT(paper_id, at) DO UPDATE SET upvotes = excluded.upvotes,
            comments = excluded.comments, github_stars = excluded.github_stars;
        END;
        CREATE TRIGGER IF NOT EXISTS papers_snapshot_au AFTER UPDATE OF upvotes, comments, github_stars ON papers
        WHEN old.upvotes IS NOT new.upvotes OR old.comments IS NOT new.comments
          OR old.github_stars IS NOT new.github_stars
        BEGIN
          INSERT INTO snapshots (paper_id, at, upvotes, comments, github_stars)
          VALUES (new.id, new.updated_at, new.upvotes, new.comments, new.github_stars)
          ON CONFLICT(paper_id, at) DO UPDATE SET upvotes = excluded.upvotes,
            comments = excluded.comments, github_stars = excluded.github_stars;
        END;

        CREATE INDEX IF NOT EXISTS papers_first_seen ON papers(first_seen);

        -- Saved watches: list filters (JSON) and/or a search query, with their own new-mark.
        CREATE TABLE IF NOT EXISTS watches (
          name        TEXT PRIMARY KEY,
          filter      TEXT NOT NULL DEFAULT '{}',
          query       TEXT,
          raw         INTEGER NOT NULL DEFAULT 0,
          created_at  TEXT NOT NULL,
          seen_at     TEXT
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    // Each day's transaction flushes a new FTS5 segment; with the default automerge=4 the
    // index rewrites its segments again and again as days arrive. Merging 16 at a time
    // writes each posting fewer times: measured on 100k generated papers, sync went from
    // 1,621 to 2,388 papers/s and search latency did not get worse (p50 11.9 -> 11.0 ms).
    name: 'm003_fts_automerge',
    up: (db) => {
      db.exec(`INSERT INTO papers_fts(papers_fts, rank) VALUES ('automerge', 16)`);
    },
  },
  {
    // Remote text is now cleaned at ingest (escape sequences, controls, bidi and zero-width
    // characters; URLs with whitespace inside): archives synced before get the same text.
    name: 'm004_clean_remote_text',
    up: (db) => {
      cleanStoredText(db);
    },
  },
  {
    // Nothing upstream drops is lost without a word (issue 15.1): a paper that leaves a day's
    // list keeps its listing, marked with when it was first seen gone; a day whose last list
    // looked cut short keeps the reason, is not settled, and is fetched again.
    name: 'm005_upstream_guard',
    up: (db) => {
      addColumn(db, 'listings', 'gone_at', 'TEXT');
      db.exec('CREATE INDEX IF NOT EXISTS listings_gone ON listings(paper_id, day) WHERE gone_at IS NOT NULL');
      addColumn(db, 'sync_days', 'warning', 'TEXT');
    },
  },
  {
    // A snapshot is an observation at a sync: syncs now stamp every day of a run with its
    // start, so a run that lists a paper on two days leaves one row. Rows written before
    // (one per day saved, seconds apart) are folded the same way: within a run, the
    // latest row's values, at the run's start.
    name: 'm006_snapshot_observations',
    up: (db, progress) => foldSnapshots(db, progress),
  },
  {
    // arXiv as a second source (issue 12). One paper row holds both sources' fields: HF
    // signals in the old columns, arXiv metadata in these, each source's raw body in its
    // own column (raw: HF's JSON; arxiv_raw: arXiv's XML element). Listings say how the
    // source carried the paper; followed sources and the feeds' HTTP caches live here too.
    name: 'm007_arxiv_source',
    up: (db) => {
      // Replayed, the followed sources are the reader's: HF may have been unfollowed since.
      const followHf = tableExists(db, 'sources') ? 'false' : 'true';
      addColumn(db, 'papers', 'categories', "TEXT NOT NULL DEFAULT '[]'"); // JSON array, primary first
      addColumn(db, 'papers', 'primary_category', 'TEXT');
      addColumn(db, 'papers', 'version', 'INTEGER'); // latest arXiv version seen
      addColumn(db, 'papers', 'doi', 'TEXT');
      addColumn(db, 'papers', 'journal_ref', 'TEXT');
      addColumn(db, 'papers', 'arxiv_comments', 'TEXT'); // the authors' comments (12 pages...)
      addColumn(db, 'papers', 'license', 'TEXT');
      addColumn(db, 'papers', 'arxiv_raw', 'TEXT'); // the arXiv element as it came
      addColumn(db, 'papers', 'arxiv_day', 'TEXT'); // the listing day arXiv's values came with
      // new, cross, replace, replace-cross (announced), submitted (backfilled); NULL for HF.
      addColumn(db, 'listings', 'type', 'TEXT');
      db.exec(`
        CREATE INDEX IF NOT EXISTS papers_primary_category ON papers(primary_category);

        -- Queries leave replacements out; this says at once whether there are any (HF alone: none),
        -- and the paper index covers the type so a paper's days need no row lookups.
        CREATE INDEX IF NOT EXISTS listings_replaced ON listings(type) WHERE type IN ('replace', 'replace-cross');
        DROP INDEX IF EXISTS listings_paper;
        CREATE INDEX listings_paper ON listings(paper_id, day, type);

        -- Followed sources. HF is followed from the start, so an archive (and cron) syncs as before.
        CREATE TABLE IF NOT EXISTS sources (
          name      TEXT PRIMARY KEY,  -- hf, or arxiv:CAT[+CAT...]
          added_at  TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO sources (name, added_at) SELECT 'hf', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE ${followHf}
          ON CONFLICT(name) DO NOTHING;

        -- A feed's last answer: its validators, its announcement day and ids, when it came.
        CREATE TABLE IF NOT EXISTS feed_state (
          source      TEXT PRIMARY KEY,
          etag        TEXT,
          last_modified TEXT,
          day         TEXT,
          ids_hash    TEXT,
          fetched_at  TEXT NOT NULL
        ) WITHOUT ROWID;

        -- A backfill in progress: where to resume (the next page) after an interruption, and
        -- the records harvested so far. Days are written only once the harvest is complete
        -- (a record's day can come on any page), each day in one transaction: no half day.
        CREATE TABLE IF NOT EXISTS harvests (
          source      TEXT PRIMARY KEY,
          since       TEXT NOT NULL,
          cursor      TEXT,
          pages       INTEGER NOT NULL DEFAULT 0,
          complete    INTEGER NOT NULL DEFAULT 0,
          started_at  TEXT NOT NULL,
          updated_at  TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS harvest_records (
          source      TEXT NOT NULL,
          paper_id    TEXT NOT NULL,
          day         TEXT NOT NULL,
          record      TEXT NOT NULL,  -- the parsed record (JSON), raw included
          PRIMARY KEY (source, paper_id)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    // The reader's library: starred papers and their tags. No foreign key to papers: a star
    // is the reader's data, so nothing that rewrites or prunes papers may take it along.
    // Tags compare without case ("RL" is "rl"). IF NOT EXISTS: an archive whose version was
    // set back by hand (doctor's tests do, to replay older migrations) keeps its stars.
    name: 'm008_library_stars',
    up: (db) => {
      db.exec(`
        CREATE TABLE IF NOT EXISTS stars (
          paper_id    TEXT PRIMARY KEY,   -- canonical arXiv id
          starred_at  TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS stars_starred_at ON stars(starred_at);
        CREATE TABLE IF NOT EXISTS star_tags (
          paper_id  TEXT NOT NULL REFERENCES stars(paper_id) ON DELETE CASCADE,
          tag       TEXT NOT NULL COLLATE NOCASE,
          PRIMARY KEY (paper_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS star_tags_tag ON star_tags(tag);
      `);
    },
  },
  {
    // One name for Hugging Face (issue 21): `hf`, as users write it and the sources table
    // holds it, in listings, sync records, run records and the papers' source column too.
    // A run record says what kind of work it was (days, feed, harvest, add), so status and
    // doctor can tell each source's last run apart. Idempotent: replayed, it changes nothing
    // (OR IGNORE: a day already stored under `hf` keeps that row).
    name: 'm009_hf_source_and_run_kind',
    up: (db) => {
      const columns = db.prepare(`SELECT name FROM pragma_table_info('sync_runs')`).pluck().all() as string[];
      if (!columns.includes('kind')) db.exec('ALTER TABLE sync_runs ADD COLUMN kind TEXT');
      db.exec(`
        UPDATE OR IGNORE listings SET source = 'hf' WHERE source = 'hf-daily';
        DELETE FROM listings WHERE source = 'hf-daily';
        UPDATE OR IGNORE sync_days SET source = 'hf' WHERE source = 'hf-daily';
        DELETE FROM sync_days WHERE source = 'hf-daily';
        UPDATE sync_runs SET source = 'hf' WHERE source = 'hf-daily';
        UPDATE sync_runs SET kind = CASE WHEN source = 'hf' THEN 'days' ELSE 'feed' END WHERE kind IS NULL;
        UPDATE papers SET source = 'hf' WHERE source = 'hf-daily';
      `);
    },
  },
  {
    // arXiv text is cleaned at ingest as HF's is (issue 23.6): rows stored before, with NUL
    // or escape sequences in a title, get the same text. Only rows that change are written.
    name: 'm011_clean_arxiv_text',
    up: (db) => {
      cleanArxivText(db);
    },
  },
  {
    // "Not this": papers the reader hid (papers hide). A negative for the recommender, and out
    // of new, today, digest and recommend unless asked for. Like stars, the reader's data: no
    // foreign key to papers. IF NOT EXISTS: idempotent, whatever position it runs at.
    name: 'm012_hidden_papers',
    up: (db) => {
      db.exec(`
        CREATE TABLE IF NOT EXISTS hidden (
          paper_id   TEXT PRIMARY KEY,   -- canonical arXiv id
          hidden_at  TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    // Full text from arXiv's PDFs (papers fetch): one row per paper fetched, its pages' text
    // with an FTS5 index of their own (search --full-text never needs the PDF), and the
    // last failure of a paper that gave none. A page's row also indexes the start of the next
    // page (`tail`), so a sentence that runs over a page break is found on its page. Keyed by
    // the canonical id without a foreign key: a paper may be fetched before it is listed.
    // IF NOT EXISTS throughout: the migration may run again on an archive set back by hand,
    // and applies in any order among the others of its round.
    name: 'm013_fulltext',
    up: (db) => {
      // The index's settings are written once, when it is made: a replay writes nothing.
      const hadIndex = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'fulltext_fts'`).get() !== undefined;
      db.exec(`
        CREATE TABLE IF NOT EXISTS fulltext (
          paper_id    TEXT PRIMARY KEY,      -- canonical arXiv id
          version     INTEGER,               -- the version fetched (vN), when known
          pages       INTEGER NOT NULL,
          chars       INTEGER NOT NULL,
          pdf_bytes   INTEGER NOT NULL,
          pdf_sha256  TEXT NOT NULL,
          pdf_file    TEXT,                  -- the kept PDF, relative to the archive's directory
          extractor   TEXT NOT NULL,         -- what made the text (library and layout version)
          ms          INTEGER NOT NULL,      -- extraction time
          fetched_at  TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS fulltext_pages (
          pk        INTEGER PRIMARY KEY,
          paper_id  TEXT NOT NULL REFERENCES fulltext(paper_id) ON DELETE CASCADE,
          page      INTEGER NOT NULL,
          text      TEXT NOT NULL,             -- paragraphs, one per line
          tail      TEXT NOT NULL DEFAULT '',  -- the next page's first words (indexed, not shown)
          UNIQUE (paper_id, page)
        );
        CREATE VIRTUAL TABLE IF NOT EXISTS fulltext_fts USING fts5(
          text, tail,
          content='fulltext_pages', content_rowid='pk',
          tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER IF NOT EXISTS fulltext_fts_ai AFTER INSERT ON fulltext_pages BEGIN
          INSERT INTO fulltext_fts(rowid, text, tail) VALUES (new.pk, new.text, new.tail);
        END;
        CREATE TRIGGER IF NOT EXISTS fulltext_fts_ad AFTER DELETE ON fulltext_pages BEGIN
          INSERT INTO fulltext_fts(fulltext_fts, rowid, text, tail) VALUES ('delete', old.pk, old.text, old.tail);
        END;
        CREATE TRIGGER IF NOT EXISTS fulltext_fts_au AFTER UPDATE ON fulltext_pages
        WHEN old.text IS NOT new.text OR old.tail IS NOT new.tail BEGIN
          INSERT INTO fulltext_fts(fulltext_fts, rowid, text, tail) VALUES ('delete', old.pk, old.text, old.tail);
          INSERT INTO fulltext_fts(rowid, text, tail) VALUES (new.pk, new.text, new.tail);
        END;
        CREATE TABLE IF NOT EXISTS fulltext_failures (
          paper_id  TEXT PRIMARY KEY,
          error     TEXT NOT NULL,
          page      INTEGER,
          attempts  INTEGER NOT NULL DEFAULT 1,
          at        TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
      if (!hadIndex) db.exec(`INSERT INTO fulltext_fts(fulltext_fts, rank) VALUES ('automerge', 16)`);
      // A watch may match the full text instead of titles and abstracts (watch add --full-text).
      const cols = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('watches') as string[];
      if (cols.length && !cols.includes('full_text')) {
        db.exec('ALTER TABLE watches ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0');
      }
    },
  },
];

export const SCHEMA_VERSION = migrations.length;

/**
 * m006's folding, linear (issue 23.3: done by correlated subqueries over unindexed tables it
 * took 86 s for 24k snapshots and did not end for 96k). A snapshot belongs to the latest
 * run that started at or before it and had not finished (or never did); within one run a
 * paper keeps its latest row, moved to the run's start. One sweep over the snapshots in
 * time order, with the runs started so far in a heap by start (a run that ended before one
 * snapshot has ended for every later one), then set-based SQL over an indexed temp table.
 */
function foldSnapshots(db: Database.Database, progress?: MigrationProgress): void {
  const runs = db
    .prepare('SELECT started_at AS start, finished_at AS end FROM sync_runs ORDER BY started_at')
    .all() as { start: string; end: string | null }[];
  db.exec(`
    DROP TABLE IF EXISTS temp.snapshot_runs;
    CREATE TEMP TABLE snapshot_runs (
      paper_id TEXT NOT NULL, at TEXT NOT NULL, run_at TEXT NOT NULL, PRIMARY KEY (paper_id, at)
    ) WITHOUT ROWID;
  `);
  const total = db.prepare('SELECT count(*) FROM snapshots').pluck().get() as number;
  if (runs.length && total) {
    const insert = db.prepare('INSERT INTO temp.snapshot_runs (paper_id, at, run_at) VALUES (?, ?, ?)');
    // A max-heap of the started runs' indexes (runs are sorted by start: a larger index starts later).
    const heap: number[] = [];
    const push = (i: number) => {
      heap.push(i);
      for (let k = heap.length - 1; k > 0; ) {
        const up = (k - 1) >> 1;
        if (heap[up]! >= heap[k]!) break;
        [heap[up], heap[k]] = [heap[k]!, heap[up]!];
        k = up;
      }
    };
    const pop = () => {
      const last = heap.pop()!;
      if (!heap.length) return;
      heap[0] = last;
      for (let k = 0; ; ) {
        const [l, r] = [2 * k + 1, 2 * k + 2];
        let top = k;
        if (l < heap.length && heap[l]! > heap[top]!) top = l;
        if (r < heap.length && heap[r]! > heap[top]!) top = r;
        if (top === k) break;
        [heap[top], heap[k]] = [heap[k]!, heap[top]!];
        k = top;
      }
    };
    let next = 0;
    let done = 0;
    // Read whole: better-sqlite3 allows no write while a statement iterates (96k rows: a few MB).
    const rows = db.prepare('SELECT paper_id, at FROM snapshots ORDER BY at').raw().all() as [string, string][];
    for (const [paper, at] of rows) {
      while (next < runs.length && runs[next]!.start <= at) push(next++);
      while (heap.length && runs[heap[0]!]!.end !== null && runs[heap[0]!]!.end! < at) pop();
      if (heap.length) insert.run(paper, at, runs[heap[0]!]!.start);
      if (++done % 10_000 === 0) progress?.(done, total);
    }
  }
  db.exec(`
    CREATE INDEX temp.snapshot_runs_run ON snapshot_runs (paper_id, run_at, at);
    DELETE FROM snapshots WHERE (paper_id, at) IN (
      SELECT o.paper_id, o.at FROM temp.snapshot_runs o
      WHERE o.at < (SELECT max(o2.at) FROM temp.snapshot_runs o2
                    WHERE o2.paper_id = o.paper_id AND o2.run_at = o.run_at));
    UPDATE snapshots SET at = (
      SELECT o.run_at FROM temp.snapshot_runs o WHERE o.paper_id = snapshots.paper_id AND o.at = snapshots.at)
    WHERE (paper_id, at) IN (SELECT paper_id, at FROM temp.snapshot_runs WHERE run_at <> at);
    DROP TABLE temp.snapshot_runs;
  `);
  progress?.(total, total);
}
