/**
 * Signed documents (签名文档): a document model rendered as .xlsx (merged Chinese headers, totals, 大写金额) and as PDF
 * (embedded Noto Sans SC subset), both signed with the platform's SM2 key; verification by API and by
 * `zhengyun verify-signature`. Other modules build a DocumentModel and call DocumentsService.render, then sendDocument.
 */
export { DocumentsService, DEFAULT_SIGNER, CONTENT_TYPES, formatVerifyReport, toReport, type RenderedDocument, type SigningKeyInfo, type VerifyReport } from './documents.service.js';
export { registerDocumentRoutes, sendDocument } from './documents.routes.js';
export { headerLayout, formatCell, type CellValue, type ColumnKind, type DocumentColumn, type DocumentModel } from './documents.model.js';
export { buildXlsx } from './documents.xlsx.js';
export { buildPdf } from './documents.pdf.js';
export { verifySignedDocument, publicKeyFingerprint, publicKeyPem, SM2_DISTINGUISHING_ID, type SignedFormat } from './documents.signature.js';
export { verifySignatureFile, parsePublicKey, platformKeys as platformSigningKeys } from './documents.cli.js';
