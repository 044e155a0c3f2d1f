import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';
import { errorText } from '../../i18n';

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
    byField.set(name, [...(byField.get(name) ?? []), error.code === 'validation.failed' ? i.message : errorText(error)]);
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

/** `body.shifts[2].endsAt` → ['shifts', 2, 'endsAt'] (the form's name path). */
export function fieldPath(field: string): Array<string | number> {
  return field
    .replace(/^(body|query|params)\./, '')
    .split(/\.|\[(\d+)\]/)
    .filter((x) => x !== undefined && x !== '')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

/**
 * Like applyFieldErrors, for forms with lists (Form.List): each issue goes to its full path (`body.certificates[0].name`
 * → certificates › 0 › name); an issue naming a whole list element (`body.shifts[1]`) goes to that element's `leaf`
 * field. `message` may reword an issue (e.g. in Chinese); by default the validation message, or the translated code.
 */
export function applyPathErrors(
  form: FormInstance,
  error: unknown,
  names: readonly string[],
  opts: { leaf?: string; message?: (issue: { field: string; message: string; rule?: string; value?: unknown }) => string | null } = {},
): boolean {
  if (!(error instanceof ApiError)) return false;
  const issues = (error.details as { issues?: Array<{ field: string; message: string; rule?: string; value?: unknown }> } | null)?.issues ?? [];
  const byPath = new Map<string, { name: Array<string | number>; errors: string[] }>();
  for (const i of issues) {
    const path = fieldPath(i.field);
    if (!names.includes(String(path[0]))) continue;
    if (typeof path[path.length - 1] === 'number' && opts.leaf) path.push(opts.leaf);
    const text = opts.message?.(i) ?? (error.code === 'validation.failed' ? i.message : errorText(error));
    const key = JSON.stringify(path);
    byPath.set(key, { name: path, errors: [...(byPath.get(key)?.errors ?? []), text] });
  }
  form.setFields([...byPath.values()]);
  return byPath.size > 0;
}
