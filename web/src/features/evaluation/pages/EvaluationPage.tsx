import { useMemo, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Modal, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, FullscreenOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { EChart } from '../../../app/EChart';
import { QuarterlyTab } from './QuarterlyTab';
import { ReportsTab } from './ReportsTab';
import { evaluationApi, evaluationKeys, previousMonth, type Advice, type EfficiencyRow, type ProviderScore, type Weights } from '../evaluation.api';

const TABS = ['overview', 'efficiency', 'advice', 'providers', 'quarterly', 'reports'] as const;
type Tab = (typeof TABS)[number];

function MonthPicker({ value, onChange }: { value: string; onChange: (m: string) => void }) {
  return <DatePicker data-testid="evaluation-month" picker="month" allowClear={false} value={dayjs(`${value}-01`)} onChange={(d) => d && onChange(d.format('YYYY-MM'))} />;
}

/** A network figure (egress of 应用系统网络出口使用数据), or 暂无数据来源 / 本月无数据 — never 0. */
function NetFigure({ v, missing }: { v: string | null; missing: 'no_data_source' | 'no_data' | null }) {
  const { t } = useTranslation();
  if (v !== null) return <>{v}</>;
  if (missing === 'no_data_source') return <Typography.Text type="secondary">{t('evaluation.noSource')}</Typography.Text>;
  if (missing === 'no_data') return <Typography.Text type="secondary">{t('evaluation.noNetData')}</Typography.Text>;
  return <>{t('evaluation.none')}</>;
}

/** A figure, or why there is none: 暂无数据来源 (source not wired) or 样本不足 — never 0. */
function Figure({ v, missing }: { v: string | number | null; missing: EfficiencyRow['missing'] }) {
  const { t } = useTranslation();
  if (v !== null) return <>{v}</>;
  if (missing === 'no_data_source') return <Typography.Text type="secondary">{t('evaluation.noSource')}</Typography.Text>;
  if (missing === 'no_data') return <Typography.Text type="secondary">{t('evaluation.noData')}</Typography.Text>;
  return <>{t('evaluation.none')}</>;
}

/** 评估评价: overview, unit / system cloud efficiency, rightsizing advice, provider evaluation, 季评 (quarterly). */
export default function EvaluationPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.tab ?? '') ? (params.tab as Tab) : 'overview';
  const [month, setMonth] = useState(previousMonth());
  const can = useCan();
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => navigate(`/evaluation/${k}`)}
      destroyOnHidden
      tabBarExtraContent={tab === 'quarterly' || tab === 'reports' ? undefined : <Space><span>{t('evaluation.month')}</span><MonthPicker value={month} onChange={setMonth} /></Space>}
      items={[
        { key: 'overview', label: t('evaluation.tabs.overview'), children: <OverviewTab month={month} /> },
        { key: 'efficiency', label: t('evaluation.tabs.efficiency'), children: <EfficiencyTab month={month} /> },
        { key: 'advice', label: t('evaluation.tabs.advice'), children: <AdviceTab month={month} /> },
        { key: 'providers', label: t('evaluation.tabs.providers'), children: <ProvidersTab month={month} /> },
        { key: 'quarterly', label: t('evaluation.tabs.quarterly'), children: <QuarterlyTab /> },
        ...(can('evaluation:manage') ? [{ key: 'reports', label: t('evalReports.tab'), children: <ReportsTab /> }] : []),
      ]}
    />
  );
}

function OverviewTab({ month }: { month: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = AntApp.useApp();
  const ov = useQuery({ queryKey: evaluationKeys.overview(month), queryFn: () => evaluationApi.overview(month) });
  const due = useQuery({ queryKey: ['evaluation', 'due', month], queryFn: () => evaluationApi.due(month) });
  const o = ov.data;
  const rankingOption = useMemo(() => ({
    tooltip: {}, grid: { left: 140, right: 30, top: 10, bottom: 30 }, xAxis: { type: 'value', max: 100 },
    yAxis: { type: 'category', inverse: true, data: (o?.ranking.items ?? []).map((r) => r.provider.name) },
    series: [{ type: 'bar', data: (o?.ranking.items ?? []).map((r) => (r.total === null ? null : Number(r.total))), label: { show: true, position: 'right' } }],
  }), [o]);
  if (!o) return <Card loading />;
  const times = Object.values(o.snapshot ?? {}).sort();
  const report = (format: 'docx' | 'pdf') => evaluationApi.report(month, format).catch((e: unknown) => message.error(errorText(e)));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary" data-testid="overview-computed-at">
        {times.length ? t('evaluation.ov.computedAt', { t: dayjs(times[0]).format('YYYY-MM-DD HH:mm:ss') }) : t('evaluation.ov.live')}
      </Typography.Text>
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('evaluation.ov.units')} value={o.efficiency.units} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('evaluation.ov.hosts')} value={o.efficiency.hosts} suffix={`/ ${o.efficiency.vcpu} vCPU / ${o.efficiency.memoryGb} GB`} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('evaluation.ov.cost')} value={o.efficiency.cost ?? t('evaluation.none')} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic data-testid="overview-avg-score" title={t('evaluation.ov.avgScore')} value={o.efficiency.averageScore ?? (o.efficiency.missing === 'no_data_source' ? t('evaluation.noSource') : t('evaluation.none'))} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('evaluation.ov.openAdvice')} value={o.advice.open} suffix={`· ${o.advice.openSaving} ${t('evaluation.ov.openSaving')}`} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('evaluation.ov.tickets')} value={o.tickets.total} suffix={`· ${t('evaluation.ov.resolved')} ${o.tickets.resolved} · ${t('evaluation.ov.breaches')} ${o.tickets.breaches}`} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('evaluation.ov.findings')} value={o.findings.open} suffix={`· ${t('evaluation.ov.critical')} ${o.findings.critical} · ${t('evaluation.ov.high')} ${o.findings.high}`} /></Card></Col>
        <Col xs={12} md={6}>
          <Card size="small" title={t('evaluation.ov.report')} extra={<Button size="small" icon={<FullscreenOutlined />} href="/big-screen" target="_blank">{t('evaluation.ov.bigScreen')}</Button>}>
            <Typography.Text type="secondary">{due.data ? t('evaluation.ov.due', { d: due.data.dueDate }) : ''}</Typography.Text>
            {can('evaluation:manage') && (
              <Space style={{ marginTop: 8 }}>
                <Button size="small" icon={<DownloadOutlined />} onClick={() => void report('docx')}>{t('evaluation.ov.docx')}</Button>
                <Button size="small" icon={<DownloadOutlined />} onClick={() => void report('pdf')}>{t('evaluation.ov.pdf')}</Button>
              </Space>
            )}
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} md={12}>
          <Card size="small" title={t('evaluation.ov.ranking')}>
            {o.ranking.items.length ? (
              <>
                <EChart option={rankingOption} height={Math.max(160, o.ranking.items.length * 32)} />
                <Table size="small" rowKey={(r) => r.provider.id} pagination={false} dataSource={o.ranking.items}
                  columns={[{ title: t('evaluation.rank'), dataIndex: 'rank', width: 60 }, { title: t('evaluation.provider'), render: (_, r) => r.provider.name }, { title: t('evaluation.total'), dataIndex: 'total' }, { title: t('evaluation.grade'), dataIndex: 'grade' }]} />
              </>
            ) : <Empty description={t('evaluation.ov.noRanking')} />}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title={t('evaluation.ov.lowest')}>
            <Table size="small" rowKey={(r) => r.unit.id} pagination={false} dataSource={o.efficiency.lowest}
              columns={[{ title: t('evaluation.unit'), render: (_, r) => r.unit.name }, { title: t('evaluation.score'), dataIndex: 'score' }, { title: t('evaluation.cost'), dataIndex: 'cost' }]} />
          </Card>
          {can('evaluation:manage') && <ReportFigures month={month} />}
          <Card size="small" title={t('evaluation.ov.sources')} style={{ marginTop: 12 }}>
            <Space wrap>{Object.entries(o.sources).map(([k, v]) => <Tag key={k} color={v ? 'green' : 'default'}>{t(`evaluation.ov.source.${k}`)}：{v ? t('evaluation.ov.wired') : t('evaluation.ov.notWired')}</Tag>)}</Space>
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

/** The 月报 sections from operations, availability, security and the service desk; unwired → 暂无数据来源, never 0. */
function ReportFigures({ month }: { month: string }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['evaluation', 'figures', month], queryFn: () => evaluationApi.figures(month) });
  const f = q.data;
  if (!f) return <Card size="small" loading style={{ marginTop: 12 }} />;
  const none = <Typography.Text type="secondary">{t('evaluation.noSource')}</Typography.Text>;
  const add = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return (
    <Card size="small" title={t('evaluation.ov.sections')} style={{ marginTop: 12 }} data-testid="report-figures">
      <Descriptions size="small" column={1} items={[
        { key: 'i', label: t('evaluation.ov.inspections'), children: f.inspections.wired ? `${add(f.inspections.rows.map((r) => r.done))} / ${add(f.inspections.rows.map((r) => r.expected))}` : none },
        { key: 'd', label: t('evaluation.ov.drills'), children: f.drills.wired ? `${add(f.drills.rows.map((r) => r.held))} / ${add(f.drills.rows.map((r) => r.required))}` : none },
        { key: 's', label: t('evaluation.ov.sla'), children: f.sla.wired ? `${f.sla.met} / ${f.sla.judged}${f.sla.rate === null ? '' : ` (${f.sla.rate}%)`}` : none },
        { key: 'p', label: t('evaluation.ov.posture'), children: f.posture.data ? String(f.posture.data.attacks) : none },
        { key: 't', label: t('evaluation.ov.serviceDesk'), children: f.serviceDesk.total ? `${f.serviceDesk.total.resolved} / ${f.serviceDesk.total.tickets}` : none },
      ]} />
    </Card>
  );
}

function FormulaCard({ month }: { month: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const formulas = useQuery({ queryKey: evaluationKeys.formulas, queryFn: evaluationApi.formulas });
  const eff = useQuery({ queryKey: evaluationKeys.efficiency(month, 'unit'), queryFn: () => evaluationApi.efficiency(month, 'unit') });
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<Weights & { note?: string }>();
  const shownFormula = eff.data?.formula ?? formulas.data?.[0] ?? null;
  const save = useMutation({
    mutationFn: (v: Weights & { note?: string }) => evaluationApi.createFormula({ cpu: v.cpu, memory: v.memory, idle: v.idle, oversized: v.oversized }, v.note ?? null),
    onSuccess: (f) => {
      void message.success(t('evaluation.formulaSaved', { v: f.version }));
      setEditing(false);
      void qc.invalidateQueries({ queryKey: evaluationKeys.all });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const w = Form.useWatch([], form) as Partial<Weights> | undefined;
  const sum = ['cpu', 'memory', 'idle', 'oversized'].reduce((a, k) => a + Number((w as Record<string, number> | undefined)?.[k] ?? 0), 0);
  return (
    <Card size="small" title={`${t('evaluation.formula')}${shownFormula ? ` · ${t('evaluation.formulaVersion', { v: shownFormula.version })}` : ''}`}
      extra={can('evaluation:manage') && <Button size="small" onClick={() => { form.setFieldsValue(formulas.data?.[0]?.weights ?? { cpu: 35, memory: 35, idle: 15, oversized: 15 }); setEditing(true); }}>{t('evaluation.editFormula')}</Button>}>
      <Typography.Paragraph data-testid="evaluation-formula" style={{ marginBottom: 0 }}>{shownFormula?.text ?? t('evaluation.notComputed')}</Typography.Paragraph>
      <Modal forceRender open={editing} title={t('evaluation.editFormula')} onCancel={() => setEditing(false)} onOk={() => form.submit()} okText={t('evaluation.save')} confirmLoading={save.isPending}>
        <Form form={form} layout="inline" onFinish={(v) => save.mutate(v)}>
          {(['cpu', 'memory', 'idle', 'oversized'] as const).map((k) => (
            <Form.Item key={k} name={k} label={t(`evaluation.weights.${k}`)} rules={[{ required: true }]}><InputNumber min={0} max={100} /></Form.Item>
          ))}
          <Form.Item name="note" label={t('evaluation.note')}><Input maxLength={500} /></Form.Item>
        </Form>
        <Typography.Text type={sum === 100 ? 'success' : 'danger'}>{t('evaluation.weightsSum', { sum })}</Typography.Text>
      </Modal>
    </Card>
  );
}

function EfficiencyTab({ month }: { month: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [level, setLevel] = useState<'unit' | 'system'>('unit');
  const list = useQuery({ queryKey: evaluationKeys.efficiency(month, level), queryFn: () => evaluationApi.efficiency(month, level) });
  const compute = useMutation({
    mutationFn: () => evaluationApi.compute(month),
    onSuccess: () => void qc.invalidateQueries({ queryKey: evaluationKeys.all }),
    onError: (e) => void message.error(errorText(e)),
  });
  const items = list.data?.items ?? [];
  const scored = items.filter((i) => i.score !== null).slice(0, 20);
  const option = useMemo(() => ({
    tooltip: {}, grid: { left: 160, right: 30, top: 10, bottom: 30 }, xAxis: { type: 'value', max: 100 },
    yAxis: { type: 'category', inverse: true, data: scored.map((i) => (level === 'unit' ? i.unit.name : i.system?.name ?? '')) },
    series: [{ type: 'bar', data: scored.map((i) => Number(i.score)), label: { show: true, position: 'right' } }],
  }), [scored, level]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <FormulaCard month={month} />
      {list.data && !list.data.utilisationSource && items.length > 0 && <Alert type="info" showIcon message={t('evaluation.utilisationMissing')} />}
      <Card size="small"
        title={<Select value={level} onChange={setLevel} style={{ width: 180 }} options={[{ value: 'unit', label: t('evaluation.levels.unit') }, { value: 'system', label: t('evaluation.levels.system') }]} />}
        extra={<Space>
          {can('evaluation:manage') && <Button data-testid="evaluation-compute" loading={compute.isPending} onClick={() => compute.mutate()}>{t('evaluation.compute')}</Button>}
          <Button icon={<DownloadOutlined />} onClick={() => void evaluationApi.exportEfficiency(month, level).catch((e: unknown) => message.error(errorText(e)))}>{t('evaluation.export')}</Button>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('evaluation.refresh')}</Button>
        </Space>}>
        {scored.length > 0 && <><Typography.Text strong>{t('evaluation.chartTitle')}</Typography.Text><EChart option={option} height={Math.max(160, scored.length * 26)} /></>}
        <Table<EfficiencyRow>
          data-testid="evaluation-efficiency-table"
          rowKey={(r) => `${r.unit.id}|${r.system?.id ?? ''}`}
          size="small"
          loading={list.isLoading}
          dataSource={items}
          locale={{ emptyText: t('evaluation.notComputed') }}
          scroll={{ x: 2000 }}
          columns={[
            { title: t('evaluation.unit'), render: (_, r) => r.unit.name, width: 180, fixed: 'left' },
            ...(level === 'system' ? [{ title: t('evaluation.system'), render: (_: unknown, r: EfficiencyRow) => r.system?.name ?? '', width: 180 }, { title: t('evaluation.provider'), render: (_: unknown, r: EfficiencyRow) => r.provider?.name ?? '', width: 140 }] : []),
            { title: t('evaluation.hosts'), dataIndex: 'hosts', width: 70 },
            { title: t('evaluation.vcpu'), dataIndex: 'vcpu', width: 70 },
            { title: t('evaluation.memory'), dataIndex: 'memoryGb', width: 90 },
            { title: t('evaluation.storage'), dataIndex: 'storageGb', width: 90 },
            { title: t('evaluation.cost'), dataIndex: 'cost', width: 110, render: (v: string | null) => v ?? t('evaluation.none') },
            { title: t('evaluation.cpuP95'), width: 100, render: (_, r) => <Figure v={r.cpuP95} missing={r.missing} /> },
            { title: t('evaluation.memP95'), width: 100, render: (_, r) => <Figure v={r.memP95} missing={r.missing} /> },
            { title: t('evaluation.idle'), width: 80, render: (_, r) => <Figure v={r.idleHosts} missing={r.missing} /> },
            { title: t('evaluation.oversized'), width: 90, render: (_, r) => <Figure v={r.oversizedHosts} missing={r.missing} /> },
            { title: t('evaluation.saving'), width: 120, render: (_, r) => <Figure v={r.potentialSaving} missing={r.missing} /> },
            { title: t('evaluation.score'), width: 100, render: (_, r) => <Typography.Text strong><Figure v={r.score} missing={r.missing} /></Typography.Text> },
            { title: t('evaluation.egressUp'), width: 110, render: (_, r) => <span data-testid="efficiency-egress-up"><NetFigure v={r.network.upPeakMbps} missing={r.network.missing} /></span> },
            { title: t('evaluation.egressDown'), width: 110, render: (_, r) => <NetFigure v={r.network.downPeakMbps} missing={r.network.missing} /> },
            { title: t('evaluation.linkUsage'), width: 110, render: (_, r) => <NetFigure v={r.network.linkUsagePeak} missing={r.network.missing} /> },
            { title: t('evaluation.traffic'), width: 100, render: (_, r) => <span data-testid="efficiency-traffic"><NetFigure v={r.traffic.value} missing={r.traffic.missing} /></span> },
            { title: t('evaluation.visits'), width: 100, render: (_, r) => <NetFigure v={r.visits.value} missing={r.visits.missing} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

function AdviceTab({ month }: { month: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message, modal } = AntApp.useApp();
  const [status, setStatus] = useState<Advice['status'] | ''>('');
  const [dismissing, setDismissing] = useState<Advice | null>(null);
  const [reason, setReason] = useState('');
  const list = useQuery({ queryKey: evaluationKeys.advice(month, status), queryFn: () => evaluationApi.advice(month, status || undefined) });
  const accept = useMutation({
    mutationFn: (id: string) => evaluationApi.accept(id),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: evaluationKeys.all });
      modal.success({ title: t('evaluation.accepted'), okText: t('evaluation.openApplication'), onOk: () => navigate(`/applications?id=${r.applicationId}`) });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const dismiss = useMutation({
    mutationFn: ({ id, reason: r }: { id: string; reason: string }) => evaluationApi.dismiss(id, r),
    onSuccess: () => { setDismissing(null); setReason(''); void qc.invalidateQueries({ queryKey: evaluationKeys.all }); },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <Card size="small"
      title={<Select value={status} onChange={setStatus} style={{ width: 140 }} options={[{ value: '', label: t('evaluation.all') }, ...(['open', 'accepted', 'dismissed'] as const).map((s) => ({ value: s, label: t(`evaluation.statuses.${s}`) }))]} />}
      extra={<Space>
        <Button icon={<DownloadOutlined />} onClick={() => void evaluationApi.exportAdvice(month).catch((e: unknown) => message.error(errorText(e)))}>{t('evaluation.export')}</Button>
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('evaluation.refresh')}</Button>
      </Space>}>
      <Table<Advice>
        data-testid="evaluation-advice-table"
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        scroll={{ x: 1500 }}
        columns={[
          { title: t('evaluation.unit'), render: (_, r) => r.unit.name, width: 150 },
          { title: t('evaluation.system'), render: (_, r) => r.system?.name ?? '—', width: 150 },
          { title: t('evaluation.host'), dataIndex: 'resourceName', width: 150 },
          { title: t('evaluation.provider'), render: (_, r) => r.provider.name, width: 130 },
          { title: t('evaluation.kind'), dataIndex: 'kind', width: 80, render: (k: Advice['kind']) => <Tag color={k === 'idle' ? 'orange' : 'blue'}>{t(`evaluation.kinds.${k}`)}</Tag> },
          { title: t('evaluation.explanation'), dataIndex: 'explanation', width: 360 },
          { title: t('evaluation.saving'), dataIndex: 'saving', width: 110, render: (v: string | null) => v ?? '—' },
          { title: t('evaluation.evidence'), width: 220, render: (_, r) => `${r.evidence.from} ~ ${r.evidence.to} · CPU p95 ${r.evidence.cpuP95 ?? '—'}% · MEM p95 ${r.evidence.memP95 ?? '—'}%` },
          { title: t('evaluation.status'), width: 90, render: (_, r) => <Tag color={r.status === 'open' ? 'gold' : r.status === 'accepted' ? 'green' : 'default'}>{t(`evaluation.statuses.${r.status}`)}</Tag> },
          {
            title: '', width: 230, fixed: 'right', render: (_, r) => (
              <Space>
                {r.abilities.accept && <Button size="small" type="primary" data-testid={`advice-accept-${r.resourceName}`} loading={accept.isPending && accept.variables === r.id} onClick={() => accept.mutate(r.id)}>{t('evaluation.accept')}</Button>}
                {r.abilities.dismiss && <Button size="small" data-testid={`advice-dismiss-${r.resourceName}`} onClick={() => setDismissing(r)}>{t('evaluation.dismiss')}</Button>}
                {r.applicationId && <Button size="small" type="link" onClick={() => navigate(`/applications?id=${r.applicationId}`)}>{t('evaluation.openApplication')}</Button>}
                {r.reason && <Typography.Text type="secondary">{r.reason}</Typography.Text>}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={!!dismissing} title={t('evaluation.dismiss')} onCancel={() => setDismissing(null)} confirmLoading={dismiss.isPending}
        onOk={() => (reason.trim() ? dismiss.mutate({ id: dismissing!.id, reason: reason.trim() }) : void message.warning(t('evaluation.reasonRequired')))}>
        <Input.TextArea data-testid="advice-dismiss-reason" rows={3} maxLength={1000} placeholder={t('evaluation.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </Card>
  );
}

function ProvidersTab({ month }: { month: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const sets = useQuery({ queryKey: evaluationKeys.sets, queryFn: evaluationApi.sets });
  const runs = useQuery({ queryKey: evaluationKeys.runs(month), queryFn: () => evaluationApi.runs(month) });
  const [setId, setSetId] = useState<string | undefined>();
  const [runId, setRunId] = useState<string | undefined>();
  const latestSets = (sets.data ?? []).filter((s) => s.latest);
  const currentSet = setId ?? latestSets[0]?.id;
  const chosenRun = runId && runs.data?.some((r) => r.id === runId) ? runId : runs.data?.find((r) => r.status === 'published')?.id ?? runs.data?.[0]?.id;
  const detail = useQuery({ queryKey: evaluationKeys.run(chosenRun ?? ''), queryFn: () => evaluationApi.runDetail(chosenRun!), enabled: !!chosenRun });
  const invalidate = () => void qc.invalidateQueries({ queryKey: evaluationKeys.all });
  const onError = (e: unknown) => void message.error(errorText(e));
  const run = useMutation({ mutationFn: () => evaluationApi.run(currentSet!, month), onSuccess: (r) => { setRunId(r.id); invalidate(); }, onError });
  const review = useMutation({ mutationFn: (id: string) => evaluationApi.review(id, null), onSuccess: invalidate, onError });
  const publish = useMutation({ mutationFn: (id: string) => evaluationApi.publish(id), onSuccess: invalidate, onError });
  const [scoring, setScoring] = useState<{ providerId: string; providerName: string } | null>(null);
  const d = detail.data;
  const option = useMemo(() => ({
    tooltip: {}, grid: { left: 140, right: 30, top: 10, bottom: 30 }, xAxis: { type: 'value', max: 100 },
    yAxis: { type: 'category', inverse: true, data: (d?.scores ?? []).map((s) => s.provider.name) },
    series: [{ type: 'bar', data: (d?.scores ?? []).map((s) => (s.total === null ? null : Number(s.total))), label: { show: true, position: 'right' } }],
  }), [d]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={<Space wrap>
        <span>{t('evaluation.set')}</span>
        <Select style={{ width: 420 }} value={currentSet} onChange={setSetId} options={latestSets.map((s) => ({ value: s.id, label: `${s.name} v${s.version}` }))} />
        {can('evaluation:score') && <Button data-testid="evaluation-run" type="primary" loading={run.isPending} disabled={!currentSet} onClick={() => run.mutate()}>{t('evaluation.run')}</Button>}
      </Space>}>
        <Space wrap>
          <span>{t('evaluation.runs')}</span>
          <Select style={{ width: 420 }} value={chosenRun} onChange={setRunId} placeholder={t('evaluation.chooseRun')} notFoundContent={t('evaluation.noRuns')}
            options={(runs.data ?? []).map((r) => ({ value: r.id, label: `${r.setName.slice(0, 20)} · ${t('evaluation.revision', { n: r.revision })} · ${t(`evaluation.runStatuses.${r.status}`)}` }))} />
          {d?.abilities.review && <Button data-testid="evaluation-review" onClick={() => review.mutate(d.id)} loading={review.isPending}>{t('evaluation.review')}</Button>}
          {d?.abilities.publish && <Button data-testid="evaluation-publish" type="primary" onClick={() => publish.mutate(d.id)} loading={publish.isPending}>{t('evaluation.publish')}</Button>}
          {d && <Button icon={<DownloadOutlined />} onClick={() => void evaluationApi.exportRun(d.id).catch(onError)}>{t('evaluation.export')}</Button>}
        </Space>
      </Card>
      {d ? (
        <Card size="small" title={`${d.setName} · ${d.month} · ${t('evaluation.revision', { n: d.revision })} · ${t(`evaluation.runStatuses.${d.status}`)}`}>
          {d.scores.some((s) => s.total !== null) && <><Typography.Text strong>{t('evaluation.rankingChart')}</Typography.Text><EChart option={option} height={Math.max(160, d.scores.length * 30)} /></>}
          <Table<ProviderScore>
            data-testid="evaluation-ranking"
            rowKey={(r) => r.provider.id}
            size="small"
            pagination={false}
            dataSource={d.scores}
            expandable={{ expandedRowRender: (s) => <IndicatorTable score={s} /> }}
            columns={[
              { title: t('evaluation.rank'), dataIndex: 'rank', width: 60, render: (v: number | null) => v ?? '—' },
              { title: t('evaluation.provider'), render: (_, r) => r.provider.name },
              { title: t('evaluation.total'), dataIndex: 'total', render: (v: string | null) => v ?? '—' },
              { title: t('evaluation.coverage'), dataIndex: 'coverage' },
              { title: t('evaluation.grade'), dataIndex: 'grade', render: (v: string | null) => v ?? '—' },
              ...(can('evaluation:score') ? [{ title: '', width: 110, render: (_: unknown, r: ProviderScore) => <Button size="small" onClick={() => setScoring({ providerId: r.provider.id, providerName: r.provider.name })}>{t('evaluation.manualScore')}</Button> }] : []),
            ]}
          />
        </Card>
      ) : <Empty description={t('evaluation.noRuns')} />}
      {scoring && currentSet && <ManualScoreModal setId={d?.setId ?? currentSet} month={month} provider={scoring} onClose={() => setScoring(null)} />}
    </Space>
  );
}

function IndicatorTable({ score }: { score: ProviderScore }) {
  const { t } = useTranslation();
  return (
    <Table size="small" rowKey="code" pagination={false} dataSource={score.indicators}
      columns={[
        { title: t('evaluation.dimension'), dataIndex: 'dimension', width: 110 },
        { title: t('evaluation.indicator'), dataIndex: 'name', width: 260 },
        { title: t('evaluation.weight'), dataIndex: 'weight', width: 60 },
        { title: t('evaluation.value'), dataIndex: 'value', width: 90, render: (v: string | null) => v ?? '—' },
        { title: t('evaluation.score'), dataIndex: 'score', width: 80, render: (v: string | null, r) => v ?? <Typography.Text type="secondary">{t(`evaluation.indicatorStatus.${r.status}`)}</Typography.Text> },
        { title: t('evaluation.evidence_'), dataIndex: 'evidence' },
      ]} />
  );
}

function ManualScoreModal({ setId, month, provider, onClose }: { setId: string; month: string; provider: { providerId: string; providerName: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const sets = useQuery({ queryKey: evaluationKeys.sets, queryFn: evaluationApi.sets });
  const manual = (sets.data?.find((s) => s.id === setId)?.dimensions ?? []).flatMap((dm) => dm.indicators.filter((i) => i.source === 'manual').map((i) => ({ ...i, dimension: dm.name })));
  const [form] = Form.useForm<{ indicatorCode: string; score: number; evidence: string }>();
  const save = useMutation({
    mutationFn: (v: { indicatorCode: string; score: number; evidence: string }) => evaluationApi.manualScore({ setId, month, providerId: provider.providerId, ...v }),
    onSuccess: () => { void message.success(t('evaluation.saved')); form.resetFields(['score', 'evidence']); },
    onError: (e) => void message.error(errorText(e)),
  });
  const code = Form.useWatch('indicatorCode', form);
  const chosen = manual.find((i) => i.code === code);
  const max = chosen && chosen.rule.type === 'manual' ? chosen.rule.max : 100;
  return (
    <Modal open title={`${t('evaluation.manualScore')} · ${provider.providerName} · ${month}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Descriptions size="small" column={1} items={[{ key: 'm', label: t('evaluation.month'), children: month }]} />
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="indicatorCode" label={t('evaluation.indicator')} rules={[{ required: true }]}>
          <Select options={manual.map((i) => ({ value: i.code, label: `${i.dimension} · ${i.name}（${i.weight}）` }))} />
        </Form.Item>
        <Form.Item name="score" label={t('evaluation.scoreValue', { max })} rules={[{ required: true }]}><InputNumber style={{ width: 160 }} /></Form.Item>
        <Form.Item name="evidence" label={t('evaluation.evidenceText')} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
      </Form>
    </Modal>
  );
}
