import { useState } from 'react';
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, List, Modal, Popconfirm, Row, Space, Tag, Typography } from 'antd';
import { PlusOutlined, LockOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { rolesApi, roleKeys } from '../roles.api';
import type { Role } from '../../../api/types';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { PermissionTree } from '../components/PermissionTree';
import { OrgTreeSelect } from '../../organisations/components/OrgTreeSelect';

interface RoleValues {
  name: string;
  nameEn?: string;
  description?: string;
  orgId?: string;
  permissions: string[];
}

export default function RolesPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [selectedId, setSelectedId] = useState<string>();
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const [form] = Form.useForm<RoleValues>();
  const roles = useQuery({ queryKey: roleKeys.list(), queryFn: () => rolesApi.list() });
  const selected = roles.data?.items.find((r) => r.id === selectedId) ?? roles.data?.items[0];
  const refresh = () => void queryClient.invalidateQueries({ queryKey: roleKeys.all });
  const en = i18n.language === 'en-US';
  const roleName = (r: Role) => (en && r.nameEn ? r.nameEn : r.name);

  const save = useMutation({
    mutationFn: async (v: RoleValues) => {
      const common = { name: v.name, nameEn: v.nameEn || null, description: v.description || null, permissions: v.permissions ?? [] };
      if (editing === 'new') return rolesApi.create({ ...common, ...(v.orgId ? { orgId: v.orgId } : {}) } as never);
      return rolesApi.update(editing!.id, common as never);
    },
    onSuccess: (r) => { setEditing(null); message.success(t('common.saved')); setSelectedId(r.id); refresh(); },
    onError: (e) => message.error(errorText(e)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => rolesApi.remove(id),
    onSuccess: () => { setSelectedId(undefined); message.success(t('common.success')); refresh(); },
    onError: (e) => message.error(errorText(e)),
  });

  function open(r: Role | 'new') {
    form.resetFields();
    if (r !== 'new') form.setFieldsValue({ name: r.name, nameEn: r.nameEn ?? undefined, description: r.description ?? undefined, permissions: r.permissions });
    else form.setFieldsValue({ permissions: [] });
    setEditing(r);
  }

  const writable = can('role:write');
  return (
    <Row gutter={16}>
      <Col xs={24} md={9} xl={8}>
        <Card
          title={t('roles.title')}
          size="small"
          extra={writable && <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="roles-create">{t('common.create')}</Button>}
          styles={{ body: { padding: 0, maxHeight: 'calc(100vh - 160px)', overflow: 'auto' } }}
        >
          <List
            loading={roles.isLoading}
            dataSource={roles.data?.items ?? []}
            data-testid="roles-list"
            renderItem={(r) => (
              <List.Item
                onClick={() => setSelectedId(r.id)}
                style={{ cursor: 'pointer', padding: '10px 16px', background: selected?.id === r.id ? '#e6f0ff' : undefined }}
                data-testid={`role-item-${r.code ?? r.id}`}
              >
                <List.Item.Meta
                  title={<Space size={4}>{roleName(r)}{r.builtin && <Tag color="gold">{t('roles.builtin')}</Tag>}{r.requiresMfa && <Tag color="blue">{t('roles.requiresMfa')}</Tag>}</Space>}
                  description={r.org ? r.org.name : r.orgKinds.map((k) => t(`kinds.${k}`)).join('、')}
                />
                <Typography.Text type="secondary">{r.userCount}</Typography.Text>
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} md={15} xl={16}>
        <Card
          size="small"
          title={selected ? roleName(selected) : t('roles.selectRole')}
          extra={selected && writable && !selected.builtin && (
            <Space>
              <Button size="small" onClick={() => open(selected)} data-testid="role-edit">{t('common.edit')}</Button>
              <Popconfirm title={t('roles.deleteConfirm')} onConfirm={() => remove.mutate(selected.id)}>
                <Button size="small" danger data-testid="role-delete">{t('common.delete')}</Button>
              </Popconfirm>
            </Space>
          )}
        >
          {selected ? (
            <Space direction="vertical" style={{ width: '100%' }} size={16}>
              {selected.builtin && <Typography.Text type="secondary"><LockOutlined /> {t('roles.builtinReadonly')}</Typography.Text>}
              <Descriptions column={{ xs: 1, xl: 2 }} size="small" bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
                <Descriptions.Item label={t('roles.name')}>{selected.name}</Descriptions.Item>
                <Descriptions.Item label={t('roles.nameEn')}>{selected.nameEn ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('roles.org')}>{selected.org?.name ?? (selected.orgKinds.map((k) => t(`kinds.${k}`)).join('、') || '—')}</Descriptions.Item>
                <Descriptions.Item label={t('roles.users')}>{selected.userCount}</Descriptions.Item>
                {selected.adminKind && <Descriptions.Item label={t('roles.adminKind')}>{t(`home.adminKind.${selected.adminKind}`)}</Descriptions.Item>}
                <Descriptions.Item label={t('roles.description')} span={2}>{selected.description ?? '—'}</Descriptions.Item>
              </Descriptions>
              <Typography.Title level={5} style={{ margin: 0 }}>{t('roles.permissions')}</Typography.Title>
              <PermissionTree value={selected.permissions} disabled testId="role-permissions" />
            </Space>
          ) : (
            <Empty />
          )}
        </Card>
      </Col>
      <Modal open={editing !== null} title={editing === 'new' ? t('roles.createTitle') : t('roles.editTitle')} onCancel={() => setEditing(null)} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden width={640} okButtonProps={{ 'data-testid': 'role-form-submit' } as never}>
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="role-form">
          <Form.Item name="name" label={t('roles.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}>
            <Input maxLength={50} data-testid="role-form-name" />
          </Form.Item>
          <Form.Item name="nameEn" label={t('roles.nameEn')} rules={[{ max: 100 }]}>
            <Input data-testid="role-form-name-en" />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item name="orgId" label={t('roles.org')}>
              <OrgTreeSelect allowClear testId="role-form-org" />
            </Form.Item>
          )}
          <Form.Item name="description" label={t('roles.description')} rules={[{ max: 500 }]}>
            <Input.TextArea rows={2} data-testid="role-form-description" />
          </Form.Item>
          <Form.Item name="permissions" label={t('roles.permissions')} valuePropName="value">
            <PermissionTree testId="role-form-permissions" />
          </Form.Item>
        </Form>
      </Modal>
    </Row>
  );
}
