/**
 * arXiv's category taxonomy, shipped with the tool so names are checked offline
 * (https://arxiv.org/category_taxonomy; stable: classes are added a few times a decade).
 * Archives map to their subject classes; an archive without classes (hep-th) is a
 * category itself. The group is what OAI-PMH set names start with.
 */

/** archive -> [group, subject classes (without the `archive.` prefix)] */
const ARCHIVES: Record<string, [group: string, classes: string]> = {
  cs: [
    'cs',
    'AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA NE NI OH OS PF PL RO SC ' +
      'SD SE SI SY',
  ],
  econ: ['econ', 'EM GN TH'],
  eess: ['eess', 'AS IV SP SY'],
  math: ['math', 'AC AG AP AT CA CO CT CV DG DS FA GM GN GR GT HO IT KT LO MG MP NA NT OA OC PR QA RA RT SG SP ST'],
  'astro-ph': ['physics', 'CO EP GA HE IM SR'],
  'cond-mat': ['physics', 'dis-nn mes-hall mtrl-sci other quant-gas soft stat-mech str-el supr-con'],
  'gr-qc': ['physics', ''],
  'hep-ex': ['physics', ''],
  'hep-lat': ['physics', ''],
  'hep-ph': ['physics', ''],
  'hep-th': ['physics', ''],
  'math-ph': ['physics', ''],
  nlin: ['physics', 'AO CD CG PS SI'],
  'nucl-ex': ['physics', ''],
  'nucl-th': ['physics', ''],
  physics: [
    'physics',
    'acc-ph ao-ph app-ph atm-clus atom-ph bio-ph chem-ph class-ph comp-ph data-an ed-ph flu-dyn gen-ph geo-ph ' +
      'hist-ph ins-det med-ph optics plasm-ph pop-ph soc-ph space-ph',
  ],
  'quant-ph': ['physics', ''],
  'q-bio': ['q-bio', 'BM CB GN MN NC OT PE QM SC TO'],
  'q-fin': ['q-fin', 'CP EC GN MF PM PR RM ST TR'],
  stat: ['stat', 'AP CO ME ML OT TH'],
  // A real archive without papers: its feed is the empty channel.
  test: ['test', ''],
};

/**
 * Every category name: archives, and `archive.CLASS` for archives that have classes. Built
 * on first use, so that commands which never name a category do not pay for it at start-up.
 */
let categories: { names: readonly string[]; byLower: Map<string, string> } | undefined;
function allCategories(): { names: readonly string[]; byLower: Map<string, string> } {
  if (categories) return categories;
  const names = Object.entries(ARCHIVES).flatMap(([archive, [, classes]]) => [
    archive,
    ...classes
      .split(' ')
      .filter(Boolean)
      .map((c) => `${archive}.${c}`),
  ]);
  categories = { names, byLower: new Map(names.map((c) => [c.toLowerCase(), c])) };
  return categories;
}

/** The category in arXiv's spelling (`cs.ai` is `cs.AI`), or undefined when arXiv has none. */
export function knownCategory(name: string): string | undefined {
  return allCategories().byLower.get(name.trim().toLowerCase());
}

/** Whether a category names a whole archive (`cs`, `hep-th`) rather than one class. */
export function isArchive(category: string): boolean {
  return category in ARCHIVES;
}

export function archiveOf(category: string): string {
  const dot = category.indexOf('.');
  return dot < 0 ? category : category.slice(0, dot);
}

/**
 * The OAI-PMH set of a category: `cs:cs:CL`, `physics:astro-ph:CO`, a physics archive
 * `physics:hep-th`, a whole group `cs` or `math`.
 */
export function oaiSet(category: string): string {
  const archive = archiveOf(category);
  const group = ARCHIVES[archive]?.[0] ?? archive;
  const cls = category.includes('.') ? category.slice(archive.length + 1) : null;
  // The physics group holds more than the physics archive: the archive is `physics:physics`.
  if (group === archive && archive !== 'physics') return cls ? `${group}:${archive}:${cls}` : group;
  return cls ? `${group}:${archive}:${cls}` : `${group}:${archive}`;
}

/** Whether a paper in `categories` belongs to a source following `wanted` (archives match their classes). */
export function inCategories(categories: readonly string[], wanted: readonly string[]): boolean {
  return categories.some((c) => wanted.some((w) => c === w || (isArchive(w) && archiveOf(c) === w)));
}

/** The closest known names to a mistyped one, for a did-you-mean. */
export function suggestCategories(name: string, max = 3): string[] {
  const n = name.toLowerCase();
  const scored = allCategories()
    .names.map((c) => ({ c, d: distance(n, c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(n.length / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  return scored.slice(0, max).map((x) => x.c);
}

/** Levenshtein distance; names are short. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
