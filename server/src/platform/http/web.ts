import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { App } from './server.js';

/** Serves the built web UI (web/dist) with a single-page-app fallback to index.html. */
export async function registerWebAssets(app: App, webDir: string): Promise<void> {
  const root = path.resolve(webDir);
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) {
    app.log.warn({ webDir }, 'web UI is not built; run `npm run build` (the API still works)');
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('Zhengyun API is running; the web UI is not built (npm run build).'),
    );
    return;
  }
  // The UI loads only its own scripts; Ant Design injects <style> elements, hence 'unsafe-inline' for styles only.
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/api/')) {
      reply.header(
        'content-security-policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
      );
    }
  });
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'], maxAge: '1h' });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/')) {
      return reply.status(404).send({ code: 'http.route_not_found', message: `No route ${request.method} ${url}`, details: null, requestId: request.id });
    }
    // A file built after start-up (a rebuilt web UI has new hashed names) is served from disk; anything else is a page.
    const relative = builtFile(root, url);
    if (relative) return reply.sendFile(relative);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}

/** The path of an existing file under `root` that `url` names, or null (also for ../ escapes and malformed escapes). */
function builtFile(root: string, url: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    return null;
  }
  const relative = path.normalize(decoded).replace(/^[/\\]+/, '');
  const file = path.join(root, relative);
  if (relative === '' || !file.startsWith(root + path.sep)) return null;
  return fs.existsSync(file) && fs.statSync(file).isFile() ? relative : null;
}
