// Deploy windows: may a stage start now, and if not, when?
//
//   checkWindow(config.windows, Date.now()) -> { open, reason, nextOpenMs, ... }
//
// A stage may start when the instant, read on the wall clock of `windows.timezone`, is inside one
// of the weekly `allow` windows (none listed: any time) and its local date is outside every
// `freeze` range. Wall-clock hours follow daylight saving time: `Mon-Thu 09:00-16:00` in
// America/Los_Angeles opens at 09:00 local before and after the change. Pure: the time zone
// rules come from `Intl`, the instant from the caller.
//
// Grammar (parsed by parseAllowWindow / parseFreeze, used by the config schema):
//   allow:  "<days> <HH:MM>-<HH:MM>"   days: Mon, Mon-Thu, Fri-Mon (wraps the week), Mon,Wed,Fri, daily
//           The days name the day the window STARTS; an end at or before the start wraps past
//           midnight (`Sun-Thu 22:00-02:00`). `24:00` ends at midnight. Days may be left out (daily).
//   freeze: "2026-12-20..2027-01-04" (both dates inclusive) or one date "2026-11-26".

export interface AllowWindow {
  /** The text as written in the config. */
  readonly text: string;
  /** Days the window starts on: 0 = Sunday .. 6 = Saturday. */
  readonly days: readonly number[];
  /** Minutes after local midnight. */
  readonly startMinute: number;
  /** Minutes after local midnight, 1..1440; at or before startMinute means the window wraps midnight. */
  readonly endMinute: number;
}

export interface FreezeRange {
  readonly text: string;
  /** First frozen local date, YYYY-MM-DD. */
  readonly from: string;
  /** Last frozen local date, YYYY-MM-DD (inclusive). */
  readonly to: string;
}

export interface WindowRules {
  readonly timezone: string;
  readonly allow: readonly AllowWindow[];
  readonly freeze: readonly FreezeRange[];
}

export interface WindowCheck {
  /** True when a stage may start at the instant. */
  readonly open: boolean;
  /** One line for a log or summary, e.g. `Thu 2026-12-24 10:00 PST is inside the freeze 2026-12-20..2027-01-04`. */
  readonly reason: string;
  /** The instant itself when open; otherwise when the next window opens (null: not within two years). */
  readonly nextOpenMs: number | null;
  /** The allowed window containing the instant (absent when no `allow` list is configured or closed). */
  readonly window?: AllowWindow;
  /** The freeze containing the instant, when that is why it is closed. */
  readonly freeze?: FreezeRange;
  /** The instant on the configured wall clock, e.g. `Thu 2026-11-26 09:12 PST`. */
  readonly localTime: string;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const LONG_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAY = 86_400_000;
/** How far ahead nextOpenMs looks (a freeze can be long; a config that never opens is reported as null). */
const HORIZON_DAYS = 731;

function dayIndex(text: string): number {
  const lower = text.toLowerCase();
  const index = DAY_NAMES.indexOf(lower) >= 0 ? DAY_NAMES.indexOf(lower) : LONG_DAY_NAMES.indexOf(lower);
  if (index < 0) throw new Error(`"${text}" is not a day; write Mon, Tue, Wed, Thu, Fri, Sat or Sun`);
  return index;
}

function parseDays(text: string): number[] {
  const lower = text.toLowerCase();
  if (lower === 'daily' || lower === '*' || lower === 'every day') return [0, 1, 2, 3, 4, 5, 6];
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') throw new Error(`"${text}" has an empty day; separate days with commas (Mon,Wed,Fri)`);
    const range = item.split('-');
    if (range.length === 1) {
      days.add(dayIndex(item));
    } else if (range.length === 2) {
      const from = dayIndex((range[0] as string).trim());
      const to = dayIndex((range[1] as string).trim());
      for (let day = from; ; day = (day + 1) % 7) {
        days.add(day);
        if (day === to) break;
      }
    } else {
      throw new Error(`"${item}" is not a day range; write Mon-Thu`);
    }
  }
  return [...days].sort((a, b) => a - b);
}

function parseClock(text: string, allow24: boolean): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a time; write HH:MM on a 24-hour clock, such as 09:00 or 16:30`);
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (allow24 && hours === 24 && minutes === 0) return 1440;
  if (hours > 23 || minutes > 59) throw new Error(`"${text}" is not a time of day; hours go 00..23 and minutes 00..59${allow24 ? ' (24:00 ends at midnight)' : ''}`);
  return hours * 60 + minutes;
}

/** Parses `Mon-Thu 09:00-16:00` (see the grammar at the top). Throws with a message that says what to write. */
export function parseAllowWindow(text: string): AllowWindow {
  const value = text.trim();
  const match = /^(?:(.*?)\s+)?(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(value);
  if (!match) throw new Error(`"${text}" is not a weekly window; write days and hours such as "Mon-Thu 09:00-16:00"`);
  const days = match[1] === undefined ? parseDays('daily') : parseDays(match[1]);
  const startMinute = parseClock(match[2] as string, false);
  const endMinute = parseClock(match[3] as string, true);
  if (startMinute === endMinute) throw new Error(`"${text}" starts and ends at the same time; for a whole day write 00:00-24:00`);
  return { text: value, days, startMinute, endMinute };
}

function checkDate(text: string, whole: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new Error(`"${whole}" is not a freeze; write a date (2026-11-26) or an inclusive range (2026-12-20..2027-01-04)`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) throw new Error(`${text} is not a calendar date`);
  return text;
}

/** Parses `2026-12-20..2027-01-04` or `2026-11-26` into an inclusive local date range. */
export function parseFreeze(text: string): FreezeRange {
  const value = text.trim();
  const parts = value.split('..');
  if (parts.length > 2) throw new Error(`"${text}" is not a freeze; write a date (2026-11-26) or an inclusive range (2026-12-20..2027-01-04)`);
  const from = checkDate((parts[0] as string).trim(), text);
  const to = checkDate((parts[parts.length - 1] as string).trim(), text);
  if (to < from) throw new Error(`freeze ${value} ends before it starts`);
  return { text: value, from, to };
}

// ---------------------------------------------------------------------------------------------
// Wall clock of a time zone.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True for a time zone `Intl` knows (IANA names such as America/Los_Angeles, and UTC). */
export function isTimeZone(name: string): boolean {
  if (typeof name !== 'string' || name.trim() === '') return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  /** YYYY-MM-DD */
  readonly date: string;
  readonly weekday: number;
  /** Minutes after midnight. */
  readonly minute: number;
  /** The wall clock read as if it were UTC, in ms: lets two wall times be compared and subtracted. */
  readonly asUtc: number;
}

function wallClock(timeZone: string, ms: number): Wall {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { date, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(), minute: hour * 60 + minute, asUtc };
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY).toISOString().slice(0, 10);
}

/**
 * The first instant at which the wall clock of `timeZone` reads `date` `minute` or later.
 * A time skipped by a DST change (02:30 on a spring-forward night) maps to the end of the gap;
 * a time that occurs twice (01:30 on a fall-back night) maps to its first occurrence.
 */
export function wallToInstant(timeZone: string, date: string, minute: number): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = Date.UTC(y, m - 1, d) + minute * 60_000;
  const offsetAt = (ms: number) => wallClock(timeZone, ms).asUtc - ms;
  const first = target - offsetAt(target);
  const second = target - offsetAt(first);
  const candidates = [first, second, first - 3_600_000, second - 3_600_000].sort((a, b) => a - b);
  for (const candidate of candidates) {
    if (wallClock(timeZone, candidate).asUtc === target) return candidate;
  }
  // Skipped by a DST change: find the first minute whose wall clock reads at or after the target.
  let low = Math.min(first, second) - 3_600_000;
  let high = Math.max(first, second) + 3_600_000;
  while (high - low > 60_000) {
    const middle = low + Math.floor((high - low) / 120_000) * 60_000;
    if (wallClock(timeZone, middle).asUtc >= target) high = middle;
    else low = middle;
  }
  return high;
}

function contains(window: AllowWindow, wall: Wall): boolean {
  const { days, startMinute, endMinute } = window;
  if (endMinute > startMinute) return days.includes(wall.weekday) && wall.minute >= startMinute && wall.minute < endMinute;
  const yesterday = (wall.weekday + 6) % 7;
  return (days.includes(wall.weekday) && wall.minute >= startMinute) || (days.includes(yesterday) && wall.minute < endMinute);
}

function formatWall(timeZone: string, ms: number): string {
  const wall = wallClock(timeZone, ms);
  const zone =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  const hh = String(Math.floor(wall.minute / 60)).padStart(2, '0');
  const mm = String(wall.minute % 60).padStart(2, '0');
  return `${SHORT[wall.weekday]} ${wall.date} ${hh}:${mm} ${zone}`;
}

interface State {
  readonly open: boolean;
  readonly window?: AllowWindow;
  readonly freeze?: FreezeRange;
}

function stateAt(rules: WindowRules, ms: number): State {
  const wall = wallClock(rules.timezone, ms);
  const freeze = rules.freeze.find((range) => wall.date >= range.from && wall.date <= range.to);
  if (freeze) return { open: false, freeze };
  if (rules.allow.length === 0) return { open: true };
  const window = rules.allow.find((candidate) => contains(candidate, wall));
  return window ? { open: true, window } : { open: false };
}

/** True when a stage may start at `ms` (inside an allowed window, outside every freeze). */
export function isOpen(rules: WindowRules, ms: number): boolean {
  return stateAt(rules, ms).open;
}

/** When a stage may next start at or after `ms`; null when that is not within two years. */
export function nextOpen(rules: WindowRules, ms: number): number | null {
  if (isOpen(rules, ms)) return ms;
  const today = wallClock(rules.timezone, ms).date;
  for (let offset = 0; offset <= HORIZON_DAYS; offset++) {
    const date = addDays(today, offset);
    // Changes happen at window starts and at midnight (a freeze ends, a wrapped window continues).
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const minutes = new Set<number>([0]);
    for (const window of rules.allow) if (window.days.includes(weekday)) minutes.add(window.startMinute);
    const instants = [...minutes].map((minute) => wallToInstant(rules.timezone, date, minute)).sort((a, b) => a - b);
    for (const instant of instants) {
      if (instant > ms && isOpen(rules, instant)) return instant;
    }
  }
  return null;
}

/**
 * May a stage start at `nowMs`? bake-gate and alarm-check call this before a stage starts and
 * fail as `outside-window` when `open` is false, printing `reason` and `nextOpenMs`.
 */
export function checkWindow(rules: WindowRules, nowMs: number): WindowCheck {
  const state = stateAt(rules, nowMs);
  const localTime = formatWall(rules.timezone, nowMs);
  if (state.open) {
    const reason = state.window ? `${localTime} is inside the deploy window ${state.window.text}` : `${localTime}: no deploy windows or freezes apply`;
    return { open: true, reason, nextOpenMs: nowMs, localTime, ...(state.window ? { window: state.window } : {}) };
  }
  const next = nextOpen(rules, nowMs);
  const when = next === null ? 'no window opens within two years' : `next window opens ${formatWall(rules.timezone, next)} (${new Date(next).toISOString()})`;
  const why = state.freeze
    ? `${localTime} is inside the freeze ${state.freeze.text}`
    : `${localTime} is outside the deploy windows ${rules.allow.map((window) => window.text).join(', ')}`;
  return { open: false, reason: `${why}; ${when}`, nextOpenMs: next, localTime, ...(state.freeze ? { freeze: state.freeze } : {}) };
}
