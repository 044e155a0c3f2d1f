import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/auth.api';
import { orgApi } from '../../organisations/organisations.api';
import { directoryApi, directoryKeys } from '../../directory/directory.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { codeTablesApi, ingestKeys, type CodeTable, type CodeValue } from '../ingest-credentials.api';

interface Values {
  code: string;
  labelZh: string;
  labelEn?: string;
  orgId?: string;
  sortOrder?: number;
  active: boolean;
}

/** Cloud provider organisations for cloudProvider codes: from the organisation list when readable, else the nodes' providers. */
function useProviderOptions(enabled: boolean) {
  const can = useCan();
  const orgs = useQuery({ queryKey: ['organisations', 'list', 'cloud_provider-all'], queryFn: () => orgApi.list({ kind: 'cloud_provider', page: 1, pageSize: 200 }), enabled: enabled && can('org:read') });
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes, enabled });
  return useMemo(() => {
    const m = new Map<string, string>();
    for (const o of orgs.data?.items ?? []) m.set(o.id, o.name);
    for (const n of nodes.data?.items ?? []) if (n.provider) m.set(n.provider.id, n.provider.name);
    return [...m].map(([value, label]) => ({ value, label }));
  }, [orgs.data, nodes.data]);
}

function CodeTableTab(props: { table: CodeTable; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { table } = props;
  const [editing, setEditing] = useState<CodeValue | 'new'>();
  const [form] = Form.useForm<Values>();
  const isProvider = table.name === 'cloudProvider';
  const providers = useProviderOptions(isProvider && props.editable);
  const len = table.codeLength.min === table.codeLength.max ? String(table.codeLength.min) : `${table.codeLength.min}–${table.codeLength.max}`;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ingestKeys.codeTables });

  const save = useMutation({
    mutationFn: (v: Values) =>
      codeTablesApi.put(table.name, editing === 'new' ? v.code.trim() : (editing as CodeValue).code, {
        labelZh: v.labelZh,
        labelEn: v.labelEn?.trim() || null,
        ...(isProvider ? { orgId: v.orgId ?? null } : {}),
        sortOrder: v.sortOrder ?? 0,
        active: v.active,
      }),
    onSuccess: () => {
      setEditing(undefined);
      message.success(t('common.saved'));
      refresh();
    },
    onError: (e) => message.error(errorText(e)),
  });
  const deactivate = useMutation({ mutationFn: (code: string) => codeTablesApi.deactivate(table.name, code), onSuccess: refresh, onError: (e) => message.error(errorText(e)) });

  // The modal's form is mounted afresh on each opening (destroyOnHidden) with these values.
  const open = (v: CodeValue | 'new') => setEditing(v);
  const initial: Partial<Values> =
    editing === undefined || editing === 'new'
      ? { code: '', labelZh: '', labelEn: '', sortOrder: (table.values.at(-1)?.sortOrder ?? 0) + 1, active: true }
      : { code: editing.code, labelZh: editing.labelZh, labelEn: editing.labelEn ?? '', orgId: editing.org?.id, sortOrder: editing.sortOrder, active: editing.active };

  return (
    <>
      <Flex justify="space-between" align="start" gap={12} style={{ marginBottom: 12 }}>
        <div>
          <Typography.Text type="secondary">{t('codeTables.usedBy')}：</Typography.Text>
          {table.usedBy.map((u) => (
            <Tag key={`${u.table}.${u.field}`} title={`${u.tableCn} · ${u.fieldCn}`}>{`${u.table}.${u.field}`}</Tag>
          ))}
          <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{t('codeTables.lengthRule', { len })}</Typography.Text>
        </div>
        {props.editable && <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid={`code-add-${table.name}`}>{t('codeTables.add')}</Button>}
      </Flex>
      <Table<CodeValue>
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={table.values}
        locale={{ emptyText: <Empty description={t('codeTables.noValues')} /> }}
        data-testid={`code-table-${table.name}`}
        columns={[
          { title: t('codeTables.code'), dataIndex: 'code', render: (v: string) => <code>{v}</code> },
          { title: t('codeTables.labelZh'), dataIndex: 'labelZh' },
          { title: t('codeTables.labelEn'), dataIndex: 'labelEn', render: (v: string | null) => v ?? '—' },
          ...(isProvider ? [{ title: t('codeTables.org'), key: 'org', render: (_: unknown, r: CodeValue) => r.org?.name ?? r.org?.id ?? '—' }] : []),
          { title: t('codeTables.sortOrder'), dataIndex: 'sortOrder' },
          { title: t('codeTables.active'), dataIndex: 'active', render: (v: boolean) => <Tag color={v ? 'green' : 'default'}>{v ? t('codeTables.activeYes') : t('codeTables.activeNo')}</Tag> },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: (v: string) => fmtTime(v) },
          ...(props.editable
            ? [{
                title: t('common.actions'),
                key: 'actions',
                render: (_: unknown, r: CodeValue) => (
                  <Space size={0}>
                    <Button type="link" size="small" onClick={() => open(r)} data-testid={`code-edit-${table.name}-${r.code}`}>{t('common.edit')}</Button>
                    {r.active && (
                      <Popconfirm title={t('codeTables.deactivateConfirm')} onConfirm={() => deactivate.mutate(r.code)}>
                        <Button type="link" danger size="small">{t('codeTables.deactivate')}</Button>
                      </Popconfirm>
                    )}
                  </Space>
                ),
              }]
            : []),
        ]}
      />
      <Modal
        open={!!editing}
        title={editing === 'new' ? t('codeTables.addTitle', { table: table.name }) : t('codeTables.editTitle', { table: table.name, code: editing?.code })}
        onCancel={() => setEditing(undefined)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'code-form-submit' } as never}
      >
        <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
          <Form.Item
            name="code"
            label={t('codeTables.code')}
            extra={t('codeTables.lengthRule', { len })}
            rules={[
              { required: true, message: t('common.required') },
              { validator: (_, v: string) => ([...(v ?? '')].length >= table.codeLength.min && [...(v ?? '')].length <= table.codeLength.max ? Promise.resolve() : Promise.reject(new Error(t('codeTables.lengthRule', { len })))) },
            ]}
          >
            <Input disabled={editing !== 'new'} maxLength={4} style={{ width: 160 }} data-testid="code-form-code" />
          </Form.Item>
          <Form.Item name="labelZh" label={t('codeTables.labelZh')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}>
            <Input maxLength={50} data-testid="code-form-label" />
          </Form.Item>
          <Form.Item name="labelEn" label={t('codeTables.labelEn')} rules={[{ max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
          {isProvider && (
            <Form.Item name="orgId" label={t('codeTables.org')} rules={[{ required: true, message: t('common.required') }]}>
              <Select showSearch optionFilterProp="label" options={providers} data-testid="code-form-org" />
            </Form.Item>
          )}
          <Form.Item name="sortOrder" label={t('codeTables.sortOrder')}>
            <InputNumber min={0} max={9999} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="active" label={t('codeTables.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 码表: one tab per code table; the management unit's staff (ingest:config) edit them. */
export default function CodeTablesPage() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ingestKeys.codeTables, queryFn: codeTablesApi.list });
  const editable = list.data?.abilities.edit ?? false;
  return (
    <Card title={t('codeTables.title')} size="small" loading={list.isLoading}>
      <Alert type="info" showIcon message={t('codeTables.hint')} style={{ marginBottom: 12 }} />
      {list.error && <Alert type="error" message={errorText(list.error)} />}
      <Tabs
        tabPosition="left"
        items={(list.data?.tables ?? []).map((table) => ({
          key: table.name,
          label: `${t(`codeTables.names.${table.name}`, { defaultValue: table.name })} · ${table.name} (${table.values.filter((v) => v.active).length})`,
          children: <CodeTableTab table={table} editable={editable} />,
        }))}
      />
    </Card>
  );
}
