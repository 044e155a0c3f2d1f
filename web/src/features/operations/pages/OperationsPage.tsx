import { useMemo, useState } from 'react';
import { App as AntApp, Alert, Button, Card, DatePicker, Drawer, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { EntryTab } from './EntryTab';
import { MajorChangesTab, MeetingsTab } from './CommsTabs';
import { EventStepButton, NewAccessButton, NewEventButton, NewPolicyChangeButton, NewRoomButton, NewTrainingButton, PolicyUpdateButton } from './OpsForms';
import { HoldDrillButton, NewDrillButton, NewQualificationButton, NewStaffButton, ReviewQualificationButton } from './PersonnelForms';
import { RosterButton, RosterResultAlert, type RosterResult } from './RosterForm';
import { useProviderOptions } from './FormModal';
import { opsApi, opsKeys, type Drill, type Qualification, type Staff, type EmergencyEvent, type ExportList, type Plan, type PolicyChange, type Rectification, type TrainingCount } from '../operations.api';

const TABS = ['inspections', 'rectifications', 'personnel', 'drills', 'duty', 'changes', 'emergency', 'rooms', 'entries', 'major-changes', 'meetings'] as const;
type Tab = (typeof TABS)[number];

/** Beijing-time midnight of today, as an ISO instant with +08:00. */
const beijingToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** 运维监管: inspections to rectification, personnel and qualifications, drills, duty, platform changes. */
export default function OperationsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.tab ?? '') ? (params.tab as Tab) : 'inspections';
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => navigate(`/operations/${k}`)}
      destroyOnHidden
      items={[
        { key: 'inspections', label: t('operations.tabs.inspections'), children: <InspectionsTab /> },
        { key: 'rectifications', label: t('operations.tabs.rectifications'), children: <RectificationsTab /> },
        { key: 'personnel', label: t('operations.tabs.personnel'), children: <PersonnelTab /> },
        { key: 'drills', label: t('operations.tabs.drills'), children: <DrillsTab /> },
        { key: 'duty', label: t('operations.tabs.duty'), children: <DutyTab /> },
        { key: 'changes', label: t('operations.tabs.changes'), children: <ChangesTab /> },
        { key: 'emergency', label: t('operations.tabs.emergency'), children: <EmergencyTab /> },
        { key: 'rooms', label: t('operations.tabs.rooms'), children: <RoomsTab /> },
        { key: 'entries', label: t('operations.tabs.entries'), children: <EntryTab /> },
        { key: 'major-changes', label: t('operations.tabs.majorChanges'), children: <MajorChangesTab /> },
        { key: 'meetings', label: t('operations.tabs.meetings'), children: <MeetingsTab /> },
      ]}
    />
  );
}

function ExportButton({ list, name }: { list: ExportList; name: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  return <Button data-testid={`ops-export-${list}`} icon={<DownloadOutlined />} onClick={() => opsApi.export(list, name).catch((e: unknown) => message.error(errorText(e)))}>{t('operations.export')}</Button>;
}

function InspectionsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const [creating, setCreating] = useState(false);
  const [recording, setRecording] = useState<Plan | null>(null);
  const plans = useQuery({ queryKey: opsKeys.plans, queryFn: opsApi.plans });
  const records = useQuery({ queryKey: opsKeys.records, queryFn: opsApi.records });
  const range = useMemo(() => ({ from: dayjs().subtract(7, 'day').toISOString(), to: new Date().toISOString() }), []);
  const missed = useQuery({ queryKey: opsKeys.missed(range.from, range.to), queryFn: () => opsApi.missed(range.from, range.to) });
  const planName = new Map((plans.data ?? []).map((p) => [p.id, p.name]));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('operations.plans')} extra={<Space>{can('operations:write') && <Button data-testid="ops-new-plan" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('operations.newPlan')}</Button>}<Button icon={<ReloadOutlined />} onClick={() => void plans.refetch()}>{t('operations.refresh')}</Button></Space>}>
        <Table<Plan>
          data-testid="ops-plans"
          rowKey="id"
          size="small"
          loading={plans.isLoading}
          dataSource={plans.data ?? []}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('operations.planName'), dataIndex: 'name' },
            { title: t('operations.node'), dataIndex: 'nodeName', render: (v: string | null) => v ?? t('operations.none') },
            { title: t('operations.template'), dataIndex: 'category', render: (c: string) => t(`operations.categories.${c}`) },
            { title: t('operations.frequency'), render: (_: unknown, p) => `${t(`operations.frequencies.${p.frequency}`)}${p.frequency === 'daily' ? ` × ${p.timesPerDay}` : ''}` },
            { title: t('operations.validFrom'), dataIndex: 'validFrom', render: (v: string) => fmtTime(v) },
            ...(can('operations:write') ? [{ title: '', key: 'act', render: (_: unknown, p: Plan) => <Button size="small" data-testid="ops-record" onClick={() => setRecording(p)}>{t('operations.record')}</Button> }] : []),
          ]}
        />
      </Card>
      <Card size="small" title={t('operations.missed')} extra={<Typography.Text type="secondary">{t('operations.missedHint')}</Typography.Text>}>
        <Table data-testid="ops-missed" rowKey={(r) => `${r.planId}-${r.slotStart}`} size="small" loading={missed.isLoading} dataSource={missed.data ?? []} pagination={{ pageSize: 10 }}
          columns={[{ title: t('operations.planName'), dataIndex: 'planName' }, { title: t('operations.slot'), render: (_: unknown, r) => `${fmtTime(r.slotStart)} – ${fmtTime(r.slotEnd)}` }]} />
      </Card>
      <Card size="small" title={t('operations.records')} extra={<ExportButton list="inspections" name={t('operations.records')} />}>
        <Table data-testid="ops-records" rowKey="id" size="small" loading={records.isLoading} dataSource={records.data ?? []} pagination={{ pageSize: 20 }}
          columns={[
            { title: t('operations.planName'), dataIndex: 'planId', render: (id: string, r) => planName.get(id) ?? r.planName },
            { title: t('operations.slot'), render: (_: unknown, r) => `${fmtTime(r.slotStart)} – ${fmtTime(r.slotEnd)}` },
            { title: t('operations.performedAt'), dataIndex: 'performedAt', render: (v: string) => fmtTime(v) },
            { title: t('operations.inspector'), dataIndex: 'inspectorName' },
            { title: t('operations.abnormalCount'), dataIndex: 'abnormalCount', render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0) },
            { title: t('operations.late'), dataIndex: 'late', render: (l: boolean) => (l ? <Tag>{t('operations.late')}</Tag> : '') },
          ]} />
      </Card>
      {creating && <NewPlanModal onClose={() => setCreating(false)} />}
      {recording && <RecordDrawer plan={recording} onClose={() => setRecording(null)} />}
    </Space>
  );
}

function NewPlanModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ nodeId: string; templateId: string; name: string; frequency: 'daily' | 'weekly'; timesPerDay: number }>();
  const nodes = useQuery({ queryKey: opsKeys.nodes, queryFn: opsApi.nodes });
  const templates = useQuery({ queryKey: opsKeys.templates, queryFn: opsApi.templates });
  const frequency = Form.useWatch('frequency', form);
  const create = useMutation({
    mutationFn: (v: { nodeId: string; templateId: string; name: string; frequency: 'daily' | 'weekly'; timesPerDay: number }) =>
      opsApi.createPlan({ nodeId: v.nodeId, templateId: v.templateId, name: v.name, frequency: v.frequency, ...(v.frequency === 'daily' ? { timesPerDay: v.timesPerDay } : {}), validFrom: `${beijingToday()}T00:00:00+08:00` }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: opsKeys.plans });
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal open title={t('operations.newPlan')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ loading: create.isPending, 'data-testid': 'ops-plan-submit' }} okText={t('operations.save')} cancelText={t('operations.cancel')}>
      <Alert type="info" showIcon message={t('operations.machineRoomHint')} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" initialValues={{ frequency: 'daily', timesPerDay: 1 }} onFinish={(v) => create.mutate(v)}>
        <Form.Item name="nodeId" label={t('operations.node')} rules={[{ required: true }]}>
          <Select data-testid="ops-plan-node" showSearch optionFilterProp="label" options={(nodes.data ?? []).map((n) => ({ value: n.id, label: n.name }))} />
        </Form.Item>
        <Form.Item name="templateId" label={t('operations.template')} rules={[{ required: true }]}>
          <Select data-testid="ops-plan-template" options={(templates.data ?? []).map((x) => ({ value: x.id, label: `${t(`operations.categories.${x.category}`)} · ${x.name}` }))} />
        </Form.Item>
        <Form.Item name="name" label={t('operations.planName')} rules={[{ required: true, max: 100 }]}><Input data-testid="ops-plan-name" /></Form.Item>
        <Form.Item name="frequency" label={t('operations.frequency')}><Radio.Group options={(['daily', 'weekly'] as const).map((f) => ({ value: f, label: t(`operations.frequencies.${f}`) }))} /></Form.Item>
        {frequency === 'daily' && <Form.Item name="timesPerDay" label={t('operations.timesPerDay')}><InputNumber data-testid="ops-plan-times" min={1} max={24} /></Form.Item>}
      </Form>
    </Modal>
  );
}

function RecordDrawer({ plan, onClose }: { plan: Plan; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const detail = useQuery({ queryKey: opsKeys.plan(plan.id), queryFn: () => opsApi.plan(plan.id) });
  const [inspector, setInspector] = useState('');
  const [results, setResults] = useState<Record<string, { result: 'normal' | 'abnormal'; note: string }>>({});
  const items = detail.data?.items ?? [];
  const save = useMutation({
    mutationFn: () =>
      opsApi.record({
        planId: plan.id,
        performedAt: new Date().toISOString(),
        inspectorName: inspector,
        results: items.map((i) => ({ itemKey: i.key, result: results[i.key]?.result ?? 'normal', ...(results[i.key]?.note ? { note: results[i.key]!.note } : {}) })),
      }),
    onSuccess: async (r) => {
      message.success(t('operations.recorded', { n: r.abnormalCount }));
      await qc.invalidateQueries({ queryKey: opsKeys.all });
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });
  const set = (key: string, patch: Partial<{ result: 'normal' | 'abnormal'; note: string }>) => setResults((o) => ({ ...o, [key]: { result: o[key]?.result ?? 'normal', note: o[key]?.note ?? '', ...patch } }));
  return (
    <Drawer open width={720} title={t('operations.recordTitle', { name: plan.name })} onClose={onClose} data-testid="ops-record-drawer"
      extra={<Button type="primary" data-testid="ops-record-submit" loading={save.isPending} disabled={!inspector.trim()} onClick={() => save.mutate()}>{t('operations.save')}</Button>}>
      <Form layout="vertical">
        <Form.Item label={t('operations.inspector')} required><Input data-testid="ops-record-inspector" value={inspector} onChange={(e) => setInspector(e.target.value)} /></Form.Item>
      </Form>
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        loading={detail.isLoading}
        dataSource={items}
        columns={[
          { title: t('operations.item'), dataIndex: 'label' },
          { title: t('operations.result'), key: 'r', render: (_: unknown, i) => (
            <Radio.Group data-testid={`ops-result-${i.key}`} value={results[i.key]?.result ?? 'normal'} onChange={(e) => set(i.key, { result: e.target.value as 'normal' | 'abnormal' })}
              options={(['normal', 'abnormal'] as const).map((r) => ({ value: r, label: t(`operations.results.${r}`) }))} />
          ) },
          { title: t('operations.note'), key: 'n', render: (_: unknown, i) => (
            <Input data-testid={`ops-note-${i.key}`} placeholder={results[i.key]?.result === 'abnormal' ? t('operations.abnormalNote') : ''} value={results[i.key]?.note ?? ''} onChange={(e) => set(i.key, { note: e.target.value })} />
          ) },
        ]}
      />
    </Drawer>
  );
}

function RectificationsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: opsKeys.rectifications, queryFn: opsApi.rectifications });
  const [closing, setClosing] = useState<Rectification | null>(null);
  const [resolution, setResolution] = useState('');
  const close = useMutation({
    mutationFn: () => opsApi.closeRectification(closing!.id, resolution),
    onSuccess: async () => {
      message.success(t('operations.closed'));
      setClosing(null);
      setResolution('');
      await qc.invalidateQueries({ queryKey: opsKeys.rectifications });
    },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Card size="small" title={t('operations.tabs.rectifications')} extra={<Space><ExportButton list="rectifications" name={t('operations.tabs.rectifications')} /><Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('operations.refresh')}</Button></Space>}>
      <Table<Rectification>
        data-testid="ops-rectifications"
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, showTotal: (n) => t('operations.total', { n }) }}
        columns={[
          { title: t('operations.item'), dataIndex: 'label' },
          { title: t('operations.description'), dataIndex: 'description' },
          { title: t('operations.status'), dataIndex: 'status', render: (s: string) => <Tag data-testid="ops-rect-status" color={s === 'open' ? 'red' : 'green'}>{t(`operations.rectStatus.${s}`)}</Tag> },
          { title: t('operations.ticket'), dataIndex: 'ticketId', render: (v: string | null) => (v ? <Tag color="blue">{t('operations.ticket')}</Tag> : t('operations.none')) },
          { title: t('operations.createdAt'), dataIndex: 'createdAt', render: (v: string) => fmtTime(v) },
          { title: t('operations.resolution'), dataIndex: 'resolution', render: (v: string | null) => v ?? t('operations.none') },
          { title: '', key: 'act', render: (_: unknown, r) => (r.status === 'open' && can('operations:write') ? <Button size="small" data-testid="ops-rect-close" onClick={() => setClosing(r)}>{t('operations.close')}</Button> : null) },
        ]}
      />
      <Modal open={closing !== null} title={t('operations.closeTitle')} onCancel={() => setClosing(null)} onOk={() => close.mutate()} okButtonProps={{ disabled: !resolution.trim(), loading: close.isPending, 'data-testid': 'ops-rect-close-ok' }} okText={t('operations.save')} cancelText={t('operations.cancel')}>
        <Typography.Paragraph>{closing?.label}：{closing?.description}</Typography.Paragraph>
        <Input.TextArea data-testid="ops-rect-resolution" rows={3} placeholder={t('operations.resolution')} value={resolution} onChange={(e) => setResolution(e.target.value)} />
      </Modal>
    </Card>
  );
}

function PersonnelTab() {
  const { t } = useTranslation();
  const staff = useQuery({ queryKey: opsKeys.staff, queryFn: opsApi.staff });
  const expiring = useQuery({ queryKey: opsKeys.expiring, queryFn: opsApi.expiring });
  const staffing = useQuery({ queryKey: opsKeys.staffing, queryFn: opsApi.staffing });
  const quals = useQuery({ queryKey: opsKeys.qualifications, queryFn: opsApi.qualifications });
  const keyPosts = useQuery({ queryKey: opsKeys.keyPosts, queryFn: opsApi.keyPostChanges });
  const { providerName } = useProviderOptions();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('operations.qualifications')} extra={<NewQualificationButton />}>
        <Table<Qualification> data-testid="ops-qualifications" rowKey="id" size="small" dataSource={quals.data ?? []} loading={quals.isLoading} pagination={false}
          onRow={(r) => ({ style: r.state === 'lapsed' ? { background: '#fff1f0' } : undefined })}
          columns={[
            { title: t('operations.provider'), dataIndex: 'providerOrgId', render: (id: string) => providerName(id) ?? t('operations.none') },
            { title: t('operations.name'), dataIndex: 'name' },
            { title: t('operations.validFrom'), dataIndex: 'validFrom' },
            { title: t('operations.validTo'), dataIndex: 'validTo', render: (v: string, r) => (r.state === 'lapsed' ? <Typography.Text type="danger">{v}</Typography.Text> : v) },
            { title: t('operations.lastReview'), dataIndex: 'lastReviewOn', render: (v: string | null) => v ?? t('operations.none') },
            { title: t('operations.status'), dataIndex: 'state', render: (s: string, r) => <Space><Tag data-testid="ops-qual-state" color={s === 'current' ? 'green' : s === 'lapsed' ? 'red' : 'default'}>{t(`operations.qualState.${s}`)}{s === 'lapsed' && r.revokedOn ? `（${t('operations.pf.lapsedSince', { day: r.revokedOn })}）` : ''}</Tag>{r.reviewDue && <Tag color="orange">{t('operations.reviewDue')}</Tag>}</Space> },
            { title: '', key: 'act', render: (_: unknown, r) => <ReviewQualificationButton q={r} /> },
          ]} />
      </Card>
      <Card size="small" title={t('operations.keyPostChanges')}>
        <Table data-testid="ops-key-posts" rowKey="id" size="small" dataSource={keyPosts.data ?? []} loading={keyPosts.isLoading} pagination={false}
          columns={[
            { title: t('operations.name'), dataIndex: 'staffName' },
            { title: t('operations.post'), dataIndex: 'post', render: (p: string) => t(`operations.posts.${p}`) },
            { title: t('operations.successor'), dataIndex: 'successorName' },
            { title: t('operations.effectiveOn'), dataIndex: 'effectiveOn' },
            { title: t('operations.reason'), dataIndex: 'reason' },
            { title: t('operations.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'approved' ? 'green' : s === 'rejected' ? 'red' : 'blue'}>{t(`operations.keyPostStatus.${s}`)}</Tag> },
          ]} />
      </Card>
      <Card size="small" title={t('operations.staffing')}>
        <Table data-testid="ops-staffing" rowKey={(r) => `${r.orgId}-${r.nodeId}`} size="small" dataSource={staffing.data ?? []} loading={staffing.isLoading} pagination={false}
          columns={[
            { title: t('operations.onsite'), render: (_: unknown, r) => `${r.onsite} / ${r.requiredOnsite}${r.keyPeriod ? `（${t('operations.keyPeriod')}）` : ''}` },
            { title: t('operations.coreCount'), render: (_: unknown, r) => `${r.core} / ${r.requiredCore}` },
            { title: t('operations.auditor'), dataIndex: 'securityAuditor', render: (v: boolean) => (v ? t('operations.yes') : t('operations.no')) },
            { title: t('operations.problems'), dataIndex: 'problems', render: (ps: string[]) => ps.map((p) => <Tag key={p} color="red">{t(`operations.problemTexts.${p}`)}</Tag>) },
          ]} />
      </Card>
      <Card size="small" title={t('operations.expiring')}>
        <Table data-testid="ops-expiring" rowKey={(r) => `${r.staffId}-${r.certificate}`} size="small" dataSource={expiring.data ?? []} loading={expiring.isLoading} pagination={{ pageSize: 10 }}
          columns={[
            { title: t('operations.name'), dataIndex: 'staffName' },
            { title: t('operations.certificates'), dataIndex: 'certificate' },
            { title: t('operations.validTo'), dataIndex: 'validTo', render: (v: string, r) => <Typography.Text type={r.expired ? 'danger' : 'warning'}>{v}{r.expired ? ` ${t('operations.expired')}` : ''}</Typography.Text> },
          ]} />
      </Card>
      <Card size="small" title={t('operations.staff')} extra={<Space><NewStaffButton /><NewTrainingButton /><ExportButton list="staff" name={t('operations.staff')} /></Space>}>
        <Table<Staff> data-testid="ops-staff" rowKey="id" size="small" dataSource={staff.data ?? []} loading={staff.isLoading} pagination={{ pageSize: 20 }}
          onRow={(r) => ({ style: r.certificates.some((c) => c.expired || c.expiringSoon) ? { background: '#fffbe6' } : undefined })}
          columns={[
            { title: t('operations.name'), dataIndex: 'name' },
            { title: t('operations.post'), dataIndex: 'post', render: (p: string) => t(`operations.posts.${p}`) },
            { title: t('operations.placement'), dataIndex: 'placement', render: (p: string) => t(`operations.placements.${p}`) },
            { title: t('operations.core'), dataIndex: 'core', render: (v: boolean) => (v ? t('operations.yes') : '') },
            { title: t('operations.certificates'), dataIndex: 'certificates', render: (cs: Staff['certificates']) => cs.map((c) => <Tag key={c.id} data-testid={c.expired ? 'ops-cert-expired' : c.expiringSoon ? 'ops-cert-expiring' : 'ops-cert'} color={c.expired ? 'red' : c.expiringSoon ? 'orange' : undefined}>{c.name}{c.number ? `（${c.number}）` : ''} · {c.validTo}{c.expired ? ` ${t('operations.expired')}` : c.expiringSoon ? ` ${t('operations.pf.expiringSoon')}` : ''}</Tag>) },
          ]} />
      </Card>
    </Space>
  );
}

function DrillsTab() {
  const { t } = useTranslation();
  const drills = useQuery({ queryKey: opsKeys.drills, queryFn: opsApi.drills });
  const year = new Date().getFullYear();
  const from = `${year}-01-01T00:00:00+08:00`;
  const to = `${year + 1}-01-01T00:00:00+08:00`;
  const obligations = useQuery({ queryKey: opsKeys.obligations(from, to), queryFn: () => opsApi.obligations(from, to) });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('operations.obligations')}>
        <Table data-testid="ops-obligations" rowKey={(r) => `${r.level}-${r.orgId ?? ''}`} size="small" dataSource={obligations.data ?? []} loading={obligations.isLoading} pagination={{ pageSize: 10 }}
          columns={[
            { title: t('operations.level'), dataIndex: 'level', render: (l: string) => t(`operations.levels.${l}`) },
            { title: t('operations.held'), dataIndex: 'held' },
            { title: t('operations.required'), dataIndex: 'required' },
            { title: t('operations.due'), dataIndex: 'due', render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : 0) },
          ]} />
      </Card>
      <Card size="small" title={t('operations.drills')} extra={<Space><NewDrillButton /><ExportButton list="drills" name={t('operations.drills')} /></Space>}>
        <Table<Drill> data-testid="ops-drills" rowKey="id" size="small" dataSource={drills.data ?? []} loading={drills.isLoading} pagination={{ pageSize: 20 }}
          expandable={{ rowExpandable: (r) => !!r.report, expandedRowRender: (r) => <div data-testid="ops-drill-report"><Typography.Text strong>{t('operations.pf.reportTitle')}</Typography.Text><Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{r.report}</Typography.Paragraph></div> }}
          columns={[
            { title: t('operations.level'), dataIndex: 'level', render: (l: string) => t(`operations.levels.${l}`) },
            { title: t('operations.kind'), dataIndex: 'kind', render: (k: string) => t(`operations.kinds.${k}`) },
            { title: t('operations.scenario'), dataIndex: 'scenario' },
            { title: t('operations.plannedOn'), dataIndex: 'plannedOn' },
            { title: t('operations.heldOn'), dataIndex: 'heldOn', render: (v: string | null) => v ?? t('operations.none') },
            { title: t('operations.participants'), dataIndex: 'participants', render: (ps: string[]) => ps.join('、') },
            { title: t('operations.findings'), dataIndex: 'findings', render: (v: string | null) => v ?? t('operations.none') },
            { title: t('operations.status'), dataIndex: 'status', render: (s: string) => <Tag data-testid="ops-drill-status" color={s === 'held' ? 'green' : s === 'overdue' ? 'red' : 'blue'}>{t(`operations.drillStatus.${s}`)}</Tag> },
            { title: '', key: 'act', render: (_: unknown, r) => <HoldDrillButton drill={r} /> },
          ]} />
      </Card>
    </Space>
  );
}

function DutyTab() {
  const { t } = useTranslation();
  const [day, setDay] = useState<Dayjs>(dayjs(beijingToday()));
  const d = day.format('YYYY-MM-DD');
  const summary = useQuery({ queryKey: opsKeys.summary(d), queryFn: () => opsApi.summary(d) });
  const monday = day.subtract((day.day() + 6) % 7, 'day').format('YYYY-MM-DD');
  const weekly = useQuery({ queryKey: opsKeys.weekly(monday), queryFn: () => opsApi.weekly(monday) });
  const s = summary.data;
  const [saved, setSaved] = useState<RosterResult | null>(null);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space><span>{t('operations.day')}</span><DatePicker data-testid="ops-duty-day" value={day} allowClear={false} onChange={(v) => v && setDay(v)} /><RosterButton onSaved={(r) => { setSaved(r); setDay(dayjs(fmtTime(r.from).slice(0, 10))); }} /></Space>
      {saved && <RosterResultAlert result={saved} onClose={() => setSaved(null)} />}
      {summary.error && <Alert type="error" message={errorText(summary.error)} />}
      {s && (
        <>
          {s.gaps.length ? <Alert type="warning" showIcon message={`${t('operations.gaps')}：${s.gaps.map((g) => `${fmtTime(g.start)} – ${fmtTime(g.end)}`).join('；')}`} /> : <Alert type="success" showIcon message={t('operations.noGaps')} />}
          <Card size="small" title={t('operations.onDuty')}>
            <Table rowKey="id" size="small" pagination={false} dataSource={s.onDuty} columns={[{ title: t('operations.person'), dataIndex: 'person' }, { title: t('operations.from'), dataIndex: 'startsAt', render: (v: string) => fmtTime(v) }, { title: t('operations.to'), dataIndex: 'endsAt', render: (v: string) => fmtTime(v) }]} />
          </Card>
          <Card size="small" title={t('operations.entries')}>
            <Table rowKey="id" size="small" pagination={false} dataSource={s.entries} columns={[{ title: t('operations.at'), dataIndex: 'at', render: (v: string) => fmtTime(v) }, { title: t('operations.kind'), dataIndex: 'kind', render: (k: string) => t(`operations.entryKinds.${k}`) }, { title: t('operations.person'), dataIndex: 'person' }, { title: t('operations.description'), dataIndex: 'body' }]} />
          </Card>
          <Card size="small" title={`${t('operations.weekly')}（${monday}）`}>
            <Table data-testid="ops-weekly" rowKey="day" size="small" pagination={false} loading={weekly.isLoading} dataSource={weekly.data?.days ?? []}
              columns={[
                { title: t('operations.day'), dataIndex: 'day' },
                { title: t('operations.entryKinds.event'), dataIndex: 'events' },
                { title: t('operations.entryKinds.handover'), dataIndex: 'handovers' },
                { title: t('operations.uncoveredMinutes'), dataIndex: 'uncoveredMinutes', render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0) },
                { title: t('operations.done'), key: 'done', render: (_: unknown, r) => (r.inspections ? `${r.inspections.done} / ${r.inspections.expected}` : t('operations.none')) },
                { title: t('operations.missedCount'), key: 'missed', render: (_: unknown, r) => r.inspections?.missed ?? t('operations.none') },
              ]} />
            {weekly.data && <Typography.Paragraph style={{ marginTop: 8 }}>{t('operations.weekTotals', weekly.data)}</Typography.Paragraph>}
          </Card>
          <Card size="small" title={t('operations.inspectionsOfDay')}>
            {s.inspections ? (
              <Table rowKey="k" size="small" pagination={false} dataSource={[{ k: 1, ...s.inspections, open: s.openRectifications }]}
                columns={[{ title: t('operations.expected'), dataIndex: 'expected' }, { title: t('operations.done'), dataIndex: 'done' }, { title: t('operations.missedCount'), dataIndex: 'missed' }, { title: t('operations.abnormalCount'), dataIndex: 'abnormal' }, { title: t('operations.openRects'), dataIndex: 'open' }]} />
            ) : (
              <Typography.Text type="secondary">{t('operations.noPlans')}</Typography.Text>
            )}
          </Card>
        </>
      )}
    </Space>
  );
}

function ChangesTab() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: opsKeys.changes, queryFn: opsApi.changes });
  return (
    <Card size="small" title={t('operations.changes')} extra={<ExportButton list="changes" name={t('operations.changes')} />}>
      <Table data-testid="ops-changes" rowKey="id" size="small" dataSource={list.data ?? []} loading={list.isLoading} pagination={{ pageSize: 20 }}
        columns={[
          { title: t('operations.changes'), dataIndex: 'title' },
          { title: t('operations.changeType'), dataIndex: 'changeType', render: (c: string) => t(`operations.changeTypes.${c}`) },
          { title: t('operations.businessImpact'), dataIndex: 'businessImpact', render: (v: boolean) => (v ? t('operations.yes') : t('operations.no')) },
          { title: t('operations.impactedSystems'), dataIndex: 'impactedSystemIds', render: (v: string[]) => v.length },
          { title: t('operations.window'), render: (_: unknown, r) => `${fmtTime(r.windowStart)} – ${fmtTime(r.windowEnd)}` },
          { title: t('operations.status'), dataIndex: 'status', render: (s: string, r) => <Space><Tag>{t(`operations.changeStatus.${s}`)}</Tag>{r.outsideWindow && <Tag color="red">{t('operations.outsideWindow')}</Tag>}</Space> },
        ]} />
    </Card>
  );
}

/** Emergency events (应急事件) with the handling report, the two-monthly training obligation and the training records. */
function EmergencyTab() {
  const { t } = useTranslation();
  const events = useQuery({ queryKey: opsKeys.events, queryFn: opsApi.events });
  const trainings = useQuery({ queryKey: opsKeys.trainings, queryFn: opsApi.trainings });
  const year = new Date().getFullYear();
  const from = `${year}-01-01T00:00:00+08:00`;
  const to = `${year + 1}-01-01T00:00:00+08:00`;
  const counts = useQuery({ queryKey: opsKeys.trainingCounts(from, to), queryFn: () => opsApi.trainingCounts(from, to) });
  const mins = (m: number | null, ok: boolean | null) => (m === null ? t('operations.none') : <Tag color={ok ? 'green' : 'red'}>{t('operations.ev.minutes', { n: m })}</Tag>);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('operations.ev.events')} extra={<Space><NewEventButton /><ExportButton list="events" name={t('operations.ev.events')} /></Space>}>
        <Typography.Paragraph type="secondary">{t('operations.ev.targetsHint')}</Typography.Paragraph>
        <Table<EmergencyEvent> data-testid="ops-events" rowKey="id" size="small" dataSource={events.data ?? []} loading={events.isLoading} pagination={{ pageSize: 20 }}
          columns={[
            { title: t('operations.ev.number'), dataIndex: 'number' },
            { title: t('operations.ev.title'), dataIndex: 'title' },
            { title: t('operations.ev.severity'), dataIndex: 'severity', render: (v: string) => t(`operations.ev.severities.${v}`) },
            { title: t('operations.ev.occurredAt'), dataIndex: 'occurredAt', render: (v: string) => fmtTime(v) },
            { title: t('operations.ev.response'), key: 'resp', render: (_: unknown, r) => mins(r.responseMinutes, r.responseWithinTarget) },
            { title: t('operations.ev.recovery'), key: 'rec', render: (_: unknown, r) => mins(r.recoveryMinutes, r.recoveryWithinTarget) },
            { title: t('operations.status'), dataIndex: 'status', render: (v: string) => <Tag color={v === 'reviewed' ? 'green' : 'orange'}>{t(`operations.ev.statuses.${v}`)}</Tag> },
            { title: '', key: 'pdf', render: (_: unknown, r) => (r.status === 'reviewed' ? <Button size="small" icon={<DownloadOutlined />} onClick={() => void opsApi.eventReport(r.id, r.number)}>{t('operations.ev.report')}</Button> : <EventStepButton event={r} />) },
          ]} />
      </Card>
      <Card size="small" title={t('operations.ev.trainingObligation')}>
        <Table<TrainingCount> data-testid="ops-training-counts" rowKey="providerOrgId" size="small" dataSource={counts.data ?? []} loading={counts.isLoading} pagination={{ pageSize: 10 }}
          columns={[
            { title: t('operations.ev.provider'), dataIndex: 'providerOrgId', render: (_: unknown, r) => r.periods.map((p) => <Tag key={p.start} color={p.status === 'met' ? 'green' : p.status === 'missed' ? 'red' : 'default'}>{p.start.slice(5, 7)}–{t(`operations.ev.periodStatus.${p.status}`)}</Tag>) },
            { title: t('operations.held'), dataIndex: 'held' },
            { title: t('operations.required'), dataIndex: 'required' },
            { title: t('operations.ev.missedPeriods'), dataIndex: 'missed', render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : 0) },
          ]} />
      </Card>
      <Card size="small" title={t('operations.ev.trainings')} extra={<Space><NewTrainingButton /><ExportButton list="trainings" name={t('operations.ev.trainings')} /></Space>}>
        <Table data-testid="ops-trainings" rowKey="id" size="small" dataSource={trainings.data ?? []} loading={trainings.isLoading} pagination={{ pageSize: 20 }}
          columns={[
            { title: t('operations.heldOn'), dataIndex: 'heldOn' },
            { title: t('operations.kind'), dataIndex: 'kind', render: (k: string) => t(`operations.ev.trainingKinds.${k}`) },
            { title: t('operations.ev.topic'), dataIndex: 'topic' },
            { title: t('operations.ev.trainer'), dataIndex: 'trainer', render: (v: string | null) => v ?? t('operations.none') },
            { title: t('operations.participants'), dataIndex: 'participants' },
            { title: t('operations.ev.hours'), dataIndex: 'hours' },
          ]} />
      </Card>
    </Space>
  );
}

/** Qualification updates after policy changes (3 months; exit after 6), machine-room filing and access records. */
function RoomsTab() {
  const { t } = useTranslation();
  const policies = useQuery({ queryKey: opsKeys.policyChanges, queryFn: opsApi.policyChanges });
  const rooms = useQuery({ queryKey: opsKeys.rooms, queryFn: opsApi.rooms });
  const access = useQuery({ queryKey: opsKeys.roomAccess, queryFn: opsApi.roomAccess });
  const rows = (policies.data ?? []).flatMap((c: PolicyChange) => c.providers.map((p) => ({ key: `${c.id}-${p.providerOrgId}`, policyId: c.id, title: c.title, announcedOn: c.announcedOn, ...p })));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('operations.ev.policyUpdates')} extra={<NewPolicyChangeButton />}>
        <Typography.Paragraph type="secondary">{t('operations.ev.policyHint')}</Typography.Paragraph>
        <Table data-testid="ops-policy-updates" rowKey="key" size="small" dataSource={rows} loading={policies.isLoading} pagination={{ pageSize: 20 }}
          columns={[
            { title: t('operations.ev.policy'), dataIndex: 'title' },
            { title: t('operations.ev.announcedOn'), dataIndex: 'announcedOn' },
            { title: t('operations.ev.dueOn'), dataIndex: 'dueOn' },
            { title: t('operations.ev.updatedOn'), dataIndex: 'updatedOn', render: (v: string | null) => v ?? t('operations.none') },
            { title: t('operations.status'), dataIndex: 'state', render: (v: string) => <Tag color={v === 'updated' ? 'green' : v === 'pending' || v === 'updated_late' ? 'orange' : 'red'}>{t(`operations.ev.policyStates.${v}`)}</Tag> },
            { title: '', key: 'act', render: (_: unknown, r) => (r.updatedOn ? null : <PolicyUpdateButton policyId={r.policyId} providerOrgId={r.providerOrgId} />) },
          ]} />
      </Card>
      <Card size="small" title={t('operations.ev.rooms')} extra={<NewRoomButton />}>
        <Table data-testid="ops-rooms" rowKey="id" size="small" dataSource={rooms.data ?? []} loading={rooms.isLoading} pagination={false}
          columns={[
            { title: t('operations.ev.roomName'), dataIndex: 'name' },
            { title: t('operations.ev.address'), dataIndex: 'address' },
            { title: t('operations.ev.racks'), dataIndex: 'racks' },
            { title: t('operations.ev.powerKw'), dataIndex: 'powerKw' },
            { title: t('operations.ev.filedOn'), dataIndex: 'filedOn' },
          ]} />
      </Card>
      <Card size="small" title={t('operations.ev.access')} extra={<Space><NewAccessButton rooms={rooms.data ?? []} /><ExportButton list="room-access" name={t('operations.ev.access')} /></Space>}>
        <Table data-testid="ops-room-access" rowKey="id" size="small" dataSource={access.data ?? []} loading={access.isLoading} pagination={{ pageSize: 20 }}
          columns={[
            { title: t('operations.ev.roomName'), dataIndex: 'roomName' },
            { title: t('operations.person'), dataIndex: 'person' },
            { title: t('operations.ev.company'), dataIndex: 'company' },
            { title: t('operations.ev.work'), dataIndex: 'work' },
            { title: t('operations.ev.enteredAt'), dataIndex: 'enteredAt', render: (v: string) => fmtTime(v) },
            { title: t('operations.ev.leftAt'), dataIndex: 'leftAt', render: (v: string | null) => (v ? fmtTime(v) : t('operations.none')) },
          ]} />
      </Card>
    </Space>
  );
}
