import { useState } from 'react';
import { App as AntApp, Alert, Button, Card, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { opsApi, opsKeys, type MajorChange, type Meeting, type SpecialTask } from '../operations.api';
import { FormButton } from './OpsForms';

/** A note-taking action (review, finish a task) in a small modal. */
function NoteAction({ label, title, testId, required = true, run, invalidate }: { label: string; title: string; testId: string; required?: boolean; run: (note: string | null) => Promise<unknown>; invalidate: readonly string[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const m = useMutation({ mutationFn: () => run(note.trim() || null), onSuccess: () => { setOpen(false); setNote(''); void qc.invalidateQueries({ queryKey: invalidate }); }, onError: (e) => message.error(errorText(e)) });
  return (
    <>
      <Button size="small" data-testid={testId} onClick={() => setOpen(true)}>{label}</Button>
      <Modal open={open} title={title} onCancel={() => setOpen(false)} onOk={() => m.mutate()} okButtonProps={{ disabled: required && !note.trim(), 'data-testid': `${testId}-ok` } as never} confirmLoading={m.isPending} destroyOnHidden>
        <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid={`${testId}-note`} placeholder={t('operations.mc.note')} />
      </Modal>
    </>
  );
}

/** 重大变更: major-change events matched to approved platform changes; unapproved ones flagged and reviewed. */
export function MajorChangesTab() {
  const { t } = useTranslation();
  const can = useCan();
  const [status, setStatus] = useState<'matched' | 'unapproved' | undefined>(undefined);
  const [source, setSource] = useState<'pushed' | 'detected' | 'manual' | undefined>(undefined);
  const [reviewed, setReviewed] = useState<'true' | 'false' | undefined>(undefined);
  const q = { ...(status ? { status } : {}), ...(source ? { source } : {}), ...(reviewed ? { reviewed } : {}) };
  const list = useQuery({ queryKey: [...opsKeys.majorChanges, q], queryFn: () => opsApi.majorChanges(q) });
  const manage = can('operations:manage');
  return (
    <Card size="small" title={t('operations.mc.title')} extra={manage && <FormButton label={t('operations.mc.record')} testId="ops-new-major-change" spec={() => ({
      title: t('operations.mc.record'), testId: 'ops-major-change-form', invalidate: [opsKeys.majorChanges], submit: opsApi.recordMajorChange,
      fields: [
        { name: 'providerOrgId', label: t('operations.mc.provider'), kind: 'provider', required: true },
        { name: 'nodeId', label: t('operations.mc.node'), kind: 'node' },
        { name: 'category', label: t('operations.mc.category'), kind: 'text', required: true, max: 50 },
        { name: 'title', label: t('operations.mc.event'), kind: 'text', required: true, max: 200 },
        { name: 'occurredAt', label: t('operations.mc.occurredAt'), kind: 'datetime', required: true, initial: dayjs() },
        { name: 'detail', label: t('operations.mc.detail'), kind: 'textarea', max: 8000 },
      ],
    })} />}>
      <Typography.Paragraph type="secondary">{t('operations.mc.hint')}</Typography.Paragraph>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select data-testid="ops-mc-filter-status" style={{ width: 160 }} allowClear placeholder={t('operations.mc.status')} value={status} onChange={setStatus} options={(['matched', 'unapproved'] as const).map((s) => ({ value: s, label: t(`operations.mc.statuses.${s}`) }))} />
        <Select data-testid="ops-mc-filter-source" style={{ width: 160 }} allowClear placeholder={t('operations.mc.source')} value={source} onChange={setSource} options={(['pushed', 'detected', 'manual'] as const).map((s) => ({ value: s, label: t(`operations.mc.sources.${s}`) }))} />
        <Select data-testid="ops-mc-filter-reviewed" style={{ width: 140 }} allowClear placeholder={t('operations.mc.review')} value={reviewed} onChange={setReviewed} options={[{ value: 'false', label: t('operations.mc.notReviewed') }, { value: 'true', label: t('operations.mc.reviewed') }]} />
      </Space>
      <Table<MajorChange> data-testid="ops-major-changes" rowKey="id" size="small" loading={list.isLoading} dataSource={list.data ?? []} pagination={{ pageSize: 20 }}
        columns={[
          { title: t('operations.mc.occurredAt'), dataIndex: 'occurredAt', render: (v: string) => fmtTime(v) },
          { title: t('operations.mc.provider'), dataIndex: 'providerName' },
          { title: t('operations.mc.node'), dataIndex: 'nodeName', render: (v: string | null) => v ?? t('operations.none') },
          { title: t('operations.mc.event'), render: (_: unknown, r) => <span>{r.title} <Typography.Text type="secondary">（{r.category}）</Typography.Text></span> },
          { title: t('operations.mc.source'), dataIndex: 'source', render: (s: MajorChange['source']) => t(`operations.mc.sources.${s}`) },
          { title: t('operations.mc.status'), dataIndex: 'status', render: (s: MajorChange['status']) => <Tag color={s === 'matched' ? 'green' : 'red'}>{t(`operations.mc.statuses.${s}`)}</Tag> },
          { title: t('operations.mc.matched'), render: (_: unknown, r) => (r.matchedChange ? `${r.matchedChange.title}（${fmtTime(r.matchedChange.windowStart)} – ${fmtTime(r.matchedChange.windowEnd)}）` : t('operations.none')) },
          { title: t('operations.mc.review'), render: (_: unknown, r) => (r.status !== 'unapproved' ? null : r.reviewedAt ? <span title={r.reviewNote ?? ''}><Tag>{t('operations.mc.reviewed')}</Tag>{r.reviewNote}</span>
            : manage ? <NoteAction label={t('operations.mc.review')} title={`${t('operations.mc.review')} · ${r.title}`} testId="ops-mc-review" invalidate={opsKeys.majorChanges} run={(note) => opsApi.reviewMajorChange(r.id, { note })} /> : <Tag color="orange">{t('operations.mc.notReviewed')}</Tag>) },
        ]} />
    </Card>
  );
}

const splitNames = (s: unknown) => (typeof s === 'string' ? s.split(/[、,，;；\s]+/).map((x) => x.trim()).filter(Boolean) : []);

/** 会议与沟通: regular meetings and provider work reports, special tasks with due day and overdue flag. */
export function MeetingsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const meetings = useQuery({ queryKey: opsKeys.meetings, queryFn: opsApi.meetings });
  const tasks = useQuery({ queryKey: opsKeys.tasks, queryFn: opsApi.tasks });
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const manage = can('operations:manage');
  const write = can('operations:write');
  const move = useMutation({ mutationFn: ({ id, status }: { id: string; status: 'in_progress' | 'cancelled' }) => opsApi.moveTask(id, { status }), onSuccess: () => void qc.invalidateQueries({ queryKey: opsKeys.tasks }), onError: (e) => message.error(errorText(e)) });
  const meetingFields = (kind: Meeting['kind']) => [
    ...(kind === 'work_report' ? [{ name: 'providerOrgId', label: t('operations.mt.provider'), kind: 'provider' as const, required: true }, { name: 'period', label: t('operations.mt.period'), kind: 'text' as const, required: true, extra: t('operations.mt.periodHint'), initial: dayjs().format('YYYY-MM') }]
      : [{ name: 'providerOrgId', label: t('operations.mt.provider'), kind: 'provider' as const }]),
    { name: 'title', label: t('operations.mt.title'), kind: 'text' as const, required: true, max: 200 },
    { name: 'heldOn', label: t('operations.mt.heldOn'), kind: 'date' as const, required: true, initial: dayjs() },
    ...(kind === 'regular_meeting' ? [{ name: 'location', label: t('operations.mt.location'), kind: 'text' as const, max: 200 }, { name: 'attendees', label: t('operations.mt.attendees'), kind: 'text' as const, extra: t('operations.mt.attendeesHint') }] : []),
    { name: 'minutes', label: t('operations.mt.minutes'), kind: 'textarea' as const, max: 20000 },
  ];
  const submitMeeting = (kind: Meeting['kind']) => (b: Record<string, unknown>) => opsApi.recordMeeting({ ...b, kind, ...(kind === 'regular_meeting' ? { attendees: splitNames(b.attendees) } : {}), minutes: b.minutes ?? '' });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('operations.mt.meetings')} extra={<Space>
        {manage && <FormButton label={t('operations.mt.newMeeting')} testId="ops-new-meeting" spec={() => ({ title: t('operations.mt.newMeeting'), testId: 'ops-meeting-form', invalidate: [opsKeys.meetings], submit: submitMeeting('regular_meeting'), fields: meetingFields('regular_meeting') })} />}
        {write && <FormButton primary={false} label={t('operations.mt.newReport')} testId="ops-new-work-report" spec={() => ({ title: t('operations.mt.newReport'), testId: 'ops-report-form', invalidate: [opsKeys.meetings], submit: submitMeeting('work_report'), fields: meetingFields('work_report') })} />}
      </Space>}>
        <Table<Meeting> data-testid="ops-meetings" rowKey="id" size="small" loading={meetings.isLoading} dataSource={meetings.data ?? []} pagination={{ pageSize: 10 }}
          expandable={{ expandedRowRender: (r) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{r.minutes || t('operations.none')}</Typography.Paragraph> }}
          columns={[
            { title: t('operations.mt.heldOn'), dataIndex: 'heldOn' },
            { title: t('operations.mt.kind'), dataIndex: 'kind', render: (k: Meeting['kind'], r) => <Tag color={k === 'work_report' ? 'blue' : 'default'}>{t(`operations.mt.kinds.${k}`)}{r.period ? ` ${r.period}` : ''}</Tag> },
            { title: t('operations.mt.title'), dataIndex: 'title' },
            { title: t('operations.mt.organiser'), dataIndex: 'orgName' },
            { title: t('operations.mt.provider'), dataIndex: 'providerName', render: (v: string | null) => v ?? t('operations.none') },
            { title: t('operations.mt.attendees'), dataIndex: 'attendees', render: (v: string[]) => v.join('、') },
            { title: t('operations.mt.attachments'), dataIndex: 'attachments', render: (a: Meeting['attachments'], r) => <Space wrap>{a.map((x) => <Button key={x.id} size="small" type="link" onClick={() => opsApi.meetingAttachment(r.id, x.id, x.fileName).catch((e: unknown) => message.error(errorText(e)))}>{x.fileName}</Button>)}</Space> },
          ]} />
      </Card>
      <Card size="small" title={t('operations.mt.tasks')} extra={manage && <FormButton label={t('operations.mt.newTask')} testId="ops-new-task" spec={() => ({
        title: t('operations.mt.newTask'), testId: 'ops-task-form', invalidate: [opsKeys.tasks], submit: opsApi.createTask,
        fields: [
          { name: 'title', label: t('operations.mt.title'), kind: 'text', required: true, max: 200 },
          { name: 'assigneeOrgId', label: t('operations.mt.assignee'), kind: 'provider', required: true },
          { name: 'dueOn', label: t('operations.mt.dueOn'), kind: 'date', required: true, future: true, initial: dayjs().add(7, 'day') },
          { name: 'meetingId', label: t('operations.mt.meeting'), kind: 'select', options: (meetings.data ?? []).filter((m) => m.kind === 'regular_meeting').map((m) => ({ value: m.id, label: `${m.heldOn} ${m.title}` })) },
          { name: 'description', label: t('operations.mt.description'), kind: 'textarea', max: 5000 },
        ],
      })} />}>
        {(tasks.data ?? []).some((x) => x.overdue) && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={`${t('operations.mt.overdue')}：${(tasks.data ?? []).filter((x) => x.overdue).length}`} />}
        <Table<SpecialTask> data-testid="ops-tasks" rowKey="id" size="small" loading={tasks.isLoading} dataSource={tasks.data ?? []} pagination={{ pageSize: 10 }}
          columns={[
            { title: t('operations.mt.title'), dataIndex: 'title' },
            { title: t('operations.mt.assignee'), dataIndex: 'assigneeName' },
            { title: t('operations.mt.dueOn'), dataIndex: 'dueOn' },
            { title: t('operations.mt.status'), render: (_: unknown, r) => <Space><Tag>{t(`operations.mt.statuses.${r.status}`)}</Tag>{r.overdue && <Tag color="red">{t('operations.mt.overdue')}</Tag>}{r.completedLate && <Tag color="orange">{t('operations.mt.late')}</Tag>}</Space> },
            { title: t('operations.mt.result'), dataIndex: 'resultNote', render: (v: string | null) => v ?? '' },
            ...(write ? [{ title: '', key: 'act', render: (_: unknown, r: SpecialTask) => (r.status === 'done' || r.status === 'cancelled' ? null : <Space>
              {r.status === 'open' && <Button size="small" data-testid="ops-task-start" onClick={() => move.mutate({ id: r.id, status: 'in_progress' })}>{t('operations.mt.start')}</Button>}
              <NoteAction label={t('operations.mt.finish')} title={`${t('operations.mt.finish')} · ${r.title}`} testId="ops-task-finish" invalidate={opsKeys.tasks} run={(resultNote) => opsApi.moveTask(r.id, { status: 'done', resultNote })} />
              {manage && <Button size="small" danger onClick={() => move.mutate({ id: r.id, status: 'cancelled' })}>{t('operations.mt.cancel')}</Button>}
            </Space>) }] : []),
          ]} />
      </Card>
    </Space>
  );
}
