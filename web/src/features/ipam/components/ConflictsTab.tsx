import { useState } from 'react';
import { Alert, Button, Card, Empty, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ipamApi, ipamKeys, type Conflict } from '../ipam.api';

const COLOR: Record<string, string> = { unallocated: 'orange', system_mismatch: 'red', holder_mismatch: 'volcano' };

/** 地址冲突: inventory addresses in use but not allocated, or allocated to another system / holder. */
export function ConflictsTab() {
  const { t } = useTranslation();
  const [nodeId, setNodeId] = useState<string>();
  const nodes = useQuery({ queryKey: ipamKeys.nodes, queryFn: ipamApi.nodes });
  const list = useQuery({ queryKey: ipamKeys.conflicts(nodeId), queryFn: () => ipamApi.conflicts(nodeId) });
  const counts = list.data?.counts ?? {};
  return (
    <Card
      size="small"
      title={
        <Select allowClear placeholder={t('ipam.node')} style={{ width: 220 }} value={nodeId} onChange={setNodeId} options={(nodes.data ?? []).map((n) => ({ value: n.id, label: n.name }))} />
      }
      extra={<Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('ipam.refresh')}</Button>}
    >
      <Typography.Paragraph type="secondary">{t('ipam.conflictHint')}</Typography.Paragraph>
      <Space size="large" style={{ marginBottom: 12 }}>
        {(['unallocated', 'system_mismatch', 'holder_mismatch'] as const).map((k) => (
          <Statistic key={k} title={t(`ipam.conflictTypes.${k}`)} value={counts[k] ?? 0} />
        ))}
        {list.data && <Typography.Text type="secondary">{t('ipam.scanned', { n: list.data.scannedResources })}</Typography.Text>}
      </Space>
      {list.data?.truncated && <Alert type="warning" showIcon message={t('ipam.truncated', { n: list.data.scannedResources })} style={{ marginBottom: 12 }} />}
      <Table<Conflict>
        rowKey={(c) => `${c.type}-${c.resource.id}-${c.resource.field}`}
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('ipam.noConflicts')} /> }}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: t('ipam.status'), render: (_, c) => <Tag color={COLOR[c.type]}>{t(`ipam.conflictTypes.${c.type}`)}</Tag> },
          { title: t('ipam.address'), render: (_, c) => <code>{c.address}</code> },
          { title: t('ipam.pool'), render: (_, c) => `${c.pool.name} (${c.pool.cidr})` },
          { title: t('ipam.node'), render: (_, c) => c.node.name },
          { title: t('ipam.resource'), render: (_, c) => `${c.resource.name} · ${c.resource.provider.name ?? ''}` },
          { title: t('ipam.reportedField'), render: (_, c) => c.resource.field },
          { title: t('ipam.reportedSystem'), render: (_, c) => (c.resource.system?.name ?? c.resource.systemNo ?? t('ipam.none')) },
          {
            title: t('ipam.allocation'),
            render: (_, c) =>
              c.allocation ? `${c.allocation.range} · ${c.allocation.system?.name ?? c.allocation.holder.name ?? t('ipam.hidden')}` : t('ipam.none'),
          },
        ]}
      />
    </Card>
  );
}
