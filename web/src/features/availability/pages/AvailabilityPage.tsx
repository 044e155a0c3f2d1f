import { useMemo, useState } from 'react';
import { App as AntApp, Alert, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Statistic, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { EChart } from '../../../app/EChart';
import { ObjectivesCard } from './ObjectivesCard';
import { availabilityApi, availabilityKeys, duration, STATE_COLOR, STATES, type BoardQuery, type ComplianceRow, type NewProbe, type Outage, type OutageQuery, type Probe } from '../availability.api';

const TABS = ['board', 'outages', 'sla'] as const;
type Tab = (typeof TABS)[number];

/** 可用性监测: status board of every probe, outages, monthly SLA compliance. */
export default function AvailabilityPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.tab ?? '') ? (params.tab as Tab) : 'board';
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => navigate(`/availability/${k}`)}
      destroyOnHidden
      items={[
        { key: 'board', label: t('availability.tabs.board'), children: <BoardTab /> },
        { key: 'outages', label: t('availability.tabs.outages'), children: <OutagesTab /> },
        { key: 'sla', label: t('availability.tabs.sla'), children: <SlaTab /> },
      ]}
    />
  );
}

function StateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return <Tag color={STATE_COLOR[state]} data-testid={`state-${state}`}>{t(`availability.states.${state}`)}</Tag>;
}

function BoardTab() {
  const { t } = useTranslation();
  const can = useCan();
  const [q, setQ] = useState<BoardQuery>({ page: 1, pageSize: 20 });
  const [adding, setAdding] = useState(false);
  const board = useQuery({ queryKey: availabilityKeys.board(q), queryFn: () => availabilityApi.board(q), refetchInterval: 30_000 });
  const set = (patch: Partial<BoardQuery>) => setQ((old) => ({ ...old, page: 1, ...patch }));
  const counts = board.data?.counts;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space size="large" wrap>
        {STATES.map((s) => (
          <Card key={s} size="small" hoverable onClick={() => set({ state: q.state === s ? undefined : s })} style={{ minWidth: 130, borderColor: q.state === s ? '#1677ff' : undefined }}>
            <Statistic title={t(`availability.states.${s}`)} value={counts?.[s] ?? 0} valueStyle={{ color: s === 'down' ? '#cf1322' : undefined }} />
          </Card>
        ))}
      </Space>
      <Card
        size="small"
        title={
          <Space wrap>
            <Select data-testid="availability-state-filter" style={{ width: 120 }} value={q.state ?? ''} onChange={(v) => set({ state: (v || undefined) as BoardQuery['state'] })}
              options={[{ value: '', label: t('availability.all') }, ...STATES.map((s) => ({ value: s, label: t(`availability.states.${s}`) }))]} />
            <Select allowClear placeholder={t('availability.kind')} style={{ width: 130 }} value={q.kind} onChange={(v) => set({ kind: v })} options={(['icmp', 'tcp', 'http', 'dns'] as const).map((k) => ({ value: k, label: t(`availability.kinds.${k}`) }))} />
            <Select allowClear placeholder={t('availability.origin')} style={{ width: 130 }} value={q.origin} onChange={(v) => set({ origin: v })}
              options={(['inventory_host', 'inventory_ip', 'system_url', 'manual', 'demo'] as const).map((k) => ({ value: k, label: t(`availability.origins.${k}`) }))} />
            <Input.Search data-testid="availability-keyword" allowClear placeholder={t('availability.keywordHint')} style={{ width: 240 }} onSearch={(v) => set({ keyword: v || undefined })} />
          </Space>
        }
        extra={
          <Space>
            {can('availability:manage') && <Button data-testid="availability-add" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('availability.add')}</Button>}
            <Button icon={<ReloadOutlined />} onClick={() => void board.refetch()}>{t('availability.refresh')}</Button>
          </Space>
        }
      >
        <Table<Probe>
          data-testid="availability-board"
          rowKey="id"
          size="small"
          loading={board.isLoading}
          dataSource={board.data?.items ?? []}
          pagination={{ current: q.page, pageSize: q.pageSize, total: board.data?.total ?? 0, showTotal: (n) => t('availability.total', { n }), onChange: (page, pageSize) => setQ((o) => ({ ...o, page, pageSize })) }}
          scroll={{ x: 1400 }}
          columns={[
            { title: t('availability.state'), dataIndex: 'state', width: 90, render: (s: string, r) => (r.unreachableNote ? <Tooltip title={r.unreachableNote}><Space size={2}><StateTag state={s} /><Tag>{t('availability.unreachable')}</Tag></Space></Tooltip> : <StateTag state={s} />) },
            { title: t('availability.name'), dataIndex: 'name', width: 240, ellipsis: true, render: (n: string, r) => <Link to={`/availability/probes/${r.id}`}>{n}</Link> },
            { title: t('availability.kind'), dataIndex: 'kind', width: 100, render: (k: string) => t(`availability.kinds.${k}`) },
            { title: t('availability.target'), dataIndex: 'target', width: 220, ellipsis: true, render: (v: string, r) => (r.port ? `${v}:${r.port}` : v) },
            { title: t('availability.since'), dataIndex: 'stateSince', width: 150, render: (d: string) => fmtTime(d) },
            { title: t('availability.rtt'), dataIndex: 'lastRttMs', width: 110, render: (v: number | null) => (v === null ? '—' : v.toFixed(1)) },
            { title: t('availability.detail'), dataIndex: 'lastDetail', width: 240, ellipsis: true, render: (v: string | null, r) => v ?? r.unreachableNote ?? '—' },
            { title: t('availability.system'), dataIndex: ['system', 'name'], width: 160, render: (v: string | null) => v ?? '—' },
            { title: t('availability.provider'), dataIndex: ['provider', 'name'], width: 160, render: (v: string | null) => v ?? '—' },
            { title: t('availability.origin'), dataIndex: 'origin', width: 100, render: (o: string) => t(`availability.origins.${o}`) },
          ]}
        />
      </Card>
      <NewProbeModal open={adding} onClose={() => setAdding(false)} />
    </Space>
  );
}

function NewProbeModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<NewProbe & { keyword?: string }>();
  const kind = Form.useWatch('kind', form);
  const create = useMutation({
    mutationFn: (v: NewProbe & { keyword?: string }) => {
      const { keyword, ...rest } = v;
      return availabilityApi.create({ ...rest, ...(keyword ? { config: { keyword } } : {}) });
    },
    onSuccess: () => {
      void message.success(t('availability.done'));
      void qc.invalidateQueries({ queryKey: availabilityKeys.all });
      form.resetFields();
      onClose();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <Modal open={open} title={t('availability.add')} onCancel={onClose} onOk={() => form.submit()} okText={t('availability.create')} okButtonProps={{ 'data-testid': 'availability-create' } as React.ComponentProps<typeof Button>} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ kind: 'http', intervalSeconds: 60, timeoutMs: 5000, retries: 1 }} onFinish={(v) => create.mutate(v)}>
        <Form.Item name="name" label={t('availability.name')} rules={[{ required: true }]}><Input data-testid="availability-new-name" /></Form.Item>
        <Form.Item name="kind" label={t('availability.kind')}><Select options={(['http', 'tcp', 'icmp', 'dns'] as const).map((k) => ({ value: k, label: t(`availability.kinds.${k}`) }))} /></Form.Item>
        <Form.Item name="target" label={t('availability.target')} rules={[{ required: true }]}><Input data-testid="availability-new-target" placeholder={kind === 'http' ? 'https://…' : '10.0.0.1'} /></Form.Item>
        {kind === 'tcp' && <Form.Item name="port" label={t('availability.port')} rules={[{ required: true }]}><InputNumber data-testid="availability-new-port" min={1} max={65535} /></Form.Item>}
        {kind === 'http' && <Form.Item name="keyword" label={t('availability.keyword')}><Input /></Form.Item>}
        <Space>
          <Form.Item name="intervalSeconds" label={t('availability.interval')}><InputNumber min={10} max={86400} /></Form.Item>
          <Form.Item name="timeoutMs" label={t('availability.timeout')}><InputNumber min={100} max={60000} /></Form.Item>
          <Form.Item name="retries" label={t('availability.retries')}><InputNumber min={0} max={5} /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function OutagesTab() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const can = useCan();
  const [q, setQ] = useState<OutageQuery>({ page: 1, pageSize: 20 });
  const [ack, setAck] = useState<Outage | null>(null);
  const [cause, setCause] = useState('');
  const list = useQuery({ queryKey: availabilityKeys.outages(q), queryFn: () => availabilityApi.outages(q) });
  const acknowledge = useMutation({
    mutationFn: () => availabilityApi.acknowledge(ack!.id, cause || undefined),
    onSuccess: () => {
      setAck(null);
      setCause('');
      void message.success(t('availability.done'));
      void qc.invalidateQueries({ queryKey: availabilityKeys.all });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <Card size="small" title={<Space><Switch data-testid="outages-open-only" checked={q.open === 'true'} onChange={(v) => setQ((o) => ({ ...o, page: 1, open: v ? 'true' : undefined }))} />{t('availability.openOnly')}</Space>}>
      <Table<Outage>
        data-testid="availability-outages"
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('availability.total', { n }), onChange: (page, pageSize) => setQ((o) => ({ ...o, page, pageSize })) }}
        scroll={{ x: 1400 }}
        columns={[
          { title: t('availability.name'), dataIndex: 'probeName', width: 220, ellipsis: true, render: (n: string, r) => <Space size={4}><Link to={`/availability/probes/${r.probeId}`}>{n}</Link>{r.simulated && <Tag>{t('availability.simulated')}</Tag>}</Space> },
          { title: t('availability.system'), dataIndex: ['system', 'name'], width: 160, render: (v: string | null) => v ?? '—' },
          { title: t('availability.provider'), dataIndex: ['provider', 'name'], width: 160, render: (v: string | null) => v ?? '—' },
          { title: t('availability.startedAt'), dataIndex: 'startedAt', width: 150, render: (d: string) => fmtTime(d) },
          { title: t('availability.confirmedAt'), dataIndex: 'confirmedAt', width: 150, render: (d: string) => fmtTime(d) },
          { title: t('availability.endedAt'), dataIndex: 'endedAt', width: 150, render: (d: string | null) => (d ? fmtTime(d) : <Tag color="red">{t('availability.ongoing')}</Tag>) },
          { title: t('availability.duration'), dataIndex: 'durationSeconds', width: 120, render: (s: number) => duration(s, i18n.language) },
          { title: t('availability.cause'), dataIndex: 'causeNote', width: 220, ellipsis: true, render: (v: string | null) => v ?? '—' },
          { title: t('availability.acknowledged'), dataIndex: 'acknowledgedAt', width: 150, render: (d: string | null, r) => (d ? fmtTime(d) : r.escalatedAt ? <Tag color="volcano">{t('availability.escalated')}</Tag> : '—') },
          ...(can('availability:acknowledge') || can('availability:manage')
            ? [{ title: '', key: 'ack', width: 140, render: (_: unknown, r: Outage) => <Button size="small" data-testid="outage-acknowledge" onClick={() => { setAck(r); setCause(r.causeNote ?? ''); }}>{t('availability.acknowledge')}</Button> }]
            : []),
        ]}
      />
      <Modal open={ack !== null} title={t('availability.acknowledge')} onCancel={() => setAck(null)} onOk={() => acknowledge.mutate()} confirmLoading={acknowledge.isPending} okButtonProps={{ 'data-testid': 'outage-acknowledge-ok' } as React.ComponentProps<typeof Button>}>
        <Input.TextArea data-testid="outage-cause" rows={4} value={cause} placeholder={t('availability.causePlaceholder')} onChange={(e) => setCause(e.target.value)} maxLength={2000} />
      </Modal>
    </Card>
  );
}

function SlaTab() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const rows = useQuery({ queryKey: availabilityKeys.compliance(month), queryFn: () => availabilityApi.compliance(month) });
  const items = useMemo(() => rows.data ?? [], [rows.data]);
  const option = useMemo(() => {
    const measured = items.filter((r) => r.availabilityPercent !== null);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 60, right: 20, top: 20, bottom: 100 },
      xAxis: { type: 'category', data: measured.map((r) => (r.scope === 'service' ? `${r.scopeName}·${r.providerName ?? ''}` : r.systemName ?? r.providerName ?? '')), axisLabel: { rotate: 40, fontSize: 10 } },
      yAxis: { type: 'value', min: (v: { min: number }) => Math.max(0, Math.floor(v.min * 10) / 10 - 0.1), max: 100, axisLabel: { formatter: '{value}%' } },
      series: [{ type: 'bar', data: measured.map((r) => ({ value: Number(r.availabilityText), itemStyle: { color: r.met ? '#52c41a' : '#f5222d' } })) }],
    };
  }, [items]);
  const exp = (format: 'xlsx' | 'pdf') => void availabilityApi.exportCompliance(month, format).catch((e: unknown) => message.error(errorText(e)));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon message={t('availability.slaHint')} />
      <Card
        size="small"
        title={<Space>{t('availability.month')}<DatePicker data-testid="sla-month" picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} /></Space>}
        extra={<Space><Button data-testid="sla-export-xlsx" icon={<DownloadOutlined />} onClick={() => exp('xlsx')}>{t('availability.exportXlsx')}</Button><Button data-testid="sla-export-pdf" icon={<DownloadOutlined />} onClick={() => exp('pdf')}>{t('availability.exportPdf')}</Button></Space>}
      >
        {items.length > 0 && <EChart option={option} height={280} testId="sla-chart" />}
        <Table<ComplianceRow>
          data-testid="sla-table"
          rowKey={(r) => `${r.objectiveId}:${r.systemId ?? ''}:${r.scope === 'service' ? r.providerOrgId ?? '' : ''}`}
          size="small"
          loading={rows.isLoading}
          dataSource={items}
          pagination={{ pageSize: 50 }}
          scroll={{ x: 1500 }}
          columns={[
            { title: t('availability.provider'), dataIndex: 'providerName', width: 180, render: (v: string | null) => v ?? '—' },
            { title: t('availability.unit'), dataIndex: 'unitName', width: 180, render: (v: string | null) => v ?? '—' },
            { title: t('availability.system'), dataIndex: 'systemName', width: 200, render: (v: string | null, r) => (r.scope === 'service' ? <Space size={4}>{t('availability.service', { name: r.scopeName })}<Typography.Text type="secondary">{t('availability.serviceObjects', { n: r.probes })}</Typography.Text></Space> : v ?? (r.systemId ? '—' : t('availability.noHostSystem'))) },
            { title: t('availability.target_'), dataIndex: 'targetPercent', width: 80 },
            { title: t('availability.availability'), dataIndex: 'availabilityText', width: 110, render: (v: string | null) => (v === null ? <Typography.Text type="secondary" data-testid="sla-availability">{t('availability.noData')}</Typography.Text> : <span data-testid="sla-availability">{v}</span>) },
            { title: t('availability.downTime'), dataIndex: 'downSeconds', width: 120, render: (s: number) => duration(s, i18n.language) },
            { title: t('availability.unknownTime'), dataIndex: 'unknownSeconds', width: 120, render: (s: number) => duration(s, i18n.language) },
            { title: t('availability.maintenanceTime'), dataIndex: 'maintenanceSeconds', width: 120, render: (s: number) => duration(s, i18n.language) },
            { title: t('availability.longest'), dataIndex: 'longestOutageSeconds', width: 120, render: (s: number) => duration(s, i18n.language) },
            { title: t('availability.budget'), dataIndex: 'budgetLeftMinutes', width: 120, render: (v: number | null, r) => (v === null ? <span data-testid="sla-budget">—</span> : <Space size={2}><span data-testid="sla-budget">{v}</span>{r.burnWarning && <Tag color="orange">{t('availability.burn')}</Tag>}</Space>) },
            { title: t('availability.met'), dataIndex: 'met', width: 200, render: (m: boolean | null, r) => (m === null ? <Tag>{t('availability.noData')}</Tag> : m ? <Tag color="green">{t('availability.met')}</Tag> : <Tooltip title={r.reasons.join('；')}><Tag color="red" data-testid="sla-not-met">{t('availability.notMet')}</Tag></Tooltip>) },
          ]}
        />
      </Card>
      <ObjectivesCard />
    </Space>
  );
}
