import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../platform/http/server.js';
import { AppError } from '../../platform/errors.js';
import type { EstimatesService } from '../estimates/index.js';
import type { ContractsService } from '../contracts/index.js';
import { contractDocument } from './documents.contract.js';
import { billDocument, type BillSource } from './documents.bill.js';
import { estimateDocument } from './documents.estimate.js';
import { formatQuerySchema, idParamsSchema, signingKeySchema, verifyReportSchema } from './documents.schemas.js';
import type { DocumentsService, RenderedDocument } from './documents.service.js';
import { beijingDateTime } from '../../platform/time.js';

const tags = ['documents'];
export const VERIFY_BODY_LIMIT = 50 * 1024 * 1024;

/** Beijing time `YYYY-MM-DD HH:mm:ss`. */
export function shanghaiNow(now = new Date()): string {
  return beijingDateTime(now);
}

/** Sends a signed document as a download (file name in UTF-8 as RFC 6266 asks, ASCII fallback). */
export function sendDocument(reply: FastifyReply, doc: RenderedDocument): FastifyReply {
  const ext = doc.filename.slice(doc.filename.lastIndexOf('.'));
  return reply
    .header('content-type', doc.contentType)
    .header('content-disposition', `attachment; filename="document${ext}"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`)
    .header('cache-control', 'no-store')
    .send(doc.data);
}

export async function registerDocumentRoutes(app: App, service: DocumentsService, deps: { estimates: EstimatesService; contracts: ContractsService; bills?: BillSource }): Promise<void> {
  app.get(
    '/api/documents/signing-key',
    {
      config: { public: true },
      schema: { tags, summary: "The platform's SM2 public key that signs exported documents, with its SM3 fingerprint (and earlier, retired keys)", response: { 200: signingKeySchema } },
    },
    async () => service.signingKey(),
  );
  app.get(
    '/api/documents/estimates/:id',
    {
      config: { permission: 'estimate:read' },
      schema: { tags, summary: 'An estimate (预算测算) as a signed PDF or .xlsx', params: idParamsSchema, querystring: formatQuerySchema, produces: ['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
    },
    async (request, reply) => {
      const detail = await deps.estimates.get(request.ctx, request.params.id);
      return sendDocument(reply, await service.render(request.ctx, estimateDocument(detail), request.query.format, { filenameStem: `预算测算-${detail.title}`, targetId: detail.id }));
    },
  );

  app.get(
    '/api/documents/contracts/:id',
    {
      config: { permission: 'contract:read' },
      schema: { tags, summary: 'A contract summary and payment schedule (合同概要及付款计划) as a signed PDF or .xlsx', params: idParamsSchema, querystring: formatQuerySchema, produces: ['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
    },
    async (request, reply) => {
      const contract = await deps.contracts.getContract(request.ctx, request.params.id);
      const model = contractDocument(contract, shanghaiNow());
      return sendDocument(reply, await service.render(request.ctx, model, request.query.format, { filenameStem: `合同概要-${contract.contractNo}`, targetId: contract.id }));
    },
  );

  const bills = deps.bills;
  if (bills) {
    app.get(
      '/api/documents/bills/:id',
      {
        config: { permission: 'billing:read' },
        schema: { tags, summary: 'A monthly bill (月度账单) as a signed PDF or .xlsx: lines, 合计, 大写金额', params: idParamsSchema, querystring: formatQuerySchema, produces: ['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
      },
      async (request, reply) => {
        const bill = await bills.get(request.ctx, request.params.id);
        return sendDocument(reply, await service.render(request.ctx, billDocument(bill), request.query.format, { filenameStem: `账单-${bill.month}-${bill.unit.name}-${bill.provider.name}`, targetId: request.params.id }));
      },
    );
  }

  // Verification takes the file's bytes as the request body (any content type, e.g. application/pdf).
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: VERIFY_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/documents/verify',
      {
        bodyLimit: VERIFY_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Verify the SM2 signature of an exported PDF or .xlsx (the file as the request body)',
          description: 'Answers 200 with valid true/false, signer, time and key fingerprint; any altered byte makes it invalid.',
          response: { 200: verifyReportSchema },
        },
      },
      async (request) => {
        const body = Buffer.isBuffer(request.body) ? request.body : null;
        if (!body || body.length === 0) throw new AppError('validation', 'documents.file_missing', 'Send the signed file as the request body', [{ field: 'body', rule: 'required', message: 'the file is missing' }]);
        return service.verify(body);
      },
    );
  });
}
