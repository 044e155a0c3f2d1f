/**
 * Signed machine requests (HMAC-SM3, GB/T 39786) of the data interface. A provider's ingestion credential (接入凭证) is a
 * bearer token that names it plus a signing secret that never travels; every request carries
 *
 *   Authorization:   Bearer zyi_…
 *   X-Zy-Timestamp:  Unix time in seconds
 *   X-Zy-Nonce:      16–64 characters [A-Za-z0-9_-], never reused by the credential within the skew window
 *   X-Zy-Signature:  hex HMAC-SM3(signing secret, canonical request)
 *
 * canonical request = METHOD "\n" path-with-query "\n" timestamp "\n" nonce "\n" hex SM3(body bytes)
 *
 * Pure functions: the server verifies with them, and the simulator, the benchmark and the tests sign with them.
 */
import { hmacSm3Hex, sm3Hex } from '../../platform/crypto/index.js';

export const SIGNATURE_HEADERS = {
  timestamp: 'x-zy-timestamp',
  nonce: 'x-zy-nonce',
  signature: 'x-zy-signature',
} as const;

/** Requests whose timestamp is further than this from the server's clock are refused (clock skew / replay). */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export interface SignableRequest {
  method: string;
  /** Path and query exactly as sent, e.g. `/api/ingest/v1/cloudHostMonitoring?node=FWY-LLQ`. */
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  body: Buffer | string;
}

export function canonicalRequest(req: SignableRequest): string {
  return [req.method.toUpperCase(), req.pathWithQuery, req.timestamp, req.nonce, sm3Hex(req.body)].join('\n');
}

export function signRequest(signingSecret: string, req: SignableRequest): string {
  return hmacSm3Hex(signingSecret, canonicalRequest(req));
}

/** The headers a client adds to a request it sends with the given credential. */
export function signedHeaders(
  credential: { token: string; signingSecret: string },
  req: Omit<SignableRequest, 'timestamp' | 'nonce'> & { timestamp?: string; nonce?: string },
): Record<string, string> {
  const timestamp = req.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = req.nonce ?? randomNonce();
  const signature = signRequest(credential.signingSecret, { ...req, timestamp, nonce });
  return {
    authorization: `Bearer ${credential.token}`,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: signature,
  };
}

let nonceCounter = 0;
function randomNonce(): string {
  nonceCounter = (nonceCounter + 1) % 1_000_000_000;
  return `${Date.now().toString(36)}${process.pid.toString(36)}${nonceCounter.toString(36)}${Math.random().toString(36).slice(2, 10)}`.padEnd(16, '0').slice(0, 64);
}
