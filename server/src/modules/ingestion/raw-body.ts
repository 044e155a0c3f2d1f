/**
 * Raw request bodies for signed machine routes: the HMAC-SM3 signature covers the exact bytes, so routes registered in
 * a scope prepared by `useRawBody` receive `request.body` as a Buffer whatever the content type (JSON, NDJSON, CSV in
 * UTF-8 or GBK …) and parse it themselves.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/server.js';
import { AppError } from '../../platform/errors.js';
import type { SignedRequestParts } from './ingestion.types.js';

/** 413 Payload Too Large: the platform's error handler answers with `status`, so this subclass carries its own. */
export class BodyTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super('validation', 'ingest.body_too_large', `The request body is larger than ${limitBytes} bytes`, { limitBytes });
  }

  override get status(): number {
    return 413;
  }
}

/** The parts of a Fastify instance (App or a plugin scope of it) that useRawBody needs. */
export type RawBodyScope = Pick<FastifyInstance, 'removeAllContentTypeParsers' | 'addContentTypeParser' | 'setErrorHandler'>;

/**
 * Makes every route of the encapsulated `scope` (call it inside `app.register(async (scope) => …)`) receive the body as
 * a Buffer, for every content type, refusing bodies over `bodyLimit` bytes with 413 `ingest.body_too_large`. Other
 * errors go on to the platform's error handler unchanged.
 */
export function useRawBody(target: RawBodyScope | App, opts: { bodyLimit: number }): void {
  const scope = target as RawBodyScope;
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_request, body, done) => done(null, body));
  scope.setErrorHandler((error) => {
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new BodyTooLargeError(opts.bodyLimit);
    throw error;
  });
}

/** The body of a route in a `useRawBody` scope: the bytes received, or an empty buffer for a request without one. */
export function rawBodyOf(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** What `ProviderRequestVerifier.verify` needs from a request of a `useRawBody` scope. */
export function signedRequestParts(request: FastifyRequest): SignedRequestParts {
  return { method: request.method, url: request.url, headers: request.headers, rawBody: rawBodyOf(request), ip: request.ip ?? null };
}
