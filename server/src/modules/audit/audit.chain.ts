import { sm3Hex } from '../../platform/crypto/index.js';

/** The genesis value the first audit record chains from. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorUsername: string;
  actorOrgId: string | null;
  actorKind: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  before: unknown;
  after: unknown;
  details: unknown;
  sourceIp: string | null;
  requestId: string | null;
}

/** JSON with object keys sorted at every level, so a record hashes the same before insert and after reading back jsonb. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** hash = SM3(prev_hash || canonical(record)): changing, removing or reordering any record breaks every later link. */
export function chainHash(prevHash: string, record: ChainedFields): string {
  return sm3Hex(prevHash + canonicalJson({ ...record, seq: String(record.seq), occurredAt: record.occurredAt.toISOString() }));
}
