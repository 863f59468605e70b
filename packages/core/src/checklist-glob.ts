// Path globs for checklist items that apply only when certain files change (`when.paths`).
//
// The dialect is the one people write in CODEOWNERS-like files and workflow `paths:` filters:
//   `*`   any characters within one path segment      `src/*.ts`
//   `**`  any number of whole segments (also none)     `infra/**`, `**/migrations/**`
//   `?`   one character other than `/`
//   `[ab]`, `[a-z]`, `[!ab]` one character from (or not from) a set
//   `{a,b}` either alternative (no nesting)
//   a leading `!` excludes what it matches from the patterns before it.
// Paths are repository-relative with forward slashes, as the pull request files API returns them.
// A pattern without a slash matches at any depth (`*.sql` matches `db/001.sql`), like .gitignore.
//
// The changed paths come from the pull request, so its author chooses them. Matching therefore uses
// no regular expression (an interior `**` compiled to `(?:[^/]+/)*` backtracks polynomially on long
// paths): braces are expanded up front, a path is matched segment by segment with a table over
// (pattern segment, path segment), and one segment with the linear-space wildcard algorithm. The work
// is bounded by (pattern segments × path segments × segment length²), never exponential, and is
// counted in `steps` when a meter is passed.

export class GlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlobError';
  }
}

/** One character test inside a segment. */
type Token =
  | { readonly kind: 'char'; readonly char: string }
  | { readonly kind: 'any-char' }
  | { readonly kind: 'star' }
  | { readonly kind: 'set'; readonly negate: boolean; readonly ranges: readonly (readonly [string, string])[] };

/** A pattern segment: `**` (any number of whole segments) or a sequence of tokens for one segment. */
type Segment = { readonly kind: 'globstar'; readonly last: boolean } | { readonly kind: 'tokens'; readonly tokens: readonly Token[] };

/** A glob compiled to one or more brace-free alternatives, each a list of segments. */
export interface CompiledGlob {
  readonly source: string;
  readonly alternatives: readonly (readonly Segment[])[];
}

/** Counts the work a match does (each table cell and each character comparison is one step). */
export interface GlobMeter {
  steps: number;
}

/** At most this many brace combinations per pattern (`{a,b}{c,d}` is 4). */
const MAX_ALTERNATIVES = 256;

function normalizePattern(glob: string): string {
  let pattern = glob.trim();
  if (pattern === '') throw new GlobError('empty path pattern');
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  else if (!pattern.includes('/')) pattern = `**/${pattern}`;
  if (pattern.endsWith('/')) pattern = `${pattern}**`;
  return pattern;
}

/** Splits `{a,b}` groups into every combination (no nesting), after checking brackets and braces are closed. */
function expandBraces(glob: string, pattern: string): string[] {
  let results = [''];
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i] as string;
    if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) throw new GlobError(`"${glob}": \`[\` without a closing \`]\``);
      const text = pattern.slice(i, close + 1);
      results = results.map((prefix) => prefix + text);
      i = close + 1;
    } else if (char === '{') {
      const close = pattern.indexOf('}', i + 1);
      if (close === -1) throw new GlobError(`"${glob}": \`{\` without a closing \`}\``);
      const inner = pattern.slice(i + 1, close);
      if (inner.includes('{')) throw new GlobError(`"${glob}": nested \`{\` is not supported`);
      const options = inner.split(',');
      results = results.flatMap((prefix) => options.map((option) => prefix + option));
      if (results.length > MAX_ALTERNATIVES) throw new GlobError(`"${glob}": more than ${MAX_ALTERNATIVES} brace combinations`);
      i = close + 1;
    } else {
      results = results.map((prefix) => prefix + char);
      i += 1;
    }
  }
  return results;
}

function parseSegment(glob: string, text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '*') {
      if (text[i + 1] === '*') throw new GlobError(`"${glob}": \`**\` must stand alone between slashes (write \`dir/**/*.ts\`)`);
      tokens.push({ kind: 'star' });
      i += 1;
    } else if (char === '?') {
      tokens.push({ kind: 'any-char' });
      i += 1;
    } else if (char === '[') {
      const close = text.indexOf(']', i + 2);
      if (close === -1) throw new GlobError(`"${glob}": \`[\` without a closing \`]\``);
      let set = text.slice(i + 1, close);
      const negate = set.startsWith('!') || set.startsWith('^');
      if (negate) set = set.slice(1);
      const ranges: [string, string][] = [];
      for (let k = 0; k < set.length; k += 1) {
        const from = set[k] as string;
        if (set[k + 1] === '-' && k + 2 < set.length) {
          ranges.push([from, set[k + 2] as string]);
          k += 2;
        } else {
          ranges.push([from, from]);
        }
      }
      tokens.push({ kind: 'set', negate, ranges });
      i = close + 1;
    } else {
      tokens.push({ kind: 'char', char });
      i += 1;
    }
  }
  return tokens;
}

/** Compiles one glob (without a leading `!`); throws GlobError naming the glob when it is malformed. */
export function compileGlob(glob: string): CompiledGlob {
  const pattern = normalizePattern(glob);
  const alternatives = expandBraces(glob, pattern).map((expanded) => {
    const parts = expanded.split('/');
    return parts.map((part, index): Segment => {
      if (part === '**') return { kind: 'globstar', last: index === parts.length - 1 };
      return { kind: 'tokens', tokens: parseSegment(glob, part) };
    });
  });
  return { source: glob, alternatives };
}

function tokenMatches(token: Token, char: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.char === char;
    case 'any-char':
      return true;
    case 'star':
      return true;
    case 'set': {
      const inSet = token.ranges.some(([from, to]) => char >= from && char <= to);
      return token.negate ? !inSet : inSet;
    }
  }
}

/** One segment against one path segment: the iterative wildcard algorithm (back to the last `*` only). */
function segmentMatches(tokens: readonly Token[], text: string, meter: GlobMeter): boolean {
  let t = 0;
  let s = 0;
  let star = -1;
  let mark = 0;
  while (s < text.length) {
    meter.steps += 1;
    const token = tokens[t];
    if (token && token.kind === 'star') {
      star = t;
      mark = s;
      t += 1;
    } else if (token && tokenMatches(token, text[s] as string)) {
      t += 1;
      s += 1;
    } else if (star >= 0) {
      t = star + 1;
      mark += 1;
      s = mark;
    } else {
      return false;
    }
  }
  while (t < tokens.length && tokens[t]!.kind === 'star') t += 1;
  return t === tokens.length;
}

/** A path (split into segments) against one brace-free alternative: a table over (pattern segment, path segment). */
function alternativeMatches(segments: readonly Segment[], parts: readonly string[], meter: GlobMeter): boolean {
  // reach[j]: the pattern's first i segments can match the path's first j segments.
  let reach: boolean[] = new Array<boolean>(parts.length + 1).fill(false);
  reach[0] = true;
  for (const segment of segments) {
    const next: boolean[] = new Array<boolean>(parts.length + 1).fill(false);
    if (segment.kind === 'globstar') {
      // Any number of whole segments (a trailing `**` at least one, as `dir/**` names what is inside dir).
      let open = false;
      for (let j = 0; j <= parts.length; j += 1) {
        meter.steps += 1;
        if (open) next[j] = true;
        if (reach[j]) {
          if (!segment.last) next[j] = true;
          open = true;
        }
      }
    } else {
      for (let j = 0; j < parts.length; j += 1) {
        meter.steps += 1;
        if (reach[j] && segmentMatches(segment.tokens, parts[j] as string, meter)) next[j + 1] = true;
      }
    }
    reach = next;
    if (!reach.includes(true)) return false;
  }
  return reach[parts.length] === true;
}

/** True when the path matches the compiled glob. */
export function globMatches(glob: CompiledGlob, path: string, meter: GlobMeter = { steps: 0 }): boolean {
  const parts = path.split('/');
  return glob.alternatives.some((segments) => alternativeMatches(segments, parts, meter));
}

/** Checks a glob's syntax (the template schema calls it); throws GlobError when it is malformed. */
export function validateGlob(glob: string): void {
  compileGlob(glob);
}

export interface PathMatcher {
  (path: string): boolean;
}

/** A matcher for a list of globs: a path matches when the last pattern that decides it is not a `!` pattern. */
export function compileGlobs(globs: readonly string[], meter: GlobMeter = { steps: 0 }): PathMatcher {
  const rules = globs.map((glob) => {
    const negate = glob.trim().startsWith('!');
    return { negate, glob: compileGlob(negate ? glob.trim().slice(1) : glob) };
  });
  return (path: string) => {
    const normalized = path.replace(/^\.?\//, '');
    let matched = false;
    for (const rule of rules) {
      if (globMatches(rule.glob, normalized, meter)) matched = !rule.negate;
    }
    return matched;
  };
}

/** True when any of the paths matches the globs. */
export function anyPathMatches(globs: readonly string[], paths: readonly string[]): boolean {
  const matcher = compileGlobs(globs);
  return paths.some((path) => matcher(path));
}
