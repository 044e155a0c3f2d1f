import { useState } from 'react';
import { App as AntApp, Button, Drawer, Form, Input, Select, Space, Table, Tag, Upload } from 'antd';
import { FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data, download } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type NoticeQuery = NonNullable<paths['/api/security/warning-notices']['get']['parameters']['query']>;
type Notice = Json<paths['/api/security/warning-notices']['get']['responses'][200]>['items'][number];
type Reply = NonNullable<paths['/api/security/warning-notices/{id}/reply']['post']['requestBody']>['content']['application/json'];
const STATE_COLOR: Record<string, string> = { notified: 'orange', overdue: 'red', replied: 'green' };
const clean = <T extends object>(q: T) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as T;

/** 安全预警: the warning notices (one per warning × provider) with their matched hosts, the provider's reply and the export. */
export function WarningsTab() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [q, setQ] = useState<NoticeQuery>({ page: 1, pageSize: 20 });
  const [open, setOpen] = useState<string | null>(null);
  const [form] = Form.useForm<{ outcome: Reply['outcome']; note: string }>();
  const [file, setFile] = useState<File | null>(null);
  const list = useQuery({ queryKey: ['security', 'warning-notices', q], queryFn: async () => data(await api.GET('/api/security/warning-notices', { params: { query: clean(q) } })) });
  const detail = useQuery({ queryKey: ['security', 'warning-notice', open], enabled: open !== null, queryFn: async () => data(await api.GET('/api/security/warning-notices/{id}', { params: { path: { id: open! } } })) });
  const reply = useMutation({
    mutationFn: async (v: { outcome: Reply['outcome']; note: string }) => {
      const evidence = file ? { fileName: file.name, contentBase64: await toBase64(file) } : null;
      return data(await api.POST('/api/security/warning-notices/{id}/reply', { params: { path: { id: open! } }, body: { ...v, evidence } }));
    },
    onSuccess: () => {
      message.success(t('security.warn.replied'));
      setFile(null);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['security', 'warning-notices'] });
      void qc.invalidateQueries({ queryKey: ['security', 'warning-notice', open] });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const exportQuery = new URLSearchParams(clean({ state: q.state, outcome: q.outcome, monitorType: q.monitorType, keyword: q.keyword }) as Record<string, string>).toString();
  const d = detail.data;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear style={{ width: 140 }} placeholder={t('security.warn.state')} value={q.state} onChange={(state) => setQ({ ...q, state, page: 1 })} options={(['notified', 'overdue', 'replied'] as const).map((s) => ({ value: s, label: t(`security.warn.states.${s}`) }))} />
        <Select allowClear style={{ width: 140 }} placeholder={t('security.warn.type')} value={q.monitorType} onChange={(monitorType) => setQ({ ...q, monitorType, page: 1 })} options={(['vulnerability', 'patch', 'other'] as const).map((s) => ({ value: s, label: t(`security.warn.types.${s}`) }))} />
        <Select allowClear style={{ width: 140 }} placeholder={t('security.warn.outcome')} value={q.outcome} onChange={(outcome) => setQ({ ...q, outcome, page: 1 })} options={(['handled', 'not_affected'] as const).map((s) => ({ value: s, label: t(`security.warn.outcomes.${s}`) }))} />
        <Input.Search data-testid="security-warning-keyword" allowClear style={{ width: 220 }} placeholder={t('security.warn.keyword')} onSearch={(keyword) => setQ({ ...q, keyword: keyword || undefined, page: 1 })} />
        <Button icon={<FileExcelOutlined />} onClick={() => download(`/api/security/warning-notices/export${exportQuery ? `?${exportQuery}` : ''}`, '安全预警.xlsx').catch((e: unknown) => message.error(errorText(e)))}>{t('security.exportXlsx')}</Button>
      </Space>
      <Table<Notice>
        data-testid="security-warning-notices"
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, onChange: (page, pageSize) => setQ({ ...q, page, pageSize }) }}
        columns={[
          { title: t('security.warn.type'), dataIndex: 'monitorType', width: 100, render: (v: string) => t(`security.warn.types.${v}`) },
          { title: t('security.warn.content'), dataIndex: 'content', ellipsis: true },
          { title: t('security.provider'), dataIndex: 'providerName', width: 160 },
          { title: t('security.warn.hosts'), dataIndex: 'hosts', width: 80 },
          { title: t('security.warn.deadline'), dataIndex: 'deadline', width: 110 },
          { title: t('security.warn.state'), dataIndex: 'state', width: 100, render: (v: string) => <Tag color={STATE_COLOR[v]}>{t(`security.warn.states.${v}`)}</Tag> },
          { title: t('security.warn.outcome'), dataIndex: 'outcome', width: 100, render: (v: string | null) => (v ? t(`security.warn.outcomes.${v}`) : '—') },
        ]}
      />
      <Drawer data-testid="security-warning-drawer" open={open !== null} width={720} title={t('security.warn.detail')} onClose={() => setOpen(null)}>
        {d && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <div>{d.content}</div>
            <div>{t('security.warn.monitoredAt')}：{d.monitoredAt ? fmtTime(d.monitoredAt) : (d.monitoredText ?? '—')} · {t('security.warn.notifiedAt')}：{fmtTime(d.notifiedAt)} · {t('security.warn.deadline')}：{d.deadline} · <Tag data-testid="security-warning-state" color={STATE_COLOR[d.state]}>{t(`security.warn.states.${d.state}`)}</Tag></div>
            {(d.remindedAt || d.overdueNotifiedAt || d.escalatedAt) && (
              <div data-testid="warning-steps">
                {([['remindedAt', d.remindedAt], ['overdueNotifiedAt', d.overdueNotifiedAt], ['escalatedAt', d.escalatedAt]] as const).filter(([, at]) => at).map(([k, at]) => `${t(`security.warn.${k}`)}：${fmtTime(at!)}`).join(' · ')}
              </div>
            )}
            <Table
              data-testid="security-warning-hosts"
              rowKey="resourceId"
              size="small"
              pagination={false}
              dataSource={d.matchedHosts}
              columns={[
                { title: t('security.host'), dataIndex: 'cloudHostId' },
                { title: 'IP', dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
                { title: t('security.system'), dataIndex: 'systemName', render: (v: string | null) => v ?? '—' },
                { title: t('security.unit'), dataIndex: 'unitName', render: (v: string | null) => v ?? '—' },
                { title: t('security.warn.basis'), dataIndex: 'basis', render: (v: string, r) => `${t(`security.warn.bases.${v}`)}：${r.matchedValue}` },
              ]}
            />
            {d.outcome && (
              <div data-testid="security-warning-outcome-shown">
                {t('security.warn.outcome')}：{t(`security.warn.outcomes.${d.outcome}`)} · {d.replyNote} · {d.repliedAt ? fmtTime(d.repliedAt) : ''}
                {d.evidenceName && <Button type="link" onClick={() => download(`/api/security/warning-notices/${d.id}/evidence`, d.evidenceName!).catch((e: unknown) => message.error(errorText(e)))}>{d.evidenceName}</Button>}
              </div>
            )}
            {d.abilities.reply && (
              <Form form={form} layout="vertical" onFinish={(v) => reply.mutate(v)} initialValues={{ outcome: 'handled' }}>
                <Form.Item name="outcome" label={t('security.warn.outcome')} rules={[{ required: true }]}>
                  <Select data-testid="security-warning-outcome" options={(['handled', 'not_affected'] as const).map((s) => ({ value: s, label: t(`security.warn.outcomes.${s}`) }))} />
                </Form.Item>
                <Form.Item name="note" label={t('security.warn.note')} rules={[{ required: true, min: 2 }]}>
                  <Input.TextArea data-testid="security-warning-note" rows={3} maxLength={2000} />
                </Form.Item>
                <Form.Item label={t('security.warn.evidence')} extra={t('security.warn.evidenceHint')}>
                  <Upload maxCount={1} beforeUpload={(f) => { setFile(f); return false; }} onRemove={() => setFile(null)}>
                    <Button icon={<UploadOutlined />}>{t('security.warn.chooseFile')}</Button>
                  </Upload>
                </Form.Item>
                <Button data-testid="security-warning-reply" type="primary" htmlType="submit" loading={reply.isPending}>{t('security.warn.reply')}</Button>
              </Form>
            )}
          </Space>
        )}
      </Drawer>
    </>
  );
}

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] ?? '');
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
