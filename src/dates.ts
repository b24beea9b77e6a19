/**
 * UTC calendar days as `YYYY-MM-DD` strings. Listing days are UTC days, so every
 * computation here is done on UTC midnights and never touches the local time zone.
 */
import { UsageError } from './errors.js';
import { quoteArg } from './text.js';

export type Day = string; // YYYY-MM-DD

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDay(s: string): boolean {
  const m = ISO_DAY.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/**
 * Why `day` cannot be a listing day of `source`, or undefined: not a calendar day
 * (`2026-11-99`), after tomorrow, or before the source began. Lists appear once a day;
 * tomorrow is allowed for a clock a little behind (or arXiv's US Eastern day ahead of
 * UTC's). An impossible day (9999-12-31) would make every later walk over the archive's
 * days endless; a future one would hide real days behind it (`new --mark-seen`).
 */
export function listingDayProblem(
  day: string,
  now: Date | undefined,
  source: { name: string; firstDay?: Day },
): string | undefined {
  if (!isValidDay(day)) return `${quoteArg(day)} is not a calendar day`;
  // Without a clock (a parser called alone), the calendar and the start.
  const last = now ? addDays(dayOf(now), 1) : day;
  if (day > last) return `${day} is after tomorrow (${last}, UTC): no list can exist for it yet`;
  if (source.firstDay && day < source.firstDay) return `${day} is before ${source.name} began (${source.firstDay})`;
  return undefined;
}

export function dayOf(date: Date): Day {
  return date.toISOString().slice(0, 10);
}

export function dayToMs(day: Day): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

export function addDays(day: Day, n: number): Day {
  return dayOf(new Date(dayToMs(day) + n * DAY_MS));
}

/** Inclusive list of days from `since` to `until`. */
export function dayRange(since: Day, until: Day): Day[] {
  const out: Day[] = [];
  for (let d = since; d <= until; d = addDays(d, 1)) out.push(d);
  return out;
}

/** 0 = Sunday ... 6 = Saturday */
export function weekday(day: Day): number {
  return new Date(dayToMs(day)).getUTCDay();
}

/**
 * Parses a day as a user types it: `YYYY-MM-DD`, `today`, `yesterday`, `Nd` (N days
 * ago), `Nw` (N weeks ago). Throws a UsageError naming the flag otherwise.
 */
export function parseDay(input: string, now: Date, what = 'date'): Day {
  const s = input.trim().toLowerCase();
  const today = dayOf(now);
  if (s === 'today') return today;
  if (s === 'yesterday') return addDays(today, -1);
  const rel = /^(\d{1,5})([dw])$/.exec(s);
  if (rel) return addDays(today, -Number(rel[1]) * (rel[2] === 'w' ? 7 : 1));
  if (isValidDay(s)) return s;
  throw new UsageError(`invalid ${what}: ${quoteArg(input)}`, {
    hint: 'use YYYY-MM-DD (a real calendar day), today, yesterday, or a relative form like 7d or 2w',
  });
}

/** `YYYY-Www` (ISO 8601 week) to its Monday..Sunday. */
export function parseIsoWeek(input: string): { since: Day; until: Day } {
  const m = /^(\d{4})-?W(\d{2})$/i.exec(input.trim());
  const year = m ? Number(m[1]) : NaN;
  const week = m ? Number(m[2]) : NaN;
  if (!m || week < 1 || week > isoWeeksInYear(year)) {
    throw new UsageError(`invalid week: ${quoteArg(input)}`, { hint: 'use YYYY-Www, e.g. 2025-W07' });
  }
  // ISO week 1 is the week with the year's first Thursday; Jan 4 is always in it.
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  const monday = jan4 - jan4Dow * DAY_MS + (week - 1) * 7 * DAY_MS;
  const since = dayOf(new Date(monday));
  return { since, until: addDays(since, 6) };
}

function isoWeeksInYear(year: number): number {
  const dec28 = new Date(Date.UTC(year, 11, 28));
  const dow = (dec28.getUTCDay() + 6) % 7;
  const thursday = new Date(dec28.getTime() + (3 - dow) * DAY_MS);
  const jan1 = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - jan1) / DAY_MS / 7) + 1;
}

export function isoWeekOf(day: Day): string {
  const t = dayToMs(day);
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  const thursday = new Date(t + (3 - dow) * DAY_MS);
  const y = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(y, 0, 1)) / DAY_MS / 7) + 1;
  return `${y}-W${String(week).padStart(2, '0')}`;
}

/** `YYYY-MM` to its first and last day. */
export function parseMonth(input: string): { since: Day; until: Day } {
  const m = /^(\d{4})-(\d{2})$/.exec(input.trim());
  const mo = m ? Number(m[2]) : NaN;
  if (!m || mo < 1 || mo > 12) {
    throw new UsageError(`invalid month: ${quoteArg(input)}`, { hint: 'use YYYY-MM, e.g. 2025-03' });
  }
  const y = Number(m[1]);
  const since = dayOf(new Date(Date.UTC(y, mo - 1, 1)));
  const until = dayOf(new Date(Date.UTC(y, mo, 0)));
  return { since, until };
}

/** Parses a duration such as `30m`, `2h`, `3d`, `90s` or a bare number of minutes into ms. */
export function parseDuration(input: string, what = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(input.trim());
  if (!m) {
    throw new UsageError(`invalid ${what}: ${quoteArg(input)}`, { hint: 'use a number with a unit, e.g. 30m, 2h, 3d' });
  }
  const n = Number(m[1]);
  const unit = (m[2] ?? 'm').toLowerCase();
  const mult = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : DAY_MS;
  return n * mult;
}
