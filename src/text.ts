/**
 * Text that came from the network is untrusted. These helpers normalise it for
 * display and make it safe for a terminal; format-specific escaping lives in render/.
 */

/** Collapses arXiv hard line wraps and runs of whitespace into single spaces. */
export function normalizeSpace(s: string): string {
  // Only whitespace that is not already a single space is replaced: exports clean every
  // field of 100k papers, and most text has nothing to change.
  return s.replace(/\s{2,}|[^\S ]/g, ' ').trim();
}

// ESC-based sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
// (ESC P|X|^|_ ... ST) and two-byte escapes; plus their 8-bit C1 forms.
const ESCAPE_SEQ =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[PX^_][^\u001b\u009c]*(?:\u001b\\|\u009c)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*(?:\u0007|\u009c)?/g;
// C0 controls but TAB and LF, DEL, C1 controls, and the Unicode bidi controls
// (LRE..RLO, LRI..PDI, LRM/RLM/ALM) that can reorder what the reader sees.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

/**
 * Removes escape sequences and control characters so remote text cannot move the
 * cursor, set the window title, ring the bell or reorder a line. Newlines and tabs
 * are kept; callers that want one line use `cleanLine`.
 */
export function stripControls(s: string): string {
  // Every sequence ESCAPE_SEQ removes starts with a character CONTROL matches.
  if (!HAS_CONTROL.test(s)) return s;
  return s.replace(ESCAPE_SEQ, '').replace(CONTROL, '');
}

// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/;

/** Safe, single-line display text. */
export function cleanLine(s: string): string {
  return normalizeSpace(stripControls(s));
}

/** Lower-case and strip accents: `Müller` and `muller` compare equal. */
export function foldText(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}
