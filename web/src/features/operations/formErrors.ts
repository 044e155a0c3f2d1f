import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';

/**
 * Puts the API's per-field validation errors (`details.issues[].field`, e.g. `body.nodeId`) on the form's fields.
 * Returns whether any issue landed on a field of the form (otherwise the caller shows the message itself).
 */
export function applyFieldErrors(form: FormInstance, error: unknown, names: readonly string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  const issues = (error.details as { issues?: Array<{ field: string; message: string; rule?: string }> } | null)?.issues ?? [];
  const byField = new Map<string, string[]>();
  for (const i of issues) {
    const name = i.field.replace(/^(body|query|params)\./, '').split(/[.[]/)[0]!;
    if (!names.includes(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), error.code === 'validation.failed' ? i.message : error.message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return byField.size > 0;
}

/** The documents or checklist items an API refusal names (`details.missing`). */
export function missingOf(error: unknown): Array<{ key: string; label: string }> {
  if (!(error instanceof ApiError)) return [];
  return (error.details as { missing?: Array<{ key: string; label: string }> } | null)?.missing ?? [];
}

/** Reads a browser File as base64 (no data-URL prefix). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}
