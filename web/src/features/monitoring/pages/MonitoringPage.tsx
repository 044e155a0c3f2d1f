import { useMemo, useState } from 'react';
import { App as AntApp, Alert as AntAlert, Button, Card, Col, Descriptions, Drawer, Input, Row, Segmented, Select, Space, Statistic, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { EChart } from '../../../app/EChart';
import { EnvironmentTab, MaintenanceTab, RulesTab } from './MonitoringForms';
import { ExpansionsTab } from './MonitoringExpansions';
import { monitoringApi, monitoringKeys, RANGES, SEVERITIES, SEVERITY_COLOR, STATUS_COLOR, type Alert, type AlertQuery, type CapacityItem, type GroupCount, type Range, type TopItem } from '../monitoring.api';

const TABS = ['alerts', 'hosts', 'top', 'capacity', 'expansions', 'rules', 'maintenance', 'environment'] as const;
type Tab = (typeof TABS)[number];

const duration = (s: number | null) => (s === null ? '—' : s >= 3600 ? `${Math.floor(s / 3600)}h${Math.round((s % 3600) / 60)}m` : `${Math.round(s / 60)}m`);

const TAB_VIEW: Record<Tab, () => React.ReactNode> = {
  alerts: () => <AlertsTab />, hosts: () => <HostsTab />, top: () => <TopTab />, capacity: () => <CapacityTab />, expansions: () => <ExpansionsTab />,
  rules: () => <RulesTab />, maintenance: () => <MaintenanceTab />, environment: () => <EnvironmentTab />,
};

/** 监控告警与容量: alarm view, host charts, TopN, capacity dashboard, alert rules. */
export default function MonitoringPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.tab ?? '') ? (params.tab as Tab) : 'alerts';
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => navigate(`/monitoring/${k}`)}
      destroyOnHidden
      items={TABS.map((k) => ({ key: k, label: t(`monitoring.tabs.${k}`), children: TAB_VIEW[k]() }))}
    />
  );
}

function Groups({ title, rows, testId }: { title: string; rows: GroupCount[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={title}>
      <Table<GroupCount> data-testid={testId} size="small" rowKey={(r) => r.id ?? '-'} dataSource={rows} pagination={false}
        columns={[
          { title: t('monitoring.name'), render: (_, r) => r.name ?? '—' },
          ...SEVERITIES.map((s) => ({ title: t(`monitoring.severities.${s}`), render: (_: unknown, r: GroupCount) => r.bySeverity[s] || '' })),
          { title: t('monitoring.count'), dataIndex: 'total' },
        ]} />
    </Card>
  );
}

function AlertsTab() {
  const { t } = useTranslation();
  const [search] = useSearchParams();
  const [q, setQ] = useState<AlertQuery>({ status: 'open', page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string | null>(search.get('id'));
  const summary = useQuery({ queryKey: monitoringKeys.summary, queryFn: monitoringApi.summary });
  const list = useQuery({ queryKey: monitoringKeys.alerts(q), queryFn: () => monitoringApi.alerts(q) });
  const set = (patch: Partial<AlertQuery>) => setQ((old) => ({ ...old, page: 1, ...patch }));
  const s = summary.data;
  const chart = useMemo(() => ({
    tooltip: {},
    xAxis: { type: 'category', data: SEVERITIES.map((x) => t(`monitoring.severities.${x}`)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: SEVERITIES.map((x) => ({ value: s?.bySeverity[x] ?? 0, itemStyle: { color: { critical: '#c41d7f', major: '#cf1322', minor: '#d46b08', info: '#1677ff' }[x] } })) }],
  }), [s, t]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Row gutter={12}>
        <Col span={6}><Card size="small"><Statistic title={t('monitoring.firing')} value={s?.total ?? 0} /></Card></Col>
        {SEVERITIES.map((x) => (
          <Col span={4} key={x}><Card size="small"><Statistic title={t(`monitoring.severities.${x}`)} value={s?.bySeverity[x] ?? 0} valueStyle={{ color: x === 'critical' || x === 'major' ? '#cf1322' : undefined }} /></Card></Col>
        ))}
      </Row>
      <Row gutter={12}>
        <Col span={6}><Card size="small"><EChart option={chart} height={200} testId="monitoring-severity-chart" /></Card></Col>
        <Col span={6}><Groups title={t('monitoring.byNode')} rows={s?.byNode ?? []} testId="monitoring-by-node" /></Col>
        <Col span={6}><Groups title={t('monitoring.byProvider')} rows={s?.byProvider ?? []} testId="monitoring-by-provider" /></Col>
        <Col span={6}><Groups title={t('monitoring.byUnit')} rows={s?.byUnit ?? []} testId="monitoring-by-unit" /></Col>
      </Row>
      <Card size="small"
        title={
          <Space wrap>
            <Select data-testid="monitoring-status-filter" style={{ width: 140 }} value={q.status ?? ''} onChange={(v) => set({ status: v || undefined })}
              options={[{ value: '', label: t('monitoring.all') }, ...['open', 'firing', 'acknowledged', 'resolved'].map((x) => ({ value: x, label: t(`monitoring.statuses.${x}`) }))]} />
            <Select allowClear placeholder={t('monitoring.severity')} style={{ width: 120 }} value={q.severity} onChange={(v) => set({ severity: v })} options={SEVERITIES.map((x) => ({ value: x, label: t(`monitoring.severities.${x}`) }))} />
          </Space>
        }
        extra={<Space><Button icon={<DownloadOutlined />} onClick={() => void monitoringApi.exportAlerts(q)}>{t('monitoring.export')}</Button><Button icon={<ReloadOutlined />} onClick={() => { void list.refetch(); void summary.refetch(); }}>{t('monitoring.refresh')}</Button></Space>}
      >
        <Table<Alert> data-testid="monitoring-alerts" size="small" rowKey="id" loading={list.isLoading} dataSource={list.data?.items ?? []}
          onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
          pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('monitoring.total', { n }), onChange: (page, pageSize) => setQ((o) => ({ ...o, page, pageSize })) }}
          columns={[
            { title: t('monitoring.severity'), dataIndex: 'severity', width: 80, render: (v: Alert['severity']) => <Tag color={SEVERITY_COLOR[v]}>{t(`monitoring.severities.${v}`)}</Tag> },
            { title: t('monitoring.status'), dataIndex: 'status', width: 120, render: (v: string, r) => <Space size={2}><Tag color={STATUS_COLOR[v]}>{t(`monitoring.statuses.${v}`)}</Tag>{r.flapping && <Tag color="purple" data-testid="monitoring-alert-flapping">{t('monitoring.flapping')}</Tag>}</Space> },
            { title: t('monitoring.rule'), dataIndex: 'ruleName' },
            { title: t('monitoring.object'), dataIndex: 'objectLabel' },
            { title: t('monitoring.system'), dataIndex: 'systemName', render: (v: string | null) => v ?? '—' },
            { title: t('monitoring.unit'), dataIndex: 'unitName', render: (v: string | null) => v ?? '—' },
            { title: t('monitoring.node'), dataIndex: 'nodeName' },
            { title: t('monitoring.message'), dataIndex: 'message', ellipsis: true },
            { title: t('monitoring.startedAt'), dataIndex: 'startedAt', width: 160, render: fmtTime },
            { title: t('monitoring.duration'), dataIndex: 'durationSeconds', width: 80, render: duration },
            { title: t('monitoring.ticket'), dataIndex: 'ticketId', width: 80, render: (v: string | null | undefined) => v ? <Link to={`/tickets?id=${v}`} onClick={(e) => e.stopPropagation()} data-testid="monitoring-alert-ticket">{t('monitoring.openTicket')}</Link> : '—' },
          ]} />
      </Card>
      <AlertDrawer id={openId} onClose={() => setOpenId(null)} />
    </Space>
  );
}

function AlertDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [comment, setComment] = useState('');
  const detail = useQuery({ queryKey: monitoringKeys.alert(id ?? ''), queryFn: () => monitoringApi.alert(id!), enabled: !!id });
  const ack = useMutation({
    mutationFn: () => monitoringApi.acknowledge(id!, comment),
    onSuccess: () => {
      setComment('');
      void qc.invalidateQueries({ queryKey: monitoringKeys.all });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const a = detail.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={560} title={t('monitoring.detail')}>
      {a && (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="monitoring-alert-detail">
          <Descriptions size="small" column={1} bordered
            items={[
              { label: t('monitoring.severity'), children: <Tag color={SEVERITY_COLOR[a.severity]}>{t(`monitoring.severities.${a.severity}`)}</Tag> },
              { label: t('monitoring.status'), children: <Space size={2}><Tag data-testid="monitoring-alert-status" color={STATUS_COLOR[a.status]}>{t(`monitoring.statuses.${a.status}`)}</Tag>{a.flapping && <Tag color="purple">{t('monitoring.flapping')}</Tag>}</Space> },
              { label: t('monitoring.ticket'), children: a.ticketId ? <Link to={`/tickets?id=${a.ticketId}`}>{t('monitoring.openTicket')}</Link> : '—' },
              { label: t('monitoring.rule'), children: a.ruleName },
              { label: t('monitoring.object'), children: a.objectLabel },
              { label: t('monitoring.message'), children: a.message },
              { label: t('monitoring.startedAt'), children: fmtTime(a.startedAt) },
              { label: t('monitoring.ackBy'), children: a.acknowledgedBy ? `${a.acknowledgedBy}：${a.ackComment ?? ''}` : '—' },
              { label: t('monitoring.resolvedAt'), children: a.resolvedAt ? `${fmtTime(a.resolvedAt)}（${duration(a.durationSeconds)}）` : '—' },
            ]} />
          {a.abilities.acknowledge && (
            <Space.Compact style={{ width: '100%' }}>
              <Input data-testid="monitoring-ack-comment" placeholder={t('monitoring.ackComment')} value={comment} onChange={(e) => setComment(e.target.value)} />
              <Button data-testid="monitoring-ack" type="primary" disabled={!comment.trim()} loading={ack.isPending} onClick={() => ack.mutate()}>{t('monitoring.acknowledge')}</Button>
            </Space.Compact>
          )}
          <Typography.Title level={5}>{t('monitoring.history')}</Typography.Title>
          <Timeline items={a.events.map((e) => ({ children: `${fmtTime(e.at)} ${t(`monitoring.actions.${e.action}`)}${e.actor ? ` · ${e.actor}` : ''}${e.note ? ` · ${e.note}` : ''}` }))} />
        </Space>
      )}
    </Drawer>
  );
}

function HostsTab() {
  const { t } = useTranslation();
  const [keyword, setKeyword] = useState('');
  const [seriesId, setSeriesId] = useState<string | null>(null);
  const [range, setRange] = useState<Range>('24h');
  const [kind, setKind] = useState<'host' | 'system'>('host');
  const series = useQuery({ queryKey: monitoringKeys.series(keyword, kind), queryFn: () => monitoringApi.series(keyword, kind) });
  const chart = useQuery({ queryKey: monitoringKeys.chart(seriesId ?? '', range), queryFn: () => monitoringApi.chart(seriesId!, range), enabled: !!seriesId });
  // Percent metrics on the chart: a host's CPU / memory / storage, a system's egress link usage (出口链路使用率).
  const shown = useMemo(() => (chart.data?.metrics ?? []).filter((m) => ['cpu', 'memory', 'disk_standard', 'egress_usage'].includes(m.metric)), [chart.data]);
  const option = useMemo(() => ({
    tooltip: { trigger: 'axis' },
    legend: {},
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: '%', max: 100 },
    series: shown.map((m) => ({ type: 'line', name: m.cn, showSymbol: false, data: m.points.map((p) => [p.at, p.avg]) })),
  }), [shown]);
  const rows = (chart.data?.metrics ?? []).flatMap((m) => m.points.map((p) => ({ key: `${m.metric}|${p.at}`, metric: m.cn, unit: m.unit, ...p })));
  return (
    <Row gutter={12}>
      <Col span={7}>
        <Card size="small" title={<Space direction="vertical" style={{ width: '100%', padding: '8px 0' }}>
          <Segmented data-testid="monitoring-series-kind" block value={kind} onChange={(v) => { setKind(v as 'host' | 'system'); setSeriesId(null); }}
            options={(['host', 'system'] as const).map((k) => ({ value: k, label: t(`monitoring.seriesKinds.${k}`) }))} />
          <Input.Search data-testid="monitoring-host-search" allowClear placeholder={kind === 'host' ? t('monitoring.searchHost') : t('monitoring.searchSystem')} onSearch={setKeyword} />
        </Space>}>
          <Table data-testid="monitoring-hosts" size="small" rowKey="id" dataSource={series.data ?? []} pagination={{ pageSize: 15 }} loading={series.isLoading}
            onRow={(r) => ({ onClick: () => setSeriesId(r.id), style: { cursor: 'pointer', background: r.id === seriesId ? '#e6f4ff' : undefined } })}
            columns={[
              { title: kind === 'host' ? t('monitoring.host') : t('monitoring.system'), dataIndex: 'label', render: (v: string, r) => (kind === 'system' && r.unitName ? <Space direction="vertical" size={0}>{v}<Typography.Text type="secondary">{r.unitName}</Typography.Text></Space> : v) },
              { title: t('monitoring.lastAt'), dataIndex: 'lastAt', render: (v: string, r) => (r.noData ? <Tag color="red">{t('monitoring.noData')}</Tag> : fmtTime(v)) },
            ]} />
        </Card>
      </Col>
      <Col span={17}>
        <Card size="small"
          title={<Space><Segmented data-testid="monitoring-range" value={range} onChange={(v) => setRange(v as Range)} options={RANGES.map((r) => ({ value: r, label: r }))} />{chart.data && <Tag>{t(`monitoring.resolutions.${chart.data.resolution}`)}</Tag>}</Space>}
          extra={seriesId && <Button icon={<DownloadOutlined />} onClick={() => void monitoringApi.exportChart(seriesId, range)}>{t('monitoring.export')}</Button>}>
          {!seriesId ? <Typography.Text type="secondary">{t('monitoring.chooseHost')}</Typography.Text> : (
            <>
              <Typography.Title level={5} data-testid="monitoring-chart-title">{chart.data?.label}</Typography.Title>
              {shown.length === 0 && !chart.isLoading ? <AntAlert type="info" message={t('monitoring.noData')} /> : <EChart option={option} height={300} testId="monitoring-host-chart" />}
              <Table data-testid="monitoring-chart-table" size="small" rowKey="key" dataSource={rows} pagination={{ pageSize: 10 }}
                columns={[
                  { title: t('monitoring.metric'), dataIndex: 'metric' }, { title: t('monitoring.time'), dataIndex: 'at', render: (v: string) => (v.length === 10 ? v : fmtTime(v)) },
                  { title: t('monitoring.avg'), dataIndex: 'avg' }, { title: t('monitoring.min'), dataIndex: 'min' }, { title: t('monitoring.max'), dataIndex: 'max' }, { title: t('monitoring.p95'), dataIndex: 'p95' },
                  { title: t('monitoring.samples'), dataIndex: 'n' },
                ]} />
            </>
          )}
        </Card>
      </Col>
    </Row>
  );
}

function TopTab() {
  const { t } = useTranslation();
  const [metric, setMetric] = useState('cpu');
  const [period, setPeriod] = useState('24h');
  const top = useQuery({ queryKey: monitoringKeys.top(metric, period), queryFn: () => monitoringApi.top(metric, period) });
  const items = useMemo(() => top.data?.items ?? [], [top.data]);
  const option = useMemo(() => ({
    tooltip: {}, grid: { left: 160 },
    xAxis: { type: 'value', name: top.data?.unit },
    yAxis: { type: 'category', inverse: true, data: items.map((i) => i.label) },
    series: [{ type: 'bar', name: t('monitoring.avg'), data: items.map((i) => i.avg) }, { type: 'bar', name: t('monitoring.p95'), data: items.map((i) => i.p95) }],
  }), [items, top.data?.unit, t]);
  return (
    <Card size="small"
      title={<Space>
        <Select style={{ width: 180 }} value={metric} onChange={setMetric} options={['cpu', 'memory', 'disk_standard', 'net_up', 'net_down', 'disk_read', 'disk_write'].map((m) => ({ value: m, label: t(`monitoring.metrics.${m}`) }))} />
        <Segmented value={period} onChange={(v) => setPeriod(String(v))} options={['1h', '24h', '7d', '30d']} />
      </Space>}
      extra={<Button icon={<DownloadOutlined />} onClick={() => void monitoringApi.exportTop(metric, period)}>{t('monitoring.export')}</Button>}>
      <EChart option={option} height={320} testId="monitoring-top-chart" />
      <Table<TopItem> data-testid="monitoring-top" size="small" rowKey="seriesId" dataSource={items} pagination={false}
        columns={[
          { title: t('monitoring.object'), dataIndex: 'label' }, { title: t('monitoring.system'), dataIndex: 'systemName' }, { title: t('monitoring.unit'), dataIndex: 'unitName' },
          { title: t('monitoring.node'), dataIndex: 'nodeName' }, { title: t('monitoring.avg'), dataIndex: 'avg' }, { title: t('monitoring.p95'), dataIndex: 'p95' }, { title: t('monitoring.max'), dataIndex: 'max' },
        ]} />
    </Card>
  );
}

function CapacityTab() {
  const { t } = useTranslation();
  const cap = useQuery({ queryKey: monitoringKeys.capacity, queryFn: monitoringApi.capacity });
  const items = useMemo(() => cap.data?.items ?? [], [cap.data]);
  const option = useMemo(() => ({
    tooltip: {}, grid: { bottom: 80 },
    xAxis: { type: 'category', data: items.map((i) => `${i.nodeName ?? ''}\n${t(`monitoring.resources.${i.resource}`)}`), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', max: (v: { max: number }) => Math.max(120, Math.ceil(v.max / 10) * 10), name: '%' },
    series: [{
      type: 'bar', name: t('monitoring.ratio'),
      data: items.map((i) => ({ value: i.ratio === null ? null : Math.round(i.ratio * 1000) / 10, itemStyle: { color: (i.ratio ?? 0) > 0.8 ? '#cf1322' : '#1677ff' } })),
      markLine: { symbol: 'none', data: [{ yAxis: 80, name: '80%' }], lineStyle: { color: '#cf1322', type: 'dashed' } },
    }],
  }), [items, t]);
  return (
    <Card size="small" title={t('monitoring.capacityHint')} extra={<Button icon={<DownloadOutlined />} onClick={() => void monitoringApi.exportCapacity()}>{t('monitoring.export')}</Button>}>
      <EChart option={option} height={320} testId="monitoring-capacity-chart" />
      <Table<CapacityItem> data-testid="monitoring-capacity" size="small" rowKey={(r) => `${r.nodeId}|${r.resource}`} dataSource={items} pagination={{ pageSize: 20 }}
        columns={[
          { title: t('monitoring.provider'), dataIndex: 'providerName' }, { title: t('monitoring.node'), dataIndex: 'nodeName' },
          { title: t('monitoring.resource'), dataIndex: 'resource', render: (v: string) => t(`monitoring.resources.${v}`) },
          { title: t('monitoring.totalCap'), dataIndex: 'total' }, { title: t('monitoring.allocated'), dataIndex: 'allocated' }, { title: t('monitoring.free'), dataIndex: 'free' },
          { title: t('monitoring.ratio'), dataIndex: 'ratio', render: (v: number | null) => (v === null ? '—' : <Typography.Text type={v > 0.8 ? 'danger' : undefined}>{(v * 100).toFixed(1)}%</Typography.Text>) },
          { title: t('monitoring.deadline'), render: (_, r) => (r.warning ? <Tag color={r.warning.overdue ? 'red' : 'orange'}>{r.warning.deadline}{r.warning.overdue ? ` ${t('monitoring.overdue')}` : ''}</Tag> : '—') },
          { title: t('monitoring.overCommit'), dataIndex: 'overCommitted', render: (v: boolean) => (v ? <Tag color="red">{t('monitoring.yes')}</Tag> : '') },
          { title: t('monitoring.forecast80'), dataIndex: 'forecast80', render: (v: string | null) => v ?? t('monitoring.never') },
          { title: t('monitoring.forecast100'), dataIndex: 'forecast100', render: (v: string | null) => v ?? t('monitoring.never') },
        ]} />
    </Card>
  );
}
