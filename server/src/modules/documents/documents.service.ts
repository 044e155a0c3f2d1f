import { sql } from 'kysely';
import { withTx, type Db } from '../../platform/db/database.js';
import { recordAudit } from '../audit/index.js';
import { sm3Hex, type FieldCipher } from '../../platform/crypto/index.js';
import type { RequestContext } from '../../platform/context.js';
import { buildPdf } from './documents.pdf.js';
import { buildXlsx } from './documents.xlsx.js';
import type { DocumentModel } from './documents.model.js';
import {
  SM2_DISTINGUISHING_ID,
  detectFormat,
  generateSigningKey,
  publicKeyFingerprint,
  publicKeyPem,
  signDocument,
  verifySignedDocument,
  type SignedFormat,
  type SigningKey,
} from './documents.signature.js';

export const DEFAULT_SIGNER = '政云平台';

export interface SigningKeyInfo {
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

export interface VerifyReport {
  valid: boolean;
  /** Why the document is INVALID (null when valid). */
  reason: string | null;
  format: SignedFormat | null;
  signer: string | null;
  issuedBy: string | null;
  signedAt: string | null;
  keyFingerprint: string | null;
  docType: string | null;
  title: string | null;
}

export interface RenderedDocument {
  data: Buffer;
  contentType: string;
  /** File name without directory, e.g. `账单-2026-10.pdf`. */
  filename: string;
}

/** A row of document_signing_keys (the database's CamelCasePlugin turns column names into camelCase). */
interface KeyRow {
  id: string;
  publicKey: string;
  fingerprint: string;
  privateKeyEnc: string;
  signerName: string;
  createdAt: Date;
  retiredAt: Date | null;
}

export const CONTENT_TYPES: Record<SignedFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Renders documents (.xlsx, PDF) and signs them with the platform's SM2 key; verifies signed files.
 * The key pair is generated on first use and kept in document_signing_keys, the private key encrypted with SM4.
 */
export class DocumentsService {
  private active: Promise<SigningKey & { signer: string }> | null = null;

  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
    private readonly signerName = DEFAULT_SIGNER,
  ) {}

  private async loadActive(): Promise<SigningKey & { signer: string }> {
    let row = await this.activeRow();
    if (!row) {
      const key = generateSigningKey();
      // Two processes may race on first use: the unique index on the active key lets exactly one insert win.
      await sql`insert into document_signing_keys (public_key, fingerprint, private_key_enc, signer_name)
        values (${key.publicKey}, ${publicKeyFingerprint(key.publicKey)}, ${this.cipher.encrypt(key.privateKey)}, ${this.signerName})
        on conflict ((true)) where retired_at is null do nothing`.execute(this.db);
      row = await this.activeRow();
      if (!row) throw new Error('no active document signing key after creating one');
    }
    return { publicKey: row.publicKey, privateKey: this.cipher.decrypt(row.privateKeyEnc), signer: row.signerName };
  }

  private async activeRow(): Promise<KeyRow | undefined> {
    const r = await sql<KeyRow>`select * from document_signing_keys where retired_at is null`.execute(this.db);
    return r.rows[0];
  }

  /** The active signing key (created on first use). */
  private activeKey(): Promise<SigningKey & { signer: string }> {
    if (!this.active) {
      this.active = this.loadActive();
      this.active.catch(() => (this.active = null));
    }
    return this.active;
  }

  /** Public keys the platform has signed with (active and retired): a signature by any of them is the platform's. */
  async trustedKeys(): Promise<string[]> {
    const r = await sql<{ publicKey: string }>`select public_key from document_signing_keys`.execute(this.db);
    return r.rows.map((x) => x.publicKey);
  }

  async signingKey(): Promise<SigningKeyInfo> {
    const key = await this.activeKey();
    const rows = (await sql<KeyRow>`select * from document_signing_keys order by created_at`.execute(this.db)).rows;
    const active = rows.find((r) => r.publicKey === key.publicKey)!;
    return {
      algorithm: 'SM2',
      hash: 'SM3',
      distinguishingId: SM2_DISTINGUISHING_ID,
      publicKey: key.publicKey,
      publicKeyPem: publicKeyPem(key.publicKey),
      fingerprint: publicKeyFingerprint(key.publicKey),
      signer: key.signer,
      createdAt: active.createdAt.toISOString(),
      retiredKeys: rows
        .filter((r) => r.retiredAt)
        .map((r) => ({ publicKey: r.publicKey, fingerprint: r.fingerprint, createdAt: r.createdAt.toISOString(), retiredAt: r.retiredAt!.toISOString() })),
    };
  }

  /**
   * Signs an unsigned PDF or .xlsx produced by the builders and records the export in the audit log
   * (`documents.sign`: kind, object id, format, title, signing time, key fingerprint and the SM3 of the signed file).
   */
  async sign(ctx: RequestContext, unsigned: Buffer, meta: { docType: string; title: string; targetId?: string | null }): Promise<Buffer> {
    const format = detectFormat(unsigned);
    if (!format) throw new RangeError('only PDF and .xlsx documents can be signed');
    const key = await this.activeKey();
    const signedAt = new Date().toISOString();
    const signed = signDocument(unsigned, format, key, {
      signer: key.signer,
      issuedBy: ctx.actor.kind === 'system' ? null : ctx.actor.username,
      signedAt,
      docType: meta.docType,
      title: meta.title,
    });
    await withTx(this.db, ctx, (trx) =>
      recordAudit(trx, ctx, {
        action: 'documents.sign',
        targetType: meta.docType,
        targetId: meta.targetId ?? null,
        details: { format, title: meta.title.slice(0, 200), signedAt, keyFingerprint: publicKeyFingerprint(key.publicKey), sm3: sm3Hex(signed), bytes: signed.length },
      }),
    );
    return signed;
  }

  /** Renders a document model as a signed PDF or .xlsx. */
  async render(ctx: RequestContext, model: DocumentModel, format: SignedFormat, opts: { filenameStem?: string; targetId?: string | null } = {}): Promise<RenderedDocument> {
    const key = await this.activeKey();
    const footerNote = `本文件带有${key.signer}的 SM2 数字签名（密钥指纹 ${publicKeyFingerprint(key.publicKey).slice(0, 16)}…），可在平台“签名验证”或用 zhengyun verify-signature 验证。`;
    const unsigned = format === 'pdf' ? await buildPdf(model, { footerNote }) : await buildXlsx(model, { footerNote });
    const data = await this.sign(ctx, unsigned, { docType: model.docType, title: model.title, targetId: opts.targetId });
    const filenameStem = opts.filenameStem ?? model.title;
    const stem = filenameStem.replace(/[\\/:*?"<>|\r\n]+/g, ' ').trim().slice(0, 80) || 'document';
    return { data, contentType: CONTENT_TYPES[format], filename: `${stem}.${format}` };
  }

  /** Checks a signed file against the platform's keys. */
  async verify(data: Buffer): Promise<VerifyReport> {
    return toReport(verifySignedDocument(data, await this.trustedKeys()));
  }
}

export function toReport(outcome: ReturnType<typeof verifySignedDocument>): VerifyReport {
  const a = outcome.attributes;
  return {
    valid: outcome.valid,
    reason: outcome.reason,
    format: outcome.format,
    signer: a?.signer ?? null,
    issuedBy: a?.issuedBy ?? null,
    signedAt: a?.signedAt ?? null,
    keyFingerprint: a?.keyFingerprint ?? null,
    docType: a?.docType ?? null,
    title: a?.title ?? null,
  };
}

/** Lines of the verification printed by `zhengyun verify-signature`. */
export function formatVerifyReport(file: string, r: VerifyReport): string {
  const lines = [
    `File:        ${file}${r.format ? ` (${r.format.toUpperCase()})` : ''}`,
    `Title:       ${r.title ?? '–'}`,
    `Signer:      ${r.signer ?? '–'}${r.issuedBy ? ` (exported by ${r.issuedBy})` : ''}`,
    `Signed at:   ${r.signedAt ?? '–'}`,
    `Key (SM3):   ${r.keyFingerprint ?? '–'}`,
    `Signature:   ${r.valid ? 'VALID' : 'INVALID'}${r.reason ? ` — ${r.reason}` : ''}`,
  ];
  return lines.join('\n');
}
