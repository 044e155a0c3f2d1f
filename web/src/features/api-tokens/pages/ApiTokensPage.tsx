import { useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Select, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { tokensApi, tokenKeys } from '../api-tokens.api';
import { rolesApi, roleKeys } from '../../roles/roles.api';
import type { ApiToken } from '../../../api/types';
import { useCan, useMe } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { SecretModal } from '../../../app/ResultModal';
import { OrgTreeSelect } from '../../organisations/components/OrgTreeSelect';

interface Values {
  name: string;
  orgId?: string;
  permissions: string[];
  expiresAt?: Dayjs;
}

const STATUS_COLOURS = { active: 'green', expired: 'default', revoked: 'red' } as const;

export default function ApiTokensPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const { data: me } = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const [token, setToken] = useState<string>();
  const [form] = Form.useForm<Values>();
  const list = useQuery({ queryKey: tokenKeys.list(page.page, page.pageSize), queryFn: () => tokensApi.list(page.page, page.pageSize) });
  const catalog = useQuery({ queryKey: roleKeys.permissions, queryFn: rolesApi.permissions });
  const zh = i18n.language !== 'en-US';
  const own = new Set(me?.permissions ?? []);

  const create = useMutation({
    mutationFn: (v: Values) =>
      tokensApi.create({ name: v.name, ...(v.orgId ? { orgId: v.orgId } : {}), permissions: v.permissions as never, expiresAt: v.expiresAt ? v.expiresAt.endOf('day').toISOString() : null }),
    onSuccess: (r) => { setCreating(false); setToken(r.token); void queryClient.invalidateQueries({ queryKey: tokenKeys.all }); },
    onError: (e) => message.error(errorText(e)),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => tokensApi.revoke(id),
    onSuccess: () => { message.success(t('common.success')); void queryClient.invalidateQueries({ queryKey: tokenKeys.all }); },
    onError: (e) => message.error(errorText(e)),
  });

  return (
    <Card
      title={t('tokens.title')}
      size="small"
      extra={can('token:write') && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => { form.resetFields(); form.setFieldsValue({ permissions: [] }); setCreating(true); }} data-testid="tokens-create">{t('common.create')}</Button>
      )}
    >
      <Table<ApiToken>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items}
        data-testid="tokens-table"
        pagination={{ current: page.page, pageSize: page.pageSize, total: list.data?.total, showTotal: (total) => t('common.total', { total }), onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name' },
          { title: t('tokens.prefix'), dataIndex: 'tokenPrefix', render: (v: string) => <code>{v}…</code> },
          { title: t('tokens.org'), key: 'org', render: (_, r) => r.org.name },
          { title: t('tokens.permissions'), dataIndex: 'permissions', render: (ps: string[]) => ps.map((p) => <Tag key={p}>{p}</Tag>) },
          { title: t('common.status'), dataIndex: 'status', render: (s: ApiToken['status']) => <Tag color={STATUS_COLOURS[s]}>{t(`tokens.status.${s}`)}</Tag> },
          { title: t('tokens.expiresAt'), dataIndex: 'expiresAt', render: (v: string | null) => (v ? fmtTime(v) : t('tokens.never')) },
          { title: t('tokens.lastUsed'), key: 'lastUsed', render: (_, r) => (r.lastUsedAt ? `${fmtTime(r.lastUsedAt)}${r.lastUsedIp ? ` · ${r.lastUsedIp}` : ''}` : '—') },
          { title: t('tokens.createdBy'), key: 'createdBy', render: (_, r) => r.createdBy?.username ?? '—' },
          {
            title: t('common.actions'), key: 'actions',
            render: (_, r) => r.status === 'active' && can('token:write') && (
              <Popconfirm title={t('tokens.revokeConfirm')} onConfirm={() => revoke.mutate(r.id)}>
                <Button type="link" danger size="small" data-testid={`token-revoke-${r.id}`}>{t('tokens.revoke')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal open={creating} title={t('tokens.createTitle')} onCancel={() => setCreating(false)} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'token-form-submit' } as never}>
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}>
            <Input maxLength={50} data-testid="token-form-name" />
          </Form.Item>
          <Form.Item name="orgId" label={t('tokens.org')}>
            <OrgTreeSelect allowClear placeholder={me?.org.name} testId="token-form-org" />
          </Form.Item>
          <Form.Item name="permissions" label={t('tokens.permissions')} rules={[{ required: true, type: 'array', min: 1, message: t('common.required') }]}>
            <Select
              mode="multiple"
              data-testid="token-form-permissions"
              optionFilterProp="label"
              options={(catalog.data ?? []).filter((p) => own.has(p.code)).map((p) => ({ value: p.code, label: `${zh ? p.nameZh : p.nameEn} (${p.code})` }))}
            />
          </Form.Item>
          <Form.Item name="expiresAt" label={t('tokens.expiresAt')}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} placeholder={t('tokens.never')} data-testid="token-form-expires" />
          </Form.Item>
        </Form>
      </Modal>
      <SecretModal open={!!token} title={t('tokens.createdTitle')} hint={t('tokens.createdHint')} secret={token ?? ''} onClose={() => setToken(undefined)} testId="token-value" />
    </Card>
  );
}
