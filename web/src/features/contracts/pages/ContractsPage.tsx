import { useMemo, useState } from 'react';
import {
  Alert, App, Badge, Button, Card, Descriptions, Drawer, Empty, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography,
} from 'antd';
import { DeleteOutlined, DownloadOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined, ReloadOutlined, SyncOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ColumnsType } from 'antd/es/table';
import { errorText } from '../../../i18n';
import { useCan, useMe } from '../../auth/auth.api';
import { directoryApi, directoryKeys } from '../../directory/directory.api';
import { systemsApi } from '../../systems/systems.api';
import { OrgTreeSelect } from '../../organisations/components/OrgTreeSelect';
import { CONTRACT_STATUSES, contractKeys, contractsApi, type Contract, type ContractDetail, type ContractInput, type ContractQuery } from '../contracts.api';
import { yuan } from '../contracts.format';
import { BurnProgress, WarningTag } from '../components/ContractBits';
import { SignedExportButton } from '../../documents/components/SignedExportButton';

const STATUS_COLORS: Record<string, string> = { draft: 'default', active: 'blue', closed: 'green' };
const STATE_COLORS: Record<string, string> = { paid: 'green', overdue: 'red', due_soon: 'orange', pending: 'blue', no_date: 'default' };

interface MilestoneForm { name: string; condition?: string | null; percent: number | string; dueDate?: string | null; paidDate?: string | null }
interface ContractForm extends Omit<ContractInput, 'milestones' | 'fiscalYears'> { milestones: MilestoneForm[]; fiscalYears?: number[] }

function ContractFormModal({ open, initial, onClose }: { open: boolean; initial: ContractDetail | null; onClose: (saved?: ContractDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const [form] = Form.useForm<ContractForm>();
  const unitId = Form.useWatch('unitId', form) ?? initial?.unit.id ?? (me?.org.kind === 'user_unit' ? me.org.id : undefined);
  const milestones = Form.useWatch('milestones', form) ?? [];
  const percentSum = milestones.reduce((s, m) => s + Math.round(Number(m?.percent ?? 0) * 10000), 0) / 10000;
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes, enabled: open });
  const providers = useMemo(() => {
    const map = new Map<string, string>();
    for (const n of nodes.data?.items ?? []) if (n.provider) map.set(n.provider.id, n.provider.name);
    if (initial) map.set(initial.provider.id, initial.provider.name);
    return [...map].map(([value, label]) => ({ value, label }));
  }, [nodes.data, initial]);
  const systems = useQuery({
    queryKey: ['systems', 'list', { unitId, page: 1, pageSize: 200 }],
    queryFn: () => systemsApi.list({ unitId, page: 1, pageSize: 200 }),
    enabled: open && !!unitId,
  });
  const save = useMutation({
    mutationFn: (v: ContractForm) => {
      const body: ContractInput = {
        ...v,
        amount: String(v.amount).trim(),
        signedDate: v.signedDate || null,
        notes: v.notes || null,
        fiscalYears: (v.fiscalYears ?? []).map(Number),
        milestones: v.milestones.map((m) => ({ name: m.name, condition: m.condition || null, percent: String(m.percent), dueDate: m.dueDate || null, paidDate: m.paidDate || null })),
      };
      if (!body.unitId) delete body.unitId;
      return initial ? contractsApi.update(initial.id, body) : contractsApi.create(body);
    },
    onSuccess: (saved) => {
      void message.success(t('contracts.saved'));
      void qc.invalidateQueries({ queryKey: contractKeys.all });
      onClose(saved);
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const initialValues: Partial<ContractForm> = initial
    ? {
        providerId: initial.provider.id, contractNo: initial.contractNo, name: initial.name, amount: initial.amount, serviceStart: initial.serviceStart, serviceEnd: initial.serviceEnd,
        signedDate: initial.signedDate, fiscalYears: initial.fiscalYears, systemIds: initial.systems.map((s) => s.id), status: initial.status, notes: initial.notes,
        milestones: initial.schedule.map((m) => ({ name: m.name, condition: m.condition, percent: m.percent, dueDate: m.dueDate, paidDate: m.paidDate })),
      }
    : { status: 'draft', milestones: [{ name: '首款', percent: 50 }, { name: '尾款', percent: 50 }], fiscalYears: [new Date().getFullYear()] };
  const yearOptions = Array.from({ length: 8 }, (_, i) => new Date().getFullYear() - 3 + i).map((y) => ({ value: y, label: String(y) }));
  return (
    <Modal
      open={open}
      width={960}
      title={initial ? t('contracts.edit') : t('contracts.new')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => save.mutate(v)} preserve={false}>
        {me?.org.kind === 'management_unit' && !initial && (
          <Form.Item name="unitId" label={t('contracts.unit')} rules={[{ required: true, message: t('contracts.required') }]}><OrgTreeSelect testId="contract-form-unit" /></Form.Item>
        )}
        <Space wrap align="start">
          <Form.Item name="contractNo" label={t('contracts.contractNo')} rules={[{ required: true, message: t('contracts.required') }]}><Input maxLength={50} style={{ width: 200 }} /></Form.Item>
          <Form.Item name="name" label={t('contracts.name')} rules={[{ required: true, message: t('contracts.required') }]}><Input maxLength={200} style={{ width: 420 }} /></Form.Item>
          <Form.Item name="status" label={t('contracts.status')}>
            <Select style={{ width: 120 }} options={CONTRACT_STATUSES.map((s) => ({ value: s, label: t(`contracts.statuses.${s}`) }))} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item name="providerId" label={t('contracts.provider')} rules={[{ required: true, message: t('contracts.required') }]}>
            <Select style={{ width: 260 }} options={providers} showSearch optionFilterProp="label" loading={nodes.isLoading} />
          </Form.Item>
          <Form.Item name="amount" label={t('contracts.amount')} rules={[{ required: true, message: t('contracts.required') }, { pattern: /^\d{1,14}(\.\d{1,2})?$/, message: '0.00' }]}>
            <Input style={{ width: 200 }} inputMode="decimal" />
          </Form.Item>
          <Form.Item name="serviceStart" label={t('contracts.serviceStart')} rules={[{ required: true, message: t('contracts.required') }]}><Input type="date" /></Form.Item>
          <Form.Item name="serviceEnd" label={t('contracts.serviceEnd')} rules={[{ required: true, message: t('contracts.required') }]}><Input type="date" /></Form.Item>
          <Form.Item name="signedDate" label={t('contracts.signedDate')}><Input type="date" /></Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item name="fiscalYears" label={t('contracts.fiscalYears')}><Select mode="multiple" style={{ width: 220 }} options={yearOptions} /></Form.Item>
          <Form.Item name="systemIds" label={t('contracts.systems')}>
            <Select mode="multiple" style={{ width: 460 }} loading={systems.isLoading} optionFilterProp="label"
              options={(systems.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.systemNo}）` }))} />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('contracts.milestones')}</Typography.Title>
        <Form.List name="milestones">
          {(fields, { add, remove }) => (
            <>
              <Space style={{ marginBottom: 4 }}>
                {([['milestoneName', 120], ['condition', 260], ['percent', 100], ['dueDate', 130], ['paidDate', 130]] as const).map(([k, w]) => (
                  <Typography.Text key={k} type="secondary" style={{ display: 'inline-block', width: w }}>{t(`contracts.${k}`)}</Typography.Text>
                ))}
              </Space>
              {fields.map((f) => (
                <Space key={f.key} align="start" wrap>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, message: t('contracts.required') }]}><Input placeholder={t('contracts.milestoneName')} style={{ width: 120 }} /></Form.Item>
                  <Form.Item name={[f.name, 'condition']}><Input placeholder={t('contracts.condition')} style={{ width: 260 }} /></Form.Item>
                  <Form.Item name={[f.name, 'percent']} rules={[{ required: true, message: t('contracts.required') }]}><InputNumber<number> placeholder="%" min={0.0001} max={100} step={0.01} style={{ width: 100 }} stringMode={false} /></Form.Item>
                  <Form.Item name={[f.name, 'dueDate']}><Input type="date" title={t('contracts.dueDate')} style={{ width: 130 }} data-testid={`milestone-due-${f.name}`} /></Form.Item>
                  <Form.Item name={[f.name, 'paidDate']}><Input type="date" title={t('contracts.paidDate')} style={{ width: 130 }} /></Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} style={{ marginTop: 8 }} />
                </Space>
              ))}
              <Space>
                <Button icon={<PlusOutlined />} onClick={() => add({ name: '', percent: undefined })}>{t('contracts.addMilestone')}</Button>
                <Typography.Text type={percentSum === 100 ? 'success' : 'danger'}>{t('contracts.percentSum', { sum: percentSum })}</Typography.Text>
              </Space>
            </>
          )}
        </Form.List>
        <Form.Item name="notes" label={t('contracts.notes')} style={{ marginTop: 16 }}><Input.TextArea maxLength={2000} rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}

function ContractDrawer({ id, onClose, onEdit }: { id: string | null; onClose: () => void; onEdit: (c: ContractDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const detail = useQuery({ queryKey: contractKeys.detail(id ?? ''), queryFn: () => contractsApi.get(id!), enabled: !!id });
  const remove = useMutation({
    mutationFn: () => contractsApi.remove(id!),
    onSuccess: () => {
      void message.success(t('contracts.deleted'));
      void qc.invalidateQueries({ queryKey: contractKeys.all });
      onClose();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const c = detail.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={1000} title={c ? `${c.name}（${c.contractNo}）` : t('contracts.detail')}
      extra={c && (
        <Space>
          <Button icon={<DownloadOutlined />} onClick={() => void contractsApi.export(c.id, `合同概要-${c.contractNo}.xlsx`).catch((e: unknown) => void message.error(errorText(e)))}>{t('contracts.export')}</Button>
          <SignedExportButton kind="contracts" id={c.id} />
          {c.abilities.edit && <Button icon={<EditOutlined />} onClick={() => onEdit(c)}>{t('contracts.edit')}</Button>}
          {c.abilities.delete && (
            <Popconfirm title={t('contracts.deleteConfirm')} onConfirm={() => remove.mutate()}><Button danger icon={<DeleteOutlined />}>{t('contracts.delete')}</Button></Popconfirm>
          )}
        </Space>
      )}>
      {detail.error && <Alert type="error" message={errorText(detail.error)} />}
      {c && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          {c.warnings.length > 0 && <Space wrap>{c.warnings.map((w) => <WarningTag key={w.id} w={w} />)}</Space>}
          <Descriptions bordered size="small" column={2} title={t('contracts.particulars')}>
            <Descriptions.Item label={t('contracts.unit')}>{c.unit.name}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.provider')}>{c.provider.name}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.amount')}>{yuan(c.amount)}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.amountUppercase')}>{c.amountUppercase}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.servicePeriod')}>{c.serviceStart} ~ {c.serviceEnd}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.signedDate')}>{c.signedDate ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.fiscalYears')}>{c.fiscalYears.join('、') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('contracts.status')}><Tag color={STATUS_COLORS[c.status]}>{t(`contracts.statuses.${c.status}`)}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('contracts.systems')} span={2}>{c.systems.map((s) => `${s.name}（${s.systemNo}）`).join('、') || '—'}</Descriptions.Item>
            {c.notes && <Descriptions.Item label={t('contracts.notes')} span={2}>{c.notes}</Descriptions.Item>}
          </Descriptions>
          <Card size="small" title={t('contracts.burn')}>
            <BurnProgress percent={c.consumption.percent} />
            <Typography.Text type="secondary">{t('contracts.consumed')} {yuan(c.consumption.consumed)} · {t('contracts.remaining')} {yuan(c.consumption.remaining)}</Typography.Text>
            <br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('contracts.consumptionHint')}</Typography.Text>
          </Card>
          <Table
            size="small"
            rowKey="seq"
            pagination={false}
            title={() => <Typography.Text strong>{t('contracts.schedule')}</Typography.Text>}
            dataSource={c.schedule}
            columns={[
              { title: '#', dataIndex: 'seq', width: 40 },
              { title: t('contracts.milestoneName'), dataIndex: 'name' },
              { title: t('contracts.condition'), dataIndex: 'condition', render: (v: string | null) => v ?? '—' },
              { title: t('contracts.percent'), dataIndex: 'percent', align: 'right' },
              { title: t('contracts.milestoneAmount'), dataIndex: 'amount', align: 'right', render: (v: string) => yuan(v) },
              { title: t('contracts.amountUppercase'), dataIndex: 'amountUppercase' },
              { title: t('contracts.dueDate'), dataIndex: 'dueDate', render: (v: string | null) => v ?? '—' },
              { title: t('contracts.paidDate'), dataIndex: 'paidDate', render: (v: string | null) => v ?? '—' },
              { title: t('contracts.state'), dataIndex: 'state', render: (v: string) => <Tag color={STATE_COLORS[v]}>{t(`contracts.states.${v}`)}</Tag> },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={3}><strong>{t('contracts.total')}</strong></Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">100</Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right"><strong>{yuan(c.amount)}</strong></Table.Summary.Cell>
                <Table.Summary.Cell index={5} colSpan={4}>{c.amountUppercase}</Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
          <Table
            size="small"
            rowKey="month"
            pagination={false}
            title={() => <Typography.Text strong>{t('contracts.burnDown')}</Typography.Text>}
            locale={{ emptyText: <Empty description={t('contracts.noConsumption')} /> }}
            dataSource={c.burnDown}
            columns={[
              { title: t('contracts.month'), dataIndex: 'month' },
              { title: t('contracts.monthAmount'), dataIndex: 'amount', align: 'right', render: (v: string) => yuan(v) },
              { title: t('contracts.cumulative'), dataIndex: 'cumulative', align: 'right', render: (v: string) => yuan(v) },
              { title: t('contracts.remaining'), dataIndex: 'remaining', align: 'right', render: (v: string) => yuan(v) },
              {
                title: t('contracts.burn'), key: 'p', width: 220,
                render: (_: unknown, p: { cumulative: string }) => {
                  const a = Number(c.amount);
                  return <BurnProgress percent={a > 0 ? ((Number(p.cumulative) / a) * 100).toFixed(2) : null} />;
                },
              },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

export default function ContractsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [query, setQuery] = useState<ContractQuery>({});
  const [openId, setOpenId] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ open: boolean; initial: ContractDetail | null }>({ open: false, initial: null });
  const { message } = App.useApp();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: contractKeys.list(query), queryFn: () => contractsApi.list(query) });
  const refresh = useMutation({
    mutationFn: contractsApi.refresh,
    onSuccess: (r) => {
      void message.success(t('contracts.refreshed', { bills: r.synced.bills, active: r.active }));
      void qc.invalidateQueries({ queryKey: contractKeys.all });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const warnings = useQuery({ queryKey: contractKeys.warnings, queryFn: contractsApi.warnings });
  const contractWarnings = (warnings.data?.items ?? []).filter((w) => w.subjectType === 'contract');
  const columns: ColumnsType<Contract> = [
    { title: t('contracts.contractNo'), dataIndex: 'contractNo', width: 150, render: (v: string, r) => <a onClick={() => setOpenId(r.id)}>{v}</a> },
    { title: t('contracts.name'), dataIndex: 'name', ellipsis: true },
    { title: t('contracts.unit'), key: 'unit', render: (_: unknown, r) => r.unit.name, ellipsis: true },
    { title: t('contracts.provider'), key: 'provider', render: (_: unknown, r) => r.provider.name, ellipsis: true },
    { title: t('contracts.amount'), dataIndex: 'amount', align: 'right', width: 150, render: (v: string) => yuan(v) },
    { title: t('contracts.servicePeriod'), key: 'period', width: 200, render: (_: unknown, r) => `${r.serviceStart} ~ ${r.serviceEnd}` },
    { title: t('contracts.status'), dataIndex: 'status', width: 90, render: (v: string) => <Tag color={STATUS_COLORS[v]}>{t(`contracts.statuses.${v}`)}</Tag> },
    { title: t('contracts.burn'), key: 'burn', width: 180, render: (_: unknown, r) => <BurnProgress percent={r.consumption.percent} /> },
    { title: t('contracts.warnings'), dataIndex: 'activeWarnings', width: 70, align: 'center', render: (v: number) => (v ? <Badge count={v} /> : '—') },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('contracts.title')}</Typography.Title>
      {contractWarnings.length > 0 && (
        <Alert type="warning" showIcon message={t('contracts.activeWarnings')} description={
          <Space wrap>{contractWarnings.slice(0, 20).map((w) => <a key={w.id} onClick={() => setOpenId(w.subjectId)}><Typography.Text>{w.subjectName}</Typography.Text> <WarningTag w={w} /></a>)}</Space>
        } />
      )}
      <Space wrap>
        <Input.Search allowClear placeholder={t('contracts.search')} style={{ width: 240 }} onSearch={(q) => setQuery((p) => ({ ...p, q: q || undefined }))} />
        <Select allowClear placeholder={t('contracts.status')} style={{ width: 130 }} value={query.status}
          options={CONTRACT_STATUSES.map((s) => ({ value: s, label: t(`contracts.statuses.${s}`) }))} onChange={(status) => setQuery((p) => ({ ...p, status }))} />
        <InputNumber<number> placeholder={t('contracts.fiscalYear')} min={2000} max={2100} style={{ width: 130 }} onChange={(y) => setQuery((p) => ({ ...p, fiscalYear: y ? String(y) : undefined }) as ContractQuery)} />
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('contracts.refresh')}</Button>
        {can('contract:write') && me?.org.kind === 'management_unit' && (
          <Button icon={<SyncOutlined />} loading={refresh.isPending} onClick={() => refresh.mutate()}>{t('contracts.refreshWarnings')}</Button>
        )}
        {can('contract:write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true, initial: null })}>{t('contracts.new')}</Button>}
      </Space>
      {list.error && <Alert type="error" message={errorText(list.error)} />}
      <Table rowKey="id" size="small" loading={list.isLoading} dataSource={list.data?.items ?? []} columns={columns} pagination={{ pageSize: 20 }}
        onRow={(r) => ({ onDoubleClick: () => setOpenId(r.id) })} />
      <ContractDrawer id={openId} onClose={() => setOpenId(null)} onEdit={(c) => setEditing({ open: true, initial: c })} />
      {editing.open && (
        <ContractFormModal open initial={editing.initial} onClose={(saved) => {
          setEditing({ open: false, initial: null });
          if (saved) setOpenId(saved.id);
        }} />
      )}
    </Space>
  );
}
