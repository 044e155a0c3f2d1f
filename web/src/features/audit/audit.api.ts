import { api, data, download, qs } from '../../api/client';
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
  export: (f: AuditFilter): Promise<void> => download(`/api/audit-logs/export${qs({ ...f })}`, 'audit-log.xlsx'),
};
