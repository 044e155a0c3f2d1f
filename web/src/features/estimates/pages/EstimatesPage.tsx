import { useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, Checkbox, Col, Collapse, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Statistic, Table, Tag,
  Typography, Upload,
} from 'antd';
import { CalculatorOutlined, DeleteOutlined, DownloadOutlined, PlusOutlined, SaveOutlined, UploadOutlined, ArrowLeftOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { estimatesApi, estimateKeys, fileToBase64, type Estimate, type EstimateDetail, type EstimateInput, type EstimateLine, type EstimateResult } from '../estimates.api';
import { catalogApi, catalogKeys } from '../../catalog/catalog.api';
import { pricesApi, priceKeys } from '../../prices/prices.api';
import { IssueList, issuesOf } from '../../catalog/components/IssueList';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';

type Line = EstimateLine & { key: number };
type ResultLine = EstimateResult['lines'][number];
let nextKey = 1;
const newLine = (l: Partial<EstimateLine> = {}): Line => ({ key: nextKey++, quantity: '', itemCode: null, itemText: null, unit: null, months: 12, ...l });

interface Header {
  title: string;
  priceListId: string;
  budget: string;
  ceiling: string;
  milestones: string[];
}

function usePricingOptions() {
  const { t } = useTranslation();
  const can = useCan();
  const lists = useQuery({ queryKey: priceKeys.list, queryFn: pricesApi.list, enabled: can('price:read') });
  return useMemo(() => [
    { value: '', label: t('estimates.maxPrices') },
    ...(lists.data?.items ?? []).filter((l) => l.status === 'approved').map((l) => ({ value: l.id, label: `${l.provider.name} v${l.versionNo}（${l.effectiveFrom} ~ ${l.effectiveTo ?? t('catalog.openEnded')}）` })),
  ], [lists.data, t]);
}

function Overrun({ label, c }: { label: string; c: EstimateResult['budget'] }) {
  const { t } = useTranslation();
  if (!c) return null;
  return (
    <Statistic
      title={label}
      value={c.amount}
      suffix={<Tag color={c.overrun ? 'red' : 'green'} style={{ marginInlineStart: 8 }} data-testid="estimate-overrun">{c.overrun ? t('estimates.overrun', { amount: c.difference.replace(/^-/, '') }) : t('estimates.within', { amount: c.difference.replace(/^-/, '') })}</Tag>}
      valueStyle={{ fontSize: 18 }}
    />
  );
}

function ResultView({ result }: { result: EstimateResult }) {
  const { t } = useTranslation();
  /** The server words reasons and warnings in English; with their codes and parameters they read in the UI language. */
  const reasonText = (l: ResultLine): string | null =>
    l.problem && l.reasonParams ? t(`estimates.reason.${l.problem}`, { ...l.reasonParams, defaultValue: l.reason ?? '' }) : l.reason;
  const warningTexts = (l: ResultLine): string[] =>
    l.warningCodes?.length
      ? l.warningCodes.map((w) => t(`estimates.warning.${w.code}`, { ...w.params, methodText: w.params.method ? t(`estimates.method.${w.params.method}`) : '' }))
      : l.warnings;
  const unpriced = result.lines.filter((l) => l.amount == null);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="estimate-result">
      <Row gutter={24}>
        <Col><Statistic title={t('estimates.monthlyTotal')} value={result.monthlyTotal} suffix={t('estimates.yuan')} /></Col>
        <Col><Statistic title={t('estimates.total')} value={result.total} suffix={t('estimates.yuan')} valueStyle={{ color: '#1677ff' }} data-testid="estimate-total" /></Col>
        <Col><Statistic title={t('estimates.uppercase')} value={result.totalUppercase} valueStyle={{ fontSize: 16 }} /></Col>
        <Col><Overrun label={t('estimates.budget')} c={result.budget} /></Col>
        <Col><Overrun label={t('estimates.ceiling')} c={result.ceiling} /></Col>
        <Col>
          <Space size={4} style={{ paddingTop: 24 }}>
            <Tag color="green">{t('estimates.priced', { n: result.pricedCount })}</Tag>
            {result.unpricedCount > 0 && <Tag color="orange">{t('estimates.unpriced', { n: result.unpricedCount })}</Tag>}
          </Space>
        </Col>
      </Row>
      <Table<ResultLine>
        rowKey="index"
        size="small"
        pagination={false}
        dataSource={result.lines}
        scroll={{ x: 1140 }}
        tableLayout="fixed"
        data-testid="estimate-result-lines"
        columns={[
          { title: '#', dataIndex: 'index', width: 44, render: (i: number) => i + 1 },
          { title: t('estimates.itemText'), key: 'in', width: 180, ellipsis: { showTitle: true }, render: (_, r) => r.input.itemText || r.input.itemCode || '—' },
          { title: t('estimates.quantity'), key: 'q', width: 100, render: (_, r) => `${r.input.quantity} ${r.input.unit ?? ''}` },
          {
            title: t('estimates.mapped'), key: 'map', width: 320,
            render: (_, r) => (
              <>
                {r.mapping ? (
                  <Typography.Paragraph style={{ marginBottom: 0 }} ellipsis={{ rows: 2, tooltip: r.mapping.itemText }}>
                    <Tag>{r.mapping.itemCode}</Tag>{r.mapping.itemText}
                  </Typography.Paragraph>
                ) : <Typography.Text type="warning">{r.problem ? t(`estimates.problem.${r.problem}`) : '—'}</Typography.Text>}
                {r.mapping && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`estimates.method.${r.mapping.method}`)}</Typography.Text>}
                {warningTexts(r).map((w, i) => (
                  <Typography.Paragraph key={i} type="warning" style={{ fontSize: 12, marginBottom: 0 }} ellipsis={{ rows: 1, tooltip: w }}>{w}</Typography.Paragraph>
                ))}
              </>
            ),
          },
          {
            title: t('estimates.conversion'), key: 'conv', width: 190,
            render: (_, r) => r.conversion ? (
              <>
                <div>{r.conversion.explanation}</div>
                {r.conversion.nonIntegral && <Tag color="orange">≠ ∫</Tag>}
              </>
            ) : '—',
          },
          { title: t('estimates.unitPrice'), dataIndex: 'unitPrice', width: 100, align: 'right', render: (v: string | null, r) => (v ? `${v}${r.billingPeriod ? ` /${t(`catalog.period.${r.billingPeriod}`)}` : ''}` : '—') },
          { title: t('estimates.monthlyAmount'), dataIndex: 'monthlyAmount', width: 100, align: 'right', render: (v: string | null) => v ?? '—' },
          { title: t('estimates.amount'), dataIndex: 'amount', width: 110, align: 'right', render: (v: string | null) => (v ? <b>{v}</b> : '—') },
        ]}
      />
      {unpriced.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="estimate-unpriced"
          message={t('estimates.unpricedTitle')}
          description={(
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {unpriced.map((l) => (
                <li key={l.index}>
                  {t('estimates.line', { n: l.index + 1 })} · {l.input.itemText || l.input.itemCode} ({l.input.quantity} {l.input.unit ?? ''}):{' '}
                  <b>{l.problem ? t(`estimates.problem.${l.problem}`) : ''}</b>{reasonText(l) ? ` — ${reasonText(l)}` : ''}
                  {l.candidates.length > 0 && ` (${t('estimates.candidates', { codes: l.candidates.join(', ') })})`}
                </li>
              ))}
            </ul>
          )}
        />
      )}
      <Row gutter={16}>
        {result.milestones.length > 0 && (
          <Col xs={24} lg={14}>
            <Table
              rowKey={(_, i) => String(i)}
              size="small"
              pagination={false}
              dataSource={result.milestones}
              title={() => t('estimates.milestones')}
              data-testid="estimate-milestones"
              columns={[
                { title: '#', key: 'n', width: 80, render: (_, __, i) => t('estimates.milestone', { n: i + 1 }) },
                { title: t('estimates.percent'), dataIndex: 'percent', width: 90, render: (v: string) => `${v}%` },
                { title: t('estimates.amount'), dataIndex: 'amount', width: 140, align: 'right' },
                { title: t('estimates.uppercase'), dataIndex: 'uppercase' },
              ]}
            />
          </Col>
        )}
        <Col xs={24} lg={10}>
          <Collapse
            size="small"
            items={[{
              key: 'b',
              label: `${t('estimates.baseline')} (${result.baselineIncluded.length})`,
              children: <Space size={[4, 4]} wrap>{result.baselineIncluded.map((b) => <Tag key={b.code}>{b.code} {b.name}</Tag>)}</Space>,
            }]}
          />
        </Col>
      </Row>
    </Space>
  );
}

function Composer({ detail, onBack }: { detail: EstimateDetail | null; onBack: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const catalog = useQuery({ queryKey: catalogKeys.current, queryFn: catalogApi.current });
  const pricing = usePricingOptions();
  const [id, setId] = useState(detail?.id);
  const [header, setHeader] = useState<Header>({
    title: detail?.title ?? '', priceListId: detail?.priceListId ?? '', budget: detail?.budget ?? '', ceiling: detail?.ceiling ?? '',
    milestones: detail?.milestonePercents ?? [],
  });
  const [lines, setLines] = useState<Line[]>(() => (detail?.lines.length ? detail.lines.map((l) => newLine(l)) : [newLine()]));
  const [result, setResult] = useState<EstimateResult | null>(detail?.result ?? null);
  const [error, setError] = useState<unknown>(null);
  const editable = !detail || detail.abilities.edit;
  const issues = issuesOf(error);
  const lineIssues = (n: number) => issues.filter((i) => i.field.startsWith(`body.lines[${n}]`));

  const itemOptions = useMemo(() => (catalog.data?.items ?? [])
    .filter((i) => i.kind !== 'baseline' && i.status === 'active')
    .map((i) => ({ value: i.code, label: `${i.code} ${i.item}${i.billingUnitText ? `（${i.billingUnitText}）` : ''}` })), [catalog.data]);

  const body = (): EstimateInput => ({
    title: header.title.trim() || t('estimates.create'),
    priceListId: header.priceListId || null,
    budget: header.budget.trim() || null,
    ceiling: header.ceiling.trim() || null,
    milestonePercents: header.milestones,
    lines: lines.map(({ key: _key, ...l }) => ({
      ...l, itemCode: l.itemCode || null, itemText: l.itemCode ? null : l.itemText || null, unit: l.unit || null, quantity: l.quantity.trim(),
    })),
  });
  const preview = useMutation({
    mutationFn: () => estimatesApi.preview(body()),
    onSuccess: (r) => { setError(null); setResult(r); },
    onError: (e) => setError(e),
  });
  const save = useMutation({
    mutationFn: () => (id ? estimatesApi.update(id, body()) : estimatesApi.create(body())),
    onSuccess: (r) => { setError(null); setId(r.id); setResult(r.result); message.success(t('estimates.saved')); void queryClient.invalidateQueries({ queryKey: estimateKeys.all }); },
    onError: (e) => setError(e),
  });
  const exportXlsx = useMutation({ mutationFn: () => estimatesApi.export(id!, `${header.title || 'estimate'}.xlsx`), onError: (e) => message.error(errorText(e)) });
  const setLine = (key: number, patch: Partial<EstimateLine>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={<Space><Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} aria-label={t('estimates.back')} />{id ? header.title : t('estimates.create')}</Space>}
        extra={(
          <Space>
            <Button icon={<CalculatorOutlined />} loading={preview.isPending} onClick={() => preview.mutate()} data-testid="estimate-preview">{t('estimates.preview')}</Button>
            {editable && can('estimate:write') && <Button type="primary" icon={<SaveOutlined />} loading={save.isPending} onClick={() => save.mutate()} data-testid="estimate-save">{t('estimates.save')}</Button>}
            {id && <Button icon={<DownloadOutlined />} loading={exportXlsx.isPending} onClick={() => exportXlsx.mutate()} data-testid="estimate-export">{t('estimates.export')}</Button>}
          </Space>
        )}
      >
        <IssueList error={error} only={(i) => !/^body\.lines\[\d+\]/.test(i.field)} testId="estimate-errors" />
        <Form layout="vertical">
          <Row gutter={16}>
            <Col xs={24} md={8}><Form.Item label={t('estimates.name')} required><Input value={header.title} onChange={(e) => setHeader({ ...header, title: e.target.value })} data-testid="estimate-title" /></Form.Item></Col>
            <Col xs={24} md={8}>
              <Form.Item label={t('estimates.pricing')}>
                <Select value={header.priceListId} options={pricing} onChange={(v) => setHeader({ ...header, priceListId: v })} data-testid="estimate-pricing" />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}><Form.Item label={t('estimates.budget')}><Input value={header.budget} suffix={t('estimates.yuan')} onChange={(e) => setHeader({ ...header, budget: e.target.value })} data-testid="estimate-budget" /></Form.Item></Col>
            <Col xs={12} md={4}><Form.Item label={t('estimates.ceiling')}><Input value={header.ceiling} suffix={t('estimates.yuan')} onChange={(e) => setHeader({ ...header, ceiling: e.target.value })} data-testid="estimate-ceiling" /></Form.Item></Col>
            <Col xs={24} md={8}>
              <Form.Item label={t('estimates.milestones')}>
                <Select mode="tags" value={header.milestones} onChange={(v: string[]) => setHeader({ ...header, milestones: v })} placeholder="80, 20" tokenSeparators={[',', ' ', '/']} open={false} data-testid="estimate-milestones-input" />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <Table<Line>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={lines}
          title={() => <Space><b>{t('estimates.lines')}</b><Button size="small" icon={<PlusOutlined />} onClick={() => setLines([...lines, newLine()])} data-testid="estimate-add-line">{t('estimates.addLine')}</Button></Space>}
          data-testid="estimate-lines"
          columns={[
            { title: '#', key: 'n', width: 44, render: (_, __, i) => i + 1 },
            {
              title: `${t('estimates.itemCode')} / ${t('estimates.itemText')}`, key: 'item',
              render: (_, r, i) => (
                <>
                  <Space.Compact style={{ width: '100%' }}>
                    <Select
                      allowClear
                      showSearch
                      optionFilterProp="label"
                      style={{ width: '55%' }}
                      value={r.itemCode || undefined}
                      options={itemOptions}
                      placeholder={t('estimates.itemCode')}
                      onChange={(v?: string) => setLine(r.key, { itemCode: v ?? null })}
                      popupMatchSelectWidth={520}
                      data-testid={`line-code-${i}`}
                    />
                    <Input
                      style={{ width: '45%' }}
                      disabled={!!r.itemCode}
                      value={r.itemCode ? '' : r.itemText ?? ''}
                      placeholder={t('estimates.itemText')}
                      onChange={(e) => setLine(r.key, { itemText: e.target.value })}
                      data-testid={`line-text-${i}`}
                    />
                  </Space.Compact>
                  {lineIssues(i).map((x, n) => <div key={n}><Typography.Text type="danger" style={{ fontSize: 12 }}>{x.field.replace(/^body\.lines\[\d+\]\./, '')}: {x.message}</Typography.Text></div>)}
                </>
              ),
            },
            { title: t('estimates.quantity'), key: 'q', width: 120, render: (_, r, i) => <Input value={r.quantity} status={lineIssues(i).some((x) => x.field.endsWith('quantity')) ? 'error' : undefined} onChange={(e) => setLine(r.key, { quantity: e.target.value })} data-testid={`line-qty-${i}`} /> },
            { title: t('estimates.unit'), key: 'u', width: 120, render: (_, r, i) => <Input value={r.unit ?? ''} status={lineIssues(i).some((x) => x.field.endsWith('unit')) ? 'error' : undefined} onChange={(e) => setLine(r.key, { unit: e.target.value })} data-testid={`line-unit-${i}`} /> },
            { title: t('estimates.months'), key: 'm', width: 90, render: (_, r) => <InputNumber min={0} value={r.months ?? null} onChange={(v) => setLine(r.key, { months: v ?? null })} style={{ width: '100%' }} /> },
            { title: '', key: 'd', width: 44, render: (_, r) => <Button type="text" danger icon={<DeleteOutlined />} onClick={() => setLines(lines.filter((l) => l.key !== r.key))} aria-label={t('common.delete')} /> },
          ]}
        />
      </Card>
      <Card title={t('estimates.result')} size="small">
        {result ? <ResultView result={result} /> : <Typography.Text type="secondary">{t('estimates.noResult')}</Typography.Text>}
      </Card>
    </Space>
  );
}

interface ImportValues { title: string; priceListId: string; budget?: string; ceiling?: string; milestones?: string[]; validRowsOnly?: boolean }

function ImportModal({ onClose, onImported }: { onClose: () => void; onImported: (d: EstimateDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const pricing = usePricingOptions();
  const [form] = Form.useForm<ImportValues>();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = useMutation({
    mutationFn: async (v: ImportValues) => estimatesApi.import({
      title: v.title, priceListId: v.priceListId || null, budget: v.budget || null, ceiling: v.ceiling || null,
      milestonePercents: v.milestones ?? [], validRowsOnly: !!v.validRowsOnly, file: await fileToBase64(file!),
    }),
    onSuccess: (d) => {
      void queryClient.invalidateQueries({ queryKey: estimateKeys.all });
      message.success(t('common.success'));
      if (d.skipped?.length) Modal.warning({ title: t('estimates.skipped'), content: <ul>{d.skipped.map((s, i) => <li key={i}>{s.field} · {s.rule}: {s.message}</li>)}</ul>, width: 640 });
      onImported(d);
    },
    onError: (e) => setError(e),
  });
  return (
    <Modal open title={t('estimates.importTitle')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={run.isPending} width={640} okButtonProps={{ 'data-testid': 'import-submit' } as never}>
      <Typography.Paragraph type="secondary">{t('estimates.importHint')}</Typography.Paragraph>
      <IssueList error={error} testId="import-errors" />
      <Form form={form} layout="vertical" initialValues={{ priceListId: '', milestones: [] }} onFinish={(v) => { if (!file) { message.error(t('estimates.fileRequired')); return; } setError(null); run.mutate(v); }}>
        <Form.Item label={t('estimates.file')} required>
          <Upload
            accept=".xlsx"
            maxCount={1}
            beforeUpload={(f) => { setFile(f); if (!form.getFieldValue('title')) form.setFieldValue('title', f.name.replace(/\.xlsx$/i, '')); return false; }}
            onRemove={() => setFile(null)}
          >
            <Button icon={<UploadOutlined />} data-testid="import-file">{t('estimates.fileRequired')}</Button>
          </Upload>
        </Form.Item>
        <Form.Item name="title" label={t('estimates.name')} rules={[{ required: true, message: t('common.required') }]}><Input /></Form.Item>
        <Form.Item name="priceListId" label={t('estimates.pricing')}><Select options={pricing} /></Form.Item>
        <Space>
          <Form.Item name="budget" label={t('estimates.budget')}><Input suffix={t('estimates.yuan')} /></Form.Item>
          <Form.Item name="ceiling" label={t('estimates.ceiling')}><Input suffix={t('estimates.yuan')} /></Form.Item>
        </Space>
        <Form.Item name="milestones" label={t('estimates.milestones')}><Select mode="tags" open={false} tokenSeparators={[',', ' ', '/']} placeholder="80, 20" /></Form.Item>
        <Form.Item name="validRowsOnly" valuePropName="checked"><Checkbox>{t('estimates.validRowsOnly')}</Checkbox></Form.Item>
      </Form>
    </Modal>
  );
}

export default function EstimatesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<{ detail: EstimateDetail | null } | null>(null);
  const [importing, setImporting] = useState(false);
  const list = useQuery({ queryKey: estimateKeys.list, queryFn: estimatesApi.list });
  const pricing = usePricingOptions();
  const onError = (e: unknown) => message.error(errorText(e));
  const openOne = useMutation({ mutationFn: (id: string) => estimatesApi.get(id), onSuccess: (d) => setOpen({ detail: d }), onError });
  const remove = useMutation({
    mutationFn: (id: string) => estimatesApi.remove(id),
    onSuccess: () => { void queryClient.invalidateQueries({ queryKey: estimateKeys.all }); message.success(t('common.success')); },
    onError,
  });
  const exportXlsx = useMutation({ mutationFn: (e: Estimate) => estimatesApi.export(e.id, `${e.title}.xlsx`), onError });

  if (open) return <Composer key={open.detail?.id ?? 'new'} detail={open.detail} onBack={() => setOpen(null)} />;

  return (
    <Card
      title={t('estimates.title')}
      extra={can('estimate:write') && (
        <Space>
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="estimate-import">{t('estimates.import')}</Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen({ detail: null })} data-testid="estimate-create">{t('estimates.create')}</Button>
        </Space>
      )}
    >
      <Table<Estimate>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        data-testid="estimates-list"
        columns={[
          { title: t('estimates.name'), dataIndex: 'title', render: (v: string, r) => <a onClick={() => openOne.mutate(r.id)}>{v}</a> },
          { title: t('estimates.pricing'), dataIndex: 'priceListId', render: (v: string | null) => pricing.find((o) => o.value === (v ?? ''))?.label ?? t('prices.title') },
          { title: t('estimates.budget'), dataIndex: 'budget', align: 'right', render: (v: string | null) => v ?? '—' },
          { title: t('estimates.ceiling'), dataIndex: 'ceiling', align: 'right', render: (v: string | null) => v ?? '—' },
          { title: t('estimates.milestones'), dataIndex: 'milestonePercents', render: (v: string[]) => (v.length ? v.map((p) => `${p}%`).join(' / ') : '—') },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: fmtTime },
          {
            title: t('common.actions'), key: 'a', width: 220,
            render: (_, r) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => openOne.mutate(r.id)}>{t('common.detail')}</Button>
                <Button size="small" type="link" onClick={() => exportXlsx.mutate(r)}>{t('estimates.export')}</Button>
                {can('estimate:write') && (
                  <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove.mutate(r.id)}>
                    <Button size="small" type="link" danger>{t('common.delete')}</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {importing && <ImportModal onClose={() => setImporting(false)} onImported={(d) => { setImporting(false); setOpen({ detail: d }); }} />}
    </Card>
  );
}

