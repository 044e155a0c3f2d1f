import { useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { notificationKeys, notificationsApi, type KeyPeriod } from '../notifications.api';
import { directoryApi, directoryKeys } from '../../directory/directory.api';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';

interface PeriodForm {
  name: string;
  range: [Dayjs, Dayjs];
  scope: 'all' | 'nodes';
  nodeIds?: string[];
  description?: string;
}

const STATE_COLOR: Record<string, string> = { upcoming: 'blue', active: 'red', ended: 'default' };

/** 重保期: declared by the management unit (keyperiod:write), read by everyone signed in. */
export default function KeyPeriodsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const qc = useQueryClient();
  const writable = can('keyperiod:write');
  const [editing, setEditing] = useState<KeyPeriod | 'new' | null>(null);
  const [form] = Form.useForm<PeriodForm>();
  const periods = useQuery({ queryKey: notificationKeys.keyPeriods, queryFn: notificationsApi.keyPeriods });
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes, enabled: can('directory:read') });
  const nodeName = new Map((nodes.data?.items ?? []).map((n) => [n.id, n.name]));
  const scope = Form.useWatch('scope', form);

  const done = (text: string) => {
    message.success(text);
    setEditing(null);
    void qc.invalidateQueries({ queryKey: notificationKeys.keyPeriods });
  };
  const save = useMutation({
    mutationFn: (v: PeriodForm) => {
      const body = { name: v.name, startsAt: v.range[0].format(), endsAt: v.range[1].format(), scope: v.scope, nodeIds: v.scope === 'nodes' ? (v.nodeIds ?? []) : [], description: v.description || null };
      return editing && editing !== 'new' ? notificationsApi.updateKeyPeriod(editing.id, body) : notificationsApi.createKeyPeriod(body);
    },
    onSuccess: () => done(t('notifications.keyPeriods.saved')),
    onError: (e) => message.error(errorText(e)),
  });
  const remove = useMutation({ mutationFn: notificationsApi.removeKeyPeriod, onSuccess: () => done(t('notifications.keyPeriods.removed')), onError: (e) => message.error(errorText(e)) });

  const open = (p?: KeyPeriod) => {
    setEditing(p ?? 'new');
    form.setFieldsValue(
      p
        ? { name: p.name, range: [dayjs(p.startsAt), dayjs(p.endsAt)], scope: p.scope, nodeIds: p.nodeIds, description: p.description ?? '' }
        : { name: '', range: [dayjs().startOf('day'), dayjs().add(7, 'day').endOf('day')], scope: 'all', nodeIds: [], description: '' },
    );
  };

  return (
    <Card
      title={t('notifications.keyPeriods.title')}
      size="small"
      extra={writable && <Button icon={<PlusOutlined />} onClick={() => open()} data-testid="keyperiod-add">{t('notifications.keyPeriods.add')}</Button>}
    >
      <Typography.Paragraph type="secondary">{t('notifications.keyPeriods.intro')}</Typography.Paragraph>
      <Table<KeyPeriod>
        rowKey="id"
        size="small"
        loading={periods.isLoading}
        dataSource={periods.data ?? []}
        columns={[
          { title: t('notifications.keyPeriods.name'), dataIndex: 'name' },
          { title: t('notifications.keyPeriods.range'), key: 'range', render: (_, p) => `${fmtTime(p.startsAt)} — ${fmtTime(p.endsAt)}` },
          {
            title: t('notifications.keyPeriods.scope'),
            key: 'scope',
            render: (_, p) => (p.scope === 'all' ? t('notifications.keyPeriods.scopeAll') : p.nodeIds.map((id) => <Tag key={id}>{nodeName.get(id) ?? id.slice(0, 8)}</Tag>)),
          },
          { title: t('notifications.keyPeriods.state'), dataIndex: 'state', width: 90, render: (s: string) => <Tag color={STATE_COLOR[s]}>{t(`notifications.keyPeriods.states.${s}`)}</Tag> },
          { title: t('notifications.keyPeriods.description'), dataIndex: 'description', ellipsis: true },
          ...(writable
            ? [
                {
                  title: '',
                  key: 'actions',
                  width: 130,
                  render: (_: unknown, p: KeyPeriod) => (
                    <Space>
                      <a onClick={() => open(p)}>{t('notifications.keyPeriods.edit')}</a>
                      <Popconfirm title={t('notifications.keyPeriods.removeConfirm')} onConfirm={() => remove.mutate(p.id)}>
                        <a>{t('notifications.keyPeriods.remove')}</a>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('notifications.keyPeriods.add') : t('notifications.keyPeriods.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
        width={600}
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t('notifications.keyPeriods.name')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="keyperiod-name" />
          </Form.Item>
          <Form.Item name="range" label={t('notifications.keyPeriods.range')} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="scope" label={t('notifications.keyPeriods.scope')}>
            <Radio.Group options={[{ value: 'all', label: t('notifications.keyPeriods.scopeAll') }, { value: 'nodes', label: t('notifications.keyPeriods.scopeNodes') }]} />
          </Form.Item>
          {scope === 'nodes' && (
            <Form.Item name="nodeIds" label={t('notifications.keyPeriods.nodes')} rules={[{ required: true, type: 'array', min: 1 }]}>
              <Select mode="multiple" options={(nodes.data?.items ?? []).map((n) => ({ value: n.id, label: n.name }))} />
            </Form.Item>
          )}
          <Form.Item name="description" label={t('notifications.keyPeriods.description')} rules={[{ max: 1000 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
