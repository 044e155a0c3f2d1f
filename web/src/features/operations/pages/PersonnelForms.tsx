import { useState } from 'react';
import { Alert, Button, Checkbox, DatePicker, Form, Input, Modal, Radio, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { useCan, useMe } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { opsApi, opsKeys, type Drill, type Qualification } from '../operations.api';
import { applyPathErrors } from '../formErrors';
import { FormButton } from './OpsForms';
import { useProviderOptions } from './FormModal';

export const POSTS = ['project_manager', 'technical_lead', 'ops_engineer', 'network_engineer', 'security_engineer', 'security_auditor', 'dba', 'machine_room', 'service_desk', 'supervisor'] as const;
const splitNames = (s: unknown) => (typeof s === 'string' ? s.split(/[、,，;；\n]+/).map((x) => x.trim()).filter(Boolean) : []);

type StaffValues = { orgId?: string; nodeId?: string; name: string; post: string; placement: 'onsite' | 'second_line'; core?: boolean; certificates?: Array<{ name?: string; number?: string; validTo?: Dayjs }> };

/** 新增人员: post, on site / second line, core, node, and any number of certificates (name, number, expiry). */
export function NewStaffButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!useCan()('operations:write')) return null;
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} data-testid="ops-new-staff" onClick={() => setOpen(true)}>{t('operations.pf.newStaff')}</Button>
      {open && <StaffModal onClose={() => setOpen(false)} />}
    </>
  );
}

function StaffModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useMe();
  const [form] = Form.useForm<StaffValues>();
  const [error, setError] = useState<unknown>(null);
  const { nodes, providers } = useProviderOptions();
  const isProvider = me.data?.org.kind === 'cloud_provider';
  const chosen = Form.useWatch('orgId', form);
  const orgId = isProvider ? me.data?.org.id : chosen;
  const m = useMutation({
    mutationFn: (v: StaffValues) => opsApi.createStaff({
      ...(isProvider ? {} : { orgId: v.orgId ?? null }),
      nodeId: v.nodeId ?? null,
      name: v.name.trim(),
      post: v.post,
      placement: v.placement,
      core: v.core ?? false,
      certificates: (v.certificates ?? []).map((c) => ({ name: (c.name ?? '').trim(), number: c.number?.trim() ? c.number.trim() : null, validTo: c.validTo ? c.validTo.format('YYYY-MM-DD') : '' })),
    }),
    onSuccess: () => {
      for (const k of [opsKeys.staff, opsKeys.expiring, opsKeys.staffing]) void qc.invalidateQueries({ queryKey: k });
      onClose();
    },
    onError: (e) => setError(applyPathErrors(form, e, ['orgId', 'nodeId', 'name', 'post', 'placement', 'core', 'certificates'], { leaf: 'name' }) ? null : e),
  });
  const required = (label: string) => [{ required: true, message: t('operations.forms.required', { field: label }) }];
  return (
    <Modal open width={760} title={t('operations.pf.newStaff')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={m.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'ops-staff-form-ok' } as never}>
      {error !== null && <Alert type="error" showIcon data-testid="ops-staff-form-error" message={errorText(error)} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" data-testid="ops-staff-form" initialValues={{ placement: 'onsite', core: false, certificates: [] }} onFinish={(v) => { setError(null); m.mutate(v); }}>
        {!isProvider && (
          <Form.Item name="orgId" label={t('operations.forms.organisation')} extra={t('operations.pf.staffOrgHint')}>
            <Select data-testid="ops-staff-form-orgId" allowClear showSearch optionFilterProp="label" options={providers} />
          </Form.Item>
        )}
        <Form.Item name="nodeId" label={t('operations.node')} extra={t('operations.pf.nodeHint')}>
          <Select data-testid="ops-staff-form-nodeId" allowClear options={nodes.filter((n) => !orgId || n.provider?.id === orgId).map((n) => ({ value: n.id, label: n.name }))} />
        </Form.Item>
        <Space style={{ display: 'flex' }} align="start" wrap>
          <Form.Item name="name" label={t('operations.name')} rules={[...required(t('operations.name')), { max: 50 }]}><Input data-testid="ops-staff-form-name" style={{ width: 200 }} /></Form.Item>
          <Form.Item name="post" label={t('operations.post')} rules={required(t('operations.post'))}>
            <Select data-testid="ops-staff-form-post" style={{ width: 200 }} options={POSTS.map((p) => ({ value: p, label: t(`operations.posts.${p}`) }))} />
          </Form.Item>
          <Form.Item name="placement" label={t('operations.placement')}>
            <Radio.Group data-testid="ops-staff-form-placement" options={(['onsite', 'second_line'] as const).map((p) => ({ value: p, label: t(`operations.placements.${p}`) }))} />
          </Form.Item>
          <Form.Item name="core" label={t('operations.core')} valuePropName="checked"><Checkbox data-testid="ops-staff-form-core">{t('operations.pf.isCore')}</Checkbox></Form.Item>
        </Space>
        <Form.List name="certificates">
          {(fields, { add, remove }) => (
            <>
              <div style={{ marginBottom: 8 }}>{t('operations.certificates')}（{t('operations.pf.certHint')}）</div>
              {fields.map((f) => (
                <Space key={f.key} align="start" style={{ display: 'flex' }} data-testid={`ops-staff-cert-${f.name}`}>
                  <Form.Item name={[f.name, 'name']} rules={[...required(t('operations.pf.certName')), { max: 100 }]}><Input data-testid={`ops-staff-cert-${f.name}-name`} placeholder={t('operations.pf.certName')} style={{ width: 220 }} /></Form.Item>
                  <Form.Item name={[f.name, 'number']} rules={[{ max: 100 }]}><Input data-testid={`ops-staff-cert-${f.name}-number`} placeholder={t('operations.pf.certNumber')} style={{ width: 180 }} /></Form.Item>
                  <Form.Item name={[f.name, 'validTo']} rules={required(t('operations.validTo'))}><DatePicker data-testid={`ops-staff-cert-${f.name}-validTo`} placeholder={t('operations.validTo')} /></Form.Item>
                  <Button icon={<DeleteOutlined />} aria-label={t('operations.pf.remove')} onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button data-testid="ops-staff-add-cert" icon={<PlusOutlined />} onClick={() => add({})} disabled={fields.length >= 20}>{t('operations.pf.addCert')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

/** 记录资质 (management / supervision): a provider's qualification record, valid from / to. */
export function NewQualificationButton() {
  const { t } = useTranslation();
  if (!useCan()('operations:manage')) return null;
  return <FormButton label={t('operations.pf.newQualification')} testId="ops-new-qualification" spec={() => ({
    title: t('operations.pf.newQualification'), testId: 'ops-qual-form', invalidate: [opsKeys.qualifications], submit: opsApi.createQualification,
    fields: [
      { name: 'providerOrgId', label: t('operations.provider'), kind: 'provider', required: true, extra: t('operations.pf.providerHint') },
      { name: 'name', label: t('operations.pf.qualName'), kind: 'text', required: true, max: 200 },
      { name: 'validFrom', label: t('operations.validFrom'), kind: 'date', required: true, anyDay: true, initial: dayjs() },
      { name: 'validTo', label: t('operations.validTo'), kind: 'date', required: true, anyDay: true, initial: dayjs().add(1, 'year') },
      { name: 'note', label: t('operations.note'), kind: 'textarea', max: 2000 },
    ],
  })} />;
}

/** 年度复核: passed (the review day is recorded) or failed (the record lapses from that day). */
export function ReviewQualificationButton({ q }: { q: Qualification }) {
  const { t } = useTranslation();
  if (!useCan()('operations:manage')) return null;
  return <FormButton size="small" primary={false} label={t('operations.pf.review')} testId="ops-qual-review" spec={() => ({
    title: `${t('operations.pf.review')} · ${q.name}`, testId: 'ops-review-form', invalidate: [opsKeys.qualifications],
    submit: (b) => opsApi.reviewQualification(q.id, { ...b, passed: b.passed === 'yes' }),
    fields: [
      { name: 'on', label: t('operations.pf.reviewOn'), kind: 'date', required: true, initial: dayjs() },
      { name: 'passed', label: t('operations.pf.reviewResult'), kind: 'select', required: true, options: [{ value: 'yes', label: t('operations.pf.passed') }, { value: 'no', label: t('operations.pf.failed') }], extra: t('operations.pf.failedHint') },
      { name: 'note', label: t('operations.note'), kind: 'textarea', max: 2000 },
    ],
  })} />;
}

/** 计划演练: level (management / platform drills by management or supervision only), desktop or live, scenario, day. */
export function NewDrillButton() {
  const { t } = useTranslation();
  const can = useCan();
  const plans = useQuery({ queryKey: opsKeys.emergencyPlans, queryFn: opsApi.emergencyPlans, enabled: can('operations:write') });
  if (!can('operations:write')) return null;
  const levels = can('operations:manage') ? (['provider', 'management', 'platform'] as const) : (['provider'] as const);
  return <FormButton label={t('operations.pf.newDrill')} testId="ops-new-drill" spec={() => ({
    title: t('operations.pf.newDrill'), testId: 'ops-drill-form', invalidate: [opsKeys.drills, ['operations', 'obligations']],
    submit: (b) => { const { providerOrgId, ...rest } = b; return opsApi.planDrill({ ...rest, orgId: providerOrgId ?? null }); },
    fields: [
      { name: 'level', label: t('operations.level'), kind: 'select', required: true, initial: 'provider', options: levels.map((l) => ({ value: l, label: t(`operations.levels.${l}`) })) },
      { name: 'providerOrgId', label: t('operations.forms.organisation'), kind: 'provider', extra: t('operations.pf.drillOrgHint') },
      { name: 'kind', label: t('operations.kind'), kind: 'select', required: true, options: (['desktop', 'live'] as const).map((k) => ({ value: k, label: t(`operations.kinds.${k}`) })) },
      { name: 'planId', label: t('operations.pf.emergencyPlan'), kind: 'select', options: (plans.data ?? []).map((p) => ({ value: p.id, label: `${p.code} v${p.version} ${p.title}` })) },
      { name: 'scenario', label: t('operations.scenario'), kind: 'textarea', required: true, max: 500 },
      { name: 'plannedOn', label: t('operations.plannedOn'), kind: 'date', required: true, anyDay: true, initial: dayjs() },
    ],
  })} />;
}

/** 记录实施: the day held, participants, findings and the report of a planned drill. */
export function HoldDrillButton({ drill }: { drill: Drill }) {
  const { t } = useTranslation();
  if (!useCan()('operations:write') || drill.status === 'held') return null;
  return <FormButton size="small" primary={false} label={t('operations.pf.hold')} testId="ops-drill-hold" spec={() => ({
    title: `${t('operations.pf.hold')} · ${drill.scenario.slice(0, 30)}`, testId: 'ops-hold-form', invalidate: [opsKeys.drills, ['operations', 'obligations']],
    submit: (b) => opsApi.holdDrill(drill.id, { ...b, participants: splitNames(b.participants) }),
    fields: [
      { name: 'heldOn', label: t('operations.heldOn'), kind: 'date', required: true, initial: dayjs() },
      { name: 'participants', label: t('operations.participants'), kind: 'text', required: true, extra: t('operations.mt.attendeesHint') },
      { name: 'findings', label: t('operations.findings'), kind: 'textarea', max: 5000 },
      { name: 'report', label: t('operations.pf.report'), kind: 'textarea', required: true, max: 20000, extra: t('operations.pf.reportHint') },
    ],
  })} />;
}
