import { useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tabs, Tag, Timeline, Typography,
} from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { ApiError } from '../../../api/client';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { useMe } from '../../auth/auth.api';
import { systemsApi } from '../../systems/systems.api';
import { catalogApi } from '../../catalog/catalog.api';
import { estimatesApi } from '../../estimates/estimates.api';
import { InstanceDrawer } from '../../workflow/components/InstanceDrawer';
import {
  applicationKeys, applicationsApi,
  type Application, type ApplicationDetail, type ApplicationInput, type ListQuery, type WorkOrder,
} from '../applications.api';

const STATUS_COLORS: Record<string, string> = {
  draft: 'default', in_approval: 'processing', returned: 'warning', rejected: 'error', terminated: 'default', fulfilling: 'blue', delivered: 'gold', accepted: 'success',
};
const KINDS = ['onboarding', 'change', 'exit'] as const;
const STATUSES = ['draft', 'in_approval', 'returned', 'rejected', 'terminated', 'fulfilling', 'delivered', 'accepted'] as const;

const money = (v: string | null | undefined) => (v === null || v === undefined ? '—' : Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

/** The error's text with the rule of each field (figures of quota, items not offered …). */
function fullError(e: unknown): string {
  const base = errorText(e);
  if (e instanceof ApiError) {
    const issues = (e.details as { issues?: Array<{ message: string }> } | null)?.issues;
    if (issues?.length) return `${base}：${issues.map((i) => i.message).join('；')}`;
  }
  return base;
}

function useDuration() {
  const { t } = useTranslation();
  return (ms: number) => {
    const abs = Math.abs(ms);
    const h = Math.floor(abs / 3_600_000);
    const m = Math.floor((abs % 3_600_000) / 60_000);
    return t('applications.hours', { h, m });
  };
}

function DueCell({ wo }: { wo: Pick<WorkOrder, 'dueAt' | 'remainingMs' | 'overdue' | 'status' | 'keyPeriod'> }) {
  const { t } = useTranslation();
  const dur = useDuration();
  return (
    <Space direction="vertical" size={0}>
      <span>{fmtTime(wo.dueAt)}</span>
      {wo.remainingMs !== null && (
        wo.remainingMs < 0
          ? <Tag color="red">{t('applications.overdueBy', { t: dur(wo.remainingMs) })}</Tag>
          : <Typography.Text type="secondary">{t('applications.left', { t: dur(wo.remainingMs) })}</Typography.Text>
      )}
      {wo.remainingMs === null && wo.overdue && <Tag color="orange">{t('applications.overdue')}</Tag>}
      {wo.keyPeriod && <Tag color="purple">{t('applications.keyPeriod')}</Tag>}
    </Space>
  );
}

function useApplicationColumns(): ColumnsType<Application> {
  const { t } = useTranslation();
  return [
    { title: t('applications.col.appNo'), dataIndex: 'appNo', width: 140 },
    { title: t('applications.col.kind'), dataIndex: 'kind', width: 70, render: (k: string) => t(`applications.kind.${k}`) },
    { title: t('applications.col.title'), dataIndex: 'title', ellipsis: true },
    { title: t('applications.col.unit'), dataIndex: 'unitName', ellipsis: true },
    { title: t('applications.col.system'), dataIndex: 'systemName', ellipsis: true },
    { title: t('applications.col.provider'), dataIndex: 'providerName', ellipsis: true },
    { title: t('applications.col.totalAmount'), dataIndex: 'total', align: 'right', width: 130, render: money },
    { title: t('applications.col.status'), dataIndex: 'status', width: 120, render: (s: string) => <Tag color={STATUS_COLORS[s]}>{t(`applications.status.${s}`)}</Tag> },
    { title: t('applications.col.createdAt'), dataIndex: 'createdAt', width: 150, render: fmtTime },
  ];
}

// ---- create / edit form --------------------------------------------------------------------------------------

interface FormValues {
  systemId: string;
  kind: ApplicationInput['kind'];
  changeType?: string | null;
  exitDataHandling?: string | null;
  exitDate?: Dayjs | null;
  title: string;
  reason?: string | null;
  lines: Array<{ itemCode: string; quantity: number | string; delta?: number | string | null; months?: number | null }>;
}

function ApplicationForm({ editing, open, onClose, onSaved }: { editing: ApplicationDetail | null; open: boolean; onClose: () => void; onSaved: (d: ApplicationDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form);
  const systems = useQuery({ queryKey: ['systems', 'list', 'applications'], queryFn: () => systemsApi.list({ page: 1, pageSize: 200, status: 'active' }), enabled: open });
  const catalog = useQuery({ queryKey: ['catalog', 'current'], queryFn: catalogApi.current, enabled: open });
  const items = (catalog.data?.items ?? []).filter((i) => i.kind !== 'baseline' && i.status === 'active');
  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const body: ApplicationInput = {
        systemId: v.systemId,
        kind: v.kind,
        changeType: v.kind === 'change' ? ((v.changeType ?? null) as ApplicationInput['changeType']) : null,
        exitDataHandling: v.kind === 'exit' ? ((v.exitDataHandling ?? null) as ApplicationInput['exitDataHandling']) : null,
        exitDate: v.kind === 'exit' && v.exitDate ? v.exitDate.format('YYYY-MM-DD') : null,
        title: v.title,
        reason: v.reason ?? null,
        lines: (v.lines ?? []).map((l) => ({
          itemCode: l.itemCode,
          quantity: String(l.quantity),
          delta: v.kind === 'change' && l.delta !== undefined && l.delta !== null ? String(l.delta) : null,
          months: l.months ?? null,
        })),
      };
      return editing ? applicationsApi.update(editing.id, body) : applicationsApi.create(body);
    },
    onSuccess: (d) => {
      message.success(t('applications.saved'));
      onSaved(d);
    },
  });
  return (
    <Modal
      open={open}
      width={900}
      title={editing ? `${t('applications.actions.edit')} ${editing.appNo}` : t('applications.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('applications.actions.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (!o) return;
        save.reset();
        form.setFieldsValue(
          editing
            ? {
                systemId: editing.systemId, kind: editing.kind, changeType: editing.changeType, exitDataHandling: editing.exitDataHandling, exitDate: null,
                title: editing.title, reason: editing.reason,
                lines: editing.lines.map((l) => ({ itemCode: l.itemCode, quantity: l.quantity, delta: l.delta, months: l.months })),
              }
            : { kind: 'onboarding', lines: [{ itemCode: '', quantity: '', months: 12 }] },
        );
      }}
    >
      {save.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={fullError(save.error)} />}
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Space wrap align="start">
          <Form.Item name="systemId" label={t('applications.form.system')} rules={[{ required: true, message: t('applications.form.required') }]}>
            <Select
              style={{ width: 300 }}
              showSearch
              optionFilterProp="label"
              disabled={!!editing}
              loading={systems.isLoading}
              options={(systems.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.systemNo} ${s.name}` }))}
            />
          </Form.Item>
          <Form.Item name="kind" label={t('applications.form.kind')} rules={[{ required: true }]}>
            <Radio.Group disabled={!!editing} options={KINDS.map((k) => ({ value: k, label: t(`applications.kind.${k}`) }))} optionType="button" />
          </Form.Item>
          {kind === 'change' && (
            <Form.Item name="changeType" label={t('applications.form.changeType')} rules={[{ required: true, message: t('applications.form.required') }]}>
              <Select style={{ width: 140 }} options={(['expand', 'shrink', 'add_service', 'stop_service'] as const).map((c) => ({ value: c, label: t(`applications.changeType.${c}`) }))} />
            </Form.Item>
          )}
          {kind === 'exit' && (
            <>
              <Form.Item name="exitDataHandling" label={t('applications.form.exitDataHandling')} rules={[{ required: true, message: t('applications.form.required') }]}>
                <Select style={{ width: 120 }} options={(['migrate', 'destroy', 'archive'] as const).map((c) => ({ value: c, label: t(`applications.exitHandling.${c}`) }))} />
              </Form.Item>
              <Form.Item name="exitDate" label={t('applications.form.exitDate')} rules={[{ required: true, message: t('applications.form.required') }]}>
                <DatePicker />
              </Form.Item>
            </>
          )}
        </Space>
        <Form.Item name="title" label={t('applications.form.title')} rules={[{ required: true, message: t('applications.form.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="reason" label={t('applications.form.reason')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Typography.Paragraph type="secondary">{kind === 'exit' ? t('applications.form.exitHint') : t('applications.form.linesHint')}</Typography.Paragraph>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'itemCode']} rules={[{ required: true, message: t('applications.form.required') }]}>
                    <Select
                      style={{ width: 380 }}
                      showSearch
                      optionFilterProp="label"
                      placeholder={t('applications.form.item')}
                      options={items.map((i) => ({ value: i.code, label: `${i.code} ${i.subcategory ? `${i.subcategory} - ` : ''}${i.item.slice(0, 40)}${i.billingUnitText ? `（${i.billingUnitText}）` : ''}` }))}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'quantity']} rules={[{ required: true, message: t('applications.form.required') }]}>
                    <InputNumber stringMode min="0" placeholder={kind === 'change' ? t('applications.form.quantityAfter') : t('applications.form.quantity')} style={{ width: 140 }} />
                  </Form.Item>
                  {kind === 'change' && (
                    <Form.Item name={[f.name, 'delta']} rules={[{ required: true, message: t('applications.form.required') }]}>
                      <InputNumber stringMode placeholder={t('applications.form.delta')} style={{ width: 120 }} />
                    </Form.Item>
                  )}
                  <Form.Item name={[f.name, 'months']}>
                    <InputNumber min={1} max={120} placeholder={t('applications.form.months')} style={{ width: 100 }} />
                  </Form.Item>
                  <Button type="link" danger onClick={() => remove(f.name)}>{t('applications.actions.delete')}</Button>
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ itemCode: '', quantity: '', months: 12 })}>{t('applications.actions.addLine')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function FromEstimateModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (d: ApplicationDetail) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ estimateId: string; systemId: string; kind: 'onboarding' | 'change' }>();
  const estimates = useQuery({ queryKey: ['estimates', 'list'], queryFn: estimatesApi.list, enabled: open });
  const systems = useQuery({ queryKey: ['systems', 'list', 'applications'], queryFn: () => systemsApi.list({ page: 1, pageSize: 200, status: 'active' }), enabled: open });
  const save = useMutation({ mutationFn: applicationsApi.fromEstimate, onSuccess: onSaved });
  return (
    <Modal open={open} title={t('applications.fromEstimate')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
      {save.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={fullError(save.error)} />}
      <Form form={form} layout="vertical" initialValues={{ kind: 'onboarding' }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="estimateId" label={t('applications.form.estimate')} rules={[{ required: true, message: t('applications.form.required') }]}>
          <Select showSearch optionFilterProp="label" loading={estimates.isLoading} options={(estimates.data?.items ?? []).map((e) => ({ value: e.id, label: e.title }))} />
        </Form.Item>
        <Form.Item name="systemId" label={t('applications.form.system')} rules={[{ required: true, message: t('applications.form.required') }]}>
          <Select showSearch optionFilterProp="label" loading={systems.isLoading} options={(systems.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.systemNo} ${s.name}` }))} />
        </Form.Item>
        <Form.Item name="kind" label={t('applications.form.kind')}>
          <Radio.Group options={(['onboarding', 'change'] as const).map((k) => ({ value: k, label: t(`applications.kind.${k}`) }))} optionType="button" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ---- detail drawer -------------------------------------------------------------------------------------------

function DeliverModal({ app, open, onClose, onDone }: { app: ApplicationDetail; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ hosts: Record<string, string>; note?: string; pushedRef?: string }>();
  const save = useMutation({
    mutationFn: (v: { hosts: Record<string, string>; note?: string; pushedRef?: string }) =>
      applicationsApi.deliver(app.id, {
        lines: app.lines
          .map((l) => ({
            lineNo: l.lineNo,
            hosts: (v.hosts?.[String(l.lineNo)] ?? '').split('\n').map((r) => r.trim()).filter(Boolean).map((r) => {
              const [hostName, ip, ...size] = r.split(/\s+/);
              return { hostName: hostName!, ip: ip ?? null, size: size.length ? size.join(' ') : null };
            }),
          }))
          .filter((l) => l.hosts.length > 0),
        note: v.note || null,
        pushedRef: v.pushedRef || null,
      }),
    onSuccess: onDone,
  });
  return (
    <Modal open={open} width={760} title={t('applications.deliver.title')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
      {save.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={fullError(save.error)} />}
      <Typography.Paragraph type="secondary">{t('applications.form.hostsHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        {app.lines.map((l) => (
          <Form.Item key={l.lineNo} name={['hosts', String(l.lineNo)]} label={t('applications.deliver.line', { n: l.lineNo, item: `${l.itemCode} ${l.itemText.slice(0, 30)} × ${l.quantity}` })}>
            <Input.TextArea rows={2} />
          </Form.Item>
        ))}
        <Form.Item name="pushedRef" label={t('applications.deliver.pushedRef')}><Input maxLength={200} /></Form.Item>
        <Form.Item name="note" label={t('applications.deliver.note')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
      </Form>
    </Modal>
  );
}

function ApplicationDrawer({ id, onClose, onEdit }: { id: string | null; onClose: () => void; onEdit: (d: ApplicationDetail) => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [wfOpen, setWfOpen] = useState(false);
  const [delivering, setDelivering] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const q = useQuery({ queryKey: applicationKeys.detail(id ?? ''), queryFn: () => applicationsApi.get(id!), enabled: !!id });
  const refresh = () => qc.invalidateQueries({ queryKey: applicationKeys.all });
  const mutate = useMutation({
    mutationFn: async (a: 'submit' | 'accept' | 'delete' | 'reject') => {
      if (a === 'submit') return applicationsApi.submit(id!);
      if (a === 'accept') return applicationsApi.accept(id!);
      if (a === 'reject') return applicationsApi.rejectDelivery(id!, reason);
      await applicationsApi.remove(id!);
      return null;
    },
    onSuccess: (_d, a) => {
      message.success(t('applications.done'));
      void refresh();
      if (a === 'delete') onClose();
      if (a === 'reject') setRejecting(false);
    },
    onError: (e) => message.error(fullError(e)),
  });
  const d = q.data;
  const ab = d?.abilities;
  const wo = d?.workOrder;
  return (
    <Drawer open={!!id} width={960} onClose={onClose} title={d ? `${d.appNo} ${d.title}` : t('applications.detail')} data-testid="application-drawer">
      {q.error && <Alert type="error" showIcon message={fullError(q.error)} />}
      {d && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Space wrap>
            {ab?.edit && <Button onClick={() => onEdit(d)}>{t('applications.actions.edit')}</Button>}
            {(ab?.submit || ab?.resubmit) && (
              <Button type="primary" loading={mutate.isPending} onClick={() => modal.confirm({ title: t('applications.actions.confirmSubmit'), onOk: () => mutate.mutateAsync('submit') })}>
                {ab.resubmit ? t('applications.actions.resubmit') : t('applications.actions.submit')}
              </Button>
            )}
            {ab?.delete && (
              <Popconfirm title={t('applications.actions.confirmDelete')} onConfirm={() => mutate.mutate('delete')}>
                <Button danger>{t('applications.actions.delete')}</Button>
              </Popconfirm>
            )}
            {ab?.deliver && <Button type="primary" onClick={() => setDelivering(true)}>{t('applications.actions.deliver')}</Button>}
            {ab?.accept && <Button type="primary" onClick={() => mutate.mutate('accept')}>{t('applications.actions.accept')}</Button>}
            {ab?.rejectDelivery && <Button danger onClick={() => setRejecting(true)}>{t('applications.actions.rejectDelivery')}</Button>}
            {d.workflowInstanceId && <Button onClick={() => setWfOpen(true)}>{t('applications.actions.workflow')}</Button>}
          </Space>
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label={t('applications.col.kind')}>
              {t(`applications.kind.${d.kind}`)}{d.changeType ? ` · ${t(`applications.changeType.${d.changeType}`)}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('applications.col.status')}><Tag color={STATUS_COLORS[d.status]}>{t(`applications.status.${d.status}`)}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('applications.col.unit')}>{d.unitName}</Descriptions.Item>
            <Descriptions.Item label={t('applications.col.system')}>
              {d.systemName}（{d.protectionLevel ? t('applications.level', { n: d.protectionLevel }) : t('applications.unrated')}）
            </Descriptions.Item>
            <Descriptions.Item label={t('applications.col.provider')}>{d.providerName}</Descriptions.Item>
            <Descriptions.Item label={t('applications.col.totalAmount')}>{money(d.total)}（{t('applications.col.monthly')} {money(d.monthlyTotal)}）</Descriptions.Item>
            {d.kind === 'exit' && <Descriptions.Item label={t('applications.exitDataHandling')}>{d.exitDataHandling ? t(`applications.exitHandling.${d.exitDataHandling}`) : '—'}</Descriptions.Item>}
            {d.kind === 'exit' && <Descriptions.Item label={t('applications.exitDate')}>{d.exitDate ?? '—'}</Descriptions.Item>}
            <Descriptions.Item label={t('applications.reason')} span={2}>{d.reason ?? '—'}</Descriptions.Item>
          </Descriptions>
          <Card size="small" title={t('applications.lines')}>
            <Table
              data-testid="application-lines"
              size="small"
              rowKey="lineNo"
              pagination={false}
              dataSource={d.lines}
              columns={[
                { title: t('applications.col.code'), dataIndex: 'itemCode', width: 70 },
                { title: t('applications.col.item'), dataIndex: 'itemText', ellipsis: true },
                { title: t('applications.col.unitText'), dataIndex: 'billingUnitText', width: 90 },
                { title: t('applications.col.quantity'), dataIndex: 'quantity', align: 'right', width: 80 },
                ...(d.kind === 'change' ? [{ title: t('applications.col.delta'), dataIndex: 'delta', align: 'right' as const, width: 80 }] : []),
                { title: t('applications.col.months'), dataIndex: 'months', width: 70, render: (m: number | null) => m ?? '—' },
                { title: t('applications.col.price'), dataIndex: 'unitPrice', align: 'right', width: 90, render: money },
                { title: t('applications.col.amount'), dataIndex: 'amount', align: 'right', width: 110, render: money },
                {
                  title: t('applications.col.delivery'),
                  dataIndex: 'delivery',
                  render: (v: ApplicationDetail['lines'][number]['delivery']) => (v?.hosts.length ? v.hosts.map((h) => [h.hostName, h.ip, h.size].filter(Boolean).join(' ')).join('；') : '—'),
                },
                { title: t('applications.col.acceptedAt'), dataIndex: 'acceptedAt', width: 140, render: fmtTime },
              ]}
            />
          </Card>
          {wo && (
            <Card size="small" title={`${t('applications.workOrder')} · ${t(`applications.woKind.${wo.kind}`)}`}>
              <Descriptions size="small" column={2}>
                <Descriptions.Item label={t('applications.col.status')}>{t(`applications.woStatus.${wo.status}`)}</Descriptions.Item>
                <Descriptions.Item label={t('applications.deadlineRule')}>
                  {Object.entries(wo.deadline).map(([k, n]) => t(`applications.deadline.${k}`, { n })).join('')}
                </Descriptions.Item>
                <Descriptions.Item label={t('applications.col.openedAt')}>{fmtTime(wo.openedAt)}</Descriptions.Item>
                <Descriptions.Item label={t('applications.col.due')}><DueCell wo={wo} /></Descriptions.Item>
                <Descriptions.Item label={t('applications.col.deliveredAt')}>{fmtTime(wo.deliveredAt)}</Descriptions.Item>
                <Descriptions.Item label={t('applications.col.rejections')}>{wo.rejections}</Descriptions.Item>
                {wo.pushedRef && <Descriptions.Item label={t('applications.pushedRef')}>{wo.pushedRef}</Descriptions.Item>}
                {wo.deliveryNote && <Descriptions.Item label={t('applications.deliveryNote')}>{wo.deliveryNote}</Descriptions.Item>}
                {wo.lastRejectionReason && <Descriptions.Item label={t('applications.lastRejection')} span={2}>{wo.lastRejectionReason}</Descriptions.Item>}
              </Descriptions>
            </Card>
          )}
          <Card size="small" title={t('applications.timeline')}>
            <Timeline
              items={d.timeline.map((e) => ({
                color: e.source === 'workflow' ? 'blue' : 'green',
                children: (
                  <span>
                    {fmtTime(e.at)} · {e.source === 'workflow' && (e.details.stepName || e.stepKey) ? `${(e.details.stepName as string | undefined) ?? e.stepKey} · ` : ''}
                    {t(`applications.events.${e.action}`, { defaultValue: e.action })}
                    {e.actorName ? ` · ${e.actorName}` : ''}
                    {e.comment ? <Typography.Text type="secondary">：{e.comment}</Typography.Text> : null}
                  </span>
                ),
              }))}
            />
          </Card>
          <DeliverModal app={d} open={delivering} onClose={() => setDelivering(false)} onDone={() => { setDelivering(false); void refresh(); }} />
          <Modal open={rejecting} title={t('applications.actions.rejectDelivery')} onCancel={() => setRejecting(false)} okButtonProps={{ disabled: !reason.trim() }} onOk={() => mutate.mutate('reject')}>
            <Input.TextArea rows={3} placeholder={t('applications.rejectReason')} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Modal>
          <InstanceDrawer id={wfOpen ? d.workflowInstanceId : null} onClose={() => { setWfOpen(false); void refresh(); }} />
        </Space>
      )}
    </Drawer>
  );
}

// ---- tabs ----------------------------------------------------------------------------------------------------

function ApplicationList({ mine, onOpen }: { mine: boolean; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<ListQuery>(mine ? { mine: 'true' } : {});
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const query: ListQuery = { ...filter, ...(range?.[0] ? { from: range[0].format('YYYY-MM-DD') } : {}), ...(range?.[1] ? { to: range[1].format('YYYY-MM-DD') } : {}) };
  const list = useQuery({ queryKey: applicationKeys.list(query), queryFn: () => applicationsApi.list(query) });
  const columns = useApplicationColumns();
  const all = useQuery({ queryKey: applicationKeys.list({}), queryFn: () => applicationsApi.list({}), enabled: !mine });
  const units = useMemo(() => [...new Map((all.data ?? []).map((a) => [a.unitId, a.unitName])).entries()], [all.data]);
  const providers = useMemo(() => [...new Map((all.data ?? []).map((a) => [a.providerOrgId, a.providerName])).entries()], [all.data]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search allowClear placeholder={t('applications.search')} style={{ width: 220 }} onSearch={(v) => setFilter((f) => ({ ...f, q: v || undefined }))} />
        <Select allowClear placeholder={t('applications.col.kind')} style={{ width: 110 }} options={KINDS.map((k) => ({ value: k, label: t(`applications.kind.${k}`) }))} onChange={(v) => setFilter((f) => ({ ...f, kind: v }))} />
        <Select allowClear placeholder={t('applications.col.status')} style={{ width: 140 }} options={STATUSES.map((s) => ({ value: s, label: t(`applications.status.${s}`) }))} onChange={(v) => setFilter((f) => ({ ...f, status: v }))} />
        {!mine && <Select allowClear showSearch optionFilterProp="label" placeholder={t('applications.col.unit')} style={{ width: 180 }} options={units.map(([value, label]) => ({ value, label }))} onChange={(v) => setFilter((f) => ({ ...f, unitId: v }))} />}
        {!mine && <Select allowClear showSearch optionFilterProp="label" placeholder={t('applications.col.provider')} style={{ width: 180 }} options={providers.map(([value, label]) => ({ value, label }))} onChange={(v) => setFilter((f) => ({ ...f, providerId: v }))} />}
        <DatePicker.RangePicker placeholder={[t('applications.dates'), t('applications.dates')]} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} />
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('applications.refresh')}</Button>
        <Button icon={<DownloadOutlined />} onClick={() => applicationsApi.export(query).catch((e: unknown) => message.error(errorText(e)))}>{t('applications.export')}</Button>
      </Space>
      {list.error && <Alert type="error" showIcon message={errorText(list.error)} />}
      <Table
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        columns={columns}
        pagination={{ pageSize: 20, showTotal: (n) => t('applications.total', { n }) }}
        onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
      />
    </Space>
  );
}

function WorkOrders({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const [overdue, setOverdue] = useState(false);
  const list = useQuery({ queryKey: applicationKeys.workOrders(overdue ? 'true' : undefined), queryFn: () => applicationsApi.workOrders(overdue ? 'true' : undefined), refetchInterval: 60_000 });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Switch checked={overdue} onChange={setOverdue} /> {t('applications.onlyOverdue')}
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('applications.refresh')}</Button>
      </Space>
      <Table
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        onRow={(r) => ({ onClick: () => onOpen(r.applicationId), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('applications.col.appNo'), dataIndex: 'appNo', width: 140 },
          { title: t('applications.col.title'), dataIndex: 'title', ellipsis: true },
          { title: t('applications.col.unit'), dataIndex: 'unitName', ellipsis: true },
          { title: t('applications.col.provider'), dataIndex: 'providerName', ellipsis: true },
          { title: t('applications.col.kind'), dataIndex: 'kind', width: 120, render: (k: string) => t(`applications.woKind.${k}`) },
          { title: t('applications.col.status'), dataIndex: 'status', width: 90, render: (s: string) => t(`applications.woStatus.${s}`) },
          { title: t('applications.col.openedAt'), dataIndex: 'openedAt', width: 150, render: fmtTime },
          { title: t('applications.col.due'), key: 'due', width: 200, render: (_: unknown, r: WorkOrder) => <DueCell wo={r} /> },
        ]}
      />
    </Space>
  );
}

function StatsTab() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const from = range?.[0]?.format('YYYY-MM-DD');
  const to = range?.[1]?.format('YYYY-MM-DD');
  const stats = useQuery({ queryKey: applicationKeys.stats(from, to), queryFn: () => applicationsApi.stats(from, to) });
  const pct = (v: string | null) => (v === null ? '—' : `${v}%`);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <DatePicker.RangePicker onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} />
      <Card size="small" title={t('applications.statsProvider')}>
        <Table
          size="small"
          rowKey="providerOrgId"
          pagination={false}
          dataSource={stats.data?.byProvider ?? []}
          columns={[
            { title: t('applications.col.provider'), dataIndex: 'providerName' },
            { title: t('applications.col.count'), dataIndex: 'count', align: 'right' },
            { title: t('applications.col.completed'), dataIndex: 'completed', align: 'right' },
            { title: t('applications.col.accepted'), dataIndex: 'accepted', align: 'right' },
            { title: t('applications.col.onTime'), dataIndex: 'onTime', align: 'right' },
            { title: t('applications.col.onTimeRate'), dataIndex: 'onTimeRate', align: 'right', render: pct },
            { title: t('applications.col.median'), dataIndex: 'medianHours', align: 'right', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
      <Card size="small" title={t('applications.statsSteps')}>
        <Table
          size="small"
          rowKey={(r) => `${r.definitionCode}:${r.stepKey}`}
          pagination={false}
          dataSource={stats.data?.bySteps ?? []}
          columns={[
            { title: t('applications.col.definition'), dataIndex: 'definitionCode' },
            { title: t('applications.col.step'), dataIndex: 'stepName' },
            { title: t('applications.col.count'), dataIndex: 'count', align: 'right' },
            { title: t('applications.col.completed'), dataIndex: 'completed', align: 'right' },
            { title: t('applications.col.onTime'), dataIndex: 'onTime', align: 'right' },
            { title: t('applications.col.onTimeRate'), dataIndex: 'onTimeRate', align: 'right', render: pct },
            { title: t('applications.col.median'), dataIndex: 'medianHours', align: 'right', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
      <Card size="small" title={t('applications.statsStatus')}>
        <Space wrap>
          {(stats.data?.byStatus ?? []).map((s) => (
            <Tag key={s.status} color={STATUS_COLORS[s.status]}>{t(`applications.status.${s.status}`)} {s.count}</Tag>
          ))}
        </Space>
      </Card>
    </Space>
  );
}

/** 申请与工单: my applications, all applications with filters, work orders with deadlines, statistics. */
export default function ApplicationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const canWrite = !!me?.permissions.includes('application:write');
  // /applications?id=… (links of notifications) opens that application.
  const [params] = useSearchParams();
  const [openId, setOpenId] = useState<string | null>(params.get('id'));
  const [editing, setEditing] = useState<ApplicationDetail | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [fromEstimate, setFromEstimate] = useState(false);
  const saved = (d: ApplicationDetail) => {
    setFormOpen(false);
    setFromEstimate(false);
    setEditing(null);
    if (d.skipped?.length) message.warning(t('applications.skipped', { lines: d.skipped.map((s) => `#${s.line} ${s.reason}`).join('；') }), 8);
    void qc.invalidateQueries({ queryKey: applicationKeys.all });
    setOpenId(d.id);
  };
  return (
    <Card
      title={t('applications.title')}
      extra={
        canWrite && (
          <Space>
            <Button onClick={() => setFromEstimate(true)}>{t('applications.fromEstimate')}</Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => { setEditing(null); setFormOpen(true); }}>{t('applications.create')}</Button>
          </Space>
        )
      }
    >
      <Tabs
        items={[
          { key: 'mine', label: t('applications.tabMine'), children: <ApplicationList mine onOpen={setOpenId} /> },
          { key: 'all', label: t('applications.tabAll'), children: <ApplicationList mine={false} onOpen={setOpenId} /> },
          { key: 'work-orders', label: t('applications.tabWorkOrders'), children: <WorkOrders onOpen={setOpenId} /> },
          { key: 'stats', label: t('applications.tabStats'), children: <StatsTab /> },
        ]}
      />
      <ApplicationDrawer id={openId} onClose={() => setOpenId(null)} onEdit={(d) => { setEditing(d); setFormOpen(true); }} />
      <ApplicationForm editing={editing} open={formOpen} onClose={() => { setFormOpen(false); setEditing(null); }} onSaved={saved} />
      <FromEstimateModal open={fromEstimate} onClose={() => setFromEstimate(false)} onSaved={saved} />
    </Card>
  );
}
