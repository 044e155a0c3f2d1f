import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { CopyOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { useCan, useMe } from '../../auth/auth.api';
import { directoryApi, directoryKeys } from '../../directory/directory.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { SecretModal } from '../../../app/ResultModal';
import { credentialsApi, endpointsApi, ingestKeys, type Credential, type IssuedCredential, type QueryEndpoint } from '../ingest-credentials.api';

const STATUS_COLOURS = { active: 'green', expired: 'default', revoked: 'red' } as const;

/** Token and signing secret, shown once, each with its own copy button. */
function IssuedModal(props: { issued: IssuedCredential | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      message.success(t('common.copied'));
    } catch {
      message.error(t('errors.generic'));
    }
  };
  const row = (label: string, value: string, testId: string) => (
    <div style={{ marginBottom: 12 }}>
      <Typography.Text strong>{label}</Typography.Text>
      <Flex gap={8} align="center" style={{ marginTop: 4 }}>
        <Typography.Text style={{ fontFamily: 'monospace', wordBreak: 'break-all', flex: 1, padding: '6px 10px', background: '#f5f5f5', border: '1px solid #e5e5e5', borderRadius: 4 }} data-testid={testId}>
          {value}
        </Typography.Text>
        <Button icon={<CopyOutlined />} onClick={() => void copy(value)} data-testid={`${testId}-copy`}>{t('common.copy')}</Button>
      </Flex>
    </div>
  );
  const issued = props.issued;
  return (
    <Modal
      open={!!issued}
      title={t('credentials.issuedTitle')}
      onCancel={props.onClose}
      maskClosable={false}
      width={640}
      footer={
        <Space>
          <Button icon={<CopyOutlined />} onClick={() => issued && void copy(`ZY_TOKEN=${issued.token}\nZY_SIGNING_SECRET=${issued.signingSecret}\n`)}>{t('credentials.copyAll')}</Button>
          <Button type="primary" onClick={props.onClose} data-testid="credential-issued-close">{t('common.close')}</Button>
        </Space>
      }
    >
      <Alert type="warning" showIcon message={t('credentials.issuedHint')} style={{ marginBottom: 16 }} />
      {issued && row(t('credentials.token'), issued.token, 'credential-token')}
      {issued && row(t('credentials.signingSecret'), issued.signingSecret, 'credential-secret')}
    </Modal>
  );
}

function CredentialsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { data: me } = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Credential['status']>();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<IssuedCredential>();
  const [form] = Form.useForm<{ name: string; nodeIds?: string[]; expiresAt?: Dayjs }>();
  const list = useQuery({ queryKey: ingestKeys.credentialList(status, page.page, page.pageSize), queryFn: () => credentialsApi.list(status, page.page, page.pageSize) });
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes });
  const ownNodes = (nodes.data?.items ?? []).filter((n) => n.provider?.id === me?.org.id);

  const issue = useMutation({
    mutationFn: (v: { name: string; nodeIds?: string[]; expiresAt?: Dayjs }) =>
      credentialsApi.issue({ name: v.name, ...(v.nodeIds?.length ? { nodeIds: v.nodeIds } : {}), expiresAt: v.expiresAt ? v.expiresAt.endOf('day').toISOString() : null }),
    onSuccess: (r) => {
      setIssuing(false);
      setIssued(r);
      void queryClient.invalidateQueries({ queryKey: ingestKeys.credentials });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => credentialsApi.revoke(id),
    onSuccess: () => {
      message.success(t('common.success'));
      void queryClient.invalidateQueries({ queryKey: ingestKeys.credentials });
    },
    onError: (e) => message.error(errorText(e)),
  });

  return (
    <>
      <Flex justify="space-between" style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('credentials.statusFilter')}
          style={{ width: 160 }}
          value={status}
          onChange={(v) => { setStatus(v); setPage((p) => ({ ...p, page: 1 })); }}
          options={(['active', 'expired', 'revoked'] as const).map((s) => ({ value: s, label: t(`credentials.status.${s}`) }))}
          data-testid="credentials-filter-status"
        />
        {can('ingest:credential') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setIssuing(true)} data-testid="credentials-issue">{t('credentials.issue')}</Button>
        )}
      </Flex>
      <Table<Credential>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items}
        data-testid="credentials-table"
        pagination={{ current: page.page, pageSize: page.pageSize, total: list.data?.total, showTotal: (total) => t('common.total', { total }), onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
        columns={[
          { title: t('credentials.name'), dataIndex: 'name' },
          { title: t('credentials.provider'), key: 'provider', render: (_, r) => r.provider.name },
          { title: t('credentials.prefix'), dataIndex: 'tokenPrefix', render: (v: string) => <code>{v}…</code> },
          { title: t('credentials.nodes'), key: 'nodes', render: (_, r) => (r.nodes ? r.nodes.map((n) => <Tag key={n.id}>{n.code}</Tag>) : <Typography.Text type="secondary">{t('credentials.allNodes')}</Typography.Text>) },
          { title: t('common.status'), dataIndex: 'status', render: (s: Credential['status']) => <Tag color={STATUS_COLOURS[s]}>{t(`credentials.status.${s}`)}</Tag> },
          { title: t('credentials.expiresAt'), dataIndex: 'expiresAt', render: (v: string | null) => (v ? fmtTime(v) : t('credentials.never')) },
          { title: t('credentials.lastUsed'), key: 'lastUsed', render: (_, r) => (r.lastUsedAt ? `${fmtTime(r.lastUsedAt)}${r.lastUsedIp ? ` · ${r.lastUsedIp}` : ''}` : '—') },
          { title: t('credentials.createdBy'), key: 'createdBy', render: (_, r) => (r.createdBy ? `${r.createdBy.username} · ${fmtTime(r.createdAt)}` : fmtTime(r.createdAt)) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) =>
              r.status === 'active' && (can('ingest:credential') || can('ingest:config')) && (
                <Popconfirm title={t('credentials.revokeConfirm')} onConfirm={() => revoke.mutate(r.id)}>
                  <Button type="link" danger size="small" data-testid={`credential-revoke-${r.id}`}>{t('credentials.revoke')}</Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal open={issuing} title={t('credentials.issueTitle')} onCancel={() => setIssuing(false)} onOk={() => form.submit()} confirmLoading={issue.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'credential-form-submit' } as never}>
        <Form form={form} layout="vertical" onFinish={(v) => issue.mutate(v)}>
          <Form.Item name="name" label={t('credentials.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}>
            <Input maxLength={50} data-testid="credential-form-name" />
          </Form.Item>
          <Form.Item name="nodeIds" label={t('credentials.nodes')} extra={t('credentials.nodesHint')}>
            <Select mode="multiple" allowClear placeholder={t('credentials.allNodes')} options={ownNodes.map((n) => ({ value: n.id, label: `${n.code} ${n.name}` }))} optionFilterProp="label" data-testid="credential-form-nodes" />
          </Form.Item>
          <Form.Item name="expiresAt" label={t('credentials.expiresAt')}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} placeholder={t('credentials.never')} data-testid="credential-form-expires" />
          </Form.Item>
        </Form>
      </Modal>
      <IssuedModal issued={issued} onClose={() => setIssued(undefined)} />
    </>
  );
}

interface EndpointValues {
  nodeId?: string;
  baseUrl: string;
  intervalMinutes: number;
  enabled: boolean;
}

function EndpointsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { data: me } = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<QueryEndpoint | 'new'>();
  const [secret, setSecret] = useState<string>();
  const [form] = Form.useForm<EndpointValues>();
  const list = useQuery({ queryKey: ingestKeys.endpoints, queryFn: endpointsApi.list });
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes });
  const manage = can('ingest:config') || can('ingest:credential');
  const configured = new Set((list.data ?? []).map((e) => e.node.id));
  const choosable = (nodes.data?.items ?? []).filter((n) => n.provider && !configured.has(n.id) && (can('ingest:config') || n.provider.id === me?.org.id));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ingestKeys.endpoints });
  const fail = (e: unknown) => message.error(errorText(e));

  const save = useMutation({
    mutationFn: async (v: EndpointValues) => {
      if (editing === 'new') return { created: await endpointsApi.create({ nodeId: v.nodeId!, baseUrl: v.baseUrl, intervalMinutes: v.intervalMinutes, enabled: v.enabled }) };
      await endpointsApi.update((editing as QueryEndpoint).id, { baseUrl: v.baseUrl, intervalMinutes: v.intervalMinutes, enabled: v.enabled });
      return { created: undefined };
    },
    onSuccess: ({ created }) => {
      setEditing(undefined);
      if (created) setSecret(created.signingSecret);
      else message.success(t('common.saved'));
      refresh();
    },
    onError: fail,
  });
  const toggle = useMutation({ mutationFn: (e: QueryEndpoint) => endpointsApi.update(e.id, { enabled: !e.enabled }), onSuccess: refresh, onError: fail });
  const pollNow = useMutation({ mutationFn: (id: string) => endpointsApi.pollNow(id), onSuccess: () => { refresh(); void queryClient.invalidateQueries({ queryKey: ingestKeys.polls }); }, onError: fail });
  const rotate = useMutation({ mutationFn: (id: string) => endpointsApi.rotate(id), onSuccess: (r) => { setSecret(r.signingSecret); refresh(); }, onError: fail });
  const remove = useMutation({ mutationFn: (id: string) => endpointsApi.remove(id), onSuccess: refresh, onError: fail });

  // The modal's form is mounted afresh on each opening (destroyOnHidden) with these values.
  const open = (e: QueryEndpoint | 'new') => setEditing(e);
  const initial: Partial<EndpointValues> =
    editing === undefined || editing === 'new' ? { intervalMinutes: 5, enabled: true, baseUrl: '' } : { baseUrl: editing.baseUrl, intervalMinutes: editing.intervalMinutes, enabled: editing.enabled };

  return (
    <>
      <Flex justify="space-between" align="start" gap={12} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('credentials.endpoints.hint')}</Typography.Text>
        {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="endpoints-add">{t('credentials.endpoints.add')}</Button>}
      </Flex>
      <Table<QueryEndpoint>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data}
        pagination={false}
        data-testid="endpoints-table"
        columns={[
          { title: t('credentials.endpoints.node'), key: 'node', render: (_, r) => `${r.node.code} ${r.node.name}` },
          { title: t('credentials.provider'), key: 'provider', render: (_, r) => r.provider.name },
          { title: t('credentials.endpoints.baseUrl'), dataIndex: 'baseUrl', render: (v: string) => <code>{v}</code> },
          { title: t('credentials.endpoints.interval'), dataIndex: 'intervalMinutes' },
          { title: t('credentials.endpoints.enabled'), key: 'enabled', render: (_, r) => <Switch size="small" checked={r.enabled} disabled={!manage} loading={toggle.isPending && toggle.variables?.id === r.id} onChange={() => toggle.mutate(r)} /> },
          { title: t('credentials.endpoints.lastPolled'), dataIndex: 'lastPolledAt', render: (v: string | null) => (v ? fmtTime(v) : t('credentials.endpoints.never')) },
          { title: t('credentials.endpoints.nextPoll'), dataIndex: 'nextPollAt', render: (v: string, r) => (r.enabled ? fmtTime(v) : '—') },
          {
            title: t('credentials.endpoints.lastResults'),
            key: 'lastResults',
            render: (_, r) =>
              r.lastResults.map((x) => (
                <Tooltip key={x.resource} title={x.error ?? `HTTP ${x.httpStatus ?? '—'} · ${fmtTime(x.polledAt)}`}>
                  <Tag color={x.ok ? 'green' : 'red'}>{t(`providerEvents.polls.resources.${x.resource}`)}</Tag>
                </Tooltip>
              )),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) =>
              manage && (
                <Space size={0} wrap>
                  <Button type="link" size="small" onClick={() => open(r)}>{t('common.edit')}</Button>
                  <Button type="link" size="small" icon={<ReloadOutlined />} loading={pollNow.isPending && pollNow.variables === r.id} onClick={() => pollNow.mutate(r.id)} data-testid={`endpoint-poll-${r.id}`}>{t('credentials.endpoints.pollNow')}</Button>
                  <Popconfirm title={t('credentials.endpoints.rotateConfirm')} onConfirm={() => rotate.mutate(r.id)}>
                    <Button type="link" size="small">{t('credentials.endpoints.rotate')}</Button>
                  </Popconfirm>
                  <Popconfirm title={t('credentials.endpoints.removeConfirm')} onConfirm={() => remove.mutate(r.id)}>
                    <Button type="link" danger size="small">{t('credentials.endpoints.remove')}</Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing === 'new' ? t('credentials.endpoints.addTitle') : t('credentials.endpoints.editTitle')}
        onCancel={() => setEditing(undefined)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'endpoint-form-submit' } as never}
      >
        <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
          {editing === 'new' && (
            <Form.Item name="nodeId" label={t('credentials.endpoints.node')} rules={[{ required: true, message: t('common.required') }]}>
              <Select showSearch optionFilterProp="label" options={choosable.map((n) => ({ value: n.id, label: `${n.code} ${n.name} · ${n.provider?.name ?? ''}` }))} data-testid="endpoint-form-node" />
            </Form.Item>
          )}
          <Form.Item
            name="baseUrl"
            label={t('credentials.endpoints.baseUrl')}
            extra={t('credentials.endpoints.baseUrlHint')}
            rules={[{ required: true, message: t('common.required') }, { pattern: /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, message: t('credentials.endpoints.baseUrlHint') }, { max: 500 }]}
          >
            <Input data-testid="endpoint-form-url" />
          </Form.Item>
          <Form.Item name="intervalMinutes" label={t('credentials.endpoints.interval')} rules={[{ required: true, message: t('common.required') }]}>
            <InputNumber min={1} max={1440} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="enabled" label={t('credentials.endpoints.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
      <SecretModal open={!!secret} title={t('credentials.endpoints.secretTitle')} hint={t('credentials.endpoints.secretHint')} secret={secret ?? ''} onClose={() => setSecret(undefined)} testId="endpoint-secret" />
    </>
  );
}

/** 接入凭证: a provider's credentials and the query endpoints of its nodes; the management unit sees every provider's. */
export default function CredentialsPage() {
  const { t } = useTranslation();
  const can = useCan();
  // Credentials: provider admins (own) and the management unit (all). Query endpoints: every reader of the data interface.
  const credentials = can('ingest:credential') || can('ingest:config');
  return (
    <Card title={t('credentials.title')} size="small">
      <Alert type="info" showIcon message={t('credentials.hint')} style={{ marginBottom: 12 }} />
      <Tabs
        items={[
          ...(credentials ? [{ key: 'credentials', label: t('credentials.tabCredentials'), children: <CredentialsTab /> }] : []),
          { key: 'endpoints', label: t('credentials.tabEndpoints'), children: <EndpointsTab /> },
        ]}
      />
    </Card>
  );
}
