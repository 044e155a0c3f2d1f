import { useState } from 'react';
import {
  Alert, App, Button, Card, Col, Descriptions, Drawer, Empty, Input, Progress, Row, Segmented, Select, Space, Statistic, Table, Tabs, Tag, Timeline, Tooltip, Typography,
} from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ColumnsType, TablePaginationConfig } from 'antd/es/table';
import type { SorterResult } from 'antd/es/table/interface';
import { errorText } from '../../../i18n';
import { directoryApi, directoryKeys } from '../../directory/directory.api';
import { fmtTime } from '../../../app/format';
import {
  CAPACITY_KEYS, FLAG_TYPES, QUANTITY_KEYS, RESOURCE_FLAGS, RESOURCE_KINDS, inventoryApi, inventoryKeys,
  type Flag, type FlagsQuery, type GroupBy, type Resource, type ResourceQuery, type SummaryGroup,
} from '../inventory.api';

const FLAG_COLORS: Record<string, string> = {
  unowned: 'red', node_mismatch: 'orange', system_retired: 'volcano', stale: 'gold', system_mismatch: 'purple', unregistered_system: 'magenta',
};

/** Decimal strings added for display only (the server sums exactly; this formats). */
const num = (v: string | undefined | null) => (v === undefined || v === null ? '0' : Number(v).toLocaleString('zh-CN', { maximumFractionDigits: 2 }));
const pct = (part: string | undefined, whole: string | undefined) => {
  const w = Number(whole ?? 0);
  return w > 0 ? Math.min(100, Math.round((Number(part ?? 0) / w) * 1000) / 10) : 0;
};

function FlagTags({ flags }: { flags: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <>
      {flags.map((f) => (
        <Tooltip key={f} title={t(`inventory.flagHelp.${f}`)}><Tag color={FLAG_COLORS[f]}>{t(`inventory.flags.${f}`)}</Tag></Tooltip>
      ))}
    </>
  );
}

function quantityText(r: Pick<Resource, 'quantities'>, t: (k: string) => string) {
  const q = r.quantities;
  const parts: string[] = [];
  if (q.cpuCores) parts.push(`${q.cpuCores} ${t('inventory.cards.vcpu').replace(/（.*|\(.*/, '')}`.trim());
  if (q.memoryGb) parts.push(`${num(q.memoryGb)} GB`);
  const storage = ['standardStorageGb', 'highPerfStorageGb', 'staticStorageGb', 'localVideoStorageGb', 'offsiteStorageGb'].reduce((s, k) => s + Number(q[k] ?? 0), 0);
  if (storage > 0) parts.push(`${num(String(storage))} GB ${t('inventory.cards.storage').replace(/（.*|\(.*/, '')}`);
  if (q.bandwidthMbps) parts.push(`${num(q.bandwidthMbps)} Mbps`);
  return parts.join(' / ') || '—';
}

function CapacityCell({ g, k }: { g: SummaryGroup; k: string }) {
  const { t } = useTranslation();
  const c = g.capacity?.[k];
  const used = g.quantities[k];
  if (!c) return <Typography.Text type="secondary">{used ? `${num(used)} / —` : '—'}</Typography.Text>;
  return (
    <Tooltip
      title={
        <div>
          <div>{t('inventory.totalCap')}：{num(c.total)}</div>
          <div>{t('inventory.allocatedReported')}：{num(c.allocatedReported)}</div>
          <div>{t('inventory.allocatedInventory')}：{num(c.allocatedInventory)}</div>
          <div>{t('inventory.freeReported')}：{num(c.freeReported)}</div>
          <div>{t('inventory.freeInventory')}：{num(c.freeInventory)}</div>
        </div>
      }
    >
      <div style={{ minWidth: 150 }}>
        <Progress percent={pct(c.allocatedReported, c.total)} size="small" format={() => `${num(c.allocatedReported)}/${num(c.total)}`} />
        <Progress percent={pct(c.allocatedInventory, c.total)} size="small" strokeColor="#52c41a" format={() => num(c.allocatedInventory)} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('inventory.freeShort', { reported: num(c.freeReported), inventory: num(c.freeInventory) })}</Typography.Text>
      </div>
    </Tooltip>
  );
}

function Overview({ onFlags }: { onFlags: () => void }) {
  const { t } = useTranslation();
  const [groupBy, setGroupBy] = useState<GroupBy>('node');
  const summary = useQuery({ queryKey: inventoryKeys.summary(groupBy), queryFn: () => inventoryApi.summary(groupBy) });
  const trends = useQuery({
    queryKey: inventoryKeys.trends(30),
    queryFn: () => inventoryApi.trends(new Date(Date.now() + 8 * 3_600_000 - 29 * 86_400_000).toISOString().slice(0, 10)),
  });
  const s = summary.data;
  const totals = s?.totals;
  const storage = totals ? ['standardStorageGb', 'highPerfStorageGb', 'staticStorageGb', 'localVideoStorageGb', 'offsiteStorageGb'].reduce((a, k) => a + Number(totals.quantities[k] ?? 0), 0) : 0;
  const flagTotal = s ? Object.values(s.flags).reduce((a, b) => a + b, 0) : 0;
  const cards: Array<[string, string | number, (() => void)?]> = [
    [t('inventory.cards.resources'), totals?.total ?? 0],
    [t('inventory.cards.hosts'), totals?.counts.cloud_host ?? 0],
    [t('inventory.cards.vcpu'), num(totals?.quantities.cpuCores)],
    [t('inventory.cards.memory'), num(totals?.quantities.memoryGb)],
    [t('inventory.cards.storage'), num(String(storage))],
    [t('inventory.cards.publicIps'), totals?.counts.internet_bandwidth ?? 0],
    [t('inventory.cards.bandwidth'), num(totals?.quantities.bandwidthMbps)],
    [t('inventory.cards.flags'), flagTotal, onFlags],
  ];
  const columns: ColumnsType<SummaryGroup> = [
    { title: t(`inventory.group.${groupBy}`), key: 'name', fixed: 'left', render: (_, g) => g.name ?? (g.id ? t('inventory.hiddenName') : t('inventory.unknownGroup')) },
    { title: t('inventory.cards.resources'), dataIndex: 'total', align: 'right' },
    ...(['cloud_host', 'physical_device', 'internet_bandwidth'] as const).map((k) => ({ title: t(`inventory.kinds.${k}`), key: k, align: 'right' as const, render: (_: unknown, g: SummaryGroup) => g.counts[k] ?? 0 })),
    ...(groupBy === 'unit'
      ? QUANTITY_KEYS.filter((k) => k !== 'localVideoStorageGb' && k !== 'offsiteStorageGb').map((k) => ({ title: t(`inventory.q.${k}`), key: k, align: 'right' as const, render: (_: unknown, g: SummaryGroup) => num(g.quantities[k]) }))
      : CAPACITY_KEYS.map((k) => ({ title: t(`inventory.q.${k}`), key: k, render: (_: unknown, g: SummaryGroup) => <CapacityCell g={g} k={k} /> }))),
  ];
  const series = trends.data?.items ?? [];
  const max = Math.max(1, ...series.map((d) => d.count));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {summary.error && <Alert type="error" message={errorText(summary.error)} />}
      <Row gutter={[12, 12]}>
        {cards.map(([title, value, onClick]) => (
          <Col key={title} xs={12} sm={8} md={6} xl={3}>
            <Card size="small" hoverable={!!onClick} onClick={onClick} loading={summary.isLoading}>
              <Statistic title={title} value={value} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card
        size="small"
        title={t('inventory.capacity')}
        extra={<Segmented value={groupBy} onChange={(v) => setGroupBy(v as GroupBy)} options={(['node', 'provider', 'unit'] as const).map((g) => ({ value: g, label: t(`inventory.by.${g}`) }))} />}
      >
        {groupBy !== 'unit' && s?.groups.some((g) => g.capacity) && <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('inventory.capacityHint')}</Typography.Paragraph>}
        <Table rowKey={(g) => g.id ?? 'none'} size="small" loading={summary.isLoading} columns={columns} dataSource={s?.groups ?? []} pagination={false} scroll={{ x: 'max-content' }} data-testid="inventory-summary" />
      </Card>
      <Card size="small" title={t('inventory.trend')} extra={<Typography.Text type="secondary">{t('inventory.trendHint')}</Typography.Text>}>
        {series.length === 0 ? <Empty /> : (
          <Table
            size="small" rowKey="day" pagination={false} dataSource={[...series].reverse()} scroll={{ y: 320 }}
            columns={[
              { title: t('inventory.day'), dataIndex: 'day', width: 140, render: (d: string, r) => (r.live ? <Space>{d}<Tag color="blue">{t('inventory.live')}</Tag></Space> : d) },
              { title: t('inventory.cards.resources'), key: 'count', render: (_, r) => <Progress percent={(r.count / max) * 100} format={() => r.count} size="small" /> },
              { title: t('inventory.cards.hosts'), key: 'hosts', align: 'right', width: 100, render: (_, r) => r.counts.cloud_host ?? 0 },
              { title: t('inventory.cards.vcpu'), key: 'cpu', align: 'right', width: 110, render: (_, r) => num(r.quantities.cpuCores) },
              { title: t('inventory.cards.memory'), key: 'mem', align: 'right', width: 120, render: (_, r) => num(r.quantities.memoryGb) },
              { title: t('inventory.cards.bandwidth'), key: 'bw', align: 'right', width: 130, render: (_, r) => num(r.quantities.bandwidthMbps) },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}

function ResourceDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useQuery({ queryKey: inventoryKeys.detail(id), queryFn: () => inventoryApi.get(id) });
  const r = detail.data;
  const label = (k: string) => (r?.fieldLabels[k] ?? (t(`inventory.fields.${k}`, { defaultValue: k })));
  return (
    <Drawer open width={720} title={r ? `${t(`inventory.kinds.${r.kind}`)} · ${r.name}` : t('inventory.detailTitle')} onClose={onClose} loading={detail.isLoading}>
      {detail.error && <Alert type="error" message={errorText(detail.error)} />}
      {r && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('inventory.naturalKey')} span={2}>{r.naturalKey}</Descriptions.Item>
            <Descriptions.Item label={t('inventory.status')}>{r.status === 'active' ? <Tag color="green">{t('inventory.statuses.active')}</Tag> : <Tag>{t('inventory.statuses.deleted')}</Tag>}</Descriptions.Item>
            <Descriptions.Item label={t('inventory.flag')}>{r.flags.length ? <FlagTags flags={r.flags} /> : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('inventory.provider')}>{r.provider.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('inventory.node')}>{r.node.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('inventory.systemNo')}>{r.systemNo ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('inventory.system')}>{r.system?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('inventory.unit')} span={2}>{r.unit ? (r.unit.name ?? t('inventory.hiddenName')) : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('inventory.createdDate')}>{r.createdDate ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('inventory.deletedDate')}>{r.deletedDate ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('inventory.firstSeenAt')}>{fmtTime(r.firstSeenAt)}</Descriptions.Item>
            <Descriptions.Item label={t('inventory.lastSeenAt')}>{fmtTime(r.lastSeenAt)}</Descriptions.Item>
            {QUANTITY_KEYS.filter((k) => r.quantities[k] !== undefined).map((k) => (
              <Descriptions.Item key={k} label={t(`inventory.q.${k}`)}>{r.quantities[k]}</Descriptions.Item>
            ))}
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('inventory.attributes')}</Typography.Title>
            <Descriptions size="small" column={2} bordered>
              {/* In the order of the interface table (fieldLabels follows the registry), not jsonb's key order. */}
              {[...Object.keys(r.fieldLabels).filter((k) => k in r.attributes), ...Object.keys(r.attributes).filter((k) => !(k in r.fieldLabels))].map((k) => (
                <Descriptions.Item key={k} label={label(k)}>{r.attributes[k] ?? '—'}</Descriptions.Item>
              ))}
            </Descriptions>
          </div>
          <div>
            <Typography.Title level={5}>{t('inventory.history')}</Typography.Title>
            {r.changes.length === 0 ? <Empty description={t('inventory.noHistory')} /> : (
              <Timeline
                items={[...r.changes].reverse().map((c) => ({
                  color: c.action === 'created' ? 'green' : c.action === 'deleted' ? 'red' : 'blue',
                  children: (
                    <div>
                      <Typography.Text strong>{t(`inventory.actions.${c.action}`)}</Typography.Text>{' '}
                      <Typography.Text type="secondary">{fmtTime(c.changedAt)}</Typography.Text>
                      {c.action !== 'created' && (
                        <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                          {Object.keys(c.after).map((k) => (
                            <li key={k}>{label(k)}：{c.before[k] ?? '—'} → {c.after[k] ?? '—'}</li>
                          ))}
                        </ul>
                      )}
                    </div>
                  ),
                }))}
              />
            )}
          </div>
        </Space>
      )}
    </Drawer>
  );
}

function Resources() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [query, setQuery] = useState<ResourceQuery>({ page: '1', pageSize: '20', status: 'active' });
  const [open, setOpen] = useState<string>();
  const list = useQuery({ queryKey: inventoryKeys.list(query), queryFn: () => inventoryApi.list(query) });
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes });
  const providers = new Map<string, string>();
  for (const n of nodes.data?.items ?? []) if (n.provider) providers.set(n.provider.id, n.provider.name);
  const set = (patch: Partial<ResourceQuery>) => setQuery((q) => ({ ...q, page: '1', ...patch }));
  const exporter = useMutation({
    mutationFn: () =>
      inventoryApi.export({ kind: query.kind, status: query.status, flag: query.flag, q: query.q, nodeId: query.nodeId, providerOrgId: query.providerOrgId, unitOrgId: query.unitOrgId, systemNo: query.systemNo }, `${t('inventory.title')}.xlsx`),
    onError: (e) => message.error(errorText(e)),
  });
  const sortOrder = (key: string) => (query.sort === key ? (query.order === 'desc' ? 'descend' : 'ascend') : null);
  const columns: ColumnsType<Resource> = [
    { title: t('inventory.name'), dataIndex: 'name', key: 'name', sorter: true, sortOrder: sortOrder('name'), render: (v: string, r) => <a onClick={() => setOpen(r.id)} data-testid={`inventory-resource-${r.id}`}>{v}</a> },
    { title: t('inventory.kind'), dataIndex: 'kind', key: 'kind', sorter: true, sortOrder: sortOrder('kind'), render: (k: string) => t(`inventory.kinds.${k}`) },
    { title: t('inventory.provider'), key: 'provider', render: (_, r) => r.provider.name ?? '—' },
    { title: t('inventory.node'), key: 'node', render: (_, r) => r.node.name ?? '—' },
    { title: t('inventory.systemNo'), dataIndex: 'systemNo', key: 'systemNo', sorter: true, sortOrder: sortOrder('systemNo'), render: (v: string | null, r) => (v ? <Tooltip title={r.system?.name}>{v}</Tooltip> : '—') },
    { title: t('inventory.unit'), key: 'unit', render: (_, r) => (r.unit ? (r.unit.name ?? t('inventory.hiddenName')) : '—') },
    { title: t('inventory.quantities'), key: 'q', render: (_, r) => quantityText(r, t) },
    { title: t('inventory.status'), dataIndex: 'status', key: 'status', render: (s: string) => (s === 'active' ? <Tag color="green">{t('inventory.statuses.active')}</Tag> : <Tag>{t('inventory.statuses.deleted')}</Tag>) },
    { title: t('inventory.flag'), key: 'flags', render: (_, r) => <FlagTags flags={r.flags} /> },
    { title: t('inventory.createdDate'), dataIndex: 'createdDate', key: 'createdDate', sorter: true, sortOrder: sortOrder('createdDate') },
    { title: t('inventory.lastSeenAt'), dataIndex: 'lastSeenAt', key: 'lastSeenAt', sorter: true, sortOrder: sortOrder('lastSeenAt'), render: (v: string) => fmtTime(v) },
  ];
  const onChange = (p: TablePaginationConfig, _f: unknown, sorter: SorterResult<Resource> | SorterResult<Resource>[]) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = s?.order ? (s.columnKey as ResourceQuery['sort']) : undefined;
    setQuery((q) => ({ ...q, page: String(p.current ?? 1), pageSize: String(p.pageSize ?? 20), sort: key, order: key ? (s!.order === 'descend' ? 'desc' : 'asc') : undefined }));
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search allowClear placeholder={t('inventory.search')} style={{ width: 280 }} onSearch={(v) => set({ q: v.trim() || undefined })} data-testid="inventory-search" />
        <Select allowClear showSearch optionFilterProp="label" placeholder={t('inventory.provider')} style={{ width: 200 }} value={query.providerOrgId} onChange={(v) => set({ providerOrgId: v })} options={[...providers].map(([value, label]) => ({ value, label }))} popupMatchSelectWidth={false} />
        <Select allowClear showSearch optionFilterProp="label" placeholder={t('inventory.node')} style={{ width: 160 }} value={query.nodeId} onChange={(v) => set({ nodeId: v })} options={(nodes.data?.items ?? []).map((n) => ({ value: n.id, label: n.name }))} popupMatchSelectWidth={false} />
        <Select allowClear placeholder={t('inventory.kind')} style={{ width: 180 }} value={query.kind} onChange={(v) => set({ kind: v })} options={RESOURCE_KINDS.map((k) => ({ value: k, label: t(`inventory.kinds.${k}`) }))} />
        <Select allowClear placeholder={t('inventory.status')} style={{ width: 120 }} value={query.status} onChange={(v) => set({ status: v })} options={(['active', 'deleted'] as const).map((k) => ({ value: k, label: t(`inventory.statuses.${k}`) }))} />
        <Select allowClear placeholder={t('inventory.flag')} style={{ width: 180 }} value={query.flag} onChange={(v) => set({ flag: v })} options={RESOURCE_FLAGS.map((k) => ({ value: k, label: t(`inventory.flags.${k}`) }))} />
        <Button icon={<DownloadOutlined />} loading={exporter.isPending} onClick={() => exporter.mutate()}>{t('inventory.export')}</Button>
      </Space>
      {list.error && <Alert type="error" message={errorText(list.error)} />}
      <Table
        rowKey="id" size="small" loading={list.isLoading} columns={columns} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} onChange={onChange}
        pagination={{ current: Number(query.page), pageSize: Number(query.pageSize), total: list.data?.total ?? 0, showSizeChanger: true, showTotal: (n) => t('inventory.total', { n }) }}
        data-testid="inventory-resources"
      />
      {open && <ResourceDrawer id={open} onClose={() => setOpen(undefined)} />}
    </Space>
  );
}

function Flags() {
  const { t } = useTranslation();
  const [query, setQuery] = useState<FlagsQuery>({ page: '1', pageSize: '50' });
  const [open, setOpen] = useState<string>();
  const flags = useQuery({ queryKey: inventoryKeys.flags(query), queryFn: () => inventoryApi.flags(query) });
  const counts = flags.data?.counts ?? {};
  const columns: ColumnsType<Flag> = [
    { title: t('inventory.flag'), dataIndex: 'type', render: (f: string) => <FlagTags flags={[f]} /> },
    { title: t('inventory.provider'), key: 'provider', render: (_, f) => f.provider.name ?? '—' },
    { title: t('inventory.node'), key: 'node', render: (_, f) => f.node.name ?? '—' },
    { title: t('inventory.systemNo'), dataIndex: 'systemNo', render: (v: string | null, f) => (v ? <Tooltip title={f.system?.name}>{v}</Tooltip> : '—') },
    { title: t('inventory.unit'), key: 'unit', render: (_, f) => (f.unit ? (f.unit.name ?? t('inventory.hiddenName')) : '—') },
    { title: t('inventory.resource'), key: 'resource', render: (_, f) => (f.resource ? <a onClick={() => setOpen(f.resource!.id)}>{t(`inventory.kinds.${f.resource.kind}`)} · {f.resource.name}</a> : '—') },
    {
      title: t('inventory.details'), key: 'details',
      render: (_, f) => (f.details.length === 0 ? '—' : (
        <ul style={{ margin: 0, paddingLeft: 16 }}>
          {f.details.map((d) => (
            <li key={d.field}>{t(`inventory.fields.${d.field}`, { defaultValue: d.field })}：{t('inventory.reported')} {d.reported ?? '—'} / {t('inventory.registered')} {d.registered ?? '—'}</li>
          ))}
        </ul>
      )),
    },
    { title: t('inventory.lastSeenAt'), dataIndex: 'lastSeenAt', render: (v: string) => fmtTime(v) },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Segmented
        value={query.type ?? 'all'}
        onChange={(v) => setQuery((q) => ({ ...q, page: '1', type: v === 'all' ? undefined : (v as FlagsQuery['type']) }))}
        options={[{ value: 'all', label: t('inventory.all') }, ...FLAG_TYPES.map((f) => ({ value: f, label: `${t(`inventory.flags.${f}`)} ${counts[f] ?? 0}` }))]}
      />
      {query.type && <Typography.Text type="secondary">{t(`inventory.flagHelp.${query.type}`)}</Typography.Text>}
      {flags.error && <Alert type="error" message={errorText(flags.error)} />}
      <Table
        rowKey={(f) => `${f.type}:${f.resource?.id ?? ''}:${f.provider.id}:${f.systemNo ?? ''}`} size="small" loading={flags.isLoading} columns={columns}
        dataSource={flags.data?.items ?? []} locale={{ emptyText: <Empty description={t('inventory.noFlags')} /> }} scroll={{ x: 'max-content' }}
        pagination={{ current: Number(query.page), pageSize: Number(query.pageSize), total: flags.data?.total ?? 0, onChange: (p, s) => setQuery((q) => ({ ...q, page: String(p), pageSize: String(s) })), showTotal: (n) => t('inventory.total', { n }) }}
        data-testid="inventory-flags"
      />
      {open && <ResourceDrawer id={open} onClose={() => setOpen(undefined)} />}
    </Space>
  );
}

/** 资源清单: overview (counts, capacity, trend), searchable resources with history, anomalies. */
export default function InventoryPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [tab, setTab] = useState('overview');
  return (
    <Card
      title={t('inventory.title')}
      extra={<Button icon={<ReloadOutlined />} onClick={() => void queryClient.invalidateQueries({ queryKey: inventoryKeys.all })} data-testid="inventory-refresh">{t('inventory.refresh')}</Button>}
    >
      <Tabs
        activeKey={tab} onChange={setTab} destroyOnHidden
        items={[
          { key: 'overview', label: <span data-testid="inventory-tab-overview">{t('inventory.tabOverview')}</span>, children: <Overview onFlags={() => setTab('flags')} /> },
          { key: 'resources', label: <span data-testid="inventory-tab-resources">{t('inventory.tabResources')}</span>, children: <Resources /> },
          { key: 'flags', label: <span data-testid="inventory-tab-flags">{t('inventory.tabFlags')}</span>, children: <Flags /> },
        ]}
      />
    </Card>
  );
}
