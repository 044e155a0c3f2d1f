import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, type App } from './server.js';
import { registerWebAssets } from './web.js';
import { createLogger } from '../logger.js';
import { anonymousContext } from '../context.js';

describe('web assets', () => {
  let app: App;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-web-'));
  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>政云</title>');
    fs.writeFileSync(path.join(dir, 'assets', 'old-1.js'), 'old');
    const anonymous = (r: { id: string }) => anonymousContext(r.id, null, null);
    app = await createHttpServer({ logger: createLogger('silent'), trustProxy: false, authenticate: async (r) => anonymous(r), anonymous });
    await registerWebAssets(app, dir);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves files, and pages of the single-page app as index.html with a content security policy', async () => {
    expect((await app.inject({ url: '/assets/old-1.js' })).body).toBe('old');
    const page = await app.inject({ url: '/users/123' });
    expect(page.body).toContain('政云');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves a file built after start-up (a rebuilt UI) without a restart', async () => {
    fs.writeFileSync(path.join(dir, 'assets', 'new-2.js'), 'new');
    expect((await app.inject({ url: '/assets/new-2.js' })).body).toBe('new');
  });

  it('never serves outside its folder; a malformed escape is a bad request, not a crash', async () => {
    const escape = await app.inject({ url: '/..%2f..%2fetc%2fpasswd' });
    expect(escape.body).toContain('政云');
    const malformed = await app.inject({ url: '/%E0%A4%A' });
    expect(malformed.statusCode).toBe(400);
    expect((await app.inject({ url: '/api/nope' })).statusCode).toBe(404);
  });
});
