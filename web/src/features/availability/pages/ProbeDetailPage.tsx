import { useMemo, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Descriptions, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { EChart } from '../../../app/EChart';
import { availabilityApi, availabilityKeys, duration, STATE_COLOR, STATE_HEX, type ProbeDetail } from '../availability.api';

const RANGES = { '24h': 1, '7d': 7, '30d': 30 } as const;
type Range = keyof typeof RANGES;

/** One probe: response-time chart, state timeline, results and outages (每张图的数字也有表格). */
export default function ProbeDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [range, setRange] = useState<Range>('24h');
  const [to] = useState(() => new Date());
  const from = new Date(to.getTime() - RANGES[range] * 86_400_000).toISOString();
  const detail = useQuery({ queryKey: availabilityKeys.probe(id, range), queryFn: () => availabilityApi.probe(id, from, to.toISOString()) });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => availabilityApi.setEnabled(id, enabled),
    onSuccess: () => void qc.invalidateQueries({ queryKey: availabilityKeys.all }),
    onError: (e) => void message.error(errorText(e)),
  });
  const p = detail.data;
  if (detail.error) return <Alert type="error" message={errorText(detail.error)} />;
  if (!p) return <Card loading />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        size="small"
        title={<Space><Link to="/availability/board">{t('availability.tabs.board')}</Link>/<span data-testid="probe-name">{p.name}</span><Tag color={STATE_COLOR[p.state]} data-testid="probe-state">{t(`availability.states.${p.state}`)}</Tag></Space>}
        extra={
          <Space>
            <Segmented value={range} onChange={(v) => setRange(v as Range)} options={Object.keys(RANGES)} />
            <Button data-testid="probe-export-xlsx" icon={<DownloadOutlined />} onClick={() => void availabilityApi.exportProbe(id, p.name, from, to.toISOString()).catch((e: unknown) => message.error(errorText(e)))}>{t('availability.exportXlsx')}</Button>
            {p.abilities.update && <Button onClick={() => toggle.mutate(!p.enabled)}>{p.enabled ? t('availability.disable') : t('availability.enable')}</Button>}
          </Space>
        }
      >
        {p.unreachableNote && <Alert style={{ marginBottom: 12 }} type="warning" showIcon message={p.unreachableNote} />}
        <Descriptions size="small" column={3} bordered>
          <Descriptions.Item label={t('availability.kind')}>{t(`availability.kinds.${p.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('availability.target')}>{p.port ? `${p.target}:${p.port}` : p.target}</Descriptions.Item>
          <Descriptions.Item label={t('availability.origin')}>{t(`availability.origins.${p.origin}`)}</Descriptions.Item>
          <Descriptions.Item label={t('availability.system')}>{p.system?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('availability.unit')}>{p.unit?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('availability.provider')}>{p.provider?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('availability.interval')}>{p.intervalSeconds}</Descriptions.Item>
          <Descriptions.Item label={t('availability.timeout')}>{p.timeoutMs}</Descriptions.Item>
          <Descriptions.Item label={t('availability.retries')}>{p.retries}</Descriptions.Item>
          <Descriptions.Item label={t('availability.since')}>{fmtTime(p.stateSince)}</Descriptions.Item>
          <Descriptions.Item label={t('availability.lastChecked')}>{fmtTime(p.lastCheckedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('availability.tlsExpires')}>{fmtTime(p.tlsExpiresAt)}</Descriptions.Item>
          <Descriptions.Item label={t('availability.detail')} span={3}>{p.lastDetail ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Space size="large" wrap>
        <Statistic title={t('availability.availability')} value={p.figures.availability ? (Number(p.figures.availability) * 100).toFixed(4) : t('availability.noData')} suffix={p.figures.availability ? '%' : undefined} />
        <Statistic title={t('availability.upTime')} value={duration(p.figures.upSeconds, i18n.language)} />
        <Statistic title={t('availability.downTime')} value={duration(p.figures.downSeconds, i18n.language)} />
        <Statistic title={t('availability.unknownTime')} value={duration(p.figures.unknownSeconds, i18n.language)} />
        <Statistic title={t('availability.maintenanceTime')} value={duration(p.figures.maintenanceSeconds, i18n.language)} />
      </Space>
      <Timeline detail={p} />
      <RttChart detail={p} />
      <Card size="small" title={t('availability.outages')}>
        <Table
          rowKey="id"
          size="small"
          dataSource={p.outages}
          pagination={false}
          columns={[
            { title: t('availability.startedAt'), dataIndex: 'startedAt', render: (d: string) => fmtTime(d) },
            { title: t('availability.endedAt'), dataIndex: 'endedAt', render: (d: string | null) => (d ? fmtTime(d) : <Tag color="red">{t('availability.ongoing')}</Tag>) },
            { title: t('availability.duration'), dataIndex: 'durationSeconds', render: (s: number) => duration(s, i18n.language) },
            { title: t('availability.cause'), dataIndex: 'causeNote', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
    </Space>
  );
}

function Timeline({ detail }: { detail: ProbeDetail }) {
  const { t } = useTranslation();
  const from = Date.parse(detail.figures.from);
  // The range ends at the page's "now" (the detail was asked up to then).
  const to = Date.parse(detail.figures.to);
  const option = useMemo(() => {
    const spans = detail.intervals.map((i) => ({ ...i, a: Math.max(from, Date.parse(i.startedAt)), b: Math.min(to, i.endedAt ? Date.parse(i.endedAt) : to) })).filter((s) => s.b > s.a);
    return {
    tooltip: { formatter: (x: { data: { name: string; value: number[] } }) => `${x.data.name}<br/>${fmtTime(new Date(x.data.value[1]!).toISOString())} – ${fmtTime(new Date(x.data.value[2]!).toISOString())}` },
    grid: { left: 20, right: 20, top: 10, bottom: 30 },
    xAxis: { type: 'time', min: from, max: to },
    yAxis: { type: 'category', data: [''], show: false },
    series: [{
      type: 'custom',
      renderItem: (_: unknown, api: { value: (i: number) => number; coord: (v: number[]) => number[]; size: (v: number[]) => number[]; visual: (k: string) => string }) => {
        const start = api.coord([api.value(1), 0]);
        const end = api.coord([api.value(2), 0]);
        const h = api.size([0, 1])[1]! * 0.6;
        return { type: 'rect', shape: { x: start[0], y: start[1]! - h / 2, width: Math.max(1, end[0]! - start[0]!), height: h }, style: { fill: api.visual('color') } };
      },
      encode: { x: [1, 2], y: 0 },
      data: spans.map((s) => ({ name: t(`availability.states.${s.state}`), value: [0, s.a, s.b], itemStyle: { color: STATE_HEX[s.state] } })),
    }],
    };
  }, [detail.intervals, from, to, t]);
  return (
    <Card size="small" title={t('availability.timeline')}>
      <EChart option={option} height={90} testId="probe-timeline" />
      <Table
        rowKey={(r) => r.startedAt}
        size="small"
        dataSource={[...detail.intervals].reverse()}
        pagination={{ pageSize: 5 }}
        columns={[
          { title: t('availability.state'), dataIndex: 'state', render: (s: string, r) => <Space size={2}><Tag color={STATE_COLOR[s]}>{t(`availability.states.${s}`)}</Tag>{r.simulated && <Tag>{t('availability.simulated')}</Tag>}</Space> },
          { title: t('availability.startedAt'), dataIndex: 'startedAt', render: (d: string) => fmtTime(d) },
          { title: t('availability.endedAt'), dataIndex: 'endedAt', render: (d: string | null) => (d ? fmtTime(d) : '—') },
        ]}
      />
    </Card>
  );
}

function RttChart({ detail }: { detail: ProbeDetail }) {
  const { t } = useTranslation();
  const slots = detail.results.filter((r) => r.attempt === 0);
  const option = useMemo(() => ({
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 20, top: 20, bottom: 30 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: 'ms' },
    series: [{ type: 'line', showSymbol: false, connectNulls: false, data: slots.map((r) => [Date.parse(r.checkedAt), r.rttMs]) }],
  }), [slots]);
  return (
    <Card size="small" title={t('availability.rttChart')}>
      {slots.length ? <EChart option={option} height={240} testId="probe-rtt-chart" /> : <Typography.Text type="secondary">{t('availability.noData')}</Typography.Text>}
      <Table
        data-testid="probe-results"
        rowKey={(r) => `${r.slot}:${r.attempt}`}
        size="small"
        dataSource={[...detail.results].reverse()}
        pagination={{ pageSize: 10 }}
        columns={[
          { title: t('availability.checkedAt'), dataIndex: 'checkedAt', render: (d: string) => fmtTime(d) },
          { title: t('availability.attempt'), dataIndex: 'attempt' },
          { title: t('availability.state'), dataIndex: 'ok', render: (ok: boolean) => <Tag color={ok ? 'green' : 'red'}>{ok ? t('availability.ok') : t('availability.failed')}</Tag> },
          { title: t('availability.rtt'), dataIndex: 'rttMs', render: (v: number | null) => (v === null ? '—' : v.toFixed(1)) },
          { title: t('availability.http'), dataIndex: 'httpStatus', render: (v: number | null) => v ?? '—' },
          { title: t('availability.detail'), dataIndex: 'detail', ellipsis: true },
          { title: t('availability.worker'), dataIndex: 'worker' },
        ]}
      />
    </Card>
  );
}
