import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Cascader, DatePicker, Empty, Form, Input, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { directoryApi, directoryKeys } from '../../directory/directory.api';
import { fmtTime } from '../../../app/format';
import { ingestApi, ingestErrorText, ingestKeys, providersOf, type ExportKind, type IngestRecord, type RecordFilter, type RegistryField } from '../ingestion.api';

interface FilterValues {
  received?: [Dayjs | null, Dayjs | null] | null;
  recorded?: [Dayjs | null, Dayjs | null] | null;
  provider?: string;
  node?: string;
  batch?: string;
  field?: string;
  fieldValue?: string;
  q?: string;
}

/** Column width in pixels from the field's kind and length. */
function widthOf(f: RegistryField): number {
  const byTitle = f.cn.length * 14 + 24;
  if (f.kind === 'datetime') return Math.max(170, byTitle);
  if (f.kind === 'date') return Math.max(110, byTitle);
  if (f.kind !== 'text') return Math.max(100, byTitle);
  const max = Number(/\.\.(\d+)$/.exec(f.format)?.[1] ?? /^an(\d+)$/.exec(f.format)?.[1] ?? 40);
  return Math.max(byTitle, Math.min(240, max * 6 + 24));
}

export default function IngestDataPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<FilterValues>();
  const registry = useQuery({ queryKey: ingestKeys.registry, queryFn: ingestApi.registry, staleTime: 300_000 });
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes, staleTime: 300_000 });
  const tableName = params.get('table') ?? undefined;
  const table = registry.data?.tables.find((x) => x.name === tableName);
  // Other pages drill down here with ?table=…&field=…&value=…[&from=…&to=…] (received time, ISO 8601).
  const [filter, setFilter] = useState<RecordFilter>(() => {
    const f = params.get('field');
    const v = params.get('value');
    return { receivedFrom: params.get('from') ?? undefined, receivedTo: params.get('to') ?? undefined, ...(f && v ? { fields: { [f]: v } } : {}) };
  });
  const [page, setPage] = useState({ page: 1, pageSize: 50 });
  const provider = Form.useWatch('provider', form);
  const field = Form.useWatch('field', form);

  const list = useQuery({
    queryKey: ingestKeys.records(tableName ?? '', filter, page.page, page.pageSize),
    queryFn: () => ingestApi.records(tableName!, filter, page.page, page.pageSize),
    enabled: !!table,
    retry: false,
  });
  const exporting = useMutation({
    mutationFn: (kind: ExportKind) => ingestApi.export(tableName!, filter, kind),
    onError: (e) => message.error(ingestErrorText(e)),
  });

  const tableOptions = useMemo(
    () =>
      (registry.data?.categories ?? []).map((c) => ({
        value: c.name,
        label: c.cn,
        children: c.tables.map((name) => ({ value: name, label: registry.data!.tables.find((x) => x.name === name)?.cn ?? name })),
      })),
    [registry.data],
  );
  const providers = providersOf(nodes.data?.items);
  const nodeOptions = (nodes.data?.items ?? []).filter((n) => !provider || n.provider?.id === provider).map((n) => ({ value: n.id, label: n.name }));
  const fieldDef = table?.fields.find((f) => f.name === field);

  function chooseTable(name: string | undefined) {
    const next = new URLSearchParams(params);
    if (name) next.set('table', name);
    else next.delete('table');
    setParams(next, { replace: true });
    form.setFieldsValue({ field: undefined, fieldValue: undefined });
    setFilter((f) => ({ ...f, fields: undefined }));
    setPage((p) => ({ ...p, page: 1 }));
  }

  function apply(v: FilterValues) {
    const [rf, rt] = v.received ?? [];
    const [df, dt] = v.recorded ?? [];
    setFilter({
      receivedFrom: rf ? rf.startOf('minute').format() : undefined,
      receivedTo: rt ? rt.endOf('minute').add(1, 'millisecond').format() : undefined,
      recordFrom: df ? df.startOf('minute').format() : undefined,
      recordTo: dt ? dt.endOf('minute').add(1, 'millisecond').format() : undefined,
      provider: v.provider,
      node: v.node,
      batch: v.batch?.trim() || undefined,
      q: v.q?.trim() || undefined,
      fields: v.field && v.fieldValue?.trim() ? { [v.field]: v.fieldValue.trim() } : undefined,
    });
    setPage((p) => ({ ...p, page: 1 }));
  }

  const columns: ColumnsType<IngestRecord> = [
    { title: t('ingestion.data.received'), dataIndex: 'receivedAt', width: 170, fixed: 'left', render: fmtTime },
    { title: t('ingestion.data.provider'), dataIndex: 'providerName', width: 160, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('ingestion.data.node'), dataIndex: 'nodeName', width: 130, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('ingestion.data.batch'), dataIndex: 'batchId', width: 90 },
    ...(table?.fields ?? []).map((f) => ({
      key: f.name,
      title: (
        <Tooltip title={`${f.name} · ${f.format}`}>
          <span>{f.cn}</span>
        </Tooltip>
      ),
      width: widthOf(f),
      ellipsis: { showTitle: true },
      align: f.kind === 'integer' || f.kind === 'decimal' ? ('right' as const) : undefined,
      render: (_: unknown, r: IngestRecord) => r.values[f.name] ?? '',
    })),
  ];

  const total = list.data?.total ?? 0;
  return (
    <Card
      title={t('ingestion.data.title')}
      size="small"
      extra={
        table && (
          <Space>
            <Button icon={<DownloadOutlined />} loading={exporting.isPending && exporting.variables === 'xlsx'} onClick={() => exporting.mutate('xlsx')} data-testid="ingest-export-xlsx">{t('ingestion.data.exportXlsx')}</Button>
            <Button icon={<DownloadOutlined />} loading={exporting.isPending && exporting.variables === 'csv'} onClick={() => exporting.mutate('csv')} data-testid="ingest-export-csv">{t('ingestion.data.exportCsv')}</Button>
            <Button icon={<DownloadOutlined />} loading={exporting.isPending && exporting.variables === 'csv-gbk'} onClick={() => exporting.mutate('csv-gbk')} data-testid="ingest-export-csv-gbk">{t('ingestion.data.exportCsvGbk')}</Button>
          </Space>
        )
      }
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Text strong>{t('ingestion.data.table')}</Typography.Text>
        <Cascader
          style={{ width: 320 }}
          options={tableOptions}
          value={table ? [table.category, table.name] : undefined}
          onChange={(v) => chooseTable(v?.[1] as string | undefined)}
          placeholder={t('ingestion.data.pickTable')}
          showSearch
          loading={registry.isLoading}
          data-testid="ingest-table"
          optionRender={(o) => <span data-testid={`ingest-table-option-${String(o.value)}`}>{o.label}</span>}
        />
        {table && (
          <Typography.Text type="secondary">
            {t('ingestion.data.period')}: {t(`ingestion.data.periods.${table.period}`)} · {table.name}
          </Typography.Text>
        )}
      </Space>
      <Form form={form} layout="inline" onFinish={apply} style={{ marginBottom: 12, rowGap: 8 }} data-testid="ingest-filters"
        initialValues={{
          field: params.get('field') ?? undefined,
          fieldValue: params.get('value') ?? undefined,
          received: params.get('from') && params.get('to') ? [dayjs(params.get('from')), dayjs(params.get('to'))] : undefined,
        }}>
        <Form.Item name="received" label={t('ingestion.data.received')} tooltip={t('ingestion.data.defaultRange')}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="ingest-filter-received" />
        </Form.Item>
        <Form.Item name="recorded" label={t('ingestion.data.recordTime')}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="ingest-filter-recorded" />
        </Form.Item>
        <Form.Item name="provider" label={t('ingestion.data.provider')}>
          <Select allowClear showSearch optionFilterProp="label" style={{ width: 180 }} popupMatchSelectWidth={false} options={providers.map((p) => ({ value: p.id, label: p.name }))} onChange={() => form.setFieldValue('node', undefined)} data-testid="ingest-filter-provider" />
        </Form.Item>
        <Form.Item name="node" label={t('ingestion.data.node')}>
          <Select allowClear showSearch optionFilterProp="label" style={{ width: 160 }} popupMatchSelectWidth={false} options={nodeOptions} data-testid="ingest-filter-node" />
        </Form.Item>
        <Form.Item name="batch" label={t('ingestion.data.batch')} rules={[{ pattern: /^[1-9][0-9]{0,17}$/, message: t('ingestion.data.batch') }]}>
          <Input allowClear style={{ width: 110 }} data-testid="ingest-filter-batch" />
        </Form.Item>
        <Form.Item name="field" label={t('ingestion.data.field')}>
          <Select allowClear showSearch optionFilterProp="label" style={{ width: 170 }} popupMatchSelectWidth={false} disabled={!table} options={(table?.fields ?? []).map((f) => ({ value: f.name, label: `${f.cn}（${f.name}）` }))} data-testid="ingest-filter-field" />
        </Form.Item>
        <Form.Item name="fieldValue">
          <Input allowClear style={{ width: 180 }} disabled={!field} placeholder={fieldDef ? (fieldDef.kind === 'datetime' ? 'YYYY-MM-DD HH:mm:ss' : fieldDef.kind === 'date' ? 'YYYY-MM-DD' : t('ingestion.data.fieldValue')) : t('ingestion.data.fieldValue')} data-testid="ingest-filter-value" />
        </Form.Item>
        <Form.Item name="q" label={t('ingestion.data.keyword')} tooltip={t('ingestion.data.keywordHint')}>
          <Input allowClear style={{ width: 160 }} maxLength={100} data-testid="ingest-filter-q" />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} disabled={!table} data-testid="ingest-search">{t('common.search')}</Button>
            <Button onClick={() => { form.resetFields(); apply({}); }} data-testid="ingest-reset">{t('common.reset')}</Button>
          </Space>
        </Form.Item>
      </Form>
      {list.error && <Alert type="error" showIcon message={ingestErrorText(list.error)} style={{ marginBottom: 12 }} data-testid="ingest-error" />}
      {!table ? (
        <Empty description={t('ingestion.data.noTable')} />
      ) : (
        <>
          {list.data && (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('ingestion.data.received')}: {fmtTime(list.data.receivedFrom)} — {fmtTime(list.data.receivedTo)} · {t('ingestion.data.exportLimits')}
            </Typography.Paragraph>
          )}
          <Table<IngestRecord>
            rowKey={(r) => `${r.batchId}-${r.receivedAt}-${JSON.stringify(r.values)}`}
            size="small"
            bordered
            loading={list.isFetching}
            dataSource={list.data?.items}
            columns={columns}
            scroll={{ x: 'max-content' }}
            data-testid="ingest-records"
            pagination={{
              current: page.page,
              pageSize: page.pageSize,
              total,
              pageSizeOptions: [20, 50, 100, 200],
              showSizeChanger: true,
              showTotal: (n) => (list.data?.totalCapped ? t('ingestion.data.totalCapped', { total: n }) : t('common.total', { total: n })),
              onChange: (p, s) => setPage({ page: p, pageSize: s }),
            }}
          />
        </>
      )}
    </Card>
  );
}
