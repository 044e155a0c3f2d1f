import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { auditApi, auditKeys, type AuditFilter, type AuditRecord, type VerifyResult } from '../audit.api';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';

interface FilterValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  actor?: string;
  action?: string;
  outcome?: 'success' | 'failure';
  q?: string;
}

const json = (v: unknown) => (v === null || v === undefined ? '—' : <pre style={{ margin: 0, maxHeight: 240, overflow: 'auto', fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(v, null, 2)}</pre>);

export default function AuditLogPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [record, setRecord] = useState<AuditRecord>();
  const [verified, setVerified] = useState<VerifyResult>();
  const list = useQuery({ queryKey: auditKeys.list(filter, page.page, page.pageSize), queryFn: () => auditApi.list(filter, page.page, page.pageSize) });

  const exporting = useMutation({ mutationFn: () => auditApi.export(filter), onError: (e) => message.error(errorText(e)) });
  const verify = useMutation({ mutationFn: auditApi.verify, onSuccess: setVerified, onError: (e) => message.error(errorText(e)) });

  function apply(v: FilterValues) {
    const [from, to] = v.range ?? [];
    setFilter({
      from: from ? from.startOf('minute').format() : undefined,
      to: to ? to.endOf('minute').format() : undefined,
      actor: v.actor?.trim() || undefined,
      action: v.action?.trim() || undefined,
      outcome: v.outcome,
      q: v.q?.trim() || undefined,
    });
    setPage((p) => ({ ...p, page: 1 }));
  }

  return (
    <Card
      title={t('audit.title')}
      size="small"
      extra={
        <Space>
          <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">{t('audit.verify')}</Button>
          {can('audit:export') && (
            <Button icon={<DownloadOutlined />} loading={exporting.isPending} onClick={() => exporting.mutate()} data-testid="audit-export">{t('audit.export')}</Button>
          )}
        </Space>
      }
    >
      <Form form={form} layout="inline" onFinish={apply} style={{ marginBottom: 12, rowGap: 8 }} data-testid="audit-filters">
        <Form.Item name="range" label={t('audit.range')}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="audit-filter-range" />
        </Form.Item>
        <Form.Item name="actor" label={t('audit.actor')}><Input allowClear style={{ width: 140 }} data-testid="audit-filter-actor" /></Form.Item>
        <Form.Item name="action" label={t('audit.action')}><Input allowClear style={{ width: 160 }} placeholder="auth. / users.create" data-testid="audit-filter-action" /></Form.Item>
        <Form.Item name="outcome" label={t('audit.outcome')}>
          <Select allowClear style={{ width: 110 }} options={[{ value: 'success', label: t('audit.success') }, { value: 'failure', label: t('audit.failure') }]} data-testid="audit-filter-outcome" />
        </Form.Item>
        <Form.Item name="q" label={t('audit.keyword')}><Input allowClear style={{ width: 160 }} data-testid="audit-filter-q" /></Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">{t('common.search')}</Button>
            <Button onClick={() => { form.resetFields(); apply({}); }} data-testid="audit-reset">{t('common.reset')}</Button>
          </Space>
        </Form.Item>
      </Form>
      <Table<AuditRecord>
        rowKey="seq"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items}
        data-testid="audit-table"
        onRow={(r) => ({ onClick: () => setRecord(r), style: { cursor: 'pointer' } })}
        pagination={{ current: page.page, pageSize: page.pageSize, total: list.data?.total, showSizeChanger: true, showTotal: (total) => t('common.total', { total }), onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
        columns={[
          { title: t('audit.seq'), dataIndex: 'seq', width: 80 },
          { title: t('audit.time'), dataIndex: 'occurredAt', width: 170, render: fmtTime },
          { title: t('audit.actor'), dataIndex: 'actorUsername' },
          { title: t('audit.org'), dataIndex: 'actorOrgName', render: (v: string | null) => v ?? '—' },
          { title: t('audit.action'), dataIndex: 'action', render: (v: string) => <code>{v}</code> },
          { title: t('audit.target'), key: 'target', render: (_, r) => (r.targetType ? `${r.targetType}${r.targetId ? ` · ${r.targetId.slice(0, 8)}` : ''}` : '—') },
          { title: t('audit.outcome'), dataIndex: 'outcome', render: (v: string) => (v === 'success' ? <Tag color="green">{t('audit.success')}</Tag> : <Tag color="red">{t('audit.failure')}</Tag>) },
          { title: t('audit.ip'), dataIndex: 'sourceIp', render: (v: string | null) => v ?? '—' },
        ]}
      />
      <Drawer open={!!record} onClose={() => setRecord(undefined)} width={640} title={record ? `${t('audit.detail')} #${record.seq}` : ''} data-testid="audit-drawer">
        {record && (
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label={t('audit.time')}>{fmtTime(record.occurredAt)}</Descriptions.Item>
            <Descriptions.Item label={t('audit.actor')}>{record.actorUsername}（{record.actorKind}）</Descriptions.Item>
            <Descriptions.Item label={t('audit.org')}>{record.actorOrgName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('audit.action')}><code>{record.action}</code></Descriptions.Item>
            <Descriptions.Item label={t('audit.target')}>{record.targetType ?? '—'} {record.targetId ?? ''}</Descriptions.Item>
            <Descriptions.Item label={t('audit.outcome')}>{record.outcome === 'success' ? t('audit.success') : t('audit.failure')}</Descriptions.Item>
            <Descriptions.Item label={t('audit.ip')}>{record.sourceIp ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('audit.requestId')}>{record.requestId ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('audit.before')}>{json(record.before)}</Descriptions.Item>
            <Descriptions.Item label={t('audit.after')}>{json(record.after)}</Descriptions.Item>
            <Descriptions.Item label={t('audit.details')}>{json(record.details)}</Descriptions.Item>
            <Descriptions.Item label="SM3"><Typography.Text code style={{ fontSize: 11, wordBreak: 'break-all' }}>{record.hash}</Typography.Text></Descriptions.Item>
          </Descriptions>
        )}
      </Drawer>
      <Modal open={!!verified} title={t('audit.verify')} onCancel={() => setVerified(undefined)} footer={<Button type="primary" onClick={() => setVerified(undefined)} data-testid="audit-verify-close">{t('common.close')}</Button>} width={640}>
        {verified && (
          <div data-testid="audit-verify-result">
            {verified.ok ? (
              <Alert type="success" showIcon message={t('audit.verifyOk', { checked: verified.checked, first: verified.firstSeq ?? '—', last: verified.lastSeq ?? '—' })} />
            ) : (
              <>
                <Alert type="error" showIcon message={t('audit.verifyFailed', { count: verified.problemCount ?? verified.problems.length })} style={{ marginBottom: 12 }} />
                <List size="small" bordered dataSource={verified.problems} renderItem={(p) => <List.Item>#{p.seq} <Tag color="red">{t(`audit.problem.${p.kind}`)}</Tag> {p.message}</List.Item>} />
              </>
            )}
          </div>
        )}
      </Modal>
    </Card>
  );
}
