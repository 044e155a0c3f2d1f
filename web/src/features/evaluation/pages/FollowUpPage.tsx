import { useEffect, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Checkbox, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { useCan, useMe } from '../../auth/auth.api';
import { orgApi } from '../../organisations/organisations.api';
import { errorText } from '../../../i18n';
import { evaluationApi, evaluationKeys } from '../evaluation.api';
import { followUpApi, followUpKeys, toBase64, type AnnualRating, type Assessment, type Evidence, type Objection, type Rectification } from '../followup.api';

const TABS = ['objections', 'rectifications', 'annual', 'assessments'] as const;
type Tab = (typeof TABS)[number];
const STATUS_COLOR: Record<string, string> = { submitted: 'processing', accepted: 'success', rejected: 'default', open: 'processing', replied: 'warning', verified: 'success', returned: 'error', draft: 'default', reviewed: 'processing', published: 'success', superseded: 'default', passed: 'success', rectifying: 'warning', rectification_submitted: 'processing', reassessed: 'default', exit: 'error' };

/** 评估跟踪: objections (异议), rectification (整改), annual rating (年度评级), construction-phase assessments (建设期考核). */
export default function FollowUpPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.tab ?? '') ? (params.tab as Tab) : 'objections';
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => navigate(`/evaluation-followup/${k}`)}
      destroyOnHidden
      items={TABS.map((k) => ({ key: k, label: t(`evalFollowUp.tabs.${k}`), children: k === 'objections' ? <ObjectionsTab /> : k === 'rectifications' ? <RectificationsTab /> : k === 'annual' ? <AnnualTab /> : <AssessmentsTab /> }))}
    />
  );
}

function StatusTag({ s }: { s: string }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[s] ?? 'default'}>{t(`evalFollowUp.status.${s}`)}</Tag>;
}

/** An evidence file picker (the file travels as base64 in the JSON body). */
function EvidencePicker({ onChange }: { onChange: (f: File | null) => void }) {
  const { t } = useTranslation();
  return (
    <Upload maxCount={1} beforeUpload={(f) => { onChange(f); return false; }} onRemove={() => onChange(null)}>
      <Button icon={<UploadOutlined />}>{t('evalFollowUp.chooseFile')}</Button>
    </Upload>
  );
}
const evidenceOf = async (f: File | null): Promise<Evidence> => (f ? { fileName: f.name, contentBase64: await toBase64(f) } : null);

// ---- 异议 ----------------------------------------------------------------------------------------------------------------

function ObjectionsTab() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const isProvider = me?.org.kind === 'cloud_provider';
  const list = useQuery({ queryKey: followUpKeys.objections, queryFn: followUpApi.objections });
  const [filing, setFiling] = useState(false);
  const [deciding, setDeciding] = useState<{ o: Objection; accept: boolean } | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: followUpKeys.objections });
  return (
    <Card size="small" title={t('evalFollowUp.obj.title')} extra={isProvider && <Button type="primary" data-testid="objection-file" onClick={() => setFiling(true)}>{t('evalFollowUp.obj.file')}</Button>}>
      <Typography.Paragraph type="secondary">{t('evalFollowUp.obj.rule')}</Typography.Paragraph>
      {list.isError && <Alert type="error" showIcon message={errorText(list.error)} />}
      <Table<Objection>
        data-testid="objections-table" rowKey="id" size="small" loading={list.isLoading} dataSource={list.data ?? []} scroll={{ x: 1300 }}
        columns={[
          { title: t('evaluation.month'), dataIndex: 'month', width: 90 },
          { title: t('evaluation.set'), width: 160, render: (_, o) => `${o.setName} ${t('evaluation.revision', { n: o.revision })}` },
          { title: t('evaluation.provider'), width: 160, render: (_, o) => o.provider.name },
          { title: t('evaluation.indicator'), width: 140, render: (_, o) => o.indicatorName ?? t('evalFollowUp.obj.wholeMonth') },
          { title: t('evalFollowUp.reason'), dataIndex: 'reason', width: 240 },
          { title: t('evalFollowUp.evidence'), width: 130, render: (_, o) => (o.evidence ? <Typography.Link onClick={() => void followUpApi.objectionEvidence(o).catch((e: unknown) => message.error(errorText(e)))}>{o.evidence.name}</Typography.Link> : t('evaluation.none')) },
          { title: t('evalFollowUp.obj.deadline'), dataIndex: 'deadline', width: 110 },
          { title: t('evaluation.status'), width: 90, render: (_, o) => <StatusTag s={o.status} /> },
          {
            title: t('evalFollowUp.decision'), width: 260,
            render: (_, o) => (
              <Space direction="vertical" size={0}>
                {o.decisionComment && <span>{o.decisionComment}</span>}
                {o.revisions?.map((v) => <Typography.Text key={v.indicatorCode} type="secondary">{v.indicatorCode}: {v.before ?? t('evaluation.none')} → {v.after}</Typography.Text>)}
                {o.revisionRunStatus && <Typography.Text type="secondary">{t('evalFollowUp.obj.revisionRun', { status: t(`evalFollowUp.status.${o.revisionRunStatus}`) })}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: '', width: 140, fixed: 'right',
            render: (_, o) => o.abilities.decide && (
              <Space>
                <Button size="small" type="link" data-testid="objection-accept" onClick={() => setDeciding({ o, accept: true })}>{t('evalFollowUp.accept')}</Button>
                <Button size="small" type="link" danger onClick={() => setDeciding({ o, accept: false })}>{t('evalFollowUp.reject')}</Button>
              </Space>
            ),
          },
        ]}
      />
      {filing && <FileObjectionModal onClose={() => setFiling(false)} onDone={() => { setFiling(false); refresh(); }} />}
      {deciding && <DecideObjectionModal o={deciding.o} accept={deciding.accept} onClose={() => setDeciding(null)} onDone={() => { setDeciding(null); refresh(); }} />}
    </Card>
  );
}

function FileObjectionModal({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ runId: string; indicatorCode?: string; reason: string }>();
  const [file, setFile] = useState<File | null>(null);
  const runs = useQuery({ queryKey: ['evaluation', 'runs', 'published'], queryFn: followUpApi.publishedRuns });
  const runId = Form.useWatch('runId', form);
  const detail = useQuery({ queryKey: evaluationKeys.run(runId ?? ''), queryFn: () => evaluationApi.runDetail(runId!), enabled: !!runId });
  const save = useMutation({
    mutationFn: async (v: { runId: string; indicatorCode?: string; reason: string }) => followUpApi.fileObjection({ ...v, indicatorCode: v.indicatorCode ?? null, evidence: await evidenceOf(file) }),
    onSuccess: () => { message.success(t('evalFollowUp.saved')); onDone(); },
    onError: (e) => message.error(errorText(e)),
  });
  const own = detail.data?.scores[0];
  return (
    <Modal open title={t('evalFollowUp.obj.file')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okText={t('evalFollowUp.submit')}>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="runId" label={t('evalFollowUp.obj.run')} rules={[{ required: true }]}>
          <Select data-testid="objection-run" options={(runs.data ?? []).map((r) => ({ value: r.id, label: `${r.month} ${r.setName} ${t('evaluation.revision', { n: r.revision })}` }))} />
        </Form.Item>
        {own && <Typography.Paragraph>{t('evaluation.total')}: {own.total ?? t('evaluation.none')} {own.grade ?? ''}</Typography.Paragraph>}
        <Form.Item name="indicatorCode" label={t('evaluation.indicator')} extra={t('evalFollowUp.obj.indicatorHint')}>
          <Select allowClear options={(own?.indicators ?? []).map((i) => ({ value: i.code, label: `${i.dimension} / ${i.name}（${i.score ?? t('evaluation.none')}）` }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('evalFollowUp.reason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea data-testid="objection-reason" rows={4} maxLength={2000} />
        </Form.Item>
        <Form.Item label={t('evalFollowUp.evidence')} extra={t('evalFollowUp.evidenceHint')}><EvidencePicker onChange={setFile} /></Form.Item>
      </Form>
    </Modal>
  );
}

function DecideObjectionModal({ o, accept, onClose, onDone }: { o: Objection; accept: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ indicatorCode: string; score: number; evidence: string; comment: string }>();
  const run = useQuery({ queryKey: evaluationKeys.run(o.runId), queryFn: () => evaluationApi.runDetail(o.runId) });
  const row = run.data?.scores.find((s) => s.provider.id === o.provider.id);
  const save = useMutation({
    mutationFn: async (v: { indicatorCode: string; score: number; evidence: string; comment: string }) =>
      (accept ? followUpApi.acceptObjection(o.id, { comment: v.comment || null, revisions: [{ indicatorCode: v.indicatorCode, score: v.score, evidence: v.evidence }] }) : followUpApi.rejectObjection(o.id, v.comment)),
    onSuccess: () => { message.success(accept ? t('evalFollowUp.obj.accepted') : t('evalFollowUp.saved')); onDone(); },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal open title={accept ? t('evalFollowUp.accept') : t('evalFollowUp.reject')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Typography.Paragraph>{o.provider.name} · {o.month} · {o.reason}</Typography.Paragraph>
      {accept && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('evalFollowUp.obj.acceptHint')} />}
      <Form form={form} layout="vertical" initialValues={{ indicatorCode: o.indicatorCode ?? undefined }} onFinish={(v) => save.mutate(v)}>
        {accept && <>
          <Form.Item name="indicatorCode" label={t('evaluation.indicator')} rules={[{ required: true }]}>
            <Select options={(row?.indicators ?? []).map((i) => ({ value: i.code, label: `${i.dimension} / ${i.name}（${i.score ?? t('evaluation.none')}）` }))} />
          </Form.Item>
          <Form.Item name="score" label={t('evalFollowUp.obj.newScore')} rules={[{ required: true }]}><InputNumber min={0} max={100} step={0.01} /></Form.Item>
          <Form.Item name="evidence" label={t('evalFollowUp.obj.basis')} rules={[{ required: true, whitespace: true }]}><Input maxLength={1000} /></Form.Item>
        </>}
        <Form.Item name="comment" label={accept ? t('evalFollowUp.comment') : t('evalFollowUp.rejectReason')} rules={accept ? [] : [{ required: true, whitespace: true }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
      </Form>
    </Modal>
  );
}

// ---- 整改 ----------------------------------------------------------------------------------------------------------------

function RectificationsTab() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const can = useCan();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const [overdue, setOverdue] = useState(false);
  const [generating, setGenerating] = useState(false);
  const [raising, setRaising] = useState(false);
  const [acting, setActing] = useState<{ r: Rectification; kind: 'reply' | 'verify' } | null>(null);
  const list = useQuery({ queryKey: followUpKeys.rectifications(overdue), queryFn: () => followUpApi.rectifications(overdue) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['evaluation', 'rectifications'] });
  const manage = can('evaluation:score') && me?.org.kind !== 'cloud_provider';
  return (
    <Card size="small" title={t('evalFollowUp.rect.title')} extra={<Space>
      <span>{t('evalFollowUp.overdueOnly')}</span><Switch checked={overdue} onChange={setOverdue} />
      {manage && <Button data-testid="rect-raise" onClick={() => setRaising(true)}>{t('evalFollowUp.rect.raise')}</Button>}
      {manage && <Button type="primary" data-testid="rect-generate" onClick={() => setGenerating(true)}>{t('evalFollowUp.rect.generate')}</Button>}
    </Space>}>
      {list.isError && <Alert type="error" showIcon message={errorText(list.error)} />}
      <Table<Rectification>
        data-testid="rectifications-table" rowKey="id" size="small" loading={list.isLoading} dataSource={list.data ?? []} scroll={{ x: 1300 }}
        columns={[
          { title: t('evaluation.month'), dataIndex: 'month', width: 90 },
          { title: t('evaluation.provider'), width: 160, render: (_, r) => r.provider.name },
          { title: t('evaluation.indicator'), width: 140, render: (_, r) => `${r.indicatorName}（${r.score ?? t('evaluation.none')}）` },
          { title: t('evalFollowUp.rect.origin'), width: 90, render: (_, r) => t(`evalFollowUp.rect.origins.${r.origin}`) },
          { title: t('evalFollowUp.rect.requirement'), dataIndex: 'requirement', width: 260 },
          { title: t('evalFollowUp.deadline'), width: 130, render: (_, r) => <Space>{r.deadline}{r.overdue && <Tag color="error">{t('evalFollowUp.overdue')}</Tag>}{r.repliedLate && <Tag color="warning">{t('evalFollowUp.late')}</Tag>}</Space> },
          { title: t('evaluation.status'), width: 90, render: (_, r) => <StatusTag s={r.status} /> },
          {
            title: t('evalFollowUp.rect.reply'), width: 220,
            render: (_, r) => <Space direction="vertical" size={0}>
              {r.reply && <span>{r.reply}</span>}
              {r.evidence && <Typography.Link onClick={() => void followUpApi.rectificationEvidence(r).catch((e: unknown) => message.error(errorText(e)))}>{r.evidence.name}</Typography.Link>}
              {r.verifyComment && <Typography.Text type="secondary">{r.verifyComment}</Typography.Text>}
            </Space>,
          },
          {
            title: '', width: 110, fixed: 'right',
            render: (_, r) => <Space>
              {r.abilities.reply && <Button size="small" type="link" data-testid="rect-reply" onClick={() => setActing({ r, kind: 'reply' })}>{t('evalFollowUp.rect.doReply')}</Button>}
              {r.abilities.verify && <Button size="small" type="link" data-testid="rect-verify" onClick={() => setActing({ r, kind: 'verify' })}>{t('evalFollowUp.rect.verify')}</Button>}
            </Space>,
          },
        ]}
      />
      {generating && <GenerateModal onClose={() => setGenerating(false)} onDone={() => { setGenerating(false); refresh(); }} />}
      {raising && <RaiseModal onClose={() => setRaising(false)} onDone={() => { setRaising(false); refresh(); }} />}
      {acting && <RectActionModal r={acting.r} kind={acting.kind} onClose={() => setActing(null)} onDone={() => { setActing(null); refresh(); }} />}
    </Card>
  );
}

function GenerateModal({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ runId: string; threshold: number; deadline: Dayjs }>();
  const runs = useQuery({ queryKey: ['evaluation', 'runs', 'published'], queryFn: followUpApi.publishedRuns });
  const save = useMutation({
    mutationFn: (v: { runId: string; threshold: number; deadline: Dayjs }) => followUpApi.generate({ runId: v.runId, threshold: v.threshold, deadline: v.deadline.format('YYYY-MM-DD') }),
    onSuccess: (r) => { message.success(t('evalFollowUp.rect.generated', { n: r.created })); onDone(); },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal open title={t('evalFollowUp.rect.generate')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form form={form} layout="vertical" initialValues={{ threshold: 60, deadline: dayjs().add(15, 'day') }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="runId" label={t('evalFollowUp.obj.run')} rules={[{ required: true }]}>
          <Select options={(runs.data ?? []).map((r) => ({ value: r.id, label: `${r.month} ${r.setName} ${t('evaluation.revision', { n: r.revision })}` }))} />
        </Form.Item>
        <Form.Item name="threshold" label={t('evalFollowUp.rect.threshold')} rules={[{ required: true }]}><InputNumber min={1} max={100} /></Form.Item>
        <Form.Item name="deadline" label={t('evalFollowUp.deadline')} rules={[{ required: true }]}><DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} /></Form.Item>
      </Form>
    </Modal>
  );
}

/** A reviewer's task (评审提出) on one indicator of a provider's row in a published run. */
function RaiseModal({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  type RaiseForm = { runId: string; providerId: string; indicatorCode: string; requirement: string; deadline: Dayjs };
  const [form] = Form.useForm<RaiseForm>();
  const runs = useQuery({ queryKey: ['evaluation', 'runs', 'published'], queryFn: followUpApi.publishedRuns });
  const runId = Form.useWatch('runId', form);
  const providerId = Form.useWatch('providerId', form);
  const detail = useQuery({ queryKey: evaluationKeys.run(runId ?? ''), queryFn: () => evaluationApi.runDetail(runId!), enabled: !!runId });
  const row = detail.data?.scores.find((s) => s.provider.id === providerId);
  const save = useMutation({
    mutationFn: (v: RaiseForm) => followUpApi.raiseRectification({ runId: v.runId, providerId: v.providerId, indicatorCode: v.indicatorCode, requirement: v.requirement, deadline: v.deadline.format('YYYY-MM-DD') }),
    onSuccess: () => { message.success(t('evalFollowUp.saved')); onDone(); },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal open title={t('evalFollowUp.rect.raise')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form form={form} layout="vertical" initialValues={{ deadline: dayjs().add(15, 'day') }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="runId" label={t('evalFollowUp.obj.run')} rules={[{ required: true }]}>
          <Select data-testid="rect-raise-run" onChange={() => form.setFieldsValue({ providerId: undefined, indicatorCode: undefined })} options={(runs.data ?? []).map((r) => ({ value: r.id, label: `${r.month} ${r.setName} ${t('evaluation.revision', { n: r.revision })}` }))} />
        </Form.Item>
        <Form.Item name="providerId" label={t('evaluation.provider')} rules={[{ required: true }]}>
          <Select data-testid="rect-raise-provider" onChange={() => form.setFieldsValue({ indicatorCode: undefined })} options={(detail.data?.scores ?? []).map((s) => ({ value: s.provider.id, label: s.provider.name }))} />
        </Form.Item>
        <Form.Item name="indicatorCode" label={t('evaluation.indicator')} rules={[{ required: true }]}>
          <Select data-testid="rect-raise-indicator" options={(row?.indicators ?? []).map((i) => ({ value: i.code, label: `${i.dimension} / ${i.name}（${i.score ?? t('evaluation.none')}）` }))} />
        </Form.Item>
        <Form.Item name="requirement" label={t('evalFollowUp.rect.requirement')} rules={[{ required: true, whitespace: true }]}><Input.TextArea data-testid="rect-raise-requirement" rows={3} maxLength={2000} /></Form.Item>
        <Form.Item name="deadline" label={t('evalFollowUp.deadline')} rules={[{ required: true }]}><DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} /></Form.Item>
      </Form>
    </Modal>
  );
}

function RectActionModal({ r, kind, onClose, onDone }: { r: Rectification; kind: 'reply' | 'verify'; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ text: string; outcome: 'verified' | 'returned' }>();
  const [file, setFile] = useState<File | null>(null);
  const save = useMutation({
    mutationFn: async (v: { text: string; outcome: 'verified' | 'returned' }) => (kind === 'reply' ? followUpApi.replyRectification(r.id, v.text, await evidenceOf(file)) : followUpApi.verifyRectification(r.id, v.outcome, v.text || null)),
    onSuccess: () => { message.success(t('evalFollowUp.saved')); onDone(); },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal open title={kind === 'reply' ? t('evalFollowUp.rect.doReply') : t('evalFollowUp.rect.verify')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Typography.Paragraph>{r.requirement}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ outcome: 'verified' }} onFinish={(v) => save.mutate(v)}>
        {kind === 'verify' && <Form.Item name="outcome"><Radio.Group options={[{ value: 'verified', label: t('evalFollowUp.status.verified') }, { value: 'returned', label: t('evalFollowUp.status.returned') }]} /></Form.Item>}
        <Form.Item name="text" label={kind === 'reply' ? t('evalFollowUp.rect.reply') : t('evalFollowUp.comment')} rules={kind === 'reply' ? [{ required: true, whitespace: true }] : []}><Input.TextArea data-testid="rect-action-text" rows={3} maxLength={2000} /></Form.Item>
        {kind === 'reply' && <Form.Item label={t('evalFollowUp.evidence')} extra={t('evalFollowUp.evidenceHint')}><EvidencePicker onChange={setFile} /></Form.Item>}
      </Form>
    </Modal>
  );
}

// ---- 年度评级 -------------------------------------------------------------------------------------------------------------

function AnnualTab() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const can = useCan();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const list = useQuery({ queryKey: followUpKeys.annual, queryFn: followUpApi.annual });
  const sets = useQuery({ queryKey: evaluationKeys.sets, queryFn: evaluationApi.sets });
  const scales = useQuery({ queryKey: followUpKeys.scales, queryFn: followUpApi.scales });
  const [selected, setSelected] = useState<string | null>(null);
  const [year, setYear] = useState(dayjs().year() - (dayjs().month() === 11 ? 0 : 1));
  const [setCode, setSetCode] = useState('seed004');
  const [scaleOpen, setScaleOpen] = useState(false);
  const detail = useQuery({ queryKey: followUpKeys.annualDetail(selected ?? ''), queryFn: () => followUpApi.annualDetail(selected!), enabled: !!selected });
  const refresh = () => void qc.invalidateQueries({ queryKey: followUpKeys.annual });
  const act = useMutation({
    mutationFn: (f: () => Promise<{ id: string }>) => f(),
    onSuccess: (d) => { setSelected(d.id); refresh(); message.success(t('evalFollowUp.saved')); },
    onError: (e) => message.error(errorText(e)),
  });
  const mayCompute = can('evaluation:score') && me?.org.kind !== 'cloud_provider';
  const d = detail.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('evalFollowUp.annual.title')} extra={mayCompute && <Space>
        <InputNumber value={year} min={2000} max={2100} onChange={(v) => v && setYear(v)} />
        <Select style={{ width: 260 }} value={setCode} onChange={setSetCode} options={(sets.data ?? []).filter((s) => s.latest).map((s) => ({ value: s.code, label: s.name }))} />
        <Button type="primary" data-testid="annual-compute" loading={act.isPending} onClick={() => act.mutate(() => followUpApi.computeAnnual(year, setCode))}>{t('evalFollowUp.annual.compute')}</Button>
      </Space>}>
        <Typography.Paragraph type="secondary">{t('evalFollowUp.annual.rule')}</Typography.Paragraph>
        <Table<AnnualRating>
          rowKey="id" size="small" loading={list.isLoading} dataSource={list.data ?? []} pagination={{ pageSize: 10 }}
          onRow={(r) => ({ onClick: () => setSelected(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('evalFollowUp.annual.year'), dataIndex: 'year', width: 80 },
            { title: t('evaluation.set'), dataIndex: 'setCode', width: 160 },
            { title: t('evalFollowUp.annual.revision'), dataIndex: 'revision', width: 70 },
            { title: t('evaluation.status'), width: 100, render: (_, r) => <StatusTag s={r.status} /> },
            { title: t('evalFollowUp.annual.scale'), width: 90, render: (_, r) => `v${r.gradeScale.version}` },
            { title: t('evalFollowUp.annual.missing'), render: (_, r) => (r.missingMonths.length ? <Typography.Text type="warning">{r.missingMonths.join('、')}</Typography.Text> : t('evalFollowUp.annual.allMonths')) },
          ]}
        />
      </Card>
      {d && (
        <Card size="small" data-testid="annual-detail" title={`${d.year} · ${d.setCode} · ${t('evaluation.revision', { n: d.revision })}`} extra={<Space>
          <StatusTag s={d.status} />
          <Button data-testid="annual-report-docx" onClick={() => void followUpApi.annualReport(d, 'docx').catch((e: unknown) => message.error(errorText(e)))}>{t('evalFollowUp.annual.reportDocx')}</Button>
          <Button data-testid="annual-report-pdf" onClick={() => void followUpApi.annualReport(d, 'pdf').catch((e: unknown) => message.error(errorText(e)))}>{t('evalFollowUp.annual.reportPdf')}</Button>
          {d.abilities.review && <Button data-testid="annual-review" onClick={() => act.mutate(() => followUpApi.reviewAnnual(d.id))}>{t('evaluation.review')}</Button>}
          {d.abilities.publish && <Button type="primary" data-testid="annual-publish" onClick={() => act.mutate(() => followUpApi.publishAnnual(d.id))}>{t('evaluation.publish')}</Button>}
        </Space>}>
          <Typography.Paragraph type="secondary">{t('evalFollowUp.annual.grades')}: {d.gradeScale.grades.map((g) => `${g.grade} ≥ ${g.min}`).join('，')}</Typography.Paragraph>
          {d.missingMonths.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('evalFollowUp.annual.missingAlert', { months: d.missingMonths.join('、') })} />}
          <Table
            data-testid="annual-table" rowKey={(r) => r.provider.id} size="small" pagination={false} dataSource={d.scores} scroll={{ x: 1100 }}
            columns={[
              { title: t('evaluation.rank'), dataIndex: 'rank', width: 60, render: (v: number | null) => v ?? t('evaluation.none') },
              { title: t('evaluation.provider'), width: 180, render: (_, r) => r.provider.name },
              { title: t('evalFollowUp.annual.total'), width: 100, render: (_, r) => <Typography.Text strong>{r.total ?? t('evalFollowUp.annual.noScore')}</Typography.Text> },
              { title: t('evaluation.grade'), dataIndex: 'grade', width: 80, render: (v: string | null) => v ?? t('evaluation.none') },
              { title: t('evalFollowUp.annual.counted'), dataIndex: 'monthsCounted', width: 90 },
              { title: t('evalFollowUp.annual.months'), render: (_, r) => <Space size={4} wrap>{r.months.map((m) => <Tag key={m.month} color={m.total === null ? 'default' : 'blue'}>{m.month.slice(5)}: {m.total ?? t('evalFollowUp.annual.notCounted')}</Tag>)}</Space> },
            ]}
          />
        </Card>
      )}
      <Card size="small" title={t('evalFollowUp.annual.scales')} extra={can('evaluation:manage') && <Button onClick={() => setScaleOpen(true)}>{t('evalFollowUp.annual.newScale')}</Button>}>
        <Descriptions size="small" column={1} items={(scales.data ?? []).map((s) => ({ key: String(s.version), label: `v${s.version}${s.latest ? ` (${t('evalFollowUp.annual.latest')})` : ''}`, children: `${s.grades.map((g) => `${g.grade} ≥ ${g.min}`).join('，')}${s.note ? ` · ${s.note}` : ''}` }))} />
      </Card>
      {scaleOpen && <ScaleModal onClose={() => setScaleOpen(false)} onDone={() => { setScaleOpen(false); void qc.invalidateQueries({ queryKey: followUpKeys.scales }); }} />}
    </Space>
  );
}

function ScaleModal({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [text, setText] = useState('优秀:90, 良好:80, 合格:60, 不合格:0');
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () => followUpApi.createScale(text.split(/[,，]/).map((p) => p.trim()).filter(Boolean).map((p) => { const [grade, min] = p.split(/[:：]/); return { grade: (grade ?? '').trim(), min: Number(min) }; }), note || null),
    onSuccess: () => { message.success(t('evalFollowUp.saved')); onDone(); },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal open title={t('evalFollowUp.annual.newScale')} onCancel={onClose} onOk={() => save.mutate()} confirmLoading={save.isPending}>
      <Typography.Paragraph type="secondary">{t('evalFollowUp.annual.scaleHint')}</Typography.Paragraph>
      <Input value={text} onChange={(e) => setText(e.target.value)} />
      <Input style={{ marginTop: 8 }} placeholder={t('evaluation.note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
    </Modal>
  );
}

// ---- 建设期考核 -----------------------------------------------------------------------------------------------------------

function AssessmentsTab() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const can = useCan();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const [overdue, setOverdue] = useState(false);
  const [recording, setRecording] = useState<{ previous: Assessment | null } | null>(null);
  const [replying, setReplying] = useState<Assessment | null>(null);
  const list = useQuery({ queryKey: followUpKeys.assessments(overdue), queryFn: () => followUpApi.assessments(overdue) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['evaluation', 'assessments'] });
  const mayRecord = can('evaluation:score') && me?.org.kind !== 'cloud_provider';
  return (
    <Card size="small" title={t('evalFollowUp.asm.title')} extra={<Space>
      <span>{t('evalFollowUp.overdueOnly')}</span><Switch checked={overdue} onChange={setOverdue} />
      {mayRecord && <Button type="primary" data-testid="assessment-record" onClick={() => setRecording({ previous: null })}>{t('evalFollowUp.asm.record')}</Button>}
    </Space>}>
      <Typography.Paragraph type="secondary">{t('evalFollowUp.asm.rule')}</Typography.Paragraph>
      {list.isError && <Alert type="error" showIcon message={errorText(list.error)} />}
      <Table<Assessment>
        data-testid="assessments-table" rowKey="id" size="small" loading={list.isLoading} dataSource={list.data ?? []} scroll={{ x: 1300 }}
        expandable={{ expandedRowRender: (a) => <Descriptions size="small" column={1} items={a.findings.map((f) => ({ key: f.item, label: f.name, children: <Space>{f.passed ? <Tag color="success">{t('evalFollowUp.asm.itemPassed')}</Tag> : <Tag color="error">{t('evalFollowUp.asm.itemFailed')}</Tag>}{f.note}</Space> }))} /> }}
        columns={[
          { title: t('evaluation.provider'), width: 160, render: (_, a) => a.provider.name },
          { title: t('evalFollowUp.asm.phase'), width: 130, render: (_, a) => `${t(`evalFollowUp.asm.phases.${a.phase}`)}${a.attempt === 2 ? t('evalFollowUp.asm.second') : ''}` },
          { title: t('evalFollowUp.asm.assessedOn'), dataIndex: 'assessedOn', width: 110 },
          { title: t('evalFollowUp.asm.result'), width: 80, render: (_, a) => <Tag color={a.result === 'pass' ? 'success' : 'error'}>{t(`evalFollowUp.asm.results.${a.result}`)}</Tag> },
          { title: t('evalFollowUp.asm.summary'), dataIndex: 'summary', width: 240 },
          { title: t('evalFollowUp.asm.rectifyBy'), width: 170, render: (_, a) => (a.rectifyBy ? <Space>{a.rectifyBy}<span>({t('evalFollowUp.asm.months', { n: a.rectifyMonths })})</span>{a.overdue && <Tag color="error">{t('evalFollowUp.overdue')}</Tag>}</Space> : t('evaluation.none')) },
          { title: t('evaluation.status'), width: 110, render: (_, a) => <StatusTag s={a.status} /> },
          {
            title: t('evalFollowUp.asm.report'), width: 200,
            render: (_, a) => <Space direction="vertical" size={0}>
              {a.reply && <span>{a.reply}</span>}
              {a.evidence && <Typography.Link onClick={() => void followUpApi.assessmentEvidence(a).catch((e: unknown) => message.error(errorText(e)))}>{a.evidence.name}</Typography.Link>}
            </Space>,
          },
          {
            title: '', width: 120, fixed: 'right',
            render: (_, a) => <Space>
              {a.abilities.reply && <Button size="small" type="link" data-testid="assessment-report" onClick={() => setReplying(a)}>{t('evalFollowUp.asm.doReport')}</Button>}
              {a.abilities.reassess && <Button size="small" type="link" data-testid="assessment-reassess" onClick={() => setRecording({ previous: a })}>{t('evalFollowUp.asm.reassess')}</Button>}
            </Space>,
          },
        ]}
      />
      {recording && <RecordAssessmentModal previous={recording.previous} onClose={() => setRecording(null)} onDone={() => { setRecording(null); refresh(); }} />}
      {replying && <AssessmentReportModal a={replying} onClose={() => setReplying(null)} onDone={() => { setReplying(null); refresh(); }} />}
    </Card>
  );
}

type RecordForm = { providerId: string; phase: 'initial' | 'mid'; assessedOn: Dayjs; summary: string; rectifyMonths?: number; items: Record<string, { passed: boolean; note?: string }> };

function RecordAssessmentModal({ previous, onClose, onDone }: { previous: Assessment | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<RecordForm>();
  const items = useQuery({ queryKey: followUpKeys.items, queryFn: followUpApi.items });
  const providers = useQuery({ queryKey: ['organisations', 'list', 'cloud_provider-all'], queryFn: () => orgApi.list({ kind: 'cloud_provider', page: 1, pageSize: 200 }) });
  const phase = Form.useWatch('phase', form) ?? previous?.phase ?? 'initial';
  const phaseItems = items.data?.[phase] ?? [];
  // Every item of the chosen phase starts as met (checked): the items arrive after the form mounted, and switching the
  // phase brings other items — an unchecked box must never count as met.
  useEffect(() => {
    const list = items.data?.[phase] ?? [];
    const current = (form.getFieldValue('items') ?? {}) as RecordForm['items'];
    const patch = Object.fromEntries(list.filter((i) => current[i.code]?.passed === undefined).map((i) => [i.code, { ...current[i.code], passed: true }]));
    if (Object.keys(patch).length > 0) form.setFieldsValue({ items: patch });
  }, [items.data, phase, form]);
  const save = useMutation({
    mutationFn: (v: RecordForm) => {
      const findings = phaseItems.map((i) => ({ item: i.code, passed: v.items?.[i.code]?.passed ?? true, note: v.items?.[i.code]?.note ?? null }));
      const failed = findings.some((f) => !f.passed);
      return followUpApi.recordAssessment({
        providerId: v.providerId, phase: v.phase, assessedOn: v.assessedOn.format('YYYY-MM-DD'), result: failed ? 'fail' : 'pass', summary: v.summary, findings,
        rectifyMonths: failed && !previous ? (v.phase === 'initial' ? 1 : v.rectifyMonths ?? null) : null, previousId: previous?.id ?? null,
      });
    },
    onSuccess: () => { message.success(t('evalFollowUp.saved')); onDone(); },
    onError: (e) => message.error(errorText(e)),
  });
  const initialItems = Object.fromEntries(phaseItems.map((i) => [i.code, { passed: true }]));
  return (
    <Modal open width={760} title={previous ? t('evalFollowUp.asm.reassess') : t('evalFollowUp.asm.record')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      {previous && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('evalFollowUp.asm.secondHint')} />}
      <Form form={form} layout="vertical" initialValues={{ providerId: previous?.provider.id, phase: previous?.phase ?? 'initial', assessedOn: dayjs(), rectifyMonths: 3, items: initialItems }} onFinish={(v) => save.mutate(v)}>
        <Space wrap>
          <Form.Item name="providerId" label={t('evaluation.provider')} rules={[{ required: true }]}>
            <Select data-testid="assessment-provider" style={{ width: 240 }} disabled={!!previous} options={(providers.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))} />
          </Form.Item>
          <Form.Item name="phase" label={t('evalFollowUp.asm.phase')} rules={[{ required: true }]}>
            <Radio.Group disabled={!!previous} options={(['initial', 'mid'] as const).map((p) => ({ value: p, label: t(`evalFollowUp.asm.phases.${p}`) }))} />
          </Form.Item>
          <Form.Item name="assessedOn" label={t('evalFollowUp.asm.assessedOn')} rules={[{ required: true }]}><DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} /></Form.Item>
          {phase === 'mid' && !previous && <Form.Item name="rectifyMonths" label={t('evalFollowUp.asm.rectifyMonths')} extra={t('evalFollowUp.asm.midHint')}><InputNumber data-testid="assessment-months" min={3} max={6} /></Form.Item>}
        </Space>
        {phaseItems.length === 0 ? <Empty /> : phaseItems.map((i) => (
          <Space key={i.code} align="start" style={{ display: 'flex' }}>
            <Form.Item name={['items', i.code, 'passed']} valuePropName="checked" style={{ marginBottom: 8 }}><Checkbox data-testid={`assessment-item-${i.code}`}>{t('evalFollowUp.asm.itemPassed')}</Checkbox></Form.Item>
            <Typography.Text style={{ width: 300, display: 'inline-block' }}>{i.name}</Typography.Text>
            <Form.Item name={['items', i.code, 'note']} style={{ marginBottom: 8 }}><Input data-testid={`assessment-note-${i.code}`} style={{ width: 240 }} placeholder={t('evalFollowUp.asm.finding')} /></Form.Item>
          </Space>
        ))}
        <Form.Item name="summary" label={t('evalFollowUp.asm.summary')} rules={[{ required: true, whitespace: true }]}><Input.TextArea data-testid="assessment-summary" rows={3} maxLength={4000} /></Form.Item>
      </Form>
    </Modal>
  );
}

function AssessmentReportModal({ a, onClose, onDone }: { a: Assessment; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const save = useMutation({
    mutationFn: async () => followUpApi.reportRectification(a.id, text, await evidenceOf(file)),
    onSuccess: () => { message.success(t('evalFollowUp.saved')); onDone(); },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal open title={t('evalFollowUp.asm.doReport')} onCancel={onClose} onOk={() => save.mutate()} confirmLoading={save.isPending}>
      <Typography.Paragraph>{a.summary} · {t('evalFollowUp.asm.rectifyBy')} {a.rectifyBy}</Typography.Paragraph>
      <Input.TextArea data-testid="assessment-report-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} maxLength={4000} />
      <div style={{ marginTop: 8 }}><EvidencePicker onChange={setFile} /></div>
    </Modal>
  );
}
