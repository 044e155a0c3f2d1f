import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Radio, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ipamApi, ipamKeys, PURPOSES, type IpRequest, type NewRequest, type RequestQuery } from '../ipam.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';

type View = 'mine' | 'review' | 'all';
const STATUS_COLOR: Record<string, string> = { pending: 'processing', approved: 'success', rejected: 'error', cancelled: 'default' };

interface RequestForm {
  nodeId: string;
  zoneId?: string;
  poolId?: string;
  family: 4 | 6;
  purpose: NewRequest['purpose'];
  amountKind: 'count' | 'prefix';
  addressCount?: number;
  prefixLength?: number;
  systemId?: string;
  applicationId?: string;
  reason: string;
}
interface ApproveForm {
  mode: 'firstFit' | 'chosen';
  poolId?: string;
  cidr?: string;
  startAddress?: string;
  note?: string;
}

/** The deadline countdown in working days: green, orange at ≤ 1 day, red when overdue. */
export function Countdown({ r }: { r: IpRequest }) {
  const { t } = useTranslation();
  if (r.workingDaysLeft === null) return <>{t('ipam.none')}</>;
  if (r.overdue) return <Tag color="red">{t('ipam.overdueBy', { n: Math.abs(r.workingDaysLeft) })}</Tag>;
  return <Tag color={r.dueSoon ? 'orange' : 'green'}>{t('ipam.daysLeft', { n: r.workingDaysLeft })}</Tag>;
}

/** 地址申请: my requests / to review / all, new request, approve with first fit or chosen addresses, reject, withdraw. */
export function RequestsTab({ manage, canRequest, orgKind }: { manage: boolean; canRequest: boolean; orgKind: string | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [view, setView] = useState<View>(manage ? 'review' : canRequest ? 'mine' : 'all');
  const [page, setPage] = useState(1);
  const q: RequestQuery = { view, page: String(page), pageSize: '20' };
  const list = useQuery({ queryKey: ipamKeys.requests(q), queryFn: () => ipamApi.requests(q) });
  const pools = useQuery({ queryKey: ipamKeys.pools, queryFn: ipamApi.pools });
  const nodes = useQuery({ queryKey: ipamKeys.nodes, queryFn: ipamApi.nodes, enabled: canRequest });
  const [creating, setCreating] = useState(false);
  const [approving, setApproving] = useState<IpRequest | null>(null);
  const [rejecting, setRejecting] = useState<IpRequest | null>(null);
  const [form] = Form.useForm<RequestForm>();
  const [approveForm] = Form.useForm<ApproveForm>();
  const [rejectForm] = Form.useForm<{ reason: string }>();
  const nodeId = Form.useWatch('nodeId', form);
  const amountKind = Form.useWatch('amountKind', form);
  const mode = Form.useWatch('mode', approveForm);
  const zones = useQuery({ queryKey: ipamKeys.zones(nodeId ?? ''), queryFn: () => ipamApi.zones(nodeId!), enabled: !!nodeId });
  const systems = useQuery({ queryKey: ipamKeys.systems(nodeId ?? ''), queryFn: () => ipamApi.systems(nodeId!), enabled: !!nodeId && canRequest });
  const refresh = () => void qc.invalidateQueries({ queryKey: ipamKeys.all });
  const onError = (e: unknown) => message.error(errorText(e));

  const create = useMutation({
    mutationFn: (v: RequestForm) =>
      ipamApi.createRequest({
        nodeId: v.nodeId,
        zoneId: v.zoneId,
        poolId: v.poolId,
        family: v.family,
        purpose: v.purpose,
        ...(v.amountKind === 'count' ? { addressCount: v.addressCount } : { prefixLength: v.prefixLength }),
        systemId: v.systemId,
        applicationId: v.applicationId?.trim() || undefined,
        reason: v.reason,
      }),
    onSuccess: () => {
      message.success(t('ipam.submitted'));
      setCreating(false);
      form.resetFields();
      refresh();
    },
    onError,
  });
  const approve = useMutation({
    mutationFn: ({ id, v }: { id: string; v: ApproveForm }) =>
      ipamApi.approve(id, { poolId: v.poolId, note: v.note || undefined, ...(v.mode === 'chosen' ? { cidr: v.cidr?.trim() || undefined, startAddress: v.startAddress?.trim() || undefined } : {}) }),
    onSuccess: () => {
      message.success(t('ipam.approved'));
      setApproving(null);
      refresh();
    },
    onError,
  });
  const reject = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => ipamApi.reject(id, reason),
    onSuccess: () => {
      message.success(t('ipam.rejected'));
      setRejecting(null);
      refresh();
    },
    onError,
  });
  const cancel = useMutation({ mutationFn: (id: string) => ipamApi.cancel(id), onSuccess: () => (message.success(t('ipam.cancelled')), refresh()), onError });

  const views: View[] = [...(canRequest ? (['mine'] as const) : []), ...(manage ? (['review'] as const) : []), 'all'];
  const candidatePools = (r: IpRequest) => (pools.data ?? []).filter((p) => p.status === 'active' && p.node.id === r.node.id && p.family === r.family);

  return (
    <Card
      size="small"
      title={
        <Segmented<View>
          value={view}
          onChange={(v) => {
            setView(v);
            setPage(1);
          }}
          options={views.map((v) => ({ value: v, label: t(`ipam.views.${v}`) }))}
        />
      }
      extra={canRequest && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="ipam-new-request">{t('ipam.newRequest')}</Button>}
    >
      <Typography.Paragraph type="secondary">{t('ipam.reviewRule')}</Typography.Paragraph>
      <Table<IpRequest>
        rowKey="id"
        size="small"
        scroll={{ x: 'max-content' }}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('ipam.total', { n }) }}
        expandable={{
          rowExpandable: (r) => r.allocations.length > 0 || !!r.decisionReason,
          expandedRowRender: (r) => (
            <Space direction="vertical">
              {r.decisionReason && <Typography.Text>{t('ipam.decision')}：{r.decisionReason}</Typography.Text>}
              {r.allocations.map((a) => (
                <Typography.Text key={a.id} code>
                  {a.range} ({a.pool.name}){a.status === 'released' ? ` · ${t('ipam.statuses.released')}` : ''}
                </Typography.Text>
              ))}
            </Space>
          ),
        }}
        columns={[
          { title: t('ipam.requester'), render: (_, r) => r.requester.name ?? t('ipam.hidden') },
          { title: t('ipam.system'), render: (_, r) => (r.system ? `${r.system.systemNo ?? ''} ${r.system.name ?? ''}` : t('ipam.none')) },
          { title: t('ipam.node'), render: (_, r) => `${r.node.name}${r.zone ? ` / ${r.zone.name}` : ''}` },
          { title: t('ipam.purpose'), render: (_, r) => `${t(`ipam.purposes.${r.purpose}`)} · IPv${r.family}` },
          { title: t('ipam.amount'), render: (_, r) => (r.addressCount !== null ? t('ipam.countValue', { n: r.addressCount }) : t('ipam.prefixValue', { n: r.prefixLength })) },
          { title: t('ipam.reason'), dataIndex: 'reason', ellipsis: true },
          { title: t('ipam.submittedAt'), render: (_, r) => fmtTime(r.submittedAt) },
          { title: t('ipam.dueAt'), render: (_, r) => fmtTime(r.dueAt) },
          { title: t('ipam.left'), render: (_, r) => <Countdown r={r} /> },
          { title: t('ipam.status'), render: (_, r) => <Tag color={STATUS_COLOR[r.status]}>{t(`ipam.statuses.${r.status}`)}</Tag> },
          {
            title: '',
            render: (_, r) => (
              <Space>
                {r.abilities.approve && (
                  <Button
                    size="small"
                    type="primary"
                    data-testid="ipam-approve"
                    onClick={() => {
                      approveForm.setFieldsValue({ mode: 'firstFit', poolId: r.pool?.id, cidr: undefined, startAddress: undefined, note: undefined });
                      setApproving(r);
                    }}
                  >
                    {t('ipam.approve')}
                  </Button>
                )}
                {r.abilities.reject && (
                  <Button size="small" danger onClick={() => (rejectForm.resetFields(), setRejecting(r))}>
                    {t('ipam.reject')}
                  </Button>
                )}
                {r.abilities.cancel && (
                  <Popconfirm title={t('ipam.cancelConfirm')} onConfirm={() => cancel.mutate(r.id)}>
                    <Button size="small">{t('ipam.cancel')}</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />

      <Modal title={t('ipam.newRequest')} open={creating} onCancel={() => setCreating(false)} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden width={560}>
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} initialValues={{ family: 4, purpose: 'business', amountKind: 'count', addressCount: 1 }}>
          <Form.Item name="nodeId" label={t('ipam.node')} rules={[{ required: true }]}>
            <Select
              options={(nodes.data ?? []).map((n) => ({ value: n.id, label: n.name }))}
              onChange={() => form.setFieldsValue({ zoneId: undefined, poolId: undefined, systemId: undefined })}
            />
          </Form.Item>
          {orgKind === 'user_unit' || (systems.data?.length ?? 0) > 0 ? (
            <Form.Item name="systemId" label={t('ipam.system')} rules={[{ required: orgKind === 'user_unit' }]}>
              <Select allowClear options={(systems.data ?? []).map((s) => ({ value: s.id, label: `${s.systemNo} ${s.name}` }))} />
            </Form.Item>
          ) : null}
          <Space wrap>
            <Form.Item name="zoneId" label={t('ipam.zone')}>
              <Select allowClear style={{ width: 200 }} options={(zones.data ?? []).map((z) => ({ value: z.id, label: z.name }))} />
            </Form.Item>
            <Form.Item name="family" label={t('ipam.family')}>
              <Radio.Group options={[{ value: 4, label: 'IPv4' }, { value: 6, label: 'IPv6' }]} optionType="button" />
            </Form.Item>
            <Form.Item name="purpose" label={t('ipam.purpose')} rules={[{ required: true }]}>
              <Select style={{ width: 120 }} options={PURPOSES.map((p) => ({ value: p, label: t(`ipam.purposes.${p}`) }))} />
            </Form.Item>
          </Space>
          <Form.Item name="poolId" label={t('ipam.pool')}>
            <Select allowClear options={(pools.data ?? []).filter((p) => p.node.id === nodeId && p.status === 'active').map((p) => ({ value: p.id, label: `${p.name} ${p.cidr}` }))} />
          </Form.Item>
          <Form.Item name="amountKind" label={t('ipam.amount')}>
            <Radio.Group options={[{ value: 'count', label: t('ipam.amountKind.count') }, { value: 'prefix', label: t('ipam.amountKind.prefix') }]} />
          </Form.Item>
          {amountKind === 'prefix' ? (
            <Form.Item name="prefixLength" label={t('ipam.prefixLength')} rules={[{ required: true }]}>
              <InputNumber min={8} max={128} precision={0} addonBefore="/" />
            </Form.Item>
          ) : (
            <Form.Item name="addressCount" label={t('ipam.addressCount')} rules={[{ required: true }]}>
              <InputNumber min={1} max={65536} precision={0} />
            </Form.Item>
          )}
          <Form.Item name="applicationId" label={t('ipam.application')} extra={t('ipam.applicationHint')} rules={[{ pattern: /^[0-9a-f-]{36}$/i, message: 'UUID' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="reason" label={t('ipam.reason')} rules={[{ required: true, whitespace: true, max: 1000 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal title={t('ipam.approve')} open={!!approving} onCancel={() => setApproving(null)} onOk={() => approveForm.submit()} confirmLoading={approve.isPending} destroyOnHidden>
        {approving && (
          <Form form={approveForm} layout="vertical" onFinish={(v) => approve.mutate({ id: approving.id, v })}>
            <Alert
              type="info"
              style={{ marginBottom: 12 }}
              message={`${approving.requester.name ?? ''} · ${approving.addressCount !== null ? t('ipam.countValue', { n: approving.addressCount }) : t('ipam.prefixValue', { n: approving.prefixLength })} · ${t(`ipam.purposes.${approving.purpose}`)} IPv${approving.family}`}
            />
            <Form.Item name="poolId" label={t('ipam.pool')}>
              <Select allowClear placeholder={t('ipam.poolAuto')} options={candidatePools(approving).map((p) => ({ value: p.id, label: `${p.name} ${p.cidr} (${p.utilisation.percent}%)` }))} />
            </Form.Item>
            <Form.Item name="mode" label={t('ipam.approveMode')}>
              <Radio.Group options={[{ value: 'firstFit', label: t('ipam.modes.firstFit') }, { value: 'chosen', label: t('ipam.modes.chosen') }]} />
            </Form.Item>
            {mode === 'chosen' &&
              (approving.prefixLength !== null ? (
                <Form.Item name="cidr" label={t('ipam.chosenCidr')} rules={[{ required: true }]}>
                  <Input placeholder={`10.0.0.0/${approving.prefixLength}`} />
                </Form.Item>
              ) : (
                <Form.Item name="startAddress" label={t('ipam.startAddress')} rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
              ))}
            <Form.Item name="note" label={t('ipam.note')}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </Form>
        )}
      </Modal>

      <Modal title={t('ipam.reject')} open={!!rejecting} onCancel={() => setRejecting(null)} onOk={() => rejectForm.submit()} confirmLoading={reject.isPending} destroyOnHidden>
        <Form form={rejectForm} layout="vertical" onFinish={(v) => rejecting && reject.mutate({ id: rejecting.id, reason: v.reason })}>
          <Form.Item name="reason" label={t('ipam.rejectReason')} rules={[{ required: true, whitespace: true, max: 1000 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
