import { z } from 'zod';

export const formatQuerySchema = z.strictObject({ format: z.enum(['pdf', 'xlsx']).default('pdf') });
export const idParamsSchema = z.strictObject({ id: z.uuid() });

export const signingKeySchema = z
  .object({
    algorithm: z.literal('SM2'),
    hash: z.literal('SM3'),
    distinguishingId: z.string(),
    publicKey: z.string().describe('Uncompressed public key 04 || x || y, hex'),
    publicKeyPem: z.string().describe('SubjectPublicKeyInfo PEM (for openssl)'),
    fingerprint: z.string().describe('SM3 of the 65-byte public key, hex'),
    signer: z.string(),
    createdAt: z.string(),
    retiredKeys: z.array(z.object({ publicKey: z.string(), fingerprint: z.string(), createdAt: z.string(), retiredAt: z.string() })),
  })
  .meta({ id: 'DocumentSigningKey' });

export const verifyReportSchema = z
  .object({
    valid: z.boolean(),
    reason: z.string().nullable(),
    format: z.enum(['pdf', 'xlsx']).nullable(),
    signer: z.string().nullable(),
    issuedBy: z.string().nullable(),
    signedAt: z.string().nullable(),
    keyFingerprint: z.string().nullable(),
    docType: z.string().nullable(),
    title: z.string().nullable(),
  })
  .meta({ id: 'DocumentVerifyReport' });
