import { useState } from 'react';
import { Alert, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { useMe } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { opsApi, opsKeys } from '../operations.api';
import { applyFieldErrors } from '../formErrors';

/** One field of a FormModal; `name` is the API's body field, so its validation errors land on it. */
export interface FieldSpec {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'select' | 'multi' | 'date' | 'datetime' | 'int' | 'provider' | 'providers' | 'node';
  required?: boolean;
  options?: Array<{ value: string; label: string }>;
  max?: number;
  initial?: unknown;
  extra?: string;
  /** `date` fields refuse future days unless this is set (due days). */
  future?: boolean;
  /** `date` fields that take any day (planned days, validity ends). */
  anyDay?: boolean;
}

/**
 * The providers an operations form offers: only cloud providers that run a cloud node (from `/api/cloud-nodes`, whose
 * nodes name their provider), sorted by name; and the nodes, to narrow a node picker to the chosen provider.
 */
export function useProviderOptions(enabled = true) {
  const nodes = useQuery({ queryKey: opsKeys.nodes, queryFn: opsApi.nodes, enabled });
  const providers = [...new Map((nodes.data ?? []).filter((n) => n.provider).map((n) => [n.provider!.id, n.provider!.name])).entries()]
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
  return { nodes: nodes.data ?? [], providers, providerName: (id: string) => providers.find((p) => p.value === id)?.label ?? null };
}

type Values = Record<string, unknown>;

/** The body the API gets: dates as YYYY-MM-DD, instants as ISO, empty optional fields as null. */
function toBody(fields: FieldSpec[], v: Values): Values {
  const out: Values = {};
  for (const f of fields) {
    const x = v[f.name];
    if (x === undefined || x === null || x === '') { if (!f.required) out[f.name] = null; continue; }
    if (f.kind === 'date') out[f.name] = (x as Dayjs).format('YYYY-MM-DD');
    else if (f.kind === 'datetime') out[f.name] = (x as Dayjs).toISOString();
    else if (typeof x === 'string') out[f.name] = x.trim();
    else out[f.name] = x;
  }
  return out;
}

/**
 * A create form in a modal: client-side required checks, then the API; the API's per-field errors are shown on the
 * fields (`details.issues[].field`), any other refusal above the form. `provider` fields are hidden for providers.
 */
export function FormModal({ title, fields, testId, submit, invalidate, onClose }: { title: string; fields: FieldSpec[]; testId: string; submit: (body: Values) => Promise<unknown>; invalidate: ReadonlyArray<readonly string[]>; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const isProvider = me.data?.org.kind === 'cloud_provider';
  const needsNodes = fields.some((f) => ['provider', 'providers', 'node'].includes(f.kind));
  const { nodes, providers } = useProviderOptions(needsNodes);
  const chosenProvider = Form.useWatch('providerOrgId', form) as string | undefined;
  const providerId = isProvider ? me.data?.org.id : chosenProvider;
  const shown = fields.filter((f) => !(f.kind === 'provider' && isProvider));
  const m = useMutation({
    mutationFn: (v: Values) => submit(toBody(shown, v)),
    onSuccess: () => { for (const k of invalidate) void qc.invalidateQueries({ queryKey: k }); onClose(); },
    onError: (e) => setError(applyFieldErrors(form, e, shown.map((f) => f.name)) ? null : e),
  });
  const initial = Object.fromEntries(fields.filter((f) => f.initial !== undefined).map((f) => [f.name, f.initial]));
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} confirmLoading={m.isPending} destroyOnHidden okButtonProps={{ 'data-testid': `${testId}-ok` } as never}>
      {error !== null && <Alert type="error" showIcon data-testid={`${testId}-error`} message={errorText(error)} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => { setError(null); m.mutate(v); }} data-testid={testId}>
        {shown.map((f) => (
          <Form.Item key={f.name} name={f.name} label={f.label} extra={f.extra}
            rules={[...(f.required ? [{ required: true, message: t('operations.forms.required', { field: f.label }) }] : []), ...(f.max && ['text', 'textarea'].includes(f.kind) ? [{ max: f.max }] : [])]}>
            {f.kind === 'text' ? <Input data-testid={`${testId}-${f.name}`} />
              : f.kind === 'textarea' ? <Input.TextArea rows={3} data-testid={`${testId}-${f.name}`} />
              : f.kind === 'select' ? <Select data-testid={`${testId}-${f.name}`} options={f.options} />
              : f.kind === 'multi' ? <Select mode="multiple" data-testid={`${testId}-${f.name}`} options={f.options} />
              : f.kind === 'provider' ? <Select data-testid={`${testId}-${f.name}`} options={providers} showSearch optionFilterProp="label" />
              : f.kind === 'providers' ? <Select mode="multiple" data-testid={`${testId}-${f.name}`} options={providers} optionFilterProp="label" />
              : f.kind === 'node' ? <Select data-testid={`${testId}-${f.name}`} allowClear options={nodes.filter((n) => !providerId || n.provider?.id === providerId).map((n) => ({ value: n.id, label: n.name }))} />
              : f.kind === 'date' ? <DatePicker data-testid={`${testId}-${f.name}`} disabledDate={(d) => (f.anyDay ? false : f.future ? d.isBefore(dayjs(), 'day') : d.isAfter(dayjs(), 'day'))} />
              : f.kind === 'datetime' ? <DatePicker showTime data-testid={`${testId}-${f.name}`} />
              : <InputNumber data-testid={`${testId}-${f.name}`} precision={0} />}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
