import { useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip } from 'antd';
import { PlusOutlined, LockOutlined, SafetyOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { usersApi, userKeys, type UserFilter } from '../users.api';
import { rolesApi, roleKeys } from '../../roles/roles.api';
import type { UserDetail, UserItem } from '../../../api/types';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { OrgTreeSelect } from '../../organisations/components/OrgTreeSelect';
import { SecretModal } from '../../../app/ResultModal';

interface CreateValues {
  orgId: string;
  username: string;
  displayName: string;
  email?: string;
  phone?: string;
  authSource: 'local' | 'ldap';
  roleIds?: string[];
}

function StatusTag({ u }: { u: UserItem }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {u.status === 'active' ? <Tag color="green">{t('users.statusActive')}</Tag> : <Tag>{t('users.statusDisabled')}</Tag>}
      {u.locked && (
        <Tooltip title={u.lockedUntil ? t('users.lockedUntil', { time: fmtTime(u.lockedUntil) }) : undefined}>
          <Tag color="red" icon={<LockOutlined />}>{t('users.statusLocked')}</Tag>
        </Tooltip>
      )}
      {u.mustChangePassword && <Tag color="orange">{t('users.mustChange')}</Tag>}
    </Space>
  );
}

function RolesSelect({ orgId, value, onChange, testId }: { orgId?: string; value?: string[]; onChange?: (v: string[]) => void; testId: string }) {
  const { t } = useTranslation();
  const roles = useQuery({ queryKey: roleKeys.list(orgId), queryFn: () => rolesApi.list(orgId), enabled: !!orgId });
  return (
    <Select
      mode="multiple"
      value={value}
      onChange={onChange}
      loading={roles.isLoading}
      options={(roles.data?.items ?? []).filter((r) => r.assignable || value?.includes(r.id)).map((r) => ({ value: r.id, label: r.name, disabled: !r.assignable }))}
      optionFilterProp="label"
      placeholder={orgId ? undefined : t('users.pickOrgFirst')}
      data-testid={testId}
    />
  );
}

export default function UsersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<UserFilter>({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const [detailId, setDetailId] = useState<string>();
  const [editing, setEditing] = useState<UserDetail | null>(null);
  const [assigning, setAssigning] = useState<UserDetail | null>(null);
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [createForm] = Form.useForm<CreateValues>();
  const [editForm] = Form.useForm<{ displayName: string; email?: string; phone?: string }>();
  const [rolesForm] = Form.useForm<{ roleIds: string[] }>();
  const createOrg = Form.useWatch('orgId', createForm);

  const list = useQuery({ queryKey: userKeys.list(filter), queryFn: () => usersApi.list(filter) });
  const detail = useQuery({ queryKey: userKeys.detail(detailId ?? ''), queryFn: () => usersApi.get(detailId!), enabled: !!detailId });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: userKeys.all });
  const onError = (e: unknown) => message.error(errorText(e));

  const create = useMutation({
    mutationFn: (v: CreateValues) => usersApi.create({ ...v, email: v.email || undefined, phone: v.phone || undefined, roleIds: v.roleIds ?? [] }),
    onSuccess: (r) => {
      setCreating(false);
      refresh();
      if (r.initialPassword) setSecret({ title: `${t('users.initialPasswordTitle')} · ${r.user.username}`, value: r.initialPassword });
      else message.success(t('common.saved'));
    },
    onError,
  });
  const update = useMutation({
    mutationFn: (v: { displayName: string; email?: string; phone?: string }) =>
      usersApi.update(editing!.id, { displayName: v.displayName, ...(editing!.contactMasked ? {} : { email: v.email || null, phone: v.phone || null }) }),
    onSuccess: () => { setEditing(null); message.success(t('common.saved')); refresh(); },
    onError,
  });
  const setRoles = useMutation({
    mutationFn: (v: { roleIds: string[] }) => usersApi.setRoles(assigning!.id, v.roleIds),
    onSuccess: () => { setAssigning(null); message.success(t('common.saved')); refresh(); },
    onError,
  });
  const action = useMutation({
    mutationFn: async ({ kind, id }: { kind: 'unlock' | 'disable' | 'enable' | 'resetMfa' | 'resetPassword'; id: string }) => {
      if (kind === 'resetPassword') return { password: (await usersApi.resetPassword(id)).initialPassword };
      await usersApi[kind](id);
      return { password: undefined };
    },
    onSuccess: (r) => {
      refresh();
      if (r.password) setSecret({ title: t('users.initialPasswordTitle'), value: r.password });
      else message.success(t('common.success'));
    },
    onError,
  });

  const u = detail.data;
  return (
    <Card
      title={t('users.title')}
      size="small"
      extra={can('user:write') && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => { createForm.resetFields(); createForm.setFieldsValue({ orgId: filter.orgId, authSource: 'local' }); setCreating(true); }} data-testid="users-create">
          {t('common.create')}
        </Button>
      )}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <OrgTreeSelect allowClear placeholder={t('users.org')} style={{ width: 240 }} value={filter.orgId} onChange={(orgId) => setFilter((f) => ({ ...f, orgId, page: 1 }))} testId="users-filter-org" />
        <Select
          allowClear placeholder={t('users.status')} style={{ width: 120 }} value={filter.status}
          options={[{ value: 'active', label: t('users.statusActive') }, { value: 'disabled', label: t('users.statusDisabled') }, { value: 'locked', label: t('users.statusLocked') }]}
          onChange={(status) => setFilter((f) => ({ ...f, status, page: 1 }))}
          data-testid="users-filter-status"
        />
        <Input.Search allowClear placeholder={t('users.searchPlaceholder')} style={{ width: 240 }} onSearch={(q) => setFilter((f) => ({ ...f, q: q || undefined, page: 1 }))} data-testid="users-filter-q" />
      </Space>
      <Table<UserItem>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items}
        data-testid="users-table"
        pagination={{ current: filter.page, pageSize: filter.pageSize, total: list.data?.total, showSizeChanger: true, showTotal: (total) => t('common.total', { total }), onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })) }}
        columns={[
          { title: t('users.username'), dataIndex: 'username', render: (v: string, r) => <a onClick={() => setDetailId(r.id)} data-testid={`user-row-${v}`}>{v}</a> },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          { title: t('users.org'), key: 'org', render: (_, r) => r.org.name },
          { title: t('users.roles'), key: 'roles', render: (_, r) => r.roles.map((x) => <Tag key={x.id}>{x.name}</Tag>) },
          { title: t('users.authSource'), dataIndex: 'authSource', render: (v: string) => (v === 'ldap' ? t('users.ldap') : t('users.local')) },
          { title: t('users.mfa'), dataIndex: 'mfaEnabled', render: (v: boolean) => (v ? <SafetyOutlined style={{ color: '#52c41a' }} /> : '—') },
          { title: t('common.status'), key: 'status', render: (_, r) => <StatusTag u={r} /> },
          { title: t('users.lastLogin'), dataIndex: 'lastLoginAt', render: fmtTime },
          { title: t('common.actions'), key: 'actions', render: (_, r) => <Button type="link" size="small" onClick={() => setDetailId(r.id)} data-testid={`user-detail-${r.username}`}>{t('common.detail')}</Button> },
        ]}
      />

      <Drawer open={!!detailId} onClose={() => setDetailId(undefined)} width={520} title={u ? `${u.displayName}（${u.username}）` : t('common.loading')} data-testid="user-drawer">
        {u && (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Space wrap data-testid="user-actions">
              {u.abilities.update && (
                <Button onClick={() => { editForm.setFieldsValue({ displayName: u.displayName, email: u.email ?? undefined, phone: u.phone ?? undefined }); setEditing(u); }} data-testid="user-edit">{t('common.edit')}</Button>
              )}
              {u.abilities.assignRoles && (
                <Button onClick={() => { rolesForm.setFieldsValue({ roleIds: u.roles.map((r) => r.id) }); setAssigning(u); }} data-testid="user-assign-roles">{t('users.assignRoles')}</Button>
              )}
              {u.abilities.resetPassword && (
                <Popconfirm title={t('users.resetPasswordConfirm')} onConfirm={() => action.mutate({ kind: 'resetPassword', id: u.id })}>
                  <Button data-testid="user-reset-password">{t('users.resetPassword')}</Button>
                </Popconfirm>
              )}
              {u.abilities.unlock && <Button onClick={() => action.mutate({ kind: 'unlock', id: u.id })} data-testid="user-unlock">{t('users.unlock')}</Button>}
              {u.abilities.resetMfa && (
                <Popconfirm title={t('users.resetMfaConfirm')} onConfirm={() => action.mutate({ kind: 'resetMfa', id: u.id })}>
                  <Button data-testid="user-reset-mfa">{t('users.resetMfa')}</Button>
                </Popconfirm>
              )}
              {u.abilities.disable && (
                <Popconfirm title={t('users.disableConfirm')} onConfirm={() => action.mutate({ kind: 'disable', id: u.id })}>
                  <Button danger data-testid="user-disable">{t('common.disable')}</Button>
                </Popconfirm>
              )}
              {u.abilities.enable && <Button onClick={() => action.mutate({ kind: 'enable', id: u.id })} data-testid="user-enable">{t('common.enable')}</Button>}
            </Space>
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label={t('users.username')}>{u.username}</Descriptions.Item>
              <Descriptions.Item label={t('users.displayName')}>{u.displayName}</Descriptions.Item>
              <Descriptions.Item label={t('users.org')}>{u.org.name}（{t(`kinds.${u.org.kind}`)}）</Descriptions.Item>
              <Descriptions.Item label={t('users.email')}>{u.email ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('users.phone')}>{u.phone ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('users.roles')}>{u.roles.map((r) => <Tag key={r.id}>{r.name}</Tag>)}</Descriptions.Item>
              <Descriptions.Item label={t('users.authSource')}>{u.authSource === 'ldap' ? t('users.ldap') : t('users.local')}</Descriptions.Item>
              <Descriptions.Item label={t('common.status')}><StatusTag u={u} /></Descriptions.Item>
              <Descriptions.Item label={t('users.mfa')}>{u.mfaEnabled ? t('home.mfaOn') : t('home.mfaOff')}</Descriptions.Item>
              <Descriptions.Item label={t('users.lastLogin')}>{fmtTime(u.lastLoginAt)}{u.lastLoginIp ? ` · ${u.lastLoginIp}` : ''}</Descriptions.Item>
              <Descriptions.Item label={t('common.createdAt')}>{fmtTime(u.createdAt)}</Descriptions.Item>
            </Descriptions>
          </Space>
        )}
      </Drawer>

      <Modal open={creating} title={t('users.createTitle')} onCancel={() => setCreating(false)} onOk={() => createForm.submit()} confirmLoading={create.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'user-form-submit' } as never}>
        <Form form={createForm} layout="vertical" onFinish={(v) => create.mutate(v)} data-testid="user-form">
          <Form.Item name="orgId" label={t('users.org')} rules={[{ required: true, message: t('common.required') }]}>
            <OrgTreeSelect testId="user-form-org" />
          </Form.Item>
          <Form.Item name="username" label={t('users.username')} rules={[{ required: true, message: t('common.required') }, { pattern: /^[A-Za-z0-9_.@-]{3,64}$/, message: t('users.usernameRule') }]}>
            <Input maxLength={64} autoComplete="off" data-testid="user-form-username" />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}>
            <Input maxLength={50} data-testid="user-form-display-name" />
          </Form.Item>
          <Form.Item name="email" label={t('users.email')} rules={[{ type: 'email' }, { max: 100 }]}>
            <Input data-testid="user-form-email" />
          </Form.Item>
          <Form.Item name="phone" label={t('users.phone')} rules={[{ pattern: /^\+?[0-9][0-9 -]{4,19}$/, message: t('users.phoneRule') }]}>
            <Input data-testid="user-form-phone" />
          </Form.Item>
          <Form.Item name="authSource" label={t('users.authSource')}>
            <Select options={[{ value: 'local', label: t('users.local') }, { value: 'ldap', label: t('users.ldap') }]} data-testid="user-form-auth-source" />
          </Form.Item>
          {can('role:assign') && can('role:read') && (
            <Form.Item name="roleIds" label={t('users.roles')}>
              <RolesSelect orgId={createOrg} testId="user-form-roles" />
            </Form.Item>
          )}
        </Form>
      </Modal>

      <Modal open={!!editing} title={t('users.editTitle')} onCancel={() => setEditing(null)} onOk={() => editForm.submit()} confirmLoading={update.isPending} okButtonProps={{ 'data-testid': 'user-edit-submit' } as never}>
        <Form form={editForm} layout="vertical" onFinish={(v) => update.mutate(v)}>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true }, { max: 50 }]}>
            <Input maxLength={50} data-testid="user-edit-display-name" />
          </Form.Item>
          {!editing?.contactMasked && (
            <>
              <Form.Item name="email" label={t('users.email')} rules={[{ type: 'email' }, { max: 100 }]}><Input data-testid="user-edit-email" /></Form.Item>
              <Form.Item name="phone" label={t('users.phone')} rules={[{ pattern: /^\+?[0-9][0-9 -]{4,19}$/ }]}><Input data-testid="user-edit-phone" /></Form.Item>
            </>
          )}
        </Form>
      </Modal>

      <Modal open={!!assigning} title={t('users.assignRoles')} onCancel={() => setAssigning(null)} onOk={() => rolesForm.submit()} confirmLoading={setRoles.isPending} okButtonProps={{ 'data-testid': 'user-roles-submit' } as never}>
        <Form form={rolesForm} layout="vertical" onFinish={(v) => setRoles.mutate({ roleIds: v.roleIds ?? [] })}>
          <Form.Item name="roleIds" label={t('users.roles')}>
            <RolesSelect orgId={assigning?.org.id} testId="user-roles-select" />
          </Form.Item>
        </Form>
      </Modal>

      <SecretModal open={!!secret} title={secret?.title ?? ''} hint={t('users.initialPasswordHint')} secret={secret?.value ?? ''} onClose={() => setSecret(null)} testId="initial-password" />
    </Card>
  );
}
