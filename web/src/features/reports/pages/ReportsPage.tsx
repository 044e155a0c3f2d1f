import { useMemo, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Checkbox, DatePicker, Empty, Form, Input, Popconfirm, Radio, Select, Space, Table, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { useCan } from '../../auth/auth.api';
import { orgApi } from '../../organisations/organisations.api';
import { reportKeys, reportsApi, type Dataset, type Definition, type DefinitionInput, type ReportResult, type Schedule } from '../reports.api';

type Filter = Dataset['filters'][number];
const SCHEDULES: Schedule[] = ['none', 'weekly', 'monthly'];

/** 报表管理: define (dataset, columns, filters) → preview → save → download signed .xlsx, weekly/monthly delivery. */
export default function ReportsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const datasets = useQuery({ queryKey: reportKeys.datasets, queryFn: reportsApi.datasets });
  const definitions = useQuery({ queryKey: reportKeys.definitions, queryFn: reportsApi.definitions });
  const [editing, setEditing] = useState<Definition | null>(null);
  const [name, setName] = useState('');
  const [datasetCode, setDatasetCode] = useState<string | undefined>();
  const [columns, setColumns] = useState<string[]>([]);
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [schedule, setSchedule] = useState<Schedule>('none');
  const [result, setResult] = useState<ReportResult | null>(null);
  const dataset = useMemo(() => datasets.data?.find((d) => d.code === datasetCode), [datasets.data, datasetCode]);

  const input = (): DefinitionInput | null => {
    if (!name.trim()) { message.warning(t('reports.nameRequired')); return null; }
    if (!datasetCode) { message.warning(t('reports.datasetRequired')); return null; }
    if (!columns.length) { message.warning(t('reports.columnsRequired')); return null; }
    const f = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ''));
    return { name: name.trim(), dataset: datasetCode, columns, filters: f, schedule };
  };
  const load = (d: Definition | null) => {
    setEditing(d);
    setName(d?.name ?? '');
    setDatasetCode(d?.dataset);
    setColumns(d?.columns ?? []);
    setFilters(d?.filters ?? {});
    setSchedule(d?.schedule ?? 'none');
    setResult(null);
  };
  const pickDataset = (code: string) => {
    setDatasetCode(code);
    setColumns(datasets.data?.find((d) => d.code === code)?.columns.map((c) => c.key) ?? []);
    setFilters({});
    setResult(null);
  };

  const preview = useMutation({ mutationFn: reportsApi.preview, onSuccess: setResult, onError: (e) => message.error(errorText(e)) });
  const save = useMutation({
    mutationFn: ({ body, asNew }: { body: DefinitionInput; asNew: boolean }) => (editing && !asNew ? reportsApi.update(editing.id, body) : reportsApi.create(body)),
    onSuccess: (d) => { message.success(t('reports.savedOk')); setEditing(d); void qc.invalidateQueries({ queryKey: reportKeys.definitions }); },
    onError: (e) => message.error(errorText(e)),
  });
  const remove = useMutation({
    mutationFn: reportsApi.remove,
    onSuccess: (_, id) => { message.success(t('reports.deleted')); if (editing?.id === id) load(null); void qc.invalidateQueries({ queryKey: reportKeys.definitions }); },
    onError: (e) => message.error(errorText(e)),
  });
  const downloadXlsx = (d: Pick<Definition, 'id' | 'name'>) => void reportsApi.exportXlsx(d).catch((e: unknown) => message.error(errorText(e)));

  if (datasets.data && datasets.data.length === 0) return <Card title={t('reports.title')}><Empty description={t('reports.noDatasets')} /></Card>;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('reports.title')} extra={<Button data-testid="reports-new" onClick={() => load(null)}>{t('reports.newReport')}</Button>}>
        <Typography.Paragraph type="secondary">{t('reports.hint')}</Typography.Paragraph>
        {editing && <Alert type="info" style={{ marginBottom: 12 }} message={t('reports.editing', { name: editing.name })} />}
        <Form layout="vertical">
          <Space wrap align="start">
            <Form.Item label={t('reports.name')} required>
              <Input data-testid="reports-name" style={{ width: 280 }} maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
            </Form.Item>
            <Form.Item label={t('reports.dataset')} required>
              <Select data-testid="reports-dataset" style={{ width: 280 }} loading={datasets.isLoading} value={datasetCode} onChange={pickDataset}
                options={(datasets.data ?? []).map((d) => ({ value: d.code, label: d.name }))} />
            </Form.Item>
            <Form.Item label={t('reports.schedule')}>
              <Radio.Group data-testid="reports-schedule" value={schedule} onChange={(e) => setSchedule(e.target.value as Schedule)}
                options={SCHEDULES.map((s) => ({ value: s, label: t(`reports.schedules.${s}`) }))} optionType="button" />
            </Form.Item>
          </Space>
          {dataset && <>
            <Form.Item label={t('reports.columns')} required>
              <Checkbox data-testid="reports-columns-all" style={{ marginBottom: 8 }} checked={columns.length === dataset.columns.length} indeterminate={columns.length > 0 && columns.length < dataset.columns.length}
                onChange={(e) => setColumns(e.target.checked ? dataset.columns.map((c) => c.key) : [])}>{t('reports.allColumns')}</Checkbox>
              <Checkbox.Group data-testid="reports-columns" value={columns} style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}
                onChange={(v) => setColumns(dataset.columns.map((c) => c.key).filter((k) => (v as string[]).includes(k)))}
                options={dataset.columns.map((c) => ({ value: c.key, label: c.label }))} />
            </Form.Item>
            <Form.Item label={t('reports.filters')}>
              <Space wrap>
                {dataset.filters.map((f) => (
                  <FilterInput key={`${dataset.code}.${f.key}`} filter={f} value={filters[f.key] ?? ''} onChange={(v) => setFilters((x) => ({ ...x, [f.key]: v }))} />
                ))}
              </Space>
            </Form.Item>
          </>}
          <Space wrap>
            <Button data-testid="reports-preview" loading={preview.isPending} onClick={() => { const body = input(); if (body) preview.mutate(body); }}>{t('reports.preview')}</Button>
            <Button type="primary" data-testid="reports-save" loading={save.isPending} onClick={() => { const body = input(); if (body) save.mutate({ body, asNew: false }); }}>{t('reports.save')}</Button>
            {editing && <Button data-testid="reports-save-new" onClick={() => { const body = input(); if (body) save.mutate({ body, asNew: true }); }}>{t('reports.saveAsNew')}</Button>}
            {editing && <Button data-testid="reports-download" onClick={() => downloadXlsx(editing)}>{t('reports.download')}</Button>}
          </Space>
        </Form>
      </Card>

      {result && (
        <Card size="small" title={t('reports.previewTitle', { n: result.rows.length })}>
          {result.truncated && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('reports.truncated', { max: result.rows.length })} />}
          <Table data-testid="reports-preview-table" size="small" rowKey={(_, i) => String(i)} scroll={{ x: 'max-content' }} pagination={{ pageSize: 20, showSizeChanger: false }}
            dataSource={result.rows} columns={result.columns.map((c) => ({ key: c.key, dataIndex: c.key, title: c.label, render: (v: unknown) => (v === null || v === undefined ? '—' : String(v)) }))} />
        </Card>
      )}

      <Card size="small" title={t('reports.saved')}>
        <Table<Definition> data-testid="reports-definitions" size="small" rowKey="id" loading={definitions.isLoading} dataSource={definitions.data ?? []} pagination={false}
          locale={{ emptyText: t('reports.none') }}
          expandable={{ expandedRowRender: (d) => <Runs definition={d} />, rowExpandable: (d) => d.schedule !== 'none' || !!d.lastScheduledAt }}
          columns={[
            { title: t('reports.name'), dataIndex: 'name' },
            { title: t('reports.dataset'), dataIndex: 'datasetName' },
            { title: t('reports.columns'), render: (_, d) => d.columns.length },
            { title: t('reports.schedule'), render: (_, d) => t(`reports.schedules.${d.schedule}`) },
            { title: t('reports.lastScheduled'), render: (_, d) => fmtTime(d.lastScheduledAt) },
            { title: t('reports.updatedAt'), render: (_, d) => fmtTime(d.updatedAt) },
            {
              title: t('reports.actions'), render: (_, d) => (
                <Space size={0}>
                  <Button size="small" type="link" data-testid="reports-open" onClick={() => load(d)}>{t('reports.open')}</Button>
                  <Button size="small" type="link" data-testid="reports-row-download" onClick={() => downloadXlsx(d)}>{t('reports.download')}</Button>
                  <Popconfirm title={t('reports.confirmDelete')} onConfirm={() => remove.mutate(d.id)}>
                    <Button size="small" type="link" danger>{t('reports.delete')}</Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]} />
      </Card>
    </Space>
  );
}

/** One filter: a choice for enums, a month picker, an organisation picker (when the user may list organisations) or text. */
function FilterInput({ filter, value, onChange }: { filter: Filter; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const kind = filter.label.includes('云服务商') ? 'cloud_provider' : filter.label.includes('单位') ? 'user_unit' : null;
  const orgs = useQuery({
    queryKey: ['reports', 'orgs', kind],
    queryFn: () => orgApi.list({ kind: kind!, page: 1, pageSize: 200 }),
    enabled: filter.type === 'uuid' && !!kind && can('org:read'),
  });
  const label = <Typography.Text type="secondary">{filter.label}</Typography.Text>;
  const testId = `reports-filter-${filter.key}`;
  if (filter.type === 'enum') {
    return <Space size={4}>{label}<Select data-testid={testId} allowClear style={{ width: 150 }} placeholder={t('reports.any')} value={value || undefined} onChange={(v?: string) => onChange(v ?? '')} options={filter.options ?? []} /></Space>;
  }
  if (filter.type === 'month') {
    return <Space size={4}>{label}<DatePicker data-testid={testId} picker="month" placeholder={t('reports.monthPlaceholder')} value={value ? dayjs(`${value}-01`) : null} onChange={(d) => onChange(d ? d.format('YYYY-MM') : '')} /></Space>;
  }
  if (filter.type === 'uuid' && orgs.data) {
    return <Space size={4}>{label}<Select data-testid={testId} allowClear showSearch optionFilterProp="label" style={{ width: 220 }} placeholder={t('reports.any')} value={value || undefined}
      onChange={(v?: string) => onChange(v ?? '')} options={orgs.data.items.map((o) => ({ value: o.id, label: o.name }))} /></Space>;
  }
  return <Space size={4}>{label}<Input data-testid={testId} allowClear style={{ width: filter.type === 'uuid' ? 300 : 180 }} placeholder={filter.type === 'uuid' ? t('reports.uuidPlaceholder') : undefined} value={value} onChange={(e) => onChange(e.target.value)} /></Space>;
}

/** The stored scheduled runs of a report, each with its .xlsx. */
function Runs({ definition }: { definition: Definition }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const runs = useQuery({ queryKey: reportKeys.runs(definition.id), queryFn: () => reportsApi.runs(definition.id) });
  return (
    <Table size="small" rowKey="id" loading={runs.isLoading} dataSource={runs.data ?? []} pagination={false} title={() => t('reports.runs')}
      columns={[
        { title: t('reports.ranAt'), render: (_, r) => fmtTime(r.ranAt) },
        { title: t('reports.origin'), render: (_, r) => t(`reports.origins.${r.origin}`, { defaultValue: r.origin }) },
        { title: t('reports.rows'), dataIndex: 'rowCount' },
        { title: t('reports.file'), render: (_, r) => <Typography.Link onClick={() => void reportsApi.runFile(r).catch((e: unknown) => message.error(errorText(e)))}>{r.filename}</Typography.Link> },
      ]} />
  );
}
