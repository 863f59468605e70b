// Parsers for the small languages of the config and the action inputs:
// durations (`90s`, `10m`, `1h30m`, `2d`, `800ms`), traffic shares (`5%`) and lists.
// Each returns a value or throws a UnitError whose message says what was expected.

export class UnitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnitError';
  }
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Parses `90s`, `10m`, `1h30m`, `2d`, `800ms` (units largest first, each at most once) into milliseconds. */
export function parseDuration(text: string): number {
  const value = text.trim();
  if (value === '') throw new UnitError('empty duration; expected a duration such as 90s, 10m, 1h30m or 2d');
  if (value === '0') return 0;
  let total = 0;
  let position = 0;
  let lastRank = Infinity;
  const order = ['d', 'h', 'm', 's', 'ms'];
  while (position < value.length) {
    DURATION_PART.lastIndex = position;
    const match = DURATION_PART.exec(value);
    if (!match) {
      throw new UnitError(`"${text}" is not a duration; expected a number and a unit (ms, s, m, h, d) such as 90s, 10m, 1h30m or 2d`);
    }
    const [, amount, unit] = match as unknown as [string, string, string];
    const rank = order.indexOf(unit);
    if (rank <= lastRank && lastRank !== Infinity) {
      throw new UnitError(`"${text}" is not a duration; give each unit once, largest first (1h30m, not 30m1h)`);
    }
    lastRank = rank;
    total += Number(amount) * (DURATION_UNITS[unit] as number);
    position = DURATION_PART.lastIndex;
  }
  return Math.round(total);
}

/** Formats milliseconds the way the config writes them: 1h30m, 45s, 800ms. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}

/**
 * Formats milliseconds as a duration that parses back to exactly the same value: formatDuration's
 * units with any sub-second rest in ms (`3s500ms`, not the `4s` formatDuration rounds to). For
 * values handed on as inputs (the plan's bake durations and delays), where rounding would change a wait.
 */
export function formatDurationExact(ms: number): string {
  const whole = Math.floor(ms / 1000) * 1000;
  const rest = Math.round(ms - whole);
  if (rest === 0) return formatDuration(whole);
  return whole === 0 ? `${rest}ms` : `${formatDuration(whole)}${rest}ms`;
}

/**
 * Parses a traffic share written as a percentage (`5%`, `12.5%`, `100%`) into a fraction 0..1.
 * A bare number is refused: `0.1` and `10` would both be plausible and they differ a hundredfold.
 */
export function parseShare(text: string): number {
  const value = text.trim();
  const match = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  if (!match) throw new UnitError(`"${text}" is not a share; write a percentage such as 5%, 10% or 100%`);
  const percent = Number(match[1]);
  if (percent > 100) throw new UnitError(`${value} is above 100%`);
  // Lambda keeps routing weights to 5 decimals; so do we.
  return Math.round(percent * 1000) / 100_000;
}

export function formatShare(fraction: number): string {
  const percent = Math.round(fraction * 100_000) / 1000;
  return `${percent}%`;
}

/** Splits a list input: newlines or commas, trimmed, empty entries dropped. */
export function parseList(text: string | undefined | null): string[] {
  return (text ?? '')
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
