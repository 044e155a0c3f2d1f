import { useState } from 'react';
import { App as AntApp, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Progress, Select, Space, Statistic, Table, Tag, Timeline, Typography } from 'antd';
import { DownloadOutlined, FilePdfOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { EChart } from '../../../app/EChart';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import {
  CHECK_KINDS,
  EVENT_CATEGORIES,
  EVENT_GRADES,
  EVENT_STATUS_COLOR,
  GRADE_COLOR,
  PATCH_STATUS_COLOR,
  type PatchQuery,
  securityApi,
  securityKeys,
  type EventQuery,
  type SecurityCheck,
  type SecurityEvent,
} from '../security.api';

/** 安全事件: events reported by providers and supervision, their timeline, tracing (溯源) and handling report. */
export function EventsTab({ canReport }: { canReport: boolean }) {
  const { t } = useTranslation();
  const [q, setQ] = useState<EventQuery>({ page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: securityKeys.events(q), queryFn: () => securityApi.events(q) });
  const set = (patch: Partial<EventQuery>) => setQ((o) => ({ ...o, page: 1, ...patch }));
  return (
    <Card
      size="small"
      title={
        <Space wrap>
          <Select allowClear placeholder={t('security.status')} style={{ width: 130 }} value={q.status} onChange={(v) => set({ status: v })} options={['open', 'handling', 'closed'].map((s) => ({ value: s, label: t(`security.eventStatuses.${s}`) }))} />
          <Select allowClear placeholder={t('security.grade')} style={{ width: 130 }} value={q.grade} onChange={(v) => set({ grade: v })} options={EVENT_GRADES.map((g) => ({ value: g, label: t(`security.grades.${g}`) }))} />
        </Space>
      }
      extra={
        <Space>
          {canReport && <Button data-testid="security-event-new" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('security.reportEvent')}</Button>}
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('security.refresh')}</Button>
        </Space>
      }
    >
      <Table<SecurityEvent>
        data-testid="security-events"
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
        pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('security.total', { n }), onChange: (page, pageSize) => setQ((o) => ({ ...o, page, pageSize })) }}
        scroll={{ x: 1200 }}
        columns={[
          { title: t('security.eventNo'), dataIndex: 'eventNo', width: 170 },
          { title: t('security.grade'), dataIndex: 'grade', width: 90, render: (g: string) => <Tag color={GRADE_COLOR[g]}>{t(`security.grades.${g}`)}</Tag> },
          { title: t('security.category'), dataIndex: 'category', width: 130, render: (c: string) => t(`security.categories.${c}`) },
          { title: t('security.eventTitle'), dataIndex: 'title', ellipsis: true },
          { title: t('security.provider'), dataIndex: 'providerName', width: 160, render: (v: string | null) => v ?? '—' },
          { title: t('security.unit'), dataIndex: 'unitName', width: 160, render: (v: string | null) => v ?? '—' },
          { title: t('security.status'), dataIndex: 'status', width: 90, render: (s: string) => <Tag color={EVENT_STATUS_COLOR[s]}>{t(`security.eventStatuses.${s}`)}</Tag> },
          { title: t('security.occurredAt'), dataIndex: 'occurredAt', width: 160, render: (d: string) => fmtTime(d) },
        ]}
      />
      <EventDrawer id={openId} onClose={() => setOpenId(null)} />
      <NewEventModal open={creating} onClose={() => setCreating(false)} onCreated={(id) => { setCreating(false); setOpenId(id); }} />
    </Card>
  );
}

function NewEventModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ title: string; grade: (typeof EVENT_GRADES)[number]; category: (typeof EVENT_CATEGORIES)[number]; occurredAt: Dayjs; nodeId?: string; description?: string }>();
  const nodes = useQuery({ queryKey: securityKeys.nodes, queryFn: securityApi.nodes, enabled: open });
  const create = useMutation({
    mutationFn: async () => {
      const v = await form.validateFields();
      const node = nodes.data?.find((n) => n.id === v.nodeId);
      return securityApi.createEvent({ title: v.title, grade: v.grade, category: v.category, occurredAt: v.occurredAt.toISOString(), nodeId: v.nodeId ?? null, providerId: node?.provider?.id ?? null, description: v.description ?? null });
    },
    onSuccess: (e) => {
      form.resetFields();
      void message.success(t('security.eventReported', { no: e.eventNo }));
      void qc.invalidateQueries({ queryKey: securityKeys.all });
      onCreated(e.id);
    },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <Modal open={open} title={t('security.reportEvent')} onCancel={onClose} onOk={() => create.mutate()} confirmLoading={create.isPending} okText={t('security.report')} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('security.reportHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ grade: 'IV', category: 'attack', occurredAt: dayjs() }}>
        <Form.Item name="title" label={t('security.eventTitle')} rules={[{ required: true, max: 200 }]}><Input data-testid="security-event-title" /></Form.Item>
        <Space>
          <Form.Item name="grade" label={t('security.grade')} rules={[{ required: true }]}><Select style={{ width: 140 }} options={EVENT_GRADES.map((g) => ({ value: g, label: t(`security.grades.${g}`) }))} /></Form.Item>
          <Form.Item name="category" label={t('security.category')} rules={[{ required: true }]}><Select style={{ width: 180 }} options={EVENT_CATEGORIES.map((c) => ({ value: c, label: t(`security.categories.${c}`) }))} /></Form.Item>
          <Form.Item name="occurredAt" label={t('security.occurredAt')} rules={[{ required: true }]}><DatePicker showTime disabledDate={(d) => d.isAfter(dayjs())} /></Form.Item>
        </Space>
        <Form.Item name="nodeId" label={t('security.node')}><Select allowClear options={(nodes.data ?? []).map((n) => ({ value: n.id, label: `${n.name}${n.provider ? `（${n.provider.name}）` : ''}` }))} /></Form.Item>
        <Form.Item name="description" label={t('security.description')} rules={[{ max: 4000 }]}><Input.TextArea rows={3} /></Form.Item>
      </Form>
    </Modal>
  );
}

function EventDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const detail = useQuery({ queryKey: securityKeys.event(id ?? ''), queryFn: () => securityApi.event(id!), enabled: id !== null });
  const act = useMutation({
    mutationFn: (kind: 'note' | 'tracing' | 'evidence' | 'close') => (kind === 'close' ? securityApi.closeEvent(id!, text) : securityApi.addEventEntry(id!, kind, text)),
    onSuccess: () => {
      setText('');
      void message.success(t('security.done'));
      void qc.invalidateQueries({ queryKey: securityKeys.all });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const e = detail.data;
  return (
    <Drawer open={id !== null} onClose={onClose} width={720} title={e ? `${e.eventNo} ${e.title}` : t('security.event')} data-testid="security-event-drawer"
      extra={e && <Button icon={<FilePdfOutlined />} onClick={() => void securityApi.eventReportPdf(e.id, e.eventNo).catch((err: unknown) => void message.error(errorText(err)))}>{t('security.reportPdf')}</Button>}>
      {e && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('security.grade')}><Tag color={GRADE_COLOR[e.grade]}>{t(`security.grades.${e.grade}`)}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('security.status')}><Tag data-testid="security-event-status" color={EVENT_STATUS_COLOR[e.status]}>{t(`security.eventStatuses.${e.status}`)}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('security.category')}>{t(`security.categories.${e.category}`)}</Descriptions.Item>
            <Descriptions.Item label={t('security.eventSource')}>{t(`security.eventSources.${e.source}`)}</Descriptions.Item>
            <Descriptions.Item label={t('security.provider')}>{e.providerName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('security.unit')}>{e.unitName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('security.occurredAt')}>{fmtTime(e.occurredAt)}</Descriptions.Item>
            <Descriptions.Item label={t('security.reportedAt')}>{e.reportedAt ? fmtTime(e.reportedAt) : '—'}</Descriptions.Item>
            {e.description && <Descriptions.Item label={t('security.description')} span={2}>{e.description}</Descriptions.Item>}
            {e.tracingNote && <Descriptions.Item label={t('security.tracing')} span={2}><span style={{ whiteSpace: 'pre-wrap' }}>{e.tracingNote}</span></Descriptions.Item>}
            {e.handlingReport && <Descriptions.Item label={t('security.handlingReport')} span={2}>{e.handlingReport}</Descriptions.Item>}
            {e.ticketId && <Descriptions.Item label={t('security.ticket')} span={2}><a href={`/tickets?id=${e.ticketId}`}>{e.ticketId.slice(0, 8)}</a></Descriptions.Item>}
          </Descriptions>
          {e.abilities.note && (
            <Card size="small" title={t('security.handle')}>
              <Space direction="vertical" style={{ width: '100%' }}>
                <Input.TextArea data-testid="security-event-text" rows={3} value={text} onChange={(x) => setText(x.target.value)} placeholder={t('security.eventTextPlaceholder')} maxLength={8000} />
                <Space wrap>
                  <Button disabled={!text} loading={act.isPending} onClick={() => act.mutate('note')}>{t('security.addNote')}</Button>
                  <Button disabled={!text} loading={act.isPending} onClick={() => act.mutate('tracing')}>{t('security.addTracing')}</Button>
                  <Button disabled={!text} loading={act.isPending} onClick={() => act.mutate('evidence')}>{t('security.addEvidence')}</Button>
                  {e.abilities.close && <Button data-testid="security-event-close" type="primary" disabled={!text} loading={act.isPending} onClick={() => act.mutate('close')}>{t('security.closeWithReport')}</Button>}
                </Space>
              </Space>
            </Card>
          )}
          <Card size="small" title={t('security.timeline')}>
            <Timeline items={e.entries.map((x) => ({ children: <span>{fmtTime(x.at)} · {t(`security.entryKinds.${x.kind}`)}{x.actor ? ` · ${x.actor}` : ''} · {x.text}</span> }))} />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

/** 安全检查与渗透测试: plans and records with the year's obligations (12 scans, 4 pentests each of ≥ 2 providers). */
export function ChecksTab({ manage }: { manage: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [year, setYear] = useState<Dayjs>(dayjs());
  const y = year.year();
  const [planning, setPlanning] = useState(false);
  const [recording, setRecording] = useState<SecurityCheck | null>(null);
  const checks = useQuery({ queryKey: securityKeys.checks(y), queryFn: () => securityApi.checks(y) });
  const counters = useQuery({ queryKey: securityKeys.counters(y), queryFn: () => securityApi.counters(y) });
  const nodes = useQuery({ queryKey: securityKeys.nodes, queryFn: securityApi.nodes });
  const providerName = new Map((nodes.data ?? []).flatMap((n) => (n.provider ? [[n.provider.id, n.provider.name] as const] : [])));
  const providerOptions = [...providerName].map(([value, label]) => ({ value, label }));
  const [planForm] = Form.useForm<{ kind: (typeof CHECK_KINDS)[number]; title: string; plannedDate: Dayjs; providerIds: string[] }>();
  const [recordForm] = Form.useForm<{ doneDate: Dayjs; resultSummary: string; findingsCount: number }>();
  const done = () => {
    void message.success(t('security.done'));
    void qc.invalidateQueries({ queryKey: securityKeys.all });
  };
  const plan = useMutation({
    mutationFn: async () => {
      const v = await planForm.validateFields();
      return securityApi.planCheck({ kind: v.kind, title: v.title, plannedDate: v.plannedDate.format('YYYY-MM-DD'), providerIds: v.providerIds });
    },
    onSuccess: () => { setPlanning(false); planForm.resetFields(); done(); },
    onError: (e) => void message.error(errorText(e)),
  });
  const record = useMutation({
    mutationFn: async () => {
      const v = await recordForm.validateFields();
      return securityApi.recordCheck(recording!.id, { doneDate: v.doneDate.format('YYYY-MM-DD'), resultSummary: v.resultSummary, findingsCount: v.findingsCount });
    },
    onSuccess: () => { setRecording(null); recordForm.resetFields(); done(); },
    onError: (e) => void message.error(errorText(e)),
  });
  const c = counters.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={<DatePicker picker="year" allowClear={false} value={year} onChange={(v) => v && setYear(v)} />}
        extra={manage && <Button data-testid="security-check-new" type="primary" icon={<PlusOutlined />} onClick={() => setPlanning(true)}>{t('security.planCheck')}</Button>}>
        <Typography.Paragraph type="secondary">{t('security.checksHint')}</Typography.Paragraph>
        <Space size={48} wrap data-testid="security-check-counters">
          <Space direction="vertical">
            <Statistic title={t('security.scansDone')} value={c ? `${c.scans.done} / ${c.scans.required}` : '—'} loading={counters.isLoading} />
            {c && <Progress percent={Math.min(100, Math.round((c.scans.done / c.scans.required) * 100))} size="small" style={{ width: 200 }} />}
            {c && c.scans.monthsWithout.length > 0 && <Typography.Text type="danger">{t('security.monthsWithout', { list: c.scans.monthsWithout.join('、') })}</Typography.Text>}
          </Space>
          <Space direction="vertical">
            <Statistic title={t('security.pentestsDone')} value={c ? `${c.pentests.done} / ${c.pentests.required}` : '—'} loading={counters.isLoading} />
            {c && <Progress percent={Math.min(100, Math.round((c.pentests.done / c.pentests.required) * 100))} size="small" style={{ width: 200 }} />}
            {c && c.pentests.quartersWithout.length > 0 && <Typography.Text type="danger">{t('security.quartersWithout', { list: c.pentests.quartersWithout.map((q) => `Q${q}`).join('、') })}</Typography.Text>}
          </Space>
        </Space>
        {c && (
          <Table size="small" rowKey="kind" pagination={false} style={{ marginTop: 16 }} dataSource={c.byKind}
            columns={[
              { title: t('security.checkKind'), dataIndex: 'kind', render: (k: string) => t(`security.checkKinds.${k}`) },
              { title: t('security.planned'), dataIndex: 'planned', width: 100, align: 'right' },
              { title: t('security.doneCount'), dataIndex: 'done', width: 100, align: 'right' },
            ]} />
        )}
      </Card>
      <Card size="small" title={t('security.checkList')}>
        <Table<SecurityCheck> data-testid="security-checks" size="small" rowKey="id" loading={checks.isLoading} dataSource={checks.data ?? []} pagination={{ pageSize: 20 }}
          columns={[
            { title: t('security.plannedDate'), dataIndex: 'plannedDate', width: 110, render: (d: string, r) => <Typography.Text type={r.overdue ? 'danger' : undefined}>{d}</Typography.Text> },
            { title: t('security.checkKind'), dataIndex: 'kind', width: 150, render: (k: string) => t(`security.checkKinds.${k}`) },
            { title: t('security.eventTitle'), dataIndex: 'title', ellipsis: true },
            { title: t('security.providers'), dataIndex: 'providerIds', render: (ids: string[]) => ids.map((i) => providerName.get(i) ?? i.slice(0, 8)).join('、') },
            { title: t('security.status'), dataIndex: 'status', width: 90, render: (s: string) => <Tag color={s === 'done' ? 'green' : s === 'planned' ? 'blue' : 'default'}>{t(`security.checkStatuses.${s}`)}</Tag> },
            { title: t('security.doneDate'), dataIndex: 'doneDate', width: 110, render: (d: string | null) => d ?? '—' },
            { title: t('security.resultFindings'), dataIndex: 'findingsCount', width: 80, render: (n: number | null) => n ?? '—' },
            ...(manage ? [{ title: '', key: 'act', width: 90, render: (_: unknown, r: SecurityCheck) => r.status === 'planned' && <Button size="small" onClick={() => setRecording(r)}>{t('security.recordCheck')}</Button> }] : []),
          ]} />
      </Card>
      <Modal open={planning} title={t('security.planCheck')} onCancel={() => setPlanning(false)} onOk={() => plan.mutate()} confirmLoading={plan.isPending} destroyOnHidden>
        <Form form={planForm} layout="vertical" initialValues={{ kind: 'vuln_scan', plannedDate: dayjs() }}>
          <Form.Item name="kind" label={t('security.checkKind')} rules={[{ required: true }]}><Select options={CHECK_KINDS.map((k) => ({ value: k, label: t(`security.checkKinds.${k}`) }))} /></Form.Item>
          <Form.Item name="title" label={t('security.eventTitle')} rules={[{ required: true, max: 200 }]}><Input /></Form.Item>
          <Form.Item name="plannedDate" label={t('security.plannedDate')} rules={[{ required: true }]}><DatePicker /></Form.Item>
          <Form.Item name="providerIds" label={t('security.providers')} extra={t('security.pentestRule')} rules={[{ required: true, type: 'array', min: 1 }]}><Select mode="multiple" options={providerOptions} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={recording !== null} title={`${t('security.recordCheck')}：${recording?.title ?? ''}`} onCancel={() => setRecording(null)} onOk={() => record.mutate()} confirmLoading={record.isPending} destroyOnHidden>
        <Form form={recordForm} layout="vertical" initialValues={{ doneDate: dayjs(), findingsCount: 0 }}>
          <Form.Item name="doneDate" label={t('security.doneDate')} rules={[{ required: true }]}><DatePicker disabledDate={(d) => d.isAfter(dayjs())} /></Form.Item>
          <Form.Item name="findingsCount" label={t('security.resultFindings')} rules={[{ required: true }]}><InputNumber min={0} max={1000000} /></Form.Item>
          <Form.Item name="resultSummary" label={t('security.resultSummary')} rules={[{ required: true, max: 8000 }]}><Input.TextArea rows={4} /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/** 补丁合规: per provider from the pushed 安全补丁安装数据, against a window of natural days from the release. */
export function PatchesTab() {
  const { t } = useTranslation();
  const [windowDays, setWindowDays] = useState(30);
  const [q, setQ] = useState<PatchQuery>({ page: 1, pageSize: 20 });
  const compliance = useQuery({ queryKey: securityKeys.patchCompliance(windowDays), queryFn: () => securityApi.patchCompliance(windowDays) });
  const query = { ...q, windowDays };
  const list = useQuery({ queryKey: securityKeys.patches(query), queryFn: () => securityApi.patches(query) });
  const rate = (r: string | null) => (r === null ? t('security.nothingDue') : `${(Number(r) * 100).toFixed(2)}%`);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={<Space>{t('security.patchWindow')}<InputNumber min={1} max={365} value={windowDays} onChange={(v) => v && setWindowDays(Number(v))} addonAfter={t('security.naturalDays')} /></Space>}>
        <Typography.Paragraph type="secondary">{t('security.patchHint')}</Typography.Paragraph>
        <Table data-testid="security-patch-compliance" size="small" rowKey="providerId" loading={compliance.isLoading} dataSource={compliance.data?.items ?? []} pagination={false}
          columns={[
            { title: t('security.provider'), dataIndex: 'providerName', render: (v: string | null) => v ?? '—' },
            { title: t('security.hosts'), dataIndex: 'hosts', width: 80, align: 'right' },
            { title: t('security.patchCount'), dataIndex: 'patches', width: 80, align: 'right' },
            ...(['onTime', 'late', 'missing', 'pending', 'unknown'] as const).map((k) => ({ title: t(`security.patchStatuses.${k}`), dataIndex: k, width: 90, align: 'right' as const })),
            { title: t('security.complianceRate'), dataIndex: 'complianceRate', width: 110, align: 'right', render: rate },
          ]} />
      </Card>
      <Card size="small" title={
        <Space wrap>
          <Select allowClear placeholder={t('security.status')} style={{ width: 130 }} value={q.status} onChange={(v) => setQ((o) => ({ ...o, page: 1, status: v }))}
            options={(['missing', 'late', 'pending', 'unknown', 'on_time'] as const).map((s) => ({ value: s, label: t(`security.patchStatuses.${s === 'on_time' ? 'onTime' : s}`) }))} />
          <Input.Search allowClear placeholder={t('security.patchKeyword')} style={{ width: 240 }} onSearch={(v) => setQ((o) => ({ ...o, page: 1, keyword: v || undefined }))} />
        </Space>
      }>
        <Table size="small" rowKey="id" loading={list.isLoading} dataSource={list.data?.items ?? []} scroll={{ x: 1200 }}
          pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('security.total', { n }), onChange: (page, pageSize) => setQ((o) => ({ ...o, page, pageSize })) }}
          columns={[
            { title: t('security.status'), dataIndex: 'status', width: 90, render: (s: string) => <Tag color={PATCH_STATUS_COLOR[s]}>{t(`security.patchStatuses.${s === 'on_time' ? 'onTime' : s}`)}</Tag> },
            { title: t('security.patchName'), dataIndex: 'patchName', width: 200, ellipsis: true },
            { title: t('security.patchType'), dataIndex: 'patchType', width: 120, render: (v: string | null) => v ?? '—' },
            { title: t('security.host'), dataIndex: 'cloudHostId', width: 160, render: (h: string, r) => (r.resourceId ? h : <Space size={4}>{h}<Tag>{t('security.unmatched')}</Tag></Space>) },
            { title: t('security.system'), dataIndex: 'systemName', width: 150, render: (v: string | null) => v ?? '—' },
            { title: t('security.provider'), dataIndex: 'providerName', width: 150, render: (v: string | null) => v ?? '—' },
            { title: t('security.released'), dataIndex: 'releasedText', width: 120, render: (v: string | null) => v ?? '—' },
            { title: t('security.installed'), dataIndex: 'installedText', width: 120, render: (v: string | null) => v ?? '—' },
            { title: t('security.daysOverdue'), dataIndex: 'daysOverdue', width: 90, align: 'right', render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : '—') },
          ]} />
      </Card>
    </Space>
  );
}

/** 安全态势: the month beside the previous one, with the numbers as a table, a chart and a signed .xlsx. */
export function PostureTab() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const m = month.format('YYYY-MM');
  const report = useQuery({ queryKey: securityKeys.posture(m), queryFn: () => securityApi.posture(m) });
  const r = report.data;
  const rows = r
    ? [
        ...(['critical', 'high', 'medium', 'low'] as const).map((s) => ({ key: s, item: t('security.openOf', { s: t(`security.severities.${s}`) }), now: r.current.openFindings[s], before: r.previous.openFindings[s] as number | null })),
        { key: 'overdue', item: t('security.overdueRect'), now: r.current.overdueRectifications, before: null },
        { key: 'attacks', item: t('security.attacksMonth'), now: r.current.attacks, before: r.current.attacksPrevMonth },
        { key: 'events', item: t('security.tabs.events'), now: r.current.events, before: r.previous.events },
        { key: 'scans', item: t('security.checkKinds.vuln_scan'), now: r.current.scansDone, before: r.previous.scansDone },
        { key: 'pentests', item: t('security.checkKinds.pentest'), now: r.current.pentestsDone, before: r.previous.pentestsDone },
      ]
    : [];
  const option = r && {
    tooltip: { trigger: 'axis' },
    legend: { data: [r.previousMonth, r.month] },
    grid: { left: 40, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: rows.map((x) => x.item) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: r.previousMonth, type: 'bar', data: rows.map((x) => x.before ?? '-') },
      { name: r.month, type: 'bar', data: rows.map((x) => x.now) },
    ],
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={<DatePicker picker="month" allowClear={false} value={month} onChange={(v) => v && setMonth(v)} />}
        extra={<Button icon={<DownloadOutlined />} onClick={() => void securityApi.postureXlsx(m).catch((e: unknown) => void message.error(errorText(e)))}>{t('security.exportXlsx')}</Button>}>
        <Typography.Paragraph type="secondary">{t('security.postureHint')}</Typography.Paragraph>
        {option && <EChart option={option} height={300} testId="security-posture-chart" />}
        <Table data-testid="security-posture" size="small" rowKey="key" loading={report.isLoading} dataSource={rows} pagination={false}
          columns={[
            { title: t('security.item'), dataIndex: 'item' },
            { title: r?.month ?? '', dataIndex: 'now', width: 110, align: 'right' },
            { title: r?.previousMonth ?? '', dataIndex: 'before', width: 110, align: 'right', render: (v: number | null) => v ?? '—' },
            { title: t('security.change'), key: 'change', width: 110, align: 'right', render: (_: unknown, x) => (x.before === null ? '—' : <Typography.Text type={x.now > x.before ? 'danger' : x.now < x.before ? 'success' : undefined}>{x.now - x.before > 0 ? `+${x.now - x.before}` : x.now - x.before}</Typography.Text>) },
          ]} />
      </Card>
      <Space align="start" wrap style={{ width: '100%' }}>
        <Card size="small" title={t('security.topSystems')} style={{ minWidth: 320 }}>
          <Table size="small" rowKey="name" pagination={false} dataSource={r?.current.topAttackedSystems ?? []} columns={[{ title: t('security.system'), dataIndex: 'name' }, { title: t('security.count'), dataIndex: 'count', width: 90, align: 'right' }]} />
        </Card>
        <Card size="small" title={t('security.openByProvider')} style={{ flex: 1, minWidth: 520 }}>
          <Table size="small" rowKey="providerId" pagination={false} dataSource={r?.openByProvider ?? []}
            columns={[
              { title: t('security.provider'), dataIndex: 'providerName', render: (v: string | null) => v ?? '—' },
              { title: t('security.age7'), dataIndex: 'days0to7', width: 80, align: 'right' },
              { title: t('security.age30'), dataIndex: 'days8to30', width: 80, align: 'right' },
              { title: t('security.age90'), dataIndex: 'days31to90', width: 80, align: 'right' },
              { title: t('security.ageOld'), dataIndex: 'over90', width: 80, align: 'right' },
              { title: t('security.overdue'), dataIndex: 'overdue', width: 80, align: 'right', render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : 0) },
            ]} />
        </Card>
      </Space>
    </Space>
  );
}

/** 安全设备日志: what the security devices logged in a month (pushed or by syslog), per day and TopN, with drill-down. */
export function DeviceLogsSection({ month }: { month: Dayjs }) {
  const { t } = useTranslation();
  const m = month.format('YYYY-MM');
  const stats = useQuery({ queryKey: securityKeys.deviceLogs(m), queryFn: () => securityApi.deviceLogs(m) });
  const s = stats.data;
  const from = month.startOf('month').toISOString();
  const to = month.endOf('month').add(1, 'millisecond').toISOString();
  const drill = (field: string, value: string) => `/ingest/data?table=securityDeviceLog&field=${field}&value=${encodeURIComponent(value)}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const top = (title: string, field: string, rows: Array<{ value: string; count: number; hostName?: string | null; systemName?: string | null }>) => (
    <Card size="small" title={title} style={{ flex: 1, minWidth: 300 }}>
      <Table size="small" rowKey="value" pagination={false} dataSource={rows}
        columns={[
          { title: t('security.item'), dataIndex: 'value', render: (v: string, r) => <Space direction="vertical" size={0}><a href={drill(field, v)}>{v}</a>{(r.hostName || r.systemName) && <Typography.Text type="secondary">{[r.hostName, r.systemName].filter(Boolean).join(' · ')}</Typography.Text>}</Space> },
          { title: t('security.count'), dataIndex: 'count', width: 90, align: 'right' },
        ]} />
    </Card>
  );
  const option = s && {
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 20, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: s.daily.map((d) => d.day.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: t('security.deviceLogs'), type: 'line', smooth: true, areaStyle: {}, data: s.daily.map((d) => d.count) }],
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('security.deviceLogs')}>
        <Typography.Paragraph type="secondary">{t('security.deviceLogsHint')}</Typography.Paragraph>
        <Space size="large">
          <Statistic title={t('security.deviceLogsMonth')} value={s?.total ?? '—'} loading={stats.isLoading} />
          <Statistic title={t('security.deviceLogsPrev')} value={s?.previousMonthTotal ?? '—'} loading={stats.isLoading} />
        </Space>
        {option && <EChart option={option} height={220} testId="security-device-log-trend" />}
        {s && <Table size="small" rowKey="day" pagination={false} scroll={{ x: true }} dataSource={[Object.fromEntries([['day', t('security.count')], ...s.daily.map((d) => [d.day.slice(5), d.count])])]}
          columns={[{ title: '', dataIndex: 'day', fixed: 'left', width: 60 }, ...s.daily.map((d) => ({ title: d.day.slice(5), dataIndex: d.day.slice(5), width: 56, align: 'right' as const }))]} />}
      </Card>
      <Space align="start" wrap style={{ width: '100%' }}>
        {top(t('security.topAlarms'), 'alarmName', s?.byAlarm ?? [])}
        {top(t('security.topSources'), 'srcIp', s?.bySource ?? [])}
        {top(t('security.topTargets'), 'dstIp', s?.byTarget ?? [])}
        {top(t('security.topDevices'), 'deviceName', s?.byDevice ?? [])}
        {top(t('security.byLevel'), 'logLevel', s?.byLevel ?? [])}
      </Space>
    </Space>
  );
}
