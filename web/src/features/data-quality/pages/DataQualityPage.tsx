import { useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, App, Button, Card, Col, Collapse, DatePicker, Empty, Progress, Row, Segmented, Space, Statistic, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { qualityApi, qualityKeys, type HeatCell, type ProviderSummary, type Range, type TableName, type TableSummary } from '../data-quality.api';
import { errorText } from '../../../i18n';
import { useCan } from '../../auth/auth.api';

type PeriodKind = 'day' | 'week' | 'month';

const FMT = 'YYYY-MM-DD';
const TARGET = 0.95;

/** Today in Beijing time, whatever the browser's time zone. */
function shanghaiToday(): Dayjs {
  return dayjs(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date()));
}

/** The range of a period: the day, the ISO week (Monday–Sunday) or the calendar month holding `d`. */
export function rangeOf(kind: PeriodKind, d: Dayjs): Range {
  if (kind === 'day') return { from: d.format(FMT), to: d.format(FMT) };
  if (kind === 'week') {
    const monday = d.subtract((d.day() + 6) % 7, 'day');
    return { from: monday.format(FMT), to: monday.add(6, 'day').format(FMT) };
  }
  return { from: d.startOf('month').format(FMT), to: d.endOf('month').format(FMT) };
}

/** Ratio text (0.9549) → "95.49%"; display only. */
const pct = (r: string | null | undefined) => (r === null || r === undefined ? '—' : `${(Number(r) * 100).toFixed(2)}%`);
const below = (r: string | null | undefined) => r !== null && r !== undefined && Number(r) < TARGET;

function RatioBar({ label, value, target }: { label: string; value: string | null; target?: boolean }) {
  const { t } = useTranslation();
  const red = target === true && below(value);
  return (
    <div>
      <Typography.Text type="secondary">{label}</Typography.Text>
      {value === null ? (
        <div><Typography.Text type="secondary">{t('quality.pending')}</Typography.Text></div>
      ) : (
        <Progress percent={Number((Number(value) * 100).toFixed(2))} format={() => pct(value)} status={red ? 'exception' : 'normal'} strokeColor={red ? '#cf1322' : undefined} size="small" />
      )}
    </div>
  );
}

/** A table of the standard with its figures for the period (zeros when it has no rows) and its current setting. */
type TableRow = TableSummary & { setting: boolean };

function heatColor(c: string | null): string {
  if (c === null) return '#f5f5f5';
  const v = Number(c);
  if (v >= TARGET) return '#d9f7be';
  if (v >= 0.8) return '#fff1b8';
  return '#ffccc7';
}

function ProviderCard({ p, onOpen }: { p: ProviderSummary; onOpen?: () => void }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={p.providerName ?? p.providerOrgId}
      extra={onOpen && <Button type="link" size="small" onClick={onOpen} data-testid="quality-drill">{t('quality.drillDown')}</Button>}
      data-testid="quality-provider-card"
      style={p.meetsTarget === false ? { borderColor: '#ffa39e' } : undefined}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space align="baseline">
          <Statistic title={t('quality.score')} value={p.score ?? '—'} valueStyle={p.meetsTarget === false ? { color: '#cf1322' } : undefined} />
          {p.meetsTarget !== null && (p.meetsTarget ? <Tag color="green">{t('quality.meetsTarget')}</Tag> : <Tag color="red">{t('quality.belowTarget')}</Tag>)}
        </Space>
        <RatioBar label={t('quality.completeness')} value={p.completeness} target />
        <RatioBar label={t('quality.timeliness')} value={p.timeliness} />
        <RatioBar label={t('quality.validity')} value={p.validity} />
        {p.tablesBelowTarget.length > 0 ? (
          <Tooltip title={p.tablesBelowTarget.map((n) => p.tables.find((x) => x.table === n)?.tableCn ?? n).join('、')}>
            <Typography.Text type="danger">{t('quality.tablesBelow', { count: p.tablesBelowTarget.length })}</Typography.Text>
          </Tooltip>
        ) : (
          p.tablesCounted > 0 && <Typography.Text type="success">{t('quality.allTablesMeet')}</Typography.Text>
        )}
      </Space>
    </Card>
  );
}

function ProviderDetail({ p, range }: { p: ProviderSummary; range: Range }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const queryClient = useQueryClient();
  const zh = i18n.language !== 'en-US';
  // The management unit decides which tables a provider must deliver; the change is applied to today and yesterday.
  const setMandatory = useMutation({
    mutationFn: async ({ table, mandatory }: { table: TableName; mandatory: boolean }) => {
      await qualityApi.setMandatory(p.providerOrgId, table, mandatory);
      const today = shanghaiToday();
      await qualityApi.compute(today.subtract(1, 'day').format(FMT));
      await qualityApi.compute(today.format(FMT));
    },
    onSuccess: () => {
      message.success(t('quality.mandatorySaved'));
      void queryClient.invalidateQueries({ queryKey: qualityKeys.all });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const heatRange = useMemo<Range>(() => (range.from === range.to ? { from: dayjs(range.to).subtract(6, 'day').format(FMT), to: range.to } : range), [range]);
  const heat = useQuery({ queryKey: qualityKeys.heat(p.providerOrgId, heatRange), queryFn: () => qualityApi.heat(p.providerOrgId, heatRange) });
  const expectations = useQuery({ queryKey: qualityKeys.expectations(p.providerOrgId), queryFn: () => qualityApi.expectations(p.providerOrgId) });
  // Every table of the standard is listed (also those without rows in the period), with the provider-wide setting.
  const rows = useMemo<TableRow[]>(() => {
    const setting = new Map((expectations.data?.items ?? []).filter((e) => e.nodeId === null).map((e) => [e.tableName, e.mandatory]));
    const byName = new Map(p.tables.map((x) => [x.table, x]));
    const all = expectations.data?.tables ?? p.tables.map((x) => ({ table: x.table, tableCn: x.tableCn, period: x.period }));
    return all.map((x) => ({
      ...(byName.get(x.table) ?? { ...x, mandatory: true, expected: '0', received: '0', onTime: '0', accepted: '0', rejected: '0', completeness: null, timeliness: null, validity: null, score: null, meetsTarget: null }),
      setting: setting.get(x.table) ?? true,
    }));
  }, [expectations.data, p.tables]);
  const days = useMemo(() => {
    const out: string[] = [];
    for (let d = dayjs(heatRange.from); !d.isAfter(dayjs(heatRange.to)); d = d.add(1, 'day')) out.push(d.format(FMT));
    return out;
  }, [heatRange]);
  const cells = useMemo(() => {
    const m = new Map<string, HeatCell>();
    for (const c of heat.data?.cells ?? []) m.set(`${c.table}|${c.day}`, c);
    return m;
  }, [heat.data]);
  const name = (r: TableRow) => (zh ? r.tableCn : r.table);
  // A weekly table's cell is its ISO week's, shown on the Monday (or on the first column for a week begun before it).
  const cellOf = (r: TableRow, d: string) => {
    if (r.period !== 'P1W') return cells.get(`${r.table}|${d}`);
    const day = dayjs(d);
    if (day.day() !== 1 && d !== days[0]) return undefined;
    return cells.get(`${r.table}|${day.subtract((day.day() + 6) % 7, 'day').format(FMT)}`);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table<TableRow>
        rowKey="table"
        size="small"
        pagination={false}
        dataSource={rows}
        title={() => <Typography.Text strong>{t('quality.tables')}</Typography.Text>}
        data-testid="quality-tables"
        onRow={(r) => ({ 'data-testid': `quality-table-${r.table}` }) as HTMLAttributes<HTMLElement>}
        scroll={{ x: 1000 }}
        columns={[
          { title: t('quality.table'), key: 'table', fixed: 'left', width: 200, render: (_, r) => <Tooltip title={r.table}>{name(r)}</Tooltip> },
          { title: t('quality.tablePeriod'), dataIndex: 'period', width: 90, render: (v: TableRow['period']) => t(`quality.tablePeriods.${v}`) },
          {
            title: t('quality.mandatory'),
            dataIndex: 'setting',
            width: 90,
            render: (v: boolean, r) =>
              can('ingest:config') ? (
                <Tooltip title={t('quality.mandatoryHint')}>
                  <Switch
                    size="small"
                    checked={v}
                    loading={setMandatory.isPending && setMandatory.variables?.table === r.table}
                    onChange={(mandatory) => setMandatory.mutate({ table: r.table as TableName, mandatory })}
                    data-testid={`quality-mandatory-${r.table}`}
                  />
                </Tooltip>
              ) : v ? (
                t('quality.mandatory')
              ) : (
                <Tag>{t('quality.optional')}</Tag>
              ),
          },
          { title: t('quality.expected'), dataIndex: 'expected', align: 'right', width: 90 },
          { title: t('quality.received'), dataIndex: 'received', align: 'right', width: 90 },
          {
            title: t('quality.completeness'),
            dataIndex: 'completeness',
            width: 110,
            align: 'right',
            render: (v: string | null) => (v === null ? <Typography.Text type="secondary">{t('quality.pending')}</Typography.Text> : <Typography.Text type={below(v) ? 'danger' : undefined}>{pct(v)}</Typography.Text>),
          },
          { title: t('quality.timeliness'), dataIndex: 'timeliness', width: 100, align: 'right', render: pct },
          { title: t('quality.validity'), dataIndex: 'validity', width: 100, align: 'right', render: pct },
          { title: t('quality.accepted'), dataIndex: 'accepted', align: 'right', width: 90, render: (v: string, r) => <span data-testid={`quality-accepted-${r.table}`}>{v}</span> },
          { title: t('quality.rejected'), dataIndex: 'rejected', align: 'right', width: 90, render: (v: string, r) => <span data-testid={`quality-rejected-${r.table}`}>{v}</span> },
          { title: t('quality.score'), dataIndex: 'score', align: 'right', width: 80, render: (v: string | null) => v ?? '—' },
        ]}
      />
      <Card size="small" title={t('quality.heat')} extra={<Typography.Text type="secondary">{t('quality.heatHint')}</Typography.Text>}>
        {heat.isError ? (
          <Alert type="error" message={errorText(heat.error)} />
        ) : (
          <Table<TableRow>
            rowKey="table"
            size="small"
            loading={heat.isLoading}
            pagination={false}
            dataSource={rows}
            data-testid="quality-heat"
            scroll={{ x: 200 + days.length * 64 }}
            columns={[
              { title: t('quality.table'), key: 'table', fixed: 'left', width: 200, render: (_, r) => name(r) },
              ...days.map((d) => ({
                title: d.slice(5),
                key: d,
                width: 64,
                align: 'center' as const,
                onCell: (r: TableRow) => ({ style: { background: heatColor(cellOf(r, d)?.completeness ?? null), padding: 4 } }),
                render: (_: unknown, r: TableRow) => {
                  const c = cellOf(r, d);
                  if (!c) return '';
                  return (
                    <Tooltip title={`${t('quality.received')} ${c.received} / ${t('quality.expected')} ${c.expected} · ${t('quality.score')} ${c.score ?? '—'}`}>
                      <span style={{ fontSize: 12 }}>{c.completeness === null ? '·' : (Number(c.completeness) * 100).toFixed(0)}</span>
                    </Tooltip>
                  );
                },
              })),
            ]}
          />
        )}
      </Card>
    </Space>
  );
}

export default function DataQualityPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [kind, setKind] = useState<PeriodKind>('week');
  // Yesterday's week: on a Monday that is the whole past week rather than a few hours of today.
  const [date, setDate] = useState<Dayjs>(() => shanghaiToday().subtract(1, 'day'));
  const [open, setOpen] = useState<string | null>(null);
  const range = useMemo(() => rangeOf(kind, date), [kind, date]);
  const summary = useQuery({ queryKey: qualityKeys.summary(range), queryFn: () => qualityApi.summary(range) });
  const providers = summary.data?.providers ?? [];
  // A provider's staff gets only its own provider: show its tables straight away.
  const selected = providers.find((p) => p.providerOrgId === open) ?? (providers.length === 1 ? providers[0] : undefined);
  const exporting = useMutation({ mutationFn: () => qualityApi.export(range, selected?.providerOrgId), onError: (e) => message.error(errorText(e)) });

  const help = (['completeness', 'timeliness', 'validity', 'score', 'expected'] as const).map((k) => (
    <Typography.Paragraph key={k} style={{ marginBottom: 6 }}>{t(`quality.help.${k}`)}</Typography.Paragraph>
  ));

  return (
    <Card
      title={t('quality.title')}
      size="small"
      extra={
        <Space wrap>
          <Typography.Text type="secondary">{t('quality.period')}</Typography.Text>
          <Segmented<PeriodKind>
            value={kind}
            onChange={setKind}
            options={(['day', 'week', 'month'] as const).map((k) => ({ value: k, label: t(`quality.periods.${k}`) }))}
            data-testid="quality-period-kind"
          />
          <DatePicker picker={kind === 'day' ? 'date' : kind} value={date} allowClear={false} onChange={(d) => d && setDate(d)} data-testid="quality-period-date" />
          <Typography.Text type="secondary">{range.from === range.to ? range.from : `${range.from} ~ ${range.to}`}</Typography.Text>
          <Button icon={<DownloadOutlined />} loading={exporting.isPending} onClick={() => exporting.mutate()} data-testid="quality-export">{t('quality.export')}</Button>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Collapse
          size="small"
          items={[{ key: 'help', label: <Space><QuestionCircleOutlined />{t('quality.helpTitle')} · {t('quality.target')}</Space>, children: help }]}
        />
        {summary.isError && <Alert type="error" message={errorText(summary.error)} />}
        {selected ? (
          <>
            {providers.length > 1 && (
              <Button icon={<ArrowLeftOutlined />} onClick={() => setOpen(null)} data-testid="quality-back">{t('quality.back')}</Button>
            )}
            <Row gutter={[12, 12]}>
              <Col xs={24} md={12} lg={8}><ProviderCard p={selected} /></Col>
            </Row>
            <ProviderDetail p={selected} range={range} />
          </>
        ) : providers.length === 0 && !summary.isLoading ? (
          <Empty description={t('quality.noData')} />
        ) : (
          <Row gutter={[12, 12]}>
            {providers.map((p) => (
              <Col key={p.providerOrgId} xs={24} md={12} lg={8} xl={6}>
                <ProviderCard p={p} onOpen={() => setOpen(p.providerOrgId)} />
              </Col>
            ))}
          </Row>
        )}
      </Space>
    </Card>
  );
}
