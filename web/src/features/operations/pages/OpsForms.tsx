import { useState } from 'react';
import { Button, Space } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { useCan } from '../../auth/auth.api';
import { opsApi, opsKeys, type EmergencyEvent } from '../operations.api';
import { FormModal, type FieldSpec } from './FormModal';

export type Opener = { title: string; testId: string; fields: FieldSpec[]; submit: (b: Record<string, unknown>) => Promise<unknown>; invalidate: ReadonlyArray<readonly string[]> };

/** A button that opens a create form. */
export function FormButton({ label, spec, testId, primary = true, size }: { label: string; spec: () => Opener; testId: string; primary?: boolean; size?: 'small' }) {
  const [open, setOpen] = useState<Opener | null>(null);
  return (
    <>
      <Button size={size} type={primary ? 'primary' : 'default'} icon={primary ? <PlusOutlined /> : undefined} data-testid={testId} onClick={() => setOpen(spec())}>{label}</Button>
      {open && <FormModal {...open} onClose={() => setOpen(null)} />}
    </>
  );
}

const SEVERITIES = ['I', 'II', 'III', 'IV'] as const;
const TRAINING_KINDS = ['emergency_response', 'business', 'confidentiality', 'security', 'user'] as const;

/** 上报应急事件 (report an emergency event). */
export function NewEventButton() {
  const { t } = useTranslation();
  if (!useCan()('operations:write')) return null;
  return <FormButton label={t('operations.forms.reportEvent')} testId="ops-new-event" spec={() => ({
    title: t('operations.forms.reportEvent'), testId: 'ops-event-form', invalidate: [opsKeys.events], submit: opsApi.reportEvent,
    fields: [
      { name: 'providerOrgId', label: t('operations.entry.provider'), kind: 'provider', required: true },
      { name: 'nodeId', label: t('operations.node'), kind: 'node' },
      { name: 'title', label: t('operations.ev.title'), kind: 'text', required: true, max: 200 },
      { name: 'severity', label: t('operations.ev.severity'), kind: 'select', required: true, options: SEVERITIES.map((s) => ({ value: s, label: t(`operations.ev.severities.${s}`) })) },
      { name: 'occurredAt', label: t('operations.ev.occurredAt'), kind: 'datetime', required: true, initial: dayjs() },
      { name: 'description', label: t('operations.forms.description'), kind: 'textarea', required: true, max: 5000 },
    ],
  })} />;
}

/** The next step of an event: 响应 → 恢复 → 复盘. */
export function EventStepButton({ event }: { event: EmergencyEvent }) {
  const { t } = useTranslation();
  if (!useCan()('operations:write') || event.status === 'reviewed') return null;
  const step = event.status === 'reported' ? 'respond' : event.status === 'responding' ? 'recover' : 'review';
  const spec = (): Opener => {
    const base = { title: `${t(`operations.forms.steps.${step}`)} · ${event.number}`, testId: `ops-event-${step}`, invalidate: [opsKeys.events] };
    if (step === 'respond') return { ...base, submit: (b) => opsApi.respondEvent(event.id, b), fields: [{ name: 'respondedAt', label: t('operations.forms.respondedAt'), kind: 'datetime', required: true, initial: dayjs() }, { name: 'note', label: t('operations.note'), kind: 'textarea', required: true, max: 5000 }] };
    if (step === 'recover') return { ...base, submit: (b) => opsApi.recoverEvent(event.id, b), fields: [{ name: 'recoveredAt', label: t('operations.forms.recoveredAt'), kind: 'datetime', required: true, initial: dayjs() }, { name: 'note', label: t('operations.note'), kind: 'textarea', required: true, max: 5000 }] };
    return { ...base, submit: (b) => opsApi.reviewEvent(event.id, b), fields: [
      { name: 'rootCause', label: t('operations.forms.rootCause'), kind: 'textarea', required: true, max: 10000 },
      { name: 'measures', label: t('operations.forms.measures'), kind: 'textarea', required: true, max: 10000 },
      { name: 'lessons', label: t('operations.forms.lessons'), kind: 'textarea', max: 10000 },
    ] };
  };
  return <FormButton size="small" primary={false} label={t(`operations.forms.steps.${step}`)} testId={`ops-event-step-${step}`} spec={spec} />;
}

/** 记录培训 (record a training held). */
export function NewTrainingButton() {
  const { t } = useTranslation();
  if (!useCan()('operations:write')) return null;
  return <FormButton label={t('operations.forms.recordTraining')} testId="ops-new-training" spec={() => ({
    title: t('operations.forms.recordTraining'), testId: 'ops-training-form', invalidate: [opsKeys.trainings, ['operations', 'training-counts']], submit: (b) => { const { providerOrgId, ...rest } = b; return opsApi.recordTraining({ ...rest, orgId: providerOrgId ?? null }); },
    fields: [
      { name: 'providerOrgId', label: t('operations.forms.organisation'), kind: 'provider', extra: t('operations.forms.orgHint') },
      { name: 'kind', label: t('operations.forms.kind'), kind: 'select', required: true, options: TRAINING_KINDS.map((k) => ({ value: k, label: t(`operations.ev.trainingKinds.${k}`) })) },
      { name: 'topic', label: t('operations.ev.topic'), kind: 'text', required: true, max: 200 },
      { name: 'heldOn', label: t('operations.forms.heldOn'), kind: 'date', required: true, initial: dayjs() },
      { name: 'trainer', label: t('operations.ev.trainer'), kind: 'text', max: 100 },
      { name: 'participants', label: t('operations.forms.participants'), kind: 'int', required: true },
      { name: 'hours', label: t('operations.ev.hours'), kind: 'text', required: true, extra: t('operations.forms.hoursHint') },
      { name: 'content', label: t('operations.forms.content'), kind: 'textarea', max: 5000 },
    ],
  })} />;
}

/** 记录政策调整 (management / supervision). */
export function NewPolicyChangeButton() {
  const { t } = useTranslation();
  if (!useCan()('operations:manage')) return null;
  return <FormButton label={t('operations.forms.recordPolicy')} testId="ops-new-policy" spec={() => ({
    title: t('operations.forms.recordPolicy'), testId: 'ops-policy-form', invalidate: [opsKeys.policyChanges], submit: opsApi.recordPolicyChange,
    fields: [
      { name: 'title', label: t('operations.ev.policy'), kind: 'text', required: true, max: 200 },
      { name: 'description', label: t('operations.forms.description'), kind: 'textarea', required: true, max: 5000 },
      { name: 'announcedOn', label: t('operations.ev.announcedOn'), kind: 'date', required: true, initial: dayjs() },
      { name: 'providerOrgIds', label: t('operations.forms.providers'), kind: 'providers', required: true },
    ],
  })} />;
}

/** 登记资质更新 for one provider's line of a policy change. */
export function PolicyUpdateButton({ policyId, providerOrgId }: { policyId: string; providerOrgId: string }) {
  const { t } = useTranslation();
  if (!useCan()('operations:write')) return null;
  return <FormButton size="small" primary={false} label={t('operations.forms.recordUpdate')} testId="ops-policy-update" spec={() => ({
    title: t('operations.forms.recordUpdate'), testId: 'ops-update-form', invalidate: [opsKeys.policyChanges], submit: (b) => opsApi.recordPolicyUpdate(policyId, { ...b, providerOrgId }),
    fields: [
      { name: 'updatedOn', label: t('operations.ev.updatedOn'), kind: 'date', required: true, initial: dayjs() },
      { name: 'note', label: t('operations.note'), kind: 'textarea', required: true, max: 2000 },
    ],
  })} />;
}

/** 机房信息备案 (file a machine room). */
export function NewRoomButton() {
  const { t } = useTranslation();
  if (!useCan()('operations:write')) return null;
  return <FormButton label={t('operations.forms.fileRoom')} testId="ops-new-room" spec={() => ({
    title: t('operations.forms.fileRoom'), testId: 'ops-room-form', invalidate: [opsKeys.rooms, opsKeys.entries], submit: opsApi.fileMachineRoom,
    fields: [
      { name: 'providerOrgId', label: t('operations.entry.provider'), kind: 'provider', required: true },
      { name: 'nodeId', label: t('operations.node'), kind: 'node', required: true },
      { name: 'name', label: t('operations.ev.roomName'), kind: 'text', required: true, max: 100 },
      { name: 'address', label: t('operations.ev.address'), kind: 'text', required: true, max: 300 },
      { name: 'racks', label: t('operations.ev.racks'), kind: 'int', required: true },
      { name: 'powerKw', label: t('operations.ev.powerKw'), kind: 'int', required: true },
      { name: 'environmentObject', label: t('operations.entry.environment'), kind: 'text', max: 200 },
      { name: 'filedOn', label: t('operations.ev.filedOn'), kind: 'date', required: true, initial: dayjs() },
    ],
  })} />;
}

/** 登记机房出入 (record an access to a room). */
export function NewAccessButton({ rooms }: { rooms: Array<{ id: string; name: string }> }) {
  const { t } = useTranslation();
  if (!useCan()('operations:write') || rooms.length === 0) return null;
  return <Space><FormButton label={t('operations.forms.recordAccess')} testId="ops-new-access" spec={() => ({
    title: t('operations.forms.recordAccess'), testId: 'ops-access-form', invalidate: [opsKeys.roomAccess], submit: (b) => { const { roomId, ...rest } = b; return opsApi.recordRoomAccess(String(roomId), rest); },
    fields: [
      { name: 'roomId', label: t('operations.ev.roomName'), kind: 'select', required: true, options: rooms.map((r) => ({ value: r.id, label: r.name })), initial: rooms.length === 1 ? rooms[0]!.id : undefined },
      { name: 'person', label: t('operations.forms.person'), kind: 'text', required: true, max: 50 },
      { name: 'company', label: t('operations.ev.company'), kind: 'text', required: true, max: 100 },
      { name: 'work', label: t('operations.ev.work'), kind: 'textarea', required: true, max: 1000 },
      { name: 'enteredAt', label: t('operations.ev.enteredAt'), kind: 'datetime', required: true, initial: dayjs() },
      { name: 'leftAt', label: t('operations.ev.leftAt'), kind: 'datetime' },
    ],
  })} /></Space>;
}
