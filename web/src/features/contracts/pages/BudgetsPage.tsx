import { useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ColumnsType } from 'antd/es/table';
import { errorText } from '../../../i18n';
import { useCan, useMe } from '../../auth/auth.api';
import { systemsApi } from '../../systems/systems.api';
import { OrgTreeSelect } from '../../organisations/components/OrgTreeSelect';
import { contractKeys, contractsApi, type Budget, type BudgetInput } from '../contracts.api';
import { yuan } from '../contracts.format';
import { BurnProgress, WarningTag } from '../components/ContractBits';

function BudgetFormModal({ initial, onClose }: { initial: Budget | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const [form] = Form.useForm<BudgetInput>();
  const unitId = Form.useWatch('unitId', form) ?? initial?.unit.id ?? (me?.org.kind === 'user_unit' ? me.org.id : undefined);
  const systems = useQuery({
    queryKey: ['systems', 'list', { unitId, page: 1, pageSize: 200 }],
    queryFn: () => systemsApi.list({ unitId, page: 1, pageSize: 200 }),
    enabled: !!unitId,
  });
  const save = useMutation({
    mutationFn: (v: BudgetInput) => {
      const body: BudgetInput = { ...v, amount: String(v.amount).trim(), systemId: v.systemId || null, notes: v.notes || null, fiscalYear: Number(v.fiscalYear) };
      if (!body.unitId) delete body.unitId;
      return initial ? contractsApi.updateBudget(initial.id, body) : contractsApi.createBudget(body);
    },
    onSuccess: () => {
      void message.success(t('contracts.saved'));
      void qc.invalidateQueries({ queryKey: contractKeys.all });
      onClose();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <Modal open title={initial ? t('contracts.editBudget') : t('contracts.newBudget')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}
        initialValues={initial ? { fiscalYear: initial.fiscalYear, amount: initial.amount, systemId: initial.system?.id ?? null, notes: initial.notes } : { fiscalYear: new Date().getFullYear() }}>
        {me?.org.kind === 'management_unit' && !initial && (
          <Form.Item name="unitId" label={t('contracts.unit')} rules={[{ required: true, message: t('contracts.required') }]}><OrgTreeSelect /></Form.Item>
        )}
        <Form.Item name="fiscalYear" label={t('contracts.fiscalYear')} rules={[{ required: true, message: t('contracts.required') }]}><InputNumber min={2000} max={2100} /></Form.Item>
        <Form.Item name="amount" label={t('contracts.budgetAmount')} rules={[{ required: true, message: t('contracts.required') }, { pattern: /^\d{1,14}(\.\d{1,2})?$/, message: '0.00' }]}><Input inputMode="decimal" /></Form.Item>
        <Form.Item name="systemId" label={t('contracts.budgetSystem')}>
          <Select allowClear placeholder={t('contracts.wholeUnit')} loading={systems.isLoading} optionFilterProp="label" showSearch
            options={(systems.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.systemNo}）` }))} />
        </Form.Item>
        <Form.Item name="notes" label={t('contracts.notes')}><Input.TextArea maxLength={2000} rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}

export default function BudgetsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const qc = useQueryClient();
  const [fiscalYear, setFiscalYear] = useState<number | undefined>(new Date().getFullYear());
  const [editing, setEditing] = useState<{ open: boolean; initial: Budget | null }>({ open: false, initial: null });
  const list = useQuery({ queryKey: contractKeys.budgets(fiscalYear), queryFn: () => contractsApi.budgets(fiscalYear) });
  const warnings = useQuery({ queryKey: contractKeys.warnings, queryFn: contractsApi.warnings });
  const byBudget = new Map<string, NonNullable<typeof warnings.data>['items']>();
  for (const w of warnings.data?.items ?? []) if (w.subjectType === 'budget') byBudget.set(w.subjectId, [...(byBudget.get(w.subjectId) ?? []), w]);
  const remove = useMutation({
    mutationFn: (id: string) => contractsApi.removeBudget(id),
    onSuccess: () => {
      void message.success(t('contracts.deleted'));
      void qc.invalidateQueries({ queryKey: contractKeys.all });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const columns: ColumnsType<Budget> = [
    { title: t('contracts.fiscalYear'), dataIndex: 'fiscalYear', width: 90 },
    { title: t('contracts.unit'), key: 'unit', render: (_: unknown, r) => r.unit.name, ellipsis: true },
    { title: t('contracts.systems'), key: 'system', render: (_: unknown, r) => r.system?.name ?? t('contracts.wholeUnit'), ellipsis: true },
    { title: t('contracts.budgetAmount'), dataIndex: 'amount', align: 'right', width: 150, render: (v: string) => yuan(v) },
    { title: t('contracts.consumed'), key: 'consumed', align: 'right', width: 150, render: (_: unknown, r) => yuan(r.consumption.consumed) },
    { title: t('contracts.remaining'), key: 'remaining', align: 'right', width: 150, render: (_: unknown, r) => yuan(r.consumption.remaining) },
    { title: t('contracts.burn'), key: 'burn', width: 180, render: (_: unknown, r) => <BurnProgress percent={r.consumption.percent} /> },
    { title: t('contracts.warnings'), key: 'w', render: (_: unknown, r) => (byBudget.get(r.id) ?? []).map((w) => <WarningTag key={w.id} w={w} />) },
    ...(can('budget:write')
      ? [{
          title: '', key: 'actions', width: 90,
          render: (_: unknown, r: Budget) => (
            <Space>
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing({ open: true, initial: r })} />
              <Popconfirm title={t('contracts.deleteBudgetConfirm')} onConfirm={() => remove.mutate(r.id)}><Button size="small" danger icon={<DeleteOutlined />} /></Popconfirm>
            </Space>
          ),
        }]
      : []),
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('contracts.budgetsTitle')}</Typography.Title>
      <Space wrap>
        <InputNumber<number> placeholder={t('contracts.fiscalYear')} min={2000} max={2100} value={fiscalYear} onChange={(y) => setFiscalYear(y ?? undefined)} style={{ width: 130 }} />
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('contracts.refresh')}</Button>
        {can('budget:write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true, initial: null })}>{t('contracts.newBudget')}</Button>}
      </Space>
      <Typography.Text type="secondary">{t('contracts.consumptionHint')}</Typography.Text>
      {list.error && <Alert type="error" message={errorText(list.error)} />}
      <Table rowKey="id" size="small" loading={list.isLoading} dataSource={list.data?.items ?? []} columns={columns} pagination={{ pageSize: 20 }}
        expandable={{
          rowExpandable: (r) => r.burnDown.length > 0,
          expandedRowRender: (r) => (
            <Table size="small" rowKey="month" pagination={false} dataSource={r.burnDown} columns={[
              { title: t('contracts.month'), dataIndex: 'month' },
              { title: t('contracts.monthAmount'), dataIndex: 'amount', align: 'right', render: (v: string) => yuan(v) },
              { title: t('contracts.cumulative'), dataIndex: 'cumulative', align: 'right', render: (v: string) => yuan(v) },
              { title: t('contracts.remaining'), dataIndex: 'remaining', align: 'right', render: (v: string) => yuan(v) },
            ]} />
          ),
        }} />
      {editing.open && <BudgetFormModal initial={editing.initial} onClose={() => setEditing({ open: false, initial: null })} />}
    </Space>
  );
}
