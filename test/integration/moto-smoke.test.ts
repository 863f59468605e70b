import { describe, expect, it } from '@jest/globals';

describe('moto from the global setup', () => {
  it('answers on the endpoint handed to the workers', async () => {
    const endpoint = process.env.SAFE_DEPLOY_MOTO_ENDPOINT;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${endpoint}/moto-api/`);
    expect(response.status).toBe(200);
  });
});
