import { useMemo, useState } from 'react';
import { App, Button, Card, Descriptions, Divider, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, DeleteOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { pricesApi, priceKeys, type PriceList, type PriceListDetail, type PriceListInput } from '../prices.api';
import { catalogApi, catalogKeys, weightPct, type CatalogItem } from '../../catalog/catalog.api';
import { IssueList, issuesOf } from '../../catalog/components/IssueList';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';

const STATUS_COLOR: Record<PriceList['status'], string> = { draft: 'orange', submitted: 'blue', approved: 'green', rejected: 'red' };

export function PriceStatus({ status }: { status: PriceList['status'] }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`prices.status.${status}`)}</Tag>;
}

/** Σ(price × weight) of the prices typed so far, 4 decimals (the server's figure is authoritative). */
function weighted(items: CatalogItem[], prices: Record<string, string>): string {
  let sum = 0;
  for (const i of items) sum += (Number(prices[i.code]) || 0) * (Number(i.weight) || 0);
  return sum.toFixed(4);
}

interface EditorState { list: PriceListDetail | null }

type BillingPeriod = NonNullable<PriceListInput['items'][number]['billingPeriod']>;
const PERIODS: BillingPeriod[] = ['month', 'year', 'occurrence', 'message', 'certificate_year', 'one_off'];
interface ExtRow { key: number; itemCode: string; unitPrice: string; billingUnitText: string; billingPeriod: BillingPeriod | '' }
let extKey = 0;

function PriceEditor({ state, onClose }: { state: EditorState; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const current = useQuery({ queryKey: catalogKeys.current, queryFn: catalogApi.current });
  const versionId = state.list?.catalogVersionId ?? current.data?.id;
  const version = useQuery({ queryKey: catalogKeys.version(versionId ?? ''), queryFn: () => catalogApi.version(versionId!), enabled: !!versionId });
  const basic = useMemo(() => (version.data?.items ?? []).filter((i) => i.kind === 'basic' && i.status === 'active'), [version.data]);
  const [prices, setPrices] = useState<Record<string, string>>(() => Object.fromEntries((state.list?.items ?? []).map((i) => [i.itemCode, i.unitPrice])));
  const [meta, setMeta] = useState({ effectiveFrom: state.list?.effectiveFrom ?? '', effectiveTo: state.list?.effectiveTo ?? '', note: state.list?.note ?? '' });
  const [error, setError] = useState<unknown>(null);
  const issues = issuesOf(error);
  const extension = useMemo(() => (version.data?.items ?? []).filter((i) => i.kind === 'extension' && i.status === 'active'), [version.data]);
  const [extRows, setExtRows] = useState<ExtRow[] | null>(null);
  /** Extension prices of the draft, once the catalog version says which codes are extension items. */
  const loadedExt: ExtRow[] = useMemo(() => (state.list?.items ?? [])
    .filter((i) => (version.data?.items ?? []).some((c) => c.code === i.itemCode && c.kind === 'extension'))
    .map((i) => ({ key: ++extKey, itemCode: i.itemCode, unitPrice: i.unitPrice, billingUnitText: i.billingUnitText ?? '', billingPeriod: (i.billingPeriod ?? '') as ExtRow['billingPeriod'] })), [state.list, version.data]);
  const ext = extRows ?? loadedExt;
  const setExt = (rows: ExtRow[]) => setExtRows(rows);
  const patchExt = (key: number, patch: Partial<ExtRow>) => setExt(ext.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const knownCodes = new Set([...basic.map((b) => b.code), ...extension.map((e) => e.code)]);
  const extras = (state.list?.items ?? []).filter((i) => !knownCodes.has(i.itemCode));

  /** Issues of the row priced at index n of the body we sent. */
  const sentCodes = basic.filter((i) => prices[i.code]?.trim()).map((i) => i.code);
  const rowIssues = (code: string) => {
    const n = sentCodes.indexOf(code);
    return issues.filter((i) => n >= 0 && i.field.startsWith(`body.items[${n}].`) || i.value === code);
  };
  const extIssues = (idx: number, code: string) => {
    const n = sentCodes.length + idx;
    return issues.filter((i) => i.field.startsWith(`body.items[${n}].`) || (!!code && i.value === code));
  };

  const save = useMutation({
    mutationFn: () => {
      const body: PriceListInput = {
        catalogVersionId: versionId!,
        effectiveFrom: meta.effectiveFrom,
        effectiveTo: meta.effectiveTo || null,
        note: meta.note || null,
        items: [
          ...sentCodes.map((code) => ({ itemCode: code, unitPrice: prices[code]!.trim() })),
          ...ext.map((e) => ({ itemCode: e.itemCode, unitPrice: e.unitPrice.trim(), billingUnitText: e.billingUnitText.trim() || null, billingPeriod: e.billingPeriod || null })),
          ...extras.map((e) => ({ itemCode: e.itemCode, unitPrice: e.unitPrice, billingUnitText: e.billingUnitText, billingPeriod: e.billingPeriod })),
        ],
      };
      return state.list ? pricesApi.update(state.list.id, body) : pricesApi.create(body);
    },
    onSuccess: () => { message.success(t('common.saved')); void queryClient.invalidateQueries({ queryKey: priceKeys.all }); onClose(); },
    onError: (e) => setError(e),
  });

  return (
    <Drawer
      open
      width={980}
      title={state.list ? t('prices.editTitle', { no: state.list.versionNo }) : t('prices.createTitle')}
      onClose={onClose}
      extra={<Button type="primary" loading={save.isPending} onClick={() => save.mutate()} data-testid="price-save">{t('common.save')}</Button>}
    >
      <IssueList error={error} only={(i) => !/^body\.items\[\d+\]/.test(i.field)} testId="price-errors" />
      <Space wrap align="end" style={{ marginBottom: 12 }}>
        <Form.Item label={t('prices.catalogVersion')} style={{ marginBottom: 0 }}>{version.data ? `${version.data.name} (v${version.data.versionNo})` : '—'}</Form.Item>
        <Form.Item label={t('prices.effectiveFrom')} required style={{ marginBottom: 0 }}>
          <Input type="date" value={meta.effectiveFrom} onChange={(e) => setMeta({ ...meta, effectiveFrom: e.target.value })} data-testid="price-from" />
        </Form.Item>
        <Form.Item label={t('prices.effectiveTo')} style={{ marginBottom: 0 }}>
          <Input type="date" value={meta.effectiveTo} onChange={(e) => setMeta({ ...meta, effectiveTo: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('prices.note')} style={{ marginBottom: 0 }}>
          <Input value={meta.note} onChange={(e) => setMeta({ ...meta, note: e.target.value })} style={{ width: 220 }} />
        </Form.Item>
        <Statistic title={t('prices.weightedPrice')} value={weighted(basic, prices)} valueStyle={{ fontSize: 18 }} />
      </Space>
      <Table<CatalogItem>
        rowKey="code"
        size="small"
        loading={version.isLoading}
        dataSource={basic}
        pagination={false}
        data-testid="price-editor"
        columns={[
          { title: t('catalog.code'), dataIndex: 'code', width: 70 },
          { title: t('catalog.item'), dataIndex: 'item', render: (v: string, r) => <><div>{v}</div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.category} / {r.subcategory}</Typography.Text></> },
          { title: t('catalog.billingUnit'), dataIndex: 'billingUnitText', width: 100 },
          { title: t('catalog.weight'), dataIndex: 'weight', width: 80, align: 'right', render: weightPct },
          {
            title: t('prices.unitPrice'), key: 'price', width: 260,
            render: (_, r) => {
              const mine = rowIssues(r.code);
              const above = r.maxUnitPrice != null && Number(prices[r.code]) > Number(r.maxUnitPrice);
              return (
                <div>
                  <Space size={6}>
                    <Input
                      style={{ width: 120 }}
                      value={prices[r.code] ?? ''}
                      status={mine.length || above ? 'error' : undefined}
                      onChange={(e) => setPrices({ ...prices, [r.code]: e.target.value })}
                      data-testid={`price-input-${r.code}`}
                    />
                    <Typography.Text type="secondary">≤ {r.maxUnitPrice ?? '—'}</Typography.Text>
                  </Space>
                  {above && !mine.length && <div><Typography.Text type="danger" style={{ fontSize: 12 }}>{t('prices.aboveCap')}</Typography.Text></div>}
                  {mine.map((i, n) => <div key={n}><Typography.Text type="danger" style={{ fontSize: 12 }}>{i.message}</Typography.Text></div>)}
                </div>
              );
            },
          },
        ]}
      />
      <Divider orientation="left">{t('prices.extensionTitle')}</Divider>
      <Table<ExtRow>
        rowKey="key"
        size="small"
        dataSource={ext}
        pagination={false}
        data-testid="price-extension-editor"
        locale={{ emptyText: t('prices.extensionEmpty') }}
        columns={[
          {
            title: t('catalog.item'), key: 'item',
            render: (_, r) => (
              <Select
                style={{ width: 300 }}
                showSearch
                optionFilterProp="label"
                placeholder={t('prices.extensionPick')}
                value={r.itemCode || undefined}
                onChange={(code: string) => {
                  const c = extension.find((e) => e.code === code);
                  patchExt(r.key, { itemCode: code, billingUnitText: r.billingUnitText || c?.billingUnitText || '' });
                }}
                options={extension.map((e) => ({ value: e.code, label: `${e.code} ${e.item}`, disabled: ext.some((x) => x.itemCode === e.code && x.key !== r.key) }))}
                data-testid={`ext-item-${r.key}`}
              />
            ),
          },
          {
            title: t('prices.unitPrice'), key: 'price', width: 150,
            render: (_, r) => <Input value={r.unitPrice} onChange={(e) => patchExt(r.key, { unitPrice: e.target.value })} data-testid={`ext-price-${r.key}`} />,
          },
          {
            title: t('prices.unit'), key: 'unit', width: 130,
            render: (_, r) => <Input value={r.billingUnitText} placeholder="1 套" onChange={(e) => patchExt(r.key, { billingUnitText: e.target.value })} data-testid={`ext-unit-${r.key}`} />,
          },
          {
            title: t('prices.period'), key: 'period', width: 130,
            render: (_, r) => (
              <Select
                style={{ width: 120 }}
                value={r.billingPeriod || undefined}
                onChange={(p: BillingPeriod) => patchExt(r.key, { billingPeriod: p })}
                options={PERIODS.map((p) => ({ value: p, label: t(`catalog.period.${p}`) }))}
                data-testid={`ext-period-${r.key}`}
              />
            ),
          },
          {
            title: '', key: 'x', width: 50,
            render: (_, r) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('prices.extensionRemove')} onClick={() => setExt(ext.filter((x) => x.key !== r.key))} data-testid={`ext-remove-${r.key}`} />,
          },
        ]}
        expandable={{
          showExpandColumn: false,
          expandedRowKeys: ext.filter((r, idx) => extIssues(idx, r.itemCode).length).map((r) => r.key),
          expandedRowRender: (r) => extIssues(ext.indexOf(r), r.itemCode).map((i, n) => <div key={n}><Typography.Text type="danger" style={{ fontSize: 12 }}>{i.message}</Typography.Text></div>),
        }}
      />
      <Button
        type="dashed"
        icon={<PlusOutlined />}
        style={{ marginTop: 8 }}
        disabled={!extension.length || ext.length >= extension.length}
        onClick={() => setExt([...ext, { key: ++extKey, itemCode: '', unitPrice: '', billingUnitText: '', billingPeriod: '' }])}
        data-testid="ext-add"
      >
        {t('prices.extensionAdd')}
      </Button>
    </Drawer>
  );
}

function PriceDetail({ id, onClose, onEdit }: { id: string; onClose: () => void; onEdit: (d: PriceListDetail) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  const [comment, setComment] = useState('');
  const detail = useQuery({ queryKey: priceKeys.detail(id), queryFn: () => pricesApi.get(id) });
  const d = detail.data;
  const version = useQuery({ queryKey: catalogKeys.version(d?.catalogVersionId ?? ''), queryFn: () => catalogApi.version(d!.catalogVersionId), enabled: !!d && can('catalog:read'), retry: false });
  const byCode = new Map((version.data?.items ?? []).map((i) => [i.code, i]));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: priceKeys.all });
  const onError = (e: unknown) => message.error(errorText(e));
  const submit = useMutation({ mutationFn: () => pricesApi.submit(id), onSuccess: () => { refresh(); message.success(t('prices.submitted')); }, onError });
  const decide = useMutation({
    mutationFn: () => (deciding === 'approve' ? pricesApi.approve(id, comment) : pricesApi.reject(id, comment)),
    onSuccess: () => { refresh(); message.success(t(deciding === 'approve' ? 'prices.approved' : 'prices.rejected')); setDeciding(null); },
    onError,
  });

  return (
    <Drawer
      open
      width={900}
      title={t('prices.detailTitle')}
      onClose={onClose}
      loading={detail.isLoading}
      extra={d && (
        <Space>
          {d.status === 'draft' && can('price:write') && <Button onClick={() => onEdit(d)} data-testid="price-edit">{t('common.edit')}</Button>}
          {d.abilities.submit && (
            <Popconfirm title={t('prices.confirmSubmit')} onConfirm={() => submit.mutate()}>
              <Button type="primary" icon={<SendOutlined />} loading={submit.isPending} data-testid="price-submit">{t('prices.submit')}</Button>
            </Popconfirm>
          )}
          {d.abilities.approve && (
            <>
              <Button danger icon={<CloseOutlined />} onClick={() => { setComment(''); setDeciding('reject'); }} data-testid="price-reject">{t('prices.reject')}</Button>
              <Button type="primary" icon={<CheckOutlined />} onClick={() => { setComment(''); setDeciding('approve'); }} data-testid="price-approve">{t('prices.approve')}</Button>
            </>
          )}
        </Space>
      )}
    >
      {d && (
        <>
          <Space align="start" size={48} wrap style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={2} style={{ maxWidth: 600 }}>
              <Descriptions.Item label={t('prices.provider')}>{d.provider.name}</Descriptions.Item>
              <Descriptions.Item label={t('prices.version')}>v{d.versionNo} <PriceStatus status={d.status} /></Descriptions.Item>
              <Descriptions.Item label={t('prices.effective')}>{d.effectiveFrom} ~ {d.effectiveTo ?? t('catalog.openEnded')}</Descriptions.Item>
              <Descriptions.Item label={t('prices.catalogVersion')}>{version.data ? `${version.data.name} (v${version.data.versionNo})` : '—'}</Descriptions.Item>
              {d.note && <Descriptions.Item label={t('prices.note')} span={2}>{d.note}</Descriptions.Item>}
              {d.decisionComment && <Descriptions.Item label={t('prices.comment')} span={2}>{d.decisionComment}</Descriptions.Item>}
            </Descriptions>
            <Statistic title={t('prices.weightedPrice')} value={d.weightedPrice ?? '—'} />
          </Space>
          <Table
            rowKey="itemCode"
            size="small"
            pagination={false}
            dataSource={d.items.filter((i) => byCode.get(i.itemCode)?.kind !== 'extension')}
            data-testid="price-items"
            columns={[
              { title: t('catalog.code'), dataIndex: 'itemCode', width: 70 },
              { title: t('catalog.item'), key: 'item', render: (_, r) => byCode.get(r.itemCode)?.item ?? '—' },
              { title: t('prices.unit'), dataIndex: 'billingUnitText', width: 110 },
              { title: t('prices.period'), dataIndex: 'billingPeriod', width: 90, render: (p: string) => t(`catalog.period.${p}`) },
              { title: t('prices.unitPrice'), dataIndex: 'unitPrice', width: 120, align: 'right' },
              { title: t('prices.cap'), key: 'cap', width: 110, align: 'right', render: (_, r) => byCode.get(r.itemCode)?.maxUnitPrice ?? '—' },
            ]}
          />
          {d.items.some((i) => byCode.get(i.itemCode)?.kind === 'extension') && (
            <>
              <Divider orientation="left">{t('prices.extensionTitle')}</Divider>
              <Table
                rowKey="itemCode"
                size="small"
                pagination={false}
                dataSource={d.items.filter((i) => byCode.get(i.itemCode)?.kind === 'extension')}
                data-testid="price-extension-items"
                columns={[
                  { title: t('catalog.code'), dataIndex: 'itemCode', width: 70 },
                  { title: t('catalog.item'), key: 'item', render: (_, r) => byCode.get(r.itemCode)?.item ?? '—' },
                  { title: t('prices.unitPrice'), dataIndex: 'unitPrice', width: 120, align: 'right' },
                  { title: t('prices.unit'), dataIndex: 'billingUnitText', width: 110 },
                  { title: t('prices.period'), dataIndex: 'billingPeriod', width: 90, render: (p: string | null) => (p ? t(`catalog.period.${p}`) : '—') },
                ]}
              />
            </>
          )}
        </>
      )}
      <Modal
        open={!!deciding}
        title={deciding === 'approve' ? t('prices.approve') : t('prices.reject')}
        onCancel={() => setDeciding(null)}
        onOk={() => decide.mutate()}
        confirmLoading={decide.isPending}
        okButtonProps={{ danger: deciding === 'reject' }}
      >
        <Input.TextArea rows={3} placeholder={t('prices.comment')} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="price-comment" />
      </Modal>
    </Drawer>
  );
}

export default function PriceListsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [detailId, setDetailId] = useState<string>();
  const [editor, setEditor] = useState<EditorState | null>(null);
  const list = useQuery({ queryKey: priceKeys.list, queryFn: pricesApi.list });

  return (
    <Card
      title={t('prices.title')}
      extra={can('price:write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditor({ list: null })} data-testid="price-create">{t('prices.create')}</Button>}
    >
      <Table<PriceList>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        data-testid="price-lists"
        columns={[
          { title: t('prices.provider'), key: 'provider', render: (_, r) => r.provider.name },
          { title: t('prices.version'), dataIndex: 'versionNo', width: 90, render: (v: number) => `v${v}` },
          { title: t('prices.effective'), key: 'eff', render: (_, r) => `${r.effectiveFrom} ~ ${r.effectiveTo ?? t('catalog.openEnded')}` },
          { title: t('common.status'), dataIndex: 'status', width: 110, render: (s: PriceList['status']) => <PriceStatus status={s} /> },
          { title: t('prices.weightedPrice'), key: 'w', width: 180, align: 'right', render: (_, r) => <WeightedCell id={r.id} /> },
          { title: t('common.actions'), key: 'a', width: 90, render: (_, r) => <Button type="link" size="small" onClick={() => setDetailId(r.id)}>{t('common.detail')}</Button> },
        ]}
      />
      {detailId && <PriceDetail id={detailId} onClose={() => setDetailId(undefined)} onEdit={(d) => { setDetailId(undefined); setEditor({ list: d }); }} />}
      {editor && <PriceEditor state={editor} onClose={() => setEditor(null)} />}
    </Card>
  );
}

/** The list answers no weighted price: each row reads its detail (cached for the drawer too). */
function WeightedCell({ id }: { id: string }) {
  const detail = useQuery({ queryKey: priceKeys.detail(id), queryFn: () => pricesApi.get(id) });
  return <>{detail.data?.weightedPrice ?? '—'}</>;
}
