import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { directoryApi, directoryKeys, type CloudNode, type MachineRoom, type NetworkZone } from '../directory.api';
import { useCan } from '../../auth/auth.api';
import { IssueList } from '../../catalog/components/IssueList';

interface RoomValues { code?: string; name: string; address?: string; status?: 'active' | 'retired' }
interface ZoneValues { zoneType?: NetworkZone['zoneType']; name: string; cidrs?: string; description?: string; status?: 'active' | 'retired' }

const CIDR = /^(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

function StatusTag({ status }: { status: 'active' | 'retired' }) {
  const { t } = useTranslation();
  return status === 'active' ? <Tag color="green">{t('directory.statusActive')}</Tag> : <Tag>{t('directory.statusRetired')}</Tag>;
}

function NodeDetail({ node }: { node: CloudNode }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const writable = can('directory:write');
  const rooms = useQuery({ queryKey: directoryKeys.rooms(node.id), queryFn: () => directoryApi.rooms(node.id) });
  const zones = useQuery({ queryKey: directoryKeys.zones(node.id), queryFn: () => directoryApi.zones(node.id) });
  const [room, setRoom] = useState<MachineRoom | 'new' | null>(null);
  const [zone, setZone] = useState<NetworkZone | 'new' | null>(null);
  const [roomForm] = Form.useForm<RoomValues>();
  const [zoneForm] = Form.useForm<ZoneValues>();

  const saveRoom = useMutation({
    mutationFn: (v: RoomValues) => (room === 'new'
      ? directoryApi.createRoom(node.id, { code: v.code!, name: v.name, address: v.address || null })
      : directoryApi.updateRoom(node.id, (room as MachineRoom).id, { name: v.name, address: v.address || null, status: v.status })),
    onSuccess: () => { setRoom(null); message.success(t('common.saved')); void queryClient.invalidateQueries({ queryKey: directoryKeys.rooms(node.id) }); },
  });
  const saveZone = useMutation({
    mutationFn: (v: ZoneValues) => {
      const cidrs = (v.cidrs ?? '').split(/[\s,，;]+/).filter(Boolean);
      return zone === 'new'
        ? directoryApi.createZone(node.id, { zoneType: v.zoneType!, name: v.name, cidrs, description: v.description || null })
        : directoryApi.updateZone(node.id, (zone as NetworkZone).id, { name: v.name, cidrs, description: v.description || null, status: v.status });
    },
    onSuccess: () => { setZone(null); message.success(t('common.saved')); void queryClient.invalidateQueries({ queryKey: directoryKeys.zones(node.id) }); },
  });

  const statusOptions = [{ value: 'active', label: t('directory.statusActive') }, { value: 'retired', label: t('directory.statusRetired') }];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <Card size="small" title={t('directory.rooms')} extra={writable && <Button size="small" icon={<PlusOutlined />} onClick={() => { roomForm.resetFields(); saveRoom.reset(); setRoom('new'); }} data-testid={`room-create-${node.code}`}>{t('directory.addRoom')}</Button>}>
        <Table<MachineRoom>
          rowKey="id" size="small" pagination={false} loading={rooms.isLoading} dataSource={rooms.data?.items}
          columns={[
            { title: t('directory.roomCode'), dataIndex: 'code' },
            { title: t('common.name'), dataIndex: 'name' },
            { title: t('directory.address'), dataIndex: 'address', render: (v: string | null) => v ?? '—' },
            { title: t('common.status'), dataIndex: 'status', render: (v: 'active' | 'retired') => <StatusTag status={v} /> },
            ...(writable ? [{ title: t('common.actions'), key: 'a', render: (_: unknown, r: MachineRoom) => <Button type="link" size="small" onClick={() => { saveRoom.reset(); roomForm.setFieldsValue({ name: r.name, address: r.address ?? undefined, status: r.status }); setRoom(r); }}>{t('common.edit')}</Button> }] : []),
          ]}
        />
      </Card>
      <Card size="small" title={t('directory.zones')} extra={writable && <Button size="small" icon={<PlusOutlined />} onClick={() => { zoneForm.resetFields(); saveZone.reset(); setZone('new'); }} data-testid={`zone-create-${node.code}`}>{t('directory.addZone')}</Button>}>
        <Table<NetworkZone>
          rowKey="id" size="small" pagination={false} loading={zones.isLoading} dataSource={zones.data?.items}
          columns={[
            { title: t('directory.zoneType'), dataIndex: 'zoneType', render: (v: string) => t(`directory.zoneTypes.${v}`) },
            { title: t('common.name'), dataIndex: 'name' },
            { title: t('directory.cidrs'), dataIndex: 'cidrs', render: (v: string[]) => (v.length ? v.map((c) => <Tag key={c}>{c}</Tag>) : '—') },
            { title: t('common.description'), dataIndex: 'description', render: (v: string | null) => v ?? '—' },
            { title: t('common.status'), dataIndex: 'status', render: (v: 'active' | 'retired') => <StatusTag status={v} /> },
            ...(writable ? [{ title: t('common.actions'), key: 'a', render: (_: unknown, r: NetworkZone) => <Button type="link" size="small" onClick={() => { saveZone.reset(); zoneForm.setFieldsValue({ name: r.name, cidrs: r.cidrs.join('\n'), description: r.description ?? undefined, status: r.status }); setZone(r); }}>{t('common.edit')}</Button> }] : []),
          ]}
        />
      </Card>

      <Modal open={!!room} title={room === 'new' ? t('directory.addRoom') : t('directory.editRoom')} onCancel={() => setRoom(null)} onOk={() => roomForm.submit()} confirmLoading={saveRoom.isPending} destroyOnHidden>
        <IssueList error={saveRoom.error} />
        <Form form={roomForm} layout="vertical" onFinish={(v) => saveRoom.mutate(v)}>
          {room === 'new' && (
            <Form.Item name="code" label={t('directory.roomCode')} rules={[{ required: true, message: t('common.required') }, { pattern: /^[A-Za-z0-9]{4}$/, message: t('directory.roomCodeRule') }]}>
              <Input maxLength={4} />
            </Form.Item>
          )}
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}><Input maxLength={50} /></Form.Item>
          <Form.Item name="address" label={t('directory.address')} rules={[{ max: 200 }]}><Input maxLength={200} /></Form.Item>
          {room !== 'new' && <Form.Item name="status" label={t('common.status')}><Select options={statusOptions} /></Form.Item>}
        </Form>
      </Modal>
      <Modal open={!!zone} title={zone === 'new' ? t('directory.addZone') : t('directory.editZone')} onCancel={() => setZone(null)} onOk={() => zoneForm.submit()} confirmLoading={saveZone.isPending} destroyOnHidden>
        <IssueList error={saveZone.error} />
        <Form form={zoneForm} layout="vertical" onFinish={(v) => saveZone.mutate(v)}>
          {zone === 'new' && (
            <Form.Item name="zoneType" label={t('directory.zoneType')} rules={[{ required: true, message: t('common.required') }]}>
              <Select options={(['gov_extranet', 'internet', 'exchange'] as const).map((z) => ({ value: z, label: t(`directory.zoneTypes.${z}`) }))} />
            </Form.Item>
          )}
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}><Input maxLength={50} /></Form.Item>
          <Form.Item
            name="cidrs" label={t('directory.cidrs')} extra={t('directory.cidrsHint')}
            rules={[{ validator: async (_, v?: string) => { const bad = (v ?? '').split(/[\s,，;]+/).filter(Boolean).find((c) => !CIDR.test(c)); if (bad) throw new Error(t('directory.cidrRule', { value: bad })); } }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="description" label={t('common.description')} rules={[{ max: 500 }]}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
          {zone !== 'new' && <Form.Item name="status" label={t('common.status')}><Select options={statusOptions} /></Form.Item>}
        </Form>
      </Modal>
    </Space>
  );
}

export default function CloudNodesPage() {
  const { t } = useTranslation();
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes });
  return (
    <Card title={t('directory.title')} size="small">
      <Typography.Paragraph type="secondary">{t('directory.hint')}</Typography.Paragraph>
      <Table<CloudNode>
        rowKey="id"
        size="middle"
        loading={nodes.isLoading}
        dataSource={nodes.data?.items}
        pagination={false}
        data-testid="nodes-table"
        expandable={{ expandedRowRender: (n) => <NodeDetail node={n} /> }}
        columns={[
          { title: t('common.code'), dataIndex: 'code' },
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('directory.cloudType'), dataIndex: 'cloudType', render: (v: string) => t(`directory.cloudTypes.${v}`) },
          { title: t('directory.site'), dataIndex: 'site', render: (v: string | null) => v ?? '—' },
          { title: t('directory.provider'), key: 'provider', render: (_, r) => r.provider?.name ?? '—' },
          { title: t('common.description'), dataIndex: 'description', render: (v: string | null) => v ?? '—' },
          { title: t('common.status'), dataIndex: 'status', render: (v: 'active' | 'retired') => <StatusTag status={v} /> },
        ]}
      />
    </Card>
  );
}
