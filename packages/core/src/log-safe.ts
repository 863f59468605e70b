// Text that came from AWS or GitHub (alias descriptions, alarm StateReasons, record fields) must never
// reach a log line raw: the runner reads any line that starts with `::` as a workflow command, so a
// newline followed by `::stop-commands::` or `::error::` in someone else's text would forge annotations
// or switch off the step's own. One rule for every entry point: control characters become one space,
// every `::` becomes `: :` (visible to a reader, never a command, wherever the text lands in the line),
// and the text is cut to a length one log line can hold.

/** Longest piece of foreign text one log line carries; longer text is cut and marked with `…`. */
export const LOG_SAFE_MAX = 500;

/** Longest foreign text kept in one whole log line (a bake's verdict, an AWS message with its context). */
export const LOG_LINE_MAX = 4000;

/**
 * `text` as one harmless log fragment: no control characters (C0, DEL, C1, and the Unicode line and
 * paragraph separators), no `::` that the runner could read as a command, at most `max` characters.
 */
export function logSafe(text: unknown, max = LOG_SAFE_MAX): string {
  const raw = text === null || text === undefined ? '' : String(text);
  // eslint-disable-next-line no-control-regex
  const oneLine = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/::/g, ': :');
  return oneLine.length > max ? `${oneLine.slice(0, Math.max(0, max - 1))}…` : oneLine;
}
