import { useMemo, useState } from 'react';
import { App as AntApp, Alert as AntAlert, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../../../i18n';
import { useCan } from '../../auth/auth.api';
import { fmtTime } from '../../../app/format';
import {
  monitoringApi, monitoringKeys, RULE_KINDS, SCOPE_KINDS, SEVERITIES, SEVERITY_COLOR,
  type EnvironmentItem, type Maintenance, type MaintenanceInput, type Rule, type RuleInput, type ScopeKind,
} from '../monitoring.api';
import { ScopeObjectSelect, useScopeNames } from '../components/ScopeObjectSelect';

/** The scope fields shared by rules and maintenance windows: kind, and the object (picked by name) unless 全部. */
function ScopeFields({ prefix }: { prefix: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="scopeKind" label={t('monitoring.scope')} rules={[{ required: true, message: t('monitoring.required') }]}>
        <Select data-testid={`${prefix}-scope-kind`} options={SCOPE_KINDS.map((k) => ({ value: k, label: t(`monitoring.scopeKinds.${k}`) }))} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.scopeKind !== b.scopeKind}>
        {({ getFieldValue }) => {
          const kind = getFieldValue('scopeKind') as ScopeKind;
          return kind !== 'all' && (
            <Form.Item name="scopeId" label={t('monitoring.scopeId')} extra={t('monitoring.scopeIdHint')} rules={[{ required: true, message: t('monitoring.required') }]}>
              <ScopeObjectSelect key={kind} kind={kind} testId={`${prefix}-scope-id`} />
            </Form.Item>
          );
        }}
      </Form.Item>
    </>
  );
}

/** Changing the scope kind forgets the object picked for the previous kind. */
const clearScopeOnKind = (form: { setFieldValue: (name: 'scopeId', v: undefined) => void }) => (changed: { scopeKind?: ScopeKind }) => {
  if (changed.scopeKind !== undefined) form.setFieldValue('scopeId', undefined);
};

/** 主机 · web-01 10.0.0.1: the kind and the object's name (never its ID). */
const scopeText = (kind: string, id: string | null, names: Map<string, string>, unknown: string) => (id ? `${kind} · ${names.get(id) ?? unknown}` : kind);

type RuleValues = Omit<RuleInput, 'scopeId'> & { scopeId?: string };
const RULE_DEFAULTS: RuleValues = { name: '', kind: 'threshold', metric: 'cpu', op: 'gt', threshold: 90, recovery: 80, windowMinutes: 15, horizonHours: null, severity: 'major', scopeKind: 'all', keyPeriodOnly: false, escalateAfterMinutes: null, enabled: true };

function toRuleInput(v: RuleValues): RuleInput {
  const needsThreshold = v.kind !== 'no_data';
  return {
    name: v.name.trim(), kind: v.kind, metric: v.metric, op: v.op, windowMinutes: v.windowMinutes, severity: v.severity, scopeKind: v.scopeKind,
    scopeId: v.scopeKind === 'all' ? null : (v.scopeId ?? null), keyPeriodOnly: !!v.keyPeriodOnly, enabled: v.enabled !== false,
    threshold: needsThreshold ? (v.threshold ?? null) : null, recovery: needsThreshold ? (v.recovery ?? null) : null,
    horizonHours: v.kind === 'forecast' ? (v.horizonHours ?? null) : null, escalateAfterMinutes: v.escalateAfterMinutes ?? null,
  };
}

/** 告警规则: list with create / edit / 停用-启用 for those the caller may change. */
export function RulesTab() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<RuleValues>();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const rules = useQuery({ queryKey: monitoringKeys.rules, queryFn: monitoringApi.rules });
  const metrics = useQuery({ queryKey: monitoringKeys.metricList, queryFn: monitoringApi.metrics, staleTime: 600_000 });
  const can = useCan();
  const canCreate = can('monitoring:manage');
  const save = useMutation({
    mutationFn: (x: { id: string | null; input: RuleInput }) => (x.id ? monitoringApi.updateRule(x.id, x.input) : monitoringApi.createRule(x.input)),
    onSuccess: () => {
      setEditing(null);
      void message.success(t('monitoring.saved'));
      void qc.invalidateQueries({ queryKey: monitoringKeys.rules });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const open = (r: Rule | 'new') => {
    form.resetFields();
    form.setFieldsValue(r === 'new' ? RULE_DEFAULTS : { ...r, scopeId: r.scopeId ?? undefined });
    setEditing(r);
  };
  const toggle = (r: Rule) => save.mutate({ id: r.id, input: toRuleInput({ ...r, scopeId: r.scopeId ?? undefined, enabled: !r.enabled }) });
  const ruleScopeNames = useScopeNames(rules.data ?? []);
  const metricOptions = (metrics.data ?? []).map((m) => ({ value: m.name, label: `${i18n.language.startsWith('en') ? m.en : m.cn} (${m.unit})` }));
  return (
    <Card size="small"
      extra={<Space>
        {canCreate && <Button type="primary" icon={<PlusOutlined />} data-testid="monitoring-rule-new" onClick={() => open('new')}>{t('monitoring.newRule')}</Button>}
        <Button icon={<ReloadOutlined />} onClick={() => void rules.refetch()}>{t('monitoring.refresh')}</Button>
      </Space>}>
      <Table<Rule> data-testid="monitoring-rules" size="small" rowKey="id" dataSource={rules.data ?? []} pagination={{ pageSize: 20 }} loading={rules.isLoading}
        columns={[
          { title: t('monitoring.severity'), dataIndex: 'severity', width: 80, render: (v: Rule['severity']) => <Tag color={SEVERITY_COLOR[v]}>{t(`monitoring.severities.${v}`)}</Tag> },
          { title: t('monitoring.name'), dataIndex: 'name', render: (v: string, r) => <Space>{v}{r.isGlobal && <Tag>{t('monitoring.global')}</Tag>}</Space> },
          { title: t('monitoring.kind'), dataIndex: 'kind', width: 80, render: (v: string) => t(`monitoring.kinds.${v}`) },
          { title: t('monitoring.expression'), dataIndex: 'expression', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: t('monitoring.scope'), dataIndex: 'scopeKind', render: (v: string, r) => scopeText(t(`monitoring.scopeKinds.${v}`), r.scopeId, ruleScopeNames, t('monitoring.scopeUnknown')) },
          { title: t('monitoring.keyPeriodOnly'), dataIndex: 'keyPeriodOnly', width: 90, render: (v: boolean) => (v ? t('monitoring.yes') : '') },
          { title: t('monitoring.enabled'), dataIndex: 'enabled', width: 70, render: (v: boolean) => (v ? <Tag color="green">{t('monitoring.yes')}</Tag> : <Tag>{t('monitoring.no')}</Tag>) },
          {
            title: '', width: 140, render: (_, r) => r.abilities?.update && (
              <Space>
                <Button size="small" type="link" data-testid="monitoring-rule-edit" onClick={() => open(r)}>{t('monitoring.edit')}</Button>
                <Button size="small" type="link" danger={r.enabled} data-testid="monitoring-rule-toggle" loading={save.isPending && save.variables?.id === r.id} onClick={() => toggle(r)}>
                  {r.enabled ? t('monitoring.disable') : t('monitoring.enable')}
                </Button>
              </Space>
            ),
          },
        ]} />
      <Modal open={editing !== null} title={editing === 'new' ? t('monitoring.newRule') : t('monitoring.editRule')} onCancel={() => setEditing(null)} width={640} destroyOnHidden
        okText={t('monitoring.save')} cancelText={t('monitoring.cancel')} okButtonProps={{ loading: save.isPending, 'data-testid': 'monitoring-rule-save' } as never}
        onOk={() => void form.validateFields().then((v) => save.mutate({ id: editing === 'new' || editing === null ? null : editing.id, input: toRuleInput(v) }))}>
        <Form form={form} layout="vertical" data-testid="monitoring-rule-form" onValuesChange={clearScopeOnKind(form)}>
          <Form.Item name="name" label={t('monitoring.name')} rules={[{ required: true, whitespace: true, message: t('monitoring.required') }, { max: 200 }]}><Input data-testid="monitoring-rule-name" /></Form.Item>
          <Space wrap>
            <Form.Item name="kind" label={t('monitoring.kind')} rules={[{ required: true }]}>
              <Select style={{ width: 140 }} data-testid="monitoring-rule-kind" options={RULE_KINDS.map((k) => ({ value: k, label: t(`monitoring.kinds.${k}`) }))} />
            </Form.Item>
            <Form.Item name="metric" label={t('monitoring.metric')} rules={[{ required: true }]}>
              <Select style={{ width: 240 }} showSearch optionFilterProp="label" data-testid="monitoring-rule-metric" options={metricOptions} />
            </Form.Item>
            <Form.Item name="severity" label={t('monitoring.severity')} rules={[{ required: true }]}>
              <Select style={{ width: 100 }} options={SEVERITIES.map((s) => ({ value: s, label: t(`monitoring.severities.${s}`) }))} />
            </Form.Item>
          </Space>
          <Form.Item noStyle shouldUpdate={(a, b) => a.kind !== b.kind}>
            {({ getFieldValue }) => getFieldValue('kind') !== 'no_data' && (
              <Space wrap>
                <Form.Item name="op" label={t('monitoring.op')}><Select style={{ width: 100 }} options={(['gt', 'lt'] as const).map((o) => ({ value: o, label: t(`monitoring.ops.${o}`) }))} /></Form.Item>
                <Form.Item name="threshold" label={t('monitoring.threshold')} rules={[{ required: true, message: t('monitoring.required') }]}><InputNumber data-testid="monitoring-rule-threshold" /></Form.Item>
                <Form.Item name="recovery" label={t('monitoring.recovery')}><InputNumber /></Form.Item>
                {getFieldValue('kind') === 'forecast' && (
                  <Form.Item name="horizonHours" label={t('monitoring.horizonHours')} rules={[{ required: true, message: t('monitoring.required') }]}><InputNumber min={1} max={2160} precision={0} /></Form.Item>
                )}
              </Space>
            )}
          </Form.Item>
          <Space wrap>
            <Form.Item name="windowMinutes" label={t('monitoring.windowMinutes')} rules={[{ required: true }]}><InputNumber min={5} max={10080} precision={0} /></Form.Item>
            <Form.Item name="escalateAfterMinutes" label={t('monitoring.escalateAfterMinutes')}><InputNumber min={5} max={10080} precision={0} /></Form.Item>
            <Form.Item name="keyPeriodOnly" label={t('monitoring.keyPeriodOnly')} valuePropName="checked"><Switch /></Form.Item>
            <Form.Item name="enabled" label={t('monitoring.enabled')} valuePropName="checked"><Switch /></Form.Item>
          </Space>
          <ScopeFields prefix="monitoring-rule" />
        </Form>
      </Modal>
    </Card>
  );
}

type WindowValues = { scopeKind: ScopeKind; scopeId?: string; range: [Dayjs, Dayjs]; reason: string };

function windowState(w: Maintenance, now: number): 'cancelled' | 'active' | 'planned' | 'ended' {
  if (w.cancelledAt) return 'cancelled';
  if (new Date(w.endsAt).getTime() <= now) return 'ended';
  return new Date(w.startsAt).getTime() <= now ? 'active' : 'planned';
}
const WINDOW_COLOR = { cancelled: 'default', active: 'green', planned: 'blue', ended: 'default' } as const;

/** 维护窗口: create / edit / cancel; no new alert opens in a window's scope while it lasts. */
export function MaintenanceTab() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<WindowValues>();
  const [editing, setEditing] = useState<Maintenance | 'new' | null>(null);
  const list = useQuery({ queryKey: monitoringKeys.maintenance, queryFn: monitoringApi.maintenance });
  const can = useCan();
  // States as of the list's fetch (refetched on refresh and after each change).
  const now = list.dataUpdatedAt;
  const windowScopeNames = useScopeNames(list.data ?? []);
  const done = () => {
    void message.success(t('monitoring.saved'));
    void qc.invalidateQueries({ queryKey: monitoringKeys.maintenance });
  };
  const save = useMutation({
    mutationFn: (x: { id: string | null; input: MaintenanceInput }) => (x.id ? monitoringApi.updateMaintenance(x.id, x.input) : monitoringApi.createMaintenance(x.input)),
    onSuccess: () => { setEditing(null); done(); },
    onError: (e) => void message.error(errorText(e)),
  });
  const cancel = useMutation({ mutationFn: (id: string) => monitoringApi.cancelMaintenance(id), onSuccess: done, onError: (e) => void message.error(errorText(e)) });
  const open = (w: Maintenance | 'new') => {
    form.resetFields();
    form.setFieldsValue(w === 'new'
      ? { scopeKind: 'all', reason: '', range: [dayjs().add(10, 'minute').startOf('minute'), dayjs().add(130, 'minute').startOf('minute')] }
      : { scopeKind: w.scopeKind, scopeId: w.scopeId ?? undefined, reason: w.reason, range: [dayjs(w.startsAt), dayjs(w.endsAt)] });
    setEditing(w);
  };
  const submit = (v: WindowValues) => save.mutate({
    id: editing === 'new' || editing === null ? null : editing.id,
    input: { scopeKind: v.scopeKind, scopeId: v.scopeKind === 'all' ? null : (v.scopeId ?? null), startsAt: v.range[0].format(), endsAt: v.range[1].format(), reason: v.reason.trim() },
  });
  return (
    <Card size="small" title={<Typography.Text type="secondary">{t('monitoring.maintenanceHint')}</Typography.Text>}
      extra={<Space>
        {can('monitoring:manage') && <Button type="primary" icon={<PlusOutlined />} data-testid="monitoring-window-new" onClick={() => open('new')}>{t('monitoring.newWindow')}</Button>}
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('monitoring.refresh')}</Button>
      </Space>}>
      <Table<Maintenance> data-testid="monitoring-windows" size="small" rowKey="id" dataSource={list.data ?? []} pagination={{ pageSize: 20 }} loading={list.isLoading}
        columns={[
          { title: t('monitoring.status'), width: 90, render: (_, w) => { const s = windowState(w, now); return <Tag color={WINDOW_COLOR[s]}>{t(`monitoring.${s}`)}</Tag>; } },
          { title: t('monitoring.scope'), render: (_, w) => scopeText(t(`monitoring.scopeKinds.${w.scopeKind}`), w.scopeId, windowScopeNames, t('monitoring.scopeUnknown')) },
          { title: t('monitoring.startsAt'), dataIndex: 'startsAt', width: 160, render: fmtTime },
          { title: t('monitoring.endsAt'), dataIndex: 'endsAt', width: 160, render: fmtTime },
          { title: t('monitoring.reason'), dataIndex: 'reason', ellipsis: true },
          {
            title: '', width: 160, render: (_, w) => !w.cancelledAt && windowState(w, now) !== 'ended' && (
              <Space>
                {w.abilities.update && <Button size="small" type="link" data-testid="monitoring-window-edit" onClick={() => open(w)}>{t('monitoring.edit')}</Button>}
                {w.abilities.cancel && (
                  <Popconfirm title={t('monitoring.cancelConfirm')} onConfirm={() => cancel.mutate(w.id)} okText={t('monitoring.yes')} cancelText={t('monitoring.no')}>
                    <Button size="small" type="link" danger data-testid="monitoring-window-cancel">{t('monitoring.cancelWindow')}</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]} />
      <Modal open={editing !== null} title={editing === 'new' ? t('monitoring.newWindow') : t('monitoring.editWindow')} onCancel={() => setEditing(null)} destroyOnHidden
        okText={t('monitoring.save')} cancelText={t('monitoring.cancel')} okButtonProps={{ loading: save.isPending, 'data-testid': 'monitoring-window-save' } as never}
        onOk={() => void form.validateFields().then(submit)}>
        <Form form={form} layout="vertical" data-testid="monitoring-window-form" onValuesChange={clearScopeOnKind(form)}>
          <ScopeFields prefix="monitoring-window" />
          <Form.Item name="range" label={`${t('monitoring.startsAt')} – ${t('monitoring.endsAt')}`} rules={[{ required: true, message: t('monitoring.required') }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="monitoring-window-range" />
          </Form.Item>
          <Form.Item name="reason" label={t('monitoring.reason')} rules={[{ required: true, whitespace: true, message: t('monitoring.required') }, { max: 500 }]}>
            <Input.TextArea rows={2} data-testid="monitoring-window-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

/** 机房环境: latest temperature, humidity, UPS, generator and battery readings per machine-room object, with what is out of line. */
export function EnvironmentTab() {
  const { t, i18n } = useTranslation();
  const env = useQuery({ queryKey: monitoringKeys.environment, queryFn: monitoringApi.environment });
  const e = env.data;
  const en = i18n.language.startsWith('en');
  const columns = useMemo(() => [
    { title: t('monitoring.provider'), dataIndex: 'providerName', render: (v: string | null) => v ?? '—' },
    { title: t('monitoring.node'), dataIndex: 'nodeName', render: (v: string | null) => v ?? '—' },
    { title: t('monitoring.machineRoom'), dataIndex: 'machineRoom' },
    { title: t('monitoring.location'), dataIndex: 'location' },
    ...(e?.metrics ?? []).map((m) => ({
      title: `${en ? m.en : m.cn}${m.unit === 'state' ? '' : ` (${m.unit})`}`,
      key: m.metric,
      render: (_: unknown, r: EnvironmentItem) => {
        const v = r.values[m.metric];
        if (v === null || v === undefined) return '—';
        if (m.unit === 'state') return v === 1 ? <Tag color="red">{t('monitoring.yes')}</Tag> : t('monitoring.no');
        const bad = (m.metric === 'temperature' && e && (v < e.limits.temperature.min || v > e.limits.temperature.max)) || (m.metric === 'humidity' && e && (v < e.limits.humidity.min || v > e.limits.humidity.max));
        return <Typography.Text type={bad ? 'danger' : undefined}>{v}</Typography.Text>;
      },
    })),
    { title: t('monitoring.issues'), dataIndex: 'issues', render: (v: string[]) => <Space wrap size={2}>{v.map((i) => <Tag key={i} color="red">{t(`monitoring.envIssues.${i}`)}</Tag>)}</Space> },
    { title: t('monitoring.lastAt'), dataIndex: 'lastAt', width: 160, render: fmtTime },
  ], [e, en, t]);
  return (
    <Card size="small"
      title={e && <Typography.Text type="secondary">{t('monitoring.envHint', { tmin: e.limits.temperature.min, tmax: e.limits.temperature.max, hmin: e.limits.humidity.min, hmax: e.limits.humidity.max })}</Typography.Text>}
      extra={<Space>
        <Button icon={<DownloadOutlined />} onClick={() => void monitoringApi.exportEnvironment()}>{t('monitoring.export')}</Button>
        <Button icon={<ReloadOutlined />} onClick={() => void env.refetch()}>{t('monitoring.refresh')}</Button>
      </Space>}>
      {env.isError && <AntAlert type="error" message={errorText(env.error)} />}
      <Table<EnvironmentItem> data-testid="monitoring-environment" size="small" rowKey="seriesId" dataSource={e?.items ?? []} loading={env.isLoading} pagination={{ pageSize: 20 }} scroll={{ x: true }}
        columns={columns} locale={{ emptyText: t('monitoring.noData') }} />
    </Card>
  );
}
