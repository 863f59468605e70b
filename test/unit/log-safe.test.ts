import { describe, expect, it } from '@jest/globals';
import { LOG_SAFE_MAX, logSafe } from '../../packages/core/src/log-safe.js';

describe('logSafe', () => {
  it('keeps ordinary text as it is', () => {
    expect(logSafe('Threshold Crossed: 3 datapoints [2.0 (01/12/26 10:00:00)] were greater than 1.0')).toBe(
      'Threshold Crossed: 3 datapoints [2.0 (01/12/26 10:00:00)] were greater than 1.0',
    );
  });

  it('puts text that tries to start runner commands on one line with no command in it', () => {
    const forged = 'x\n::error title=Bake passed::forged\r\n::stop-commands::tok\u2028::add-mask::us-east-1';
    const safe = logSafe(forged);
    expect(safe).not.toMatch(/[\n\r\u2028]/);
    expect(safe).not.toContain('::');
    expect(safe).toBe('x : :error title=Bake passed: :forged : :stop-commands: :tok : :add-mask: :us-east-1');
  });

  it('replaces C1 controls and DEL too', () => {
    expect(logSafe('a\u0085b\u007fc\u009bd')).toBe('a b c d');
  });

  it('cuts long text and marks the cut', () => {
    const safe = logSafe('a'.repeat(LOG_SAFE_MAX + 50));
    expect(safe).toHaveLength(LOG_SAFE_MAX);
    expect(safe.endsWith('…')).toBe(true);
    expect(logSafe('abcdef', 4)).toBe('abc…');
  });

  it('prints nothing for null and undefined', () => {
    expect(logSafe(null)).toBe('');
    expect(logSafe(undefined)).toBe('');
  });
});
