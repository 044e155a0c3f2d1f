import { ApiError, download, request } from '../../api/client';

/** The platform's SM2 signing key as published by GET /api/documents/signing-key. */
export interface SigningKey {
  algorithm: 'SM2';
  hash: 'SM3';
  distinguishingId: string;
  publicKey: string;
  publicKeyPem: string;
  fingerprint: string;
  signer: string;
  createdAt: string;
  retiredKeys: Array<{ publicKey: string; fingerprint: string; createdAt: string; retiredAt: string }>;
}

/** Result of POST /api/documents/verify. */
export interface VerifyReport {
  valid: boolean;
  reason: string | null;
  format: 'pdf' | 'xlsx' | null;
  signer: string | null;
  issuedBy: string | null;
  signedAt: string | null;
  keyFingerprint: string | null;
  docType: string | null;
  title: string | null;
}

export type SignedKind = 'bills' | 'contracts' | 'estimates';
export type SignedFormat = 'pdf' | 'xlsx';

export const documentKeys = {
  all: ['documents'] as const,
  signingKey: () => [...documentKeys.all, 'signing-key'] as const,
};

export const documentsApi = {
  signingKey: () => request<SigningKey>('GET', '/api/documents/signing-key'),
  /** Sends the file's bytes as the request body. */
  async verify(file: Blob): Promise<VerifyReport> {
    const response = await fetch('/api/documents/verify', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-Requested-With': 'zhengyun', 'Content-Type': 'application/octet-stream' },
      body: file,
    });
    if (!response.ok) throw new ApiError(response.status, (await response.json().catch(() => undefined)) as never);
    return (await response.json()) as VerifyReport;
  },
  /** Downloads a signed export (bill, contract summary, estimate) as PDF or .xlsx. */
  downloadSigned: (kind: SignedKind, id: string, format: SignedFormat) => download(`/api/documents/${kind}/${id}?format=${format}`, `document.${format}`),
};
