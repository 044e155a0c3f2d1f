import { useState } from 'react';
import { App, Button, Card, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ipamApi, ipamKeys, type Allocation, type AllocationQuery } from '../ipam.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';

/** 地址分配: the allocations the user may see, filter by pool / status / address, release, .xlsx export. */
export function AllocationsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [filter, setFilter] = useState<Omit<AllocationQuery, 'page' | 'pageSize'>>({ status: 'active' });
  const [page, setPage] = useState(1);
  const q: AllocationQuery = { ...filter, page: String(page), pageSize: '20' };
  const list = useQuery({ queryKey: ipamKeys.allocations(q), queryFn: () => ipamApi.allocations(q) });
  const pools = useQuery({ queryKey: ipamKeys.pools, queryFn: ipamApi.pools });
  const release = useMutation({
    mutationFn: (id: string) => ipamApi.release(id),
    onSuccess: () => {
      message.success(t('ipam.releasedOk'));
      void qc.invalidateQueries({ queryKey: ipamKeys.all });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const set = (patch: Partial<typeof filter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setPage(1);
  };

  return (
    <Card
      size="small"
      title={
        <Space wrap>
          <Select
            allowClear
            placeholder={t('ipam.pool')}
            style={{ width: 240 }}
            value={filter.poolId}
            onChange={(v) => set({ poolId: v })}
            options={(pools.data ?? []).map((p) => ({ value: p.id, label: `${p.name} ${p.cidr}` }))}
          />
          <Select
            style={{ width: 120 }}
            value={filter.status ?? ''}
            onChange={(v) => set({ status: (v || undefined) as AllocationQuery['status'] })}
            options={[{ value: '', label: t('ipam.all') }, { value: 'active', label: t('ipam.statuses.active') }, { value: 'released', label: t('ipam.statuses.released') }]}
          />
          <Input.Search allowClear placeholder={t('ipam.searchAddress')} style={{ width: 220 }} onSearch={(v) => set({ address: v.trim() || undefined })} data-testid="ipam-address-search" />
        </Space>
      }
      extra={
        <Button icon={<DownloadOutlined />} onClick={() => void ipamApi.export(filter, 'ip-allocations.xlsx').catch((e: unknown) => message.error(errorText(e)))} data-testid="ipam-export">
          {t('ipam.export')}
        </Button>
      }
    >
      <Table<Allocation>
        rowKey="id"
        size="small"
        scroll={{ x: 'max-content' }}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('ipam.total', { n }) }}
        columns={[
          { title: t('ipam.range'), render: (_, a) => <code>{a.range}</code> },
          { title: t('ipam.count'), dataIndex: 'count', align: 'right' },
          { title: t('ipam.kind'), render: (_, a) => `${t(`ipam.kinds.${a.kind}`)} · IPv${a.family}` },
          { title: t('ipam.pool'), render: (_, a) => `${a.pool.name} (${a.pool.cidr})` },
          { title: t('ipam.node'), render: (_, a) => `${a.node.name} / ${a.zone.name}` },
          { title: t('ipam.holder'), render: (_, a) => a.holder.name ?? t('ipam.hidden') },
          { title: t('ipam.system'), render: (_, a) => (a.system ? `${a.system.systemNo ?? ''} ${a.system.name ?? ''}` : t('ipam.none')) },
          { title: t('ipam.allocatedAt'), render: (_, a) => fmtTime(a.allocatedAt) },
          { title: t('ipam.status'), render: (_, a) => <Tag color={a.status === 'active' ? 'green' : 'default'}>{t(`ipam.statuses.${a.status}`)}</Tag> },
          {
            title: '',
            render: (_, a) =>
              a.abilities.release && (
                <Popconfirm title={t('ipam.releaseConfirm')} onConfirm={() => release.mutate(a.id)}>
                  <Button size="small" danger>{t('ipam.release')}</Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Card>
  );
}
