import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpServer, type App } from './server.js';
import { createLogger } from '../logger.js';
import { anonymousContext } from '../context.js';

describe('request validation errors', () => {
  let app: App;
  beforeAll(async () => {
    const anonymous = (r: { id: string }) => anonymousContext(r.id, null, null);
    app = await createHttpServer({ logger: createLogger('silent'), trustProxy: false, authenticate: async (r) => anonymous(r), anonymous });
    app.post(
      '/api/probe',
      { config: { public: true }, schema: { body: z.strictObject({ name: z.string().max(5), nested: z.strictObject({ count: z.number().int() }).optional() }) } },
      async () => ({ ok: true }),
    );
    await app.ready();
  });
  afterAll(async () => app.close());

  it('names the field and the rule of each issue', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/probe', payload: { name: 'toolong', nested: { count: '10' } } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation.failed');
    const fields = body.details.issues.map((i: { field: string; rule: string }) => `${i.field}:${i.rule}`).sort();
    expect(fields).toEqual(['body.name:too_big', 'body.nested.count:invalid_type']);
  });

  it('reports unknown fields by name', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/probe', payload: { name: 'ok', evil: 1, nested: { count: 1, x: 2 } } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().details.issues.map((i: { field: string; rule: string }) => `${i.field}:${i.rule}`).sort();
    expect(fields).toEqual(['body.evil:unknown_field', 'body.nested.x:unknown_field']);
  });

  it('answers malformed JSON with a validation error, not a 500', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/probe', headers: { 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation.malformed_json');
  });
});
