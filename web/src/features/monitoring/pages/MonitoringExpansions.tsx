import { useState } from 'react';
import { App as AntApp, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import i18n, { errorText } from '../../../i18n';
import { ApiError } from '../../../api/client';
import { useCan, useMe } from '../../auth/auth.api';
import { fmtTime } from '../../../app/format';
import { EXPANSION_RESOURCES, monitoringApi, monitoringKeys, type Expansion, type ExpansionInput, type ExpansionResource } from '../monitoring.api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATE_COLOR = { planned: 'blue', active: 'green', ended: 'default', cancelled: 'default' } as const;
type Values = { unitOrgId: string; providerOrgId?: string; systemId?: string; resourceKey: ExpansionResource; amount: string; range: [Dayjs, Dayjs]; reason: string };

/** The error with each refused field's rule in words (the server names field and rule). */
function expansionError(e: unknown): string {
  const base = errorText(e);
  const issues = e instanceof ApiError ? (e.details as { issues?: Array<{ field: string; rule: string; message: string }> } | null)?.issues : undefined;
  if (!issues?.length) return base;
  return `${base}：${issues.map((i) => {
    const key = `monitoring.expansion.rules.${i.rule}`;
    return i18n.exists(key) ? `${i18n.t(key)}（${i.message}）` : i.message;
  }).join('；')}`;
}

/** 临时扩容: the free short-term expansions (≤ 20 % of a unit's original resources) — list, record, cancel. */
export function ExpansionsTab() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const can = useCan();
  const me = useMe();
  const isProvider = me.data?.org.kind === 'cloud_provider';
  const [form] = Form.useForm<Values>();
  const [open, setOpen] = useState(false);
  const list = useQuery({ queryKey: monitoringKeys.expansions, queryFn: monitoringApi.expansions });
  const unitOrgId = Form.useWatch('unitOrgId', form) ?? '';
  const providerOrgId = Form.useWatch('providerOrgId', form) ?? '';
  const range = Form.useWatch('range', form);
  const from = range?.[0]?.toISOString() ?? '';
  const to = range?.[1]?.toISOString() ?? '';
  const ready = open && UUID.test(unitOrgId.trim()) && (isProvider || UUID.test(providerOrgId.trim())) && !!from && !!to && from < to;
  const allowance = useQuery({
    queryKey: monitoringKeys.allowance(unitOrgId.trim(), providerOrgId.trim(), from, to),
    queryFn: () => monitoringApi.expansionAllowance({ unitOrgId: unitOrgId.trim(), providerOrgId: isProvider ? undefined : providerOrgId.trim(), from, to }),
    enabled: ready,
    retry: false,
  });
  const done = () => {
    void message.success(t('monitoring.saved'));
    void qc.invalidateQueries({ queryKey: monitoringKeys.expansions });
  };
  const save = useMutation({
    mutationFn: (x: ExpansionInput) => monitoringApi.createExpansion(x),
    onSuccess: () => { setOpen(false); done(); },
    onError: (e) => void message.error(expansionError(e)),
  });
  const cancel = useMutation({ mutationFn: (id: string) => monitoringApi.cancelExpansion(id), onSuccess: done, onError: (e) => void message.error(expansionError(e)) });
  const openForm = () => {
    form.resetFields();
    form.setFieldsValue({ resourceKey: 'cpuCores', amount: '', reason: '', range: [dayjs().add(10, 'minute').startOf('minute'), dayjs().add(14, 'day').startOf('minute')] });
    setOpen(true);
  };
  const submit = (v: Values) => save.mutate({
    unitOrgId: v.unitOrgId.trim(), providerOrgId: v.providerOrgId?.trim() || null, systemId: v.systemId?.trim() || null, resourceKey: v.resourceKey,
    amount: v.amount.trim(), startsAt: v.range[0].format(), endsAt: v.range[1].format(), reason: v.reason.trim(),
  });
  const resource = (k: string) => t(`monitoring.resources.${k}`);
  return (
    <Card size="small" title={<Typography.Text type="secondary">{t('monitoring.expansion.hint')}</Typography.Text>}
      extra={<Space>
        {can('monitoring:manage') && <Button type="primary" icon={<PlusOutlined />} data-testid="monitoring-expansion-new" onClick={openForm}>{t('monitoring.expansion.new')}</Button>}
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('monitoring.refresh')}</Button>
      </Space>}>
      <Table<Expansion> data-testid="monitoring-expansions" size="small" rowKey="id" dataSource={list.data ?? []} pagination={{ pageSize: 20 }} loading={list.isLoading}
        columns={[
          { title: t('monitoring.status'), dataIndex: 'state', width: 90, render: (v: Expansion['state']) => <Tag color={STATE_COLOR[v]}>{t(`monitoring.expansion.states.${v}`)}</Tag> },
          { title: t('monitoring.unit'), render: (_, r) => r.unitName ?? r.unitOrgId },
          { title: t('monitoring.provider'), render: (_, r) => r.providerName ?? r.providerOrgId },
          { title: t('monitoring.system'), dataIndex: 'systemName', render: (v: string | null) => v ?? '—' },
          { title: t('monitoring.expansion.resourceKey'), dataIndex: 'resourceKey', render: resource },
          { title: t('monitoring.expansion.amount'), dataIndex: 'amount', align: 'right' },
          { title: t('monitoring.expansion.original'), dataIndex: 'originalAmount', align: 'right' },
          { title: t('monitoring.expansion.percent'), dataIndex: 'percent', align: 'right', render: (v: string) => `${v}%` },
          { title: t('monitoring.startsAt'), dataIndex: 'startsAt', width: 160, render: fmtTime },
          { title: t('monitoring.endsAt'), dataIndex: 'endsAt', width: 160, render: fmtTime },
          { title: t('monitoring.reason'), dataIndex: 'reason', ellipsis: true },
          {
            title: '', width: 110, render: (_, r) => r.abilities.cancel && (
              <Popconfirm title={t('monitoring.expansion.cancelConfirm')} onConfirm={() => cancel.mutate(r.id)} okText={t('monitoring.yes')} cancelText={t('monitoring.no')}>
                <Button size="small" type="link" danger data-testid="monitoring-expansion-cancel">{t('monitoring.expansion.cancel')}</Button>
              </Popconfirm>
            ),
          },
        ]} />
      <Modal open={open} width={640} title={t('monitoring.expansion.new')} onCancel={() => setOpen(false)} destroyOnHidden
        okText={t('monitoring.save')} cancelText={t('monitoring.cancel')} okButtonProps={{ loading: save.isPending, 'data-testid': 'monitoring-expansion-save' } as never}
        onOk={() => void form.validateFields().then(submit)}>
        <Form form={form} layout="vertical" data-testid="monitoring-expansion-form">
          <Form.Item name="unitOrgId" label={t('monitoring.expansion.unitOrgId')} rules={[{ required: true, message: t('monitoring.required') }, { pattern: UUID, message: 'UUID' }]}>
            <Input data-testid="monitoring-expansion-unit" />
          </Form.Item>
          {!isProvider && (
            <Form.Item name="providerOrgId" label={t('monitoring.expansion.providerOrgId')} extra={t('monitoring.expansion.providerHint')} rules={[{ required: true, message: t('monitoring.required') }, { pattern: UUID, message: 'UUID' }]}>
              <Input data-testid="monitoring-expansion-provider" />
            </Form.Item>
          )}
          <Form.Item name="systemId" label={t('monitoring.expansion.systemId')} rules={[{ pattern: UUID, message: 'UUID' }]}>
            <Input data-testid="monitoring-expansion-system" />
          </Form.Item>
          <Space.Compact block>
            <Form.Item name="resourceKey" label={t('monitoring.expansion.resourceKey')} style={{ width: '55%' }} rules={[{ required: true, message: t('monitoring.required') }]}>
              <Select data-testid="monitoring-expansion-resource" options={EXPANSION_RESOURCES.map((k) => ({ value: k, label: resource(k) }))} />
            </Form.Item>
            <Form.Item name="amount" label={t('monitoring.expansion.amount')} style={{ width: '45%' }}
              rules={[{ required: true, message: t('monitoring.required') }, { pattern: /^\d{1,14}(\.\d{1,2})?$/, message: t('monitoring.expansion.rules.decimal_2') }]}>
              <Input data-testid="monitoring-expansion-amount" />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="range" label={t('monitoring.expansion.period')} rules={[{ required: true, message: t('monitoring.required') }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="monitoring-expansion-range" />
          </Form.Item>
          <Form.Item name="reason" label={t('monitoring.reason')} rules={[{ required: true, whitespace: true, message: t('monitoring.required') }, { max: 500 }]}>
            <Input.TextArea rows={2} data-testid="monitoring-expansion-reason" />
          </Form.Item>
        </Form>
        {ready && (
          <>
            <Typography.Text strong>{t('monitoring.expansion.allowance')}</Typography.Text>
            {allowance.isError ? <Typography.Paragraph type="danger">{expansionError(allowance.error)}</Typography.Paragraph> : (
              <Table data-testid="monitoring-expansion-allowance" size="small" rowKey="resourceKey" pagination={false} loading={allowance.isLoading} dataSource={(allowance.data?.items ?? []).filter((x) => Number(x.original) > 0)}
                columns={[
                  { title: t('monitoring.expansion.resourceKey'), dataIndex: 'resourceKey', render: resource },
                  { title: t('monitoring.expansion.original'), dataIndex: 'original', align: 'right' },
                  { title: t('monitoring.expansion.limit'), dataIndex: 'limit', align: 'right' },
                  { title: t('monitoring.expansion.inForce'), dataIndex: 'inForce', align: 'right' },
                  { title: t('monitoring.expansion.remaining'), dataIndex: 'remaining', align: 'right' },
                ]} />
            )}
          </>
        )}
      </Modal>
    </Card>
  );
}
