import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';

describe('HTTP platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('reports health of process and database', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    const body = res.json();
    expect(body.database.ok).toBe(true);
    expect(body.process.pid).toBe(process.pid);
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('answers unknown routes with the one error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing', headers: { 'x-request-id': 'req-12345678' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'http.route_not_found', message: 'No route GET /api/no-such-thing', details: null, requestId: 'req-12345678' });
  });

  it('serves the OpenAPI document publicly', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths['/api/health']).toBeDefined();
  });
});
