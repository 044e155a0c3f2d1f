import { qs, request, ApiError } from '../../api/client';

// Written by hand from the audit module's schemas (server/src/modules/audit/audit.schemas.ts) until its routes are in
// server/openapi.json; switch to the generated types then.
export interface AuditFilter {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  outcome?: 'success' | 'failure';
  targetType?: string;
  q?: string;
}

export interface AuditRecord {
  seq: string;
  occurredAt: string;
  actorUserId: string | null;
  actorUsername: string;
  actorOrgId: string | null;
  actorOrgName: string | null;
  actorKind: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: 'success' | 'failure';
  before: unknown;
  after: unknown;
  details: unknown;
  sourceIp: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditList {
  items: AuditRecord[];
  total: number;
  page: number;
  pageSize: number;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstSeq: string | null;
  lastSeq: string | null;
  lastHash?: string | null;
  problems: { seq: string; kind: 'altered' | 'removed' | 'reordered' | 'relinked'; message: string }[];
  problemCount?: number;
  truncated?: boolean;
  durationMs?: number;
}

export const auditKeys = {
  all: ['audit-logs'] as const,
  list: (f: AuditFilter, page: number, pageSize: number) => ['audit-logs', f, page, pageSize] as const,
};

export const auditApi = {
  list: (f: AuditFilter, page: number, pageSize: number) =>
    request<AuditList>('GET', `/api/audit-logs${qs({ ...f, page, pageSize })}`),
  verify: () => request<VerifyResult>('POST', '/api/audit-logs/verify'),
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
