import { sm3Hex } from '../../platform/crypto/sm.js';
import type { FieldIssue } from '../../platform/errors.js';

/** Evidence files of objections, rectification replies and assessments: stored in the row with their SM3 hash. */
export const EVIDENCE_TYPES: Record<string, string> = {
  pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', txt: 'text/plain; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', zip: 'application/zip',
};
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

export interface EvidenceInput { fileName: string; contentBase64: string }
export interface EvidenceFile { name: string; type: string; bytes: Buffer; sm3: string }

/** Checks an uploaded evidence file (type by extension, base64, 1 byte … 5 MB); problems go to `issues`. */
export function parseEvidence(input: EvidenceInput | null | undefined, field: string, issues: FieldIssue[]): EvidenceFile | null {
  if (!input) return null;
  const ext = input.fileName.includes('.') ? (input.fileName.split('.').pop()?.toLowerCase() ?? '') : '';
  const type = EVIDENCE_TYPES[ext];
  if (!type) issues.push({ field: `${field}.fileName`, rule: 'allowed_type', message: `allowed: ${Object.keys(EVIDENCE_TYPES).join(', ')}`, value: input.fileName });
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.contentBase64) || input.contentBase64.length % 4 !== 0) {
    issues.push({ field: `${field}.contentBase64`, rule: 'base64', message: 'the file content is base64' });
    return null;
  }
  const bytes = Buffer.from(input.contentBase64, 'base64');
  if (bytes.length === 0) issues.push({ field: `${field}.contentBase64`, rule: 'not_empty', message: 'the file is empty' });
  else if (bytes.length > EVIDENCE_MAX_BYTES) issues.push({ field: `${field}.contentBase64`, rule: 'max_size', message: '≤ 5 MB', value: bytes.length });
  else if (type) return { name: input.fileName, type, bytes, sm3: sm3Hex(bytes) };
  return null;
}

/** Column values of an evidence file (all null without one). */
export const evidenceColumns = (f: EvidenceFile | null) => ({
  evidenceName: f?.name ?? null, evidenceType: f?.type ?? null, evidenceSize: f?.bytes.length ?? null, evidenceSm3: f?.sm3 ?? null, evidence: f?.bytes ?? null,
});
