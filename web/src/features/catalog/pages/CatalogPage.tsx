import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input, Modal, Popconfirm, Select, Space, Statistic, Table, Tabs, Tag } from 'antd';
import { CopyOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { catalogApi, catalogKeys, type CatalogItem, type CatalogItemInput, type CatalogVersion, type CatalogVersionDetail, weightPct } from '../catalog.api';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { IssueList } from '../components/IssueList';

const STATUS_COLOR: Record<CatalogVersion['status'], string> = { draft: 'orange', published: 'green', retired: 'default' };
const PERIODS = ['month', 'year', 'occurrence', 'message', 'certificate_year', 'one_off'] as const;

export function VersionStatus({ status }: { status: CatalogVersion['status'] }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`catalog.status.${status}`)}</Tag>;
}

function ItemTable({ items, kind, version, onEdit, onRetire }: {
  items: CatalogItem[];
  kind: CatalogItem['kind'];
  version: CatalogVersionDetail;
  onEdit: (i: CatalogItem) => void;
  onRetire: (i: CatalogItem) => void;
}) {
  const { t } = useTranslation();
  const editable = version.abilities.edit && version.status === 'draft';
  const rows = items.filter((i) => i.kind === kind);
  return (
    <Table<CatalogItem>
      rowKey="code"
      size="small"
      dataSource={rows}
      pagination={false}
      data-testid={`catalog-items-${kind}`}
      rowClassName={(r) => (r.status === 'retired' ? 'zy-retired' : '')}
      columns={[
        { title: t('catalog.code'), dataIndex: 'code', width: 80 },
        { title: t('catalog.category'), dataIndex: 'category', width: 120 },
        { title: t('catalog.subcategory'), dataIndex: 'subcategory', width: 140, render: (v: string | null) => v ?? '—' },
        { title: t('catalog.item'), dataIndex: 'item', render: (v: string, r) => <>{r.status === 'retired' ? <del>{v}</del> : v}{r.status === 'retired' && <Tag style={{ marginInlineStart: 8 }}>{t('catalog.retired')}</Tag>}</> },
        ...(kind === 'basic' ? [
          { title: t('catalog.billingUnit'), dataIndex: 'billingUnitText', width: 110, render: (v: string | null) => v ?? '—' },
          { title: t('catalog.pricePeriod'), dataIndex: 'pricePeriodText', width: 90, render: (v: string | null) => v ?? '—' },
          { title: t('catalog.maxUnitPrice'), dataIndex: 'maxUnitPrice', width: 120, align: 'right' as const, render: (v: string | null) => v ?? '—' },
          { title: t('catalog.weight'), dataIndex: 'weight', width: 90, align: 'right' as const, render: weightPct },
        ] : []),
        ...(kind === 'extension' ? [{ title: t('catalog.remark'), dataIndex: 'remark', render: (v: string | null) => v ?? '—' }] : []),
        ...(editable ? [{
          title: t('common.actions'), key: 'actions', width: 130,
          render: (_: unknown, r: CatalogItem) => (
            <Space size={4}>
              <Button size="small" type="link" onClick={() => onEdit(r)}>{t('common.edit')}</Button>
              {r.status === 'active' && (
                <Popconfirm title={t('catalog.confirmRetire', { code: r.code })} onConfirm={() => onRetire(r)}>
                  <Button size="small" type="link" danger>{t('catalog.retire')}</Button>
                </Popconfirm>
              )}
            </Space>
          ),
        }] : []),
      ]}
    />
  );
}

interface ItemValues {
  code: string;
  kind: CatalogItem['kind'];
  category: string;
  subcategory?: string;
  item: string;
  billingUnitText?: string;
  billingPeriod?: CatalogItem['billingPeriod'];
  pricePeriodText?: string;
  maxUnitPrice?: string;
  weightPercent?: string;
  remark?: string;
}

export default function CatalogPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [selectedId, setSelectedId] = useState<string>();
  const [tab, setTab] = useState<CatalogItem['kind']>('basic');
  const [copying, setCopying] = useState(false);
  const [editing, setEditing] = useState<{ item: CatalogItem | null; initial: Partial<ItemValues> } | null>(null);
  const [copyName, setCopyName] = useState('');
  const [publishError, setPublishError] = useState<unknown>(null);
  const [itemError, setItemError] = useState<unknown>(null);
  const [copyForm] = Form.useForm<{ name: string; effectiveFrom?: string; effectiveTo?: string; frameworkPeriod?: string }>();
  const [itemForm] = Form.useForm<ItemValues>();

  const versions = useQuery({ queryKey: catalogKeys.versions, queryFn: catalogApi.versions });
  const current = useQuery({ queryKey: catalogKeys.current, queryFn: catalogApi.current, retry: false });
  const selected = useQuery({ queryKey: catalogKeys.version(selectedId ?? ''), queryFn: () => catalogApi.version(selectedId!), enabled: !!selectedId });
  const version = selectedId ? selected.data : current.data;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: catalogKeys.all });
  const onError = (e: unknown) => message.error(errorText(e));

  const copy = useMutation({
    mutationFn: (v: { name: string; effectiveFrom?: string; effectiveTo?: string; frameworkPeriod?: string }) =>
      catalogApi.createVersion({ basedOnId: version!.id, name: v.name, effectiveFrom: v.effectiveFrom || null, effectiveTo: v.effectiveTo || null, frameworkPeriod: v.frameworkPeriod || null }),
    onSuccess: (r) => { setCopying(false); setSelectedId(r.id); refresh(); message.success(t('catalog.draftCreated')); },
    onError,
  });
  const saveItem = useMutation({
    mutationFn: (v: ItemValues) => {
      const body: CatalogItemInput = {
        kind: v.kind, category: v.category, subcategory: v.subcategory || null, item: v.item,
        billingUnitText: v.billingUnitText || null, billingPeriod: v.billingPeriod ?? null, pricePeriodText: v.pricePeriodText || null,
        maxUnitPrice: v.maxUnitPrice || null, weightPercent: v.weightPercent || null, remark: v.remark || null,
      };
      return catalogApi.putItem(version!.id, v.code, body);
    },
    onSuccess: () => { setEditing(null); setItemError(null); refresh(); message.success(t('common.saved')); },
    onError: (e) => setItemError(e),
  });
  const retire = useMutation({
    mutationFn: (code: string) => catalogApi.retireItem(version!.id, code),
    onSuccess: () => { refresh(); message.success(t('common.success')); },
    onError,
  });
  const publish = useMutation({
    mutationFn: () => catalogApi.publish(version!.id),
    onSuccess: () => { setPublishError(null); refresh(); message.success(t('catalog.published')); },
    onError: (e) => setPublishError(e),
  });

  const openItem = (item: CatalogItem | null) => {
    setItemError(null);
    const initial: Partial<ItemValues> = item
      ? {
          code: item.code, kind: item.kind, category: item.category, subcategory: item.subcategory ?? undefined, item: item.item,
          billingUnitText: item.billingUnitText ?? undefined, billingPeriod: item.billingPeriod ?? undefined, pricePeriodText: item.pricePeriodText ?? undefined,
          maxUnitPrice: item.maxUnitPrice ?? undefined, weightPercent: item.weight == null ? undefined : String(Number((Number(item.weight) * 100).toFixed(4))), remark: item.remark ?? undefined,
        }
      : { kind: tab, billingPeriod: tab === 'basic' ? 'month' : undefined, pricePeriodText: tab === 'basic' ? '元/月' : undefined };
    setEditing({ item, initial });
  };

  const items = version?.items ?? [];
  const count = (k: CatalogItem['kind']) => items.filter((i) => i.kind === k && i.status === 'active').length;
  const isDraft = version?.status === 'draft';

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('catalog.title')}
        loading={!version && (current.isLoading || selected.isLoading)}
        extra={version && (
          <Space>
            {version.abilities.copy && can('catalog:write') && (
              <Button icon={<CopyOutlined />} onClick={() => { setCopyName(`${version.name}（${t('catalog.draft')}）`); setCopying(true); }} data-testid="catalog-copy">
                {t('catalog.newDraft')}
              </Button>
            )}
            {isDraft && version.abilities.edit && (
              <Button icon={<PlusOutlined />} onClick={() => openItem(null)} data-testid="catalog-add-item">{t('catalog.addItem')}</Button>
            )}
            {isDraft && version.abilities.publish && (
              <Popconfirm title={t('catalog.confirmPublish')} onConfirm={() => publish.mutate()}>
                <Button type="primary" icon={<SendOutlined />} loading={publish.isPending} data-testid="catalog-publish">{t('catalog.publish')}</Button>
              </Popconfirm>
            )}
          </Space>
        )}
      >
        {!version && current.isError && !selectedId && <IssueList error={current.error} />}
        {version && (
          <>
            <IssueList error={publishError} testId="catalog-publish-errors" />
            <Space align="start" size={48} wrap style={{ marginBottom: 16 }}>
              <Descriptions size="small" column={2} style={{ maxWidth: 720 }}>
                <Descriptions.Item label={t('catalog.version')}>{version.name} (v{version.versionNo}) <VersionStatus status={version.status} /></Descriptions.Item>
                <Descriptions.Item label={t('catalog.frameworkPeriod')}>{version.frameworkPeriod ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('catalog.effective')}>{version.effectiveFrom || version.effectiveTo ? `${version.effectiveFrom ?? '—'} ~ ${version.effectiveTo ?? t('catalog.openEnded')}` : t('catalog.openEnded')}</Descriptions.Item>
                <Descriptions.Item label={t('catalog.publishedAt')}>{fmtTime(version.publishedAt)}</Descriptions.Item>
              </Descriptions>
              <Statistic title={t('catalog.weightedMaxPrice')} value={version.weightedMaxPrice ?? '—'} suffix={t('catalog.yuanPerMonth')} data-testid="catalog-weighted" />
            </Space>
            <Tabs
              activeKey={tab}
              onChange={(k) => setTab(k as CatalogItem['kind'])}
              items={(['basic', 'baseline', 'extension'] as const).map((k) => ({
                key: k,
                label: `${t(`catalog.kind.${k}`)} (${count(k)})`,
                children: <ItemTable items={items} kind={k} version={version} onEdit={openItem} onRetire={(i) => retire.mutate(i.code)} />,
              }))}
            />
          </>
        )}
      </Card>

      <Card title={t('catalog.versions')} size="small">
        <Table<CatalogVersion>
          rowKey="id"
          size="small"
          loading={versions.isLoading}
          dataSource={versions.data?.items ?? []}
          pagination={false}
          data-testid="catalog-versions"
          columns={[
            { title: t('catalog.versionNo'), dataIndex: 'versionNo', width: 80, render: (v: number) => `v${v}` },
            { title: t('common.name'), dataIndex: 'name' },
            { title: t('common.status'), dataIndex: 'status', width: 100, render: (s: CatalogVersion['status']) => <VersionStatus status={s} /> },
            { title: t('catalog.effective'), key: 'eff', render: (_, r) => (r.effectiveFrom || r.effectiveTo ? `${r.effectiveFrom ?? '—'} ~ ${r.effectiveTo ?? t('catalog.openEnded')}` : t('catalog.openEnded')) },
            { title: t('catalog.frameworkPeriod'), dataIndex: 'frameworkPeriod', render: (v: string | null) => v ?? '—' },
            { title: t('catalog.publishedAt'), dataIndex: 'publishedAt', render: fmtTime },
            {
              title: t('common.actions'), key: 'a', width: 90,
              render: (_, r) => r.id === version?.id ? <Tag color="blue">{t('catalog.viewing')}</Tag> : (
                <Button size="small" type="link" onClick={() => { setPublishError(null); setSelectedId(r.id); }}>{t('common.detail')}</Button>
              ),
            },
          ]}
        />
      </Card>

      <Modal
        open={copying}
        title={t('catalog.newDraft')}
        onCancel={() => setCopying(false)}
        onOk={() => copyForm.submit()}
        confirmLoading={copy.isPending}
        destroyOnHidden
      >
        <p>{t('catalog.copyHint', { name: version?.name ?? '' })}</p>
        <Form form={copyForm} layout="vertical" initialValues={{ name: copyName }} onFinish={(v) => copy.mutate(v)}>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, message: t('common.required') }]}><Input /></Form.Item>
          <Space>
            <Form.Item name="effectiveFrom" label={t('catalog.effectiveFrom')}><Input type="date" /></Form.Item>
            <Form.Item name="effectiveTo" label={t('catalog.effectiveTo')}><Input type="date" /></Form.Item>
          </Space>
          <Form.Item name="frameworkPeriod" label={t('catalog.frameworkPeriod')}><Input /></Form.Item>
        </Form>
      </Modal>

      <Modal
        open={!!editing}
        title={editing?.item ? t('catalog.editItem', { code: editing.item.code }) : t('catalog.addItem')}
        onCancel={() => setEditing(null)}
        onOk={() => itemForm.submit()}
        confirmLoading={saveItem.isPending}
        width={720}
        destroyOnHidden
      >
        <IssueList error={itemError} testId="catalog-item-errors" />
        <Form form={itemForm} layout="vertical" initialValues={editing?.initial} onFinish={(v) => saveItem.mutate(v)}>
          <Space wrap>
            <Form.Item name="code" label={t('catalog.code')} rules={[{ required: true, message: t('common.required') }]}><Input disabled={!!editing?.item} style={{ width: 120 }} /></Form.Item>
            <Form.Item name="kind" label={t('catalog.kindLabel')} rules={[{ required: true }]}>
              <Select style={{ width: 160 }} disabled={!!editing?.item} options={(['basic', 'baseline', 'extension'] as const).map((k) => ({ value: k, label: t(`catalog.kind.${k}`) }))} />
            </Form.Item>
            <Form.Item name="category" label={t('catalog.category')} rules={[{ required: true, message: t('common.required') }]}><Input style={{ width: 180 }} /></Form.Item>
            <Form.Item name="subcategory" label={t('catalog.subcategory')}><Input style={{ width: 180 }} /></Form.Item>
          </Space>
          <Form.Item name="item" label={t('catalog.item')} rules={[{ required: true, message: t('common.required') }]}><Input.TextArea autoSize /></Form.Item>
          <Space wrap>
            <Form.Item name="billingUnitText" label={t('catalog.billingUnit')}><Input style={{ width: 140 }} /></Form.Item>
            <Form.Item name="billingPeriod" label={t('catalog.billingPeriod')}>
              <Select allowClear style={{ width: 140 }} options={PERIODS.map((p) => ({ value: p, label: t(`catalog.period.${p}`) }))} />
            </Form.Item>
            <Form.Item name="pricePeriodText" label={t('catalog.pricePeriod')}><Input style={{ width: 100 }} /></Form.Item>
            <Form.Item name="maxUnitPrice" label={t('catalog.maxUnitPrice')}><Input style={{ width: 120 }} /></Form.Item>
            <Form.Item name="weightPercent" label={t('catalog.weightPercent')}><Input style={{ width: 100 }} suffix="%" /></Form.Item>
          </Space>
          <Form.Item name="remark" label={t('catalog.remark')}><Input.TextArea autoSize /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

