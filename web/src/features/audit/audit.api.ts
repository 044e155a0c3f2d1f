import { api, data, qs, ApiError } from '../../api/client';
import type { paths } from '../../api/schema';

type AuditListOp = paths['/api/audit-logs']['get'];
export type AuditFilter = Omit<NonNullable<AuditListOp['parameters']['query']>, 'page' | 'pageSize'>;
export type AuditList = AuditListOp['responses'][200]['content']['application/json'];
export type AuditRecord = AuditList['items'][number];
export type VerifyResult = paths['/api/audit-logs/verify']['post']['responses'][200]['content']['application/json'];

export const auditKeys = {
  all: ['audit-logs'] as const,
  list: (f: AuditFilter, page: number, pageSize: number) => ['audit-logs', f, page, pageSize] as const,
};

export const auditApi = {
  list: async (f: AuditFilter, page: number, pageSize: number): Promise<AuditList> =>
    data(await api.GET('/api/audit-logs', { params: { query: { ...f, page: String(page), pageSize: String(pageSize) } } })),
  verify: async (): Promise<VerifyResult> => data(await api.POST('/api/audit-logs/verify')),
  /** Downloads the .xlsx for the same filters; the server names the file. */
  async export(f: AuditFilter): Promise<void> {
    const response = await fetch(`/api/audit-logs/export${qs({ ...f })}`, { credentials: 'same-origin', headers: { 'X-Requested-With': 'zhengyun' } });
    if (!response.ok) {
      let body: { code?: string; message?: string } | undefined;
      try {
        body = (await response.json()) as typeof body;
      } catch {
        body = undefined;
      }
      throw new ApiError(response.status, body);
    }
    const disposition = response.headers.get('content-disposition') ?? '';
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
    const plain = /filename="([^"]+)"/i.exec(disposition)?.[1];
    const name = star ? decodeURIComponent(star) : (plain ?? 'audit-log.xlsx');
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};
