// startMoto without a usable moto: one clear error with the install hint, and no server left behind.
import { describe, it, expect } from '@jest/globals';
import { MotoMissingError, startMoto } from '../../packages/local/src/moto.js';

describe('startMoto without moto', () => {
  it.each([
    ['a Python that does not exist', '/nonexistent/python3', /spawn \/nonexistent\/python3 ENOENT/],
    ['a program that is not Python', '/usr/bin/false', /import failed/],
  ])('%s: MotoMissingError naming it and how to install moto', async (_what, python, detail) => {
    const started = startMoto({ python, timeoutMs: 10_000 });
    await expect(started).rejects.toBeInstanceOf(MotoMissingError);
    await expect(started).rejects.toThrow(detail);
    await expect(started).rejects.toThrow(`install it with \`${python} -m pip install 'moto[server]'\``);
  });
});
