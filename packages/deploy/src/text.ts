// Errors as one log-safe text: AWS messages can carry anything (control characters, runner commands).
import { logSafe } from '../../core/src/log-safe.js';

/** Error names that add nothing in front of their message. */
const PLAIN = new Set(['Error', 'LambdaDeployError', 'AccessDeniedError']);

/** The error's message, prefixed with its name when the name says more (`ThrottlingException: Rate exceeded`). */
export function errorText(error: unknown, max = 4000): string {
  const e = error as { name?: string; message?: string };
  const text = e?.message ? (e.name && !e.message.startsWith(e.name) && !PLAIN.has(e.name) ? `${e.name}: ${e.message}` : e.message) : String(error);
  return logSafe(text, max);
}

/** The error's message alone, log-safe. */
export function messageText(error: unknown, max = 4000): string {
  const e = error as { message?: string };
  return logSafe(e?.message ?? String(error), max);
}
