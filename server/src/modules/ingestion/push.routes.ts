/**
 * The push API of the standard data interface: `POST /api/ingest/v1/{table}?node=<cloud node code>&mode=partial|atomic`.
 * No session: the request is signed with the provider's ingestion credential (HMAC-SM3, signature.ts). The body (JSON
 * array, NDJSON or CSV, UTF-8 or GBK, ≤ 8 MiB, ≤ 10,000 records) is validated record by record and stored with COPY.
 * docs/data-interface.md is the protocol for providers' engineers.
 */
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../platform/http/server.js';
import { AppError } from '../../platform/errors.js';
import { sm3Hex } from '../../platform/crypto/index.js';
import type { ProviderRequestVerifier, VerifiedProvider } from './ingestion.types.js';
import { rawBodyOf, signedRequestParts, useRawBody } from './raw-body.js';
import { parseBody } from './parse.js';
import { compiledTable } from './validator.js';
import type { PushWriter } from './writer.js';

export const MAX_PUSH_BODY_BYTES = 8 * 1024 * 1024;

const recordErrorSchema = z.object({
  index: z.number().int(),
  field: z.string().nullable(),
  value: z.string().nullable(),
  rule: z.string(),
  message: z.string(),
});

export const batchResultSchema = z
  .object({
    batchId: z.string(),
    table: z.string(),
    status: z.enum(['accepted', 'partial', 'rejected']),
    recordCount: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    errors: z.array(recordErrorSchema).describe('Per-record errors (the first 1,000)'),
    replayed: z.boolean().describe('True when a retried batch (same Idempotency-Key and body) is answered from the stored result'),
  })
  .meta({ id: 'IngestBatchResult' });

const paramsSchema = z.object({ table: z.string().min(1).max(60).describe('Interface table, e.g. cloudHostMonitoring') });
const querySchema = z.object({
  node: z.string().min(1).max(30).optional().describe('Code of the cloud node the data is about (one of the provider’s nodes)'),
  mode: z.enum(['partial', 'atomic']).optional().describe('partial (default): store the valid records; atomic: all or nothing'),
});

/** Resolves the node a provider pushes for (404 unknown node, 403 not the provider's / outside the credential). */
export interface NodeResolver {
  resolveNode(provider: VerifiedProvider, nodeCode: string | undefined): Promise<{ id: string; code: string }>;
}

export async function registerPushRoutes(app: App, deps: { writer: PushWriter; verifier: ProviderRequestVerifier & NodeResolver }): Promise<void> {
  await app.register(async (instance) => {
    const scope = instance.withTypeProvider<ZodTypeProvider>();
    useRawBody(scope, { bodyLimit: MAX_PUSH_BODY_BYTES });
    scope.post(
      '/api/ingest/v1/:table',
      {
        config: { public: true },
        // Hundreds of pushes a minute: every batch is recorded in ingest_batches (with its errors), so the access log
        // keeps warnings and errors only.
        logLevel: 'warn',
        bodyLimit: MAX_PUSH_BODY_BYTES,
        schema: {
          tags: ['ingest'],
          summary: 'Push records of an interface table (signed with an ingestion credential; JSON, NDJSON or CSV)',
          description:
            'Headers: Authorization: Bearer zyi_…, X-Zy-Timestamp, X-Zy-Nonce, X-Zy-Signature (HMAC-SM3), Content-Type application/json | application/x-ndjson | text/csv with charset utf-8 or gbk, optional Idempotency-Key. 200 accepted/partial, 422 rejected (nothing stored). See docs/data-interface.md.',
          params: paramsSchema,
          querystring: querySchema,
          security: [],
          response: { 200: batchResultSchema, 422: batchResultSchema },
        },
      },
      async (request, reply) => {
        const provider = await deps.verifier.verify(signedRequestParts(request));
        const compiled = compiledTable(request.params.table);
        if (compiled === undefined) {
          throw new AppError('not_found', 'ingest.unknown_table', `There is no interface table ${request.params.table}`, { table: request.params.table });
        }
        const node = await deps.verifier.resolveNode(provider, request.query.node);
        const rawKey = request.headers['idempotency-key'];
        let idempotencyKey: string | null = null;
        if (rawKey !== undefined) {
          if (typeof rawKey !== 'string' || rawKey.length < 1 || rawKey.length > 200) {
            throw new AppError('validation', 'ingest.idempotency_key_invalid', 'The Idempotency-Key header must be 1 to 200 characters', {
              issues: [{ field: 'headers.idempotency-key', rule: 'length', message: '1 to 200 characters' }],
            });
          }
          idempotencyKey = rawKey;
        }
        const body = rawBodyOf(request);
        const contentType = typeof request.headers['content-type'] === 'string' ? request.headers['content-type'] : undefined;
        const parsed = parseBody(body, contentType, compiled.table);
        if (parsed.records.length === 0) throw new AppError('validation', 'ingest.empty_batch', 'The batch holds no record', null);
        const result = await deps.writer.writeBatch({
          providerOrgId: provider.providerOrgId,
          nodeId: node.id,
          table: compiled.table.name,
          source: 'api',
          credentialId: provider.credentialId,
          idempotencyKey,
          // Only a keyed batch is ever compared with a retry; SM3 of a 200 KB body costs ~1 ms, the verifier already paid once.
          bodySm3: idempotencyKey === null ? null : sm3Hex(body),
          contentType: contentType ?? null,
          mode: request.query.mode ?? 'partial',
          records: parsed.records,
        });
        return reply.status(result.status === 'rejected' ? 422 : 200).send(result);
      },
    );
  });
}
