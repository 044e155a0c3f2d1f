import { useState, type HTMLAttributes } from 'react';
import { Alert, Button, Card, DatePicker, Descriptions, Drawer, Form, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { directoryApi, directoryKeys } from '../../directory/directory.api';
import { fmtTime } from '../../../app/format';
import { ingestApi, ingestErrorText, ingestKeys, providersOf, type Batch, type BatchFilter, type BatchStatus, type RecordError } from '../ingestion.api';

interface FilterValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  provider?: string;
  node?: string;
  table?: string;
  status?: BatchStatus;
  source?: BatchFilter['source'];
}

/** A data-testid for a table row (onRow returns plain HTML attributes, whose type knows no data-* keys). */
const testId = (id: string) => ({ 'data-testid': id }) as HTMLAttributes<HTMLElement>;

const STATUS_COLOR: Record<BatchStatus, string> = { accepted: 'green', partial: 'orange', rejected: 'red' };

function StatusTag({ status }: { status: BatchStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`ingestion.batches.statuses.${status}`)}</Tag>;
}

export default function IngestBatchesPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<BatchFilter>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string>();
  const registry = useQuery({ queryKey: ingestKeys.registry, queryFn: ingestApi.registry, staleTime: 300_000 });
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes, staleTime: 300_000 });
  const list = useQuery({ queryKey: ingestKeys.batches(filter, page.page, page.pageSize), queryFn: () => ingestApi.batches(filter, page.page, page.pageSize), retry: false });
  const detail = useQuery({ queryKey: ingestKeys.batch(openId ?? ''), queryFn: () => ingestApi.batch(openId!), enabled: !!openId });
  const provider = Form.useWatch('provider', form);

  function apply(v: FilterValues) {
    const [from, to] = v.range ?? [];
    setFilter({
      from: from ? from.startOf('minute').format() : undefined,
      to: to ? to.endOf('minute').add(1, 'millisecond').format() : undefined,
      provider: v.provider,
      node: v.node,
      table: v.table,
      status: v.status,
      source: v.source,
    });
    setPage((p) => ({ ...p, page: 1 }));
  }

  const tableOptions = (registry.data?.categories ?? []).map((c) => ({
    label: c.cn,
    options: c.tables.map((name) => ({ value: name, label: registry.data!.tables.find((x) => x.name === name)?.cn ?? name })),
  }));
  const b = detail.data;
  const fieldsOf = registry.data?.tables.find((x) => x.name === b?.table)?.fields ?? [];
  /** The error in the reader's language by its rule, with the field's Chinese name and format; else the server's text. */
  function errorMessage(e: RecordError): string {
    const f = fieldsOf.find((x) => x.name === e.field);
    const key = `ingestion.rules.${e.rule}`;
    return i18n.exists(key) ? t(key, { field: f ? `${f.cn}（${f.name}）` : (e.field ?? ''), format: f?.format ?? '' }) : e.message;
  }

  return (
    <Card title={t('ingestion.batches.title')} size="small">
      <Form form={form} layout="inline" onFinish={apply} style={{ marginBottom: 12, rowGap: 8 }} data-testid="batches-filters">
        <Form.Item name="range" label={t('ingestion.batches.range')}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="batches-filter-range" />
        </Form.Item>
        <Form.Item name="provider" label={t('ingestion.batches.provider')}>
          <Select allowClear showSearch optionFilterProp="label" style={{ width: 170 }} popupMatchSelectWidth={false} options={providersOf(nodes.data?.items).map((p) => ({ value: p.id, label: p.name }))} onChange={() => form.setFieldValue('node', undefined)} data-testid="batches-filter-provider" />
        </Form.Item>
        <Form.Item name="node" label={t('ingestion.batches.node')}>
          <Select allowClear showSearch optionFilterProp="label" style={{ width: 150 }} popupMatchSelectWidth={false} options={(nodes.data?.items ?? []).filter((n) => !provider || n.provider?.id === provider).map((n) => ({ value: n.id, label: n.name }))} data-testid="batches-filter-node" />
        </Form.Item>
        <Form.Item name="table" label={t('ingestion.batches.table')}>
          <Select allowClear showSearch optionFilterProp="label" style={{ width: 190 }} popupMatchSelectWidth={false} options={tableOptions} data-testid="batches-filter-table" />
        </Form.Item>
        <Form.Item name="status" label={t('ingestion.batches.status')}>
          <Select allowClear style={{ width: 120 }} options={(['accepted', 'partial', 'rejected'] as const).map((s) => ({ value: s, label: t(`ingestion.batches.statuses.${s}`) }))} data-testid="batches-filter-status" />
        </Form.Item>
        <Form.Item name="source" label={t('ingestion.batches.source')}>
          <Select allowClear style={{ width: 110 }} options={(['api', 'syslog', 'manual'] as const).map((s) => ({ value: s, label: t(`ingestion.batches.sources.${s}`) }))} data-testid="batches-filter-source" />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="batches-search">{t('common.search')}</Button>
            <Button onClick={() => { form.resetFields(); apply({}); }} data-testid="batches-reset">{t('common.reset')}</Button>
          </Space>
        </Form.Item>
      </Form>
      {list.error && <Alert type="error" showIcon message={ingestErrorText(list.error)} style={{ marginBottom: 12 }} />}
      <Table<Batch>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        scroll={{ x: 'max-content' }}
        data-testid="batches-table"
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' }, ...testId(`batch-row-${r.id}`) })}
        pagination={{ current: page.page, pageSize: page.pageSize, total: list.data?.total, showSizeChanger: true, showTotal: (n) => t('common.total', { total: n }), onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
        columns={[
          { title: t('ingestion.batches.id'), dataIndex: 'id', width: 90 },
          { title: t('ingestion.batches.receivedAt'), dataIndex: 'receivedAt', width: 170, render: fmtTime },
          { title: t('ingestion.batches.table'), dataIndex: 'tableCn', render: (v: string | null, r) => v ?? r.table },
          { title: t('ingestion.batches.provider'), dataIndex: 'providerName', render: (v: string | null) => v ?? '—' },
          { title: t('ingestion.batches.node'), dataIndex: 'nodeName', render: (v: string | null) => v ?? '—' },
          { title: t('ingestion.batches.source'), dataIndex: 'source', render: (v: string) => t(`ingestion.batches.sources.${v}`, { defaultValue: v }) },
          { title: t('ingestion.batches.records'), dataIndex: 'recordCount', align: 'right' },
          { title: t('ingestion.batches.accepted'), dataIndex: 'acceptedCount', align: 'right' },
          { title: t('ingestion.batches.rejected'), dataIndex: 'rejectedCount', align: 'right', render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v) },
          { title: t('ingestion.batches.status'), dataIndex: 'status', render: (v: BatchStatus) => <StatusTag status={v} /> },
        ]}
      />
      <Drawer open={!!openId} onClose={() => setOpenId(undefined)} width={820} title={openId ? t('ingestion.batches.detail', { id: openId }) : ''} data-testid="batch-drawer">
        {detail.error && <Alert type="error" showIcon message={ingestErrorText(detail.error)} />}
        {b && (
          <>
            <Descriptions column={2} bordered size="small" style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('ingestion.batches.table')}>{b.tableCn ?? b.table}（{b.table}）</Descriptions.Item>
              <Descriptions.Item label={t('ingestion.batches.status')}><StatusTag status={b.status} /></Descriptions.Item>
              <Descriptions.Item label={t('ingestion.batches.provider')}>{b.providerName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('ingestion.batches.node')}>{b.nodeName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('ingestion.batches.receivedAt')}>{fmtTime(b.receivedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('ingestion.batches.source')}>{t(`ingestion.batches.sources.${b.source}`, { defaultValue: b.source })}</Descriptions.Item>
              <Descriptions.Item label={t('ingestion.batches.mode')}>{t(`ingestion.batches.modes.${b.mode}`, { defaultValue: b.mode })}</Descriptions.Item>
              <Descriptions.Item label={t('ingestion.batches.contentType')}>{b.contentType ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('ingestion.batches.records')}>{b.recordCount}</Descriptions.Item>
              <Descriptions.Item label={`${t('ingestion.batches.accepted')} / ${t('ingestion.batches.rejected')} / ${t('ingestion.batches.onTime')}`}>
                {b.acceptedCount} / {b.rejectedCount} / {b.onTimeCount}
              </Descriptions.Item>
              <Descriptions.Item label={t('ingestion.batches.idempotencyKey')} span={2}>{b.idempotencyKey ?? '—'}</Descriptions.Item>
            </Descriptions>
            <Typography.Title level={5}>
              {t('ingestion.batches.errors')} <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>{t('ingestion.batches.errorsStored')}</Typography.Text>
            </Typography.Title>
            <Table<RecordError>
              rowKey={(e) => `${e.index}-${e.field ?? ''}-${e.rule}`}
              size="small"
              dataSource={b.errors}
              locale={{ emptyText: t('ingestion.batches.noErrors') }}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              data-testid="batch-errors"
              onRow={(e) => testId(`batch-error-${e.index}-${e.field ?? 'record'}`)}
              columns={[
                { title: t('ingestion.batches.index'), dataIndex: 'index', width: 70 },
                { title: t('ingestion.batches.field'), dataIndex: 'field', width: 150, render: (v: string | null) => (v === null ? '—' : <Tooltip title={v}>{fieldsOf.find((x) => x.name === v)?.cn ?? v}</Tooltip>) },
                { title: t('ingestion.batches.value'), dataIndex: 'value', width: 160, ellipsis: true, render: (v: string | null) => (v === null ? '—' : <Typography.Text code>{v}</Typography.Text>) },
                { title: t('ingestion.batches.rule'), dataIndex: 'rule', width: 110, render: (v: string) => <Tag>{v}</Tag> },
                { title: t('ingestion.batches.message'), key: 'message', render: (_, e) => <Tooltip title={e.message}>{errorMessage(e)}</Tooltip> },
              ]}
            />
          </>
        )}
      </Drawer>
    </Card>
  );
}
