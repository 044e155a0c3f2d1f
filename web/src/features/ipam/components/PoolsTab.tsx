import { useMemo, useState } from 'react';
import { App, Button, Card, Col, Empty, Form, Input, Modal, Popconfirm, Progress, Row, Select, Space, Statistic, Tag, Tree, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DataNode } from 'antd/es/tree';
import { ipamApi, ipamKeys, PURPOSES, type NewPool, type Pool } from '../ipam.api';
import { errorText } from '../../../i18n';

interface PoolForm {
  nodeId: string;
  zoneId: string;
  name: string;
  cidr: string;
  purpose: NewPool['purpose'];
  gateway?: string;
  reserved?: string;
  description?: string;
}

/** A big decimal string with thousands separators (IPv6 counts exceed Number). */
const big = (s: string) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function UtilBar({ u }: { u: Pool['utilisation'] }) {
  const { t } = useTranslation();
  const usable = (BigInt(u.total) - BigInt(u.reserved)).toString();
  const percent = Number(u.percent);
  return (
    <Space direction="vertical" size={0} style={{ width: 260 }}>
      <Progress percent={percent} size="small" status={percent >= 90 ? 'exception' : 'normal'} format={() => `${u.percent}%`} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('ipam.util.summary', { allocated: big(u.allocated), usable: big(usable), percent: u.percent })}
      </Typography.Text>
    </Space>
  );
}

/** 地址池: node → zone → pool tree with utilisation bars; managers add and retire pools. */
export function PoolsTab({ manage }: { manage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const pools = useQuery({ queryKey: ipamKeys.pools, queryFn: ipamApi.pools });
  const util = useQuery({ queryKey: ipamKeys.utilisation, queryFn: ipamApi.utilisation });
  const nodes = useQuery({ queryKey: ipamKeys.nodes, queryFn: ipamApi.nodes, enabled: manage });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<PoolForm>();
  const nodeId = Form.useWatch('nodeId', form);
  const zones = useQuery({ queryKey: ipamKeys.zones(nodeId ?? ''), queryFn: () => ipamApi.zones(nodeId!), enabled: !!nodeId });

  const create = useMutation({
    mutationFn: (v: PoolForm) =>
      ipamApi.createPool({
        nodeId: v.nodeId,
        zoneId: v.zoneId,
        name: v.name,
        cidr: v.cidr.trim(),
        purpose: v.purpose,
        gateway: v.gateway?.trim() || null,
        reserved: (v.reserved ?? '')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .map((l) => {
            const [from, to] = l.split('-').map((x) => x.trim());
            return to ? { from: from!, to } : { from: from! };
          }),
        description: v.description || null,
      }),
    onSuccess: () => {
      message.success(t('ipam.poolCreated'));
      setOpen(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ipamKeys.all });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const retire = useMutation({
    mutationFn: (id: string) => ipamApi.retirePool(id),
    onSuccess: () => {
      message.success(t('ipam.poolRetired'));
      void qc.invalidateQueries({ queryKey: ipamKeys.all });
    },
    onError: (e) => message.error(errorText(e)),
  });

  const tree = useMemo<DataNode[]>(() => {
    const byNode = new Map<string, { name: string; zones: Map<string, { name: string; type: string; pools: Pool[] }> }>();
    for (const p of pools.data ?? []) {
      const n = byNode.get(p.node.id) ?? { name: p.node.name, zones: new Map() };
      const z = n.zones.get(p.zone.id) ?? { name: p.zone.name, type: p.zone.zoneType, pools: [] };
      z.pools.push(p);
      n.zones.set(p.zone.id, z);
      byNode.set(p.node.id, n);
    }
    return [...byNode.entries()].map(([nid, n]) => ({
      key: nid,
      title: <Typography.Text strong>{n.name}</Typography.Text>,
      children: [...n.zones.entries()].map(([zid, z]) => ({
        key: zid,
        title: (
          <Space>
            {z.name}
            <Tag>{t(`ipam.zoneTypes.${z.type}`, { defaultValue: z.type })}</Tag>
          </Space>
        ),
        children: z.pools.map((p) => ({
          key: p.id,
          isLeaf: true,
          title: (
            <Space size="large" align="start" data-testid={`ipam-pool-${p.cidr}`}>
              <Space direction="vertical" size={0} style={{ minWidth: 260 }}>
                <Space>
                  <Typography.Text strong>{p.name}</Typography.Text>
                  <Tag color={p.family === 6 ? 'purple' : 'blue'}>IPv{p.family}</Tag>
                  <Tag>{t(`ipam.purposes.${p.purpose}`)}</Tag>
                  {p.status === 'retired' && <Tag color="default">{t('ipam.statuses.retired')}</Tag>}
                </Space>
                <Typography.Text code>{p.cidr}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('ipam.gateway')} {p.gateway ?? t('ipam.none')}
                  {p.reserved.length > 0 && ` · ${t('ipam.reserved')} ${p.reserved.map((r) => (r.to ? `${r.from}-${r.to}` : r.from)).join(', ')}`}
                </Typography.Text>
              </Space>
              <UtilBar u={p.utilisation} />
              {manage && p.status === 'active' && p.activeAllocations === 0 && (
                <Popconfirm title={t('ipam.retireConfirm')} onConfirm={() => retire.mutate(p.id)}>
                  <Button size="small" danger>{t('ipam.retirePool')}</Button>
                </Popconfirm>
              )}
            </Space>
          ),
        })),
      })),
    }));
  }, [pools.data, t, manage, retire]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small" title={t('ipam.util.byNode')}>
        <Row gutter={[16, 16]}>
          {(util.data ?? []).map((u) => (
            <Col key={`${u.node.id}-${u.family}`} xs={24} md={12} xl={8}>
              <Card size="small" type="inner" title={`${u.node.name} · IPv${u.family}`}>
                <Space size="large" wrap>
                  <Statistic title={t('ipam.util.allocated')} value={big(u.allocated)} />
                  <Statistic title={t('ipam.util.free')} value={u.family === 6 && u.free.length > 12 ? `≈ 2^${Math.round(Math.log2(Number(u.free)))}` : big(u.free)} />
                </Space>
                <UtilBar u={u} />
              </Card>
            </Col>
          ))}
        </Row>
      </Card>
      <Card
        size="small"
        title={t('ipam.tabs.pools')}
        extra={manage && <Button icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="ipam-new-pool">{t('ipam.newPool')}</Button>}
      >
        {pools.data && pools.data.length === 0 ? <Empty description={t('ipam.noPools')} /> : <Tree treeData={tree} defaultExpandAll selectable={false} blockNode key={tree.length} />}
      </Card>
      <Modal title={t('ipam.newPool')} open={open} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} initialValues={{ purpose: 'business' }}>
          <Form.Item name="nodeId" label={t('ipam.node')} rules={[{ required: true }]}>
            <Select options={(nodes.data ?? []).map((n) => ({ value: n.id, label: n.name }))} onChange={() => form.setFieldValue('zoneId', undefined)} />
          </Form.Item>
          <Form.Item name="zoneId" label={t('ipam.zone')} rules={[{ required: true }]}>
            <Select options={(zones.data ?? []).map((z) => ({ value: z.id, label: `${z.name}${z.cidrs.length ? ` (${z.cidrs.join(', ')})` : ''}` }))} />
          </Form.Item>
          <Form.Item name="name" label={t('ipam.name')} rules={[{ required: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="cidr" label={t('ipam.cidr')} rules={[{ required: true }]} extra="10.10.0.0/24 · 2001:db8:10::/48">
            <Input />
          </Form.Item>
          <Form.Item name="purpose" label={t('ipam.purpose')} rules={[{ required: true }]}>
            <Select options={PURPOSES.map((p) => ({ value: p, label: t(`ipam.purposes.${p}`) }))} />
          </Form.Item>
          <Form.Item name="gateway" label={t('ipam.gateway')}>
            <Input />
          </Form.Item>
          <Form.Item name="reserved" label={t('ipam.reserved')} extra={t('ipam.reservedHint')}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="description" label={t('ipam.description')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
