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

export class GlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlobError';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Compiles one glob (without a leading `!`) into an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let pattern = glob.trim();
  if (pattern === '') throw new GlobError('empty path pattern');
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  else if (!pattern.includes('/')) pattern = `**/${pattern}`;
  if (pattern.endsWith('/')) pattern = `${pattern}**`;

  let out = '';
  let i = 0;
  let inBraces = false;
  while (i < pattern.length) {
    const char = pattern[i] as string;
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        const atStart = i === 0 || pattern[i - 1] === '/';
        const atEnd = i + 2 === pattern.length || pattern[i + 2] === '/';
        if (!atStart || !atEnd) throw new GlobError(`"${glob}": \`**\` must stand alone between slashes (write \`dir/**/*.ts\`)`);
        if (i + 2 === pattern.length) {
          out += '.*';
          i += 2;
        } else {
          out += '(?:[^/]+/)*';
          i += 3; // the slash after ** is part of the repetition
        }
      } else {
        out += '[^/]*';
        i += 1;
      }
    } else if (char === '?') {
      out += '[^/]';
      i += 1;
    } else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) throw new GlobError(`"${glob}": \`[\` without a closing \`]\``);
      let set = pattern.slice(i + 1, close);
      const negate = set.startsWith('!') || set.startsWith('^');
      if (negate) set = set.slice(1);
      out += `[${negate ? '^/' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close + 1;
    } else if (char === '{') {
      if (inBraces) throw new GlobError(`"${glob}": nested \`{\` is not supported`);
      inBraces = true;
      out += '(?:';
      i += 1;
    } else if (char === '}' && inBraces) {
      inBraces = false;
      out += ')';
      i += 1;
    } else if (char === ',' && inBraces) {
      out += '|';
      i += 1;
    } else {
      out += escapeRegExp(char);
      i += 1;
    }
  }
  if (inBraces) throw new GlobError(`"${glob}": \`{\` without a closing \`}\``);
  return new RegExp(`^${out}$`);
}

export interface PathMatcher {
  (path: string): boolean;
}

/** A matcher for a list of globs: a path matches when the last pattern that decides it is not a `!` pattern. */
export function compileGlobs(globs: readonly string[]): PathMatcher {
  const rules = globs.map((glob) => {
    const negate = glob.trim().startsWith('!');
    return { negate, regexp: globToRegExp(negate ? glob.trim().slice(1) : glob) };
  });
  return (path: string) => {
    const normalized = path.replace(/^\.?\//, '');
    let matched = false;
    for (const rule of rules) {
      if (rule.regexp.test(normalized)) matched = !rule.negate;
    }
    return matched;
  };
}

/** True when any of the paths matches the globs. */
export function anyPathMatches(globs: readonly string[], paths: readonly string[]): boolean {
  const matcher = compileGlobs(globs);
  return paths.some((path) => matcher(path));
}
