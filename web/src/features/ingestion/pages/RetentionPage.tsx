import { useState } from 'react';
import { Alert, App, Button, Card, InputNumber, Space, Table, Tooltip, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, EditOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { errorText } from '../../../i18n';
import { useCan } from '../../auth/auth.api';
import { fmtTime } from '../../../app/format';
import { fmtBytes, ingestApi, ingestErrorText, ingestKeys, type RetentionTable } from '../ingestion.api';

export default function RetentionPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ingestKeys.retention, queryFn: ingestApi.retention });
  const [editing, setEditing] = useState<{ table: string; days: number | null }>();
  const save = useMutation({
    mutationFn: (v: { table: string; days: number }) => ingestApi.setRetention(v.table, v.days),
    onSuccess: (r) => {
      message.success(t('ingestion.retention.saved', { table: r.cn, days: r.retentionDays }));
      setEditing(undefined);
      void client.invalidateQueries({ queryKey: ingestKeys.retention });
      void client.invalidateQueries({ queryKey: ingestKeys.registry });
    },
    onError: (e) => {
      const min = e instanceof ApiError && e.code === 'ingest.retention_below_minimum' ? (e.details as { min?: number } | null)?.min : undefined;
      message.error(min === undefined ? ingestErrorText(e) : `${errorText(e)}：${t('ingestion.retention.belowMin', { min })}`);
    },
  });
  const mayEdit = can('ingest:config');

  function retentionCell(r: RetentionTable) {
    if (editing?.table !== r.table) {
      return (
        <Space>
          <span>{r.retentionDays}</span>
          {mayEdit && <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ table: r.table, days: r.retentionDays })} data-testid={`retention-edit-${r.table}`} />}
        </Space>
      );
    }
    const days = editing.days;
    const tooShort = days !== null && days < r.minRetentionDays;
    return (
      <Space>
        <Tooltip open={tooShort} title={tooShort ? t('ingestion.retention.belowMin', { min: r.minRetentionDays }) : undefined}>
          <InputNumber
            min={1}
            max={3660}
            precision={0}
            value={days}
            status={tooShort ? 'error' : undefined}
            onChange={(v) => setEditing({ table: r.table, days: v })}
            onPressEnter={() => days !== null && save.mutate({ table: r.table, days })}
            style={{ width: 100 }}
            data-testid={`retention-input-${r.table}`}
          />
        </Tooltip>
        <Button type="link" size="small" icon={<CheckOutlined />} loading={save.isPending} disabled={days === null} onClick={() => days !== null && save.mutate({ table: r.table, days })} data-testid={`retention-save-${r.table}`} />
        <Button type="link" size="small" icon={<CloseOutlined />} onClick={() => setEditing(undefined)} />
      </Space>
    );
  }

  return (
    <Card title={t('ingestion.retention.title')} size="small">
      <Alert type="info" showIcon message={t('ingestion.retention.hint')} style={{ marginBottom: 12 }} />
      {list.error && <Alert type="error" showIcon message={ingestErrorText(list.error)} style={{ marginBottom: 12 }} />}
      <Table<RetentionTable>
        rowKey="table"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="retention-table"
        expandable={{
          rowExpandable: (r) => r.partitions.length > 0,
          expandedRowRender: (r) => (
            <Table
              rowKey="name"
              size="small"
              pagination={false}
              dataSource={r.partitions}
              columns={[
                { title: t('ingestion.retention.partitionName'), dataIndex: 'name', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
                { title: t('ingestion.retention.from'), dataIndex: 'from', render: fmtTime },
                { title: t('ingestion.retention.to'), dataIndex: 'to', render: fmtTime },
                { title: t('ingestion.retention.rows'), dataIndex: 'rowEstimate', align: 'right', render: (v: number | null) => (v === null ? t('ingestion.retention.notAnalysed') : v.toLocaleString()) },
                { title: t('ingestion.retention.size'), dataIndex: 'bytes', align: 'right', render: fmtBytes },
              ]}
            />
          ),
        }}
        columns={[
          { title: t('ingestion.retention.category'), dataIndex: 'categoryCn', width: 110 },
          { title: t('ingestion.retention.table'), dataIndex: 'cn', render: (v: string, r) => <Tooltip title={r.table}>{v}</Tooltip> },
          { title: t('ingestion.retention.partitionUnit'), dataIndex: 'partitionUnit', width: 80, render: (v: 'day' | 'month') => t(`ingestion.retention.units.${v}`) },
          { title: t('ingestion.retention.retentionDays'), key: 'retention', width: 200, render: (_, r) => retentionCell(r) },
          {
            title: t('ingestion.retention.minDays'),
            dataIndex: 'minRetentionDays',
            width: 100,
            render: (v: number, r) => (r.minRule ? <Tooltip title={t(`ingestion.retention.minRules.${r.category}`, { defaultValue: r.minRule })}><Typography.Text underline>{v}</Typography.Text></Tooltip> : v),
          },
          { title: t('ingestion.retention.partitions'), dataIndex: 'partitionCount', align: 'right', width: 80 },
          { title: t('ingestion.retention.rows'), dataIndex: 'rowEstimate', align: 'right', width: 110, render: (v: number) => v.toLocaleString() },
          { title: t('ingestion.retention.size'), dataIndex: 'bytes', align: 'right', width: 100, render: fmtBytes },
          { title: t('ingestion.retention.oldest'), dataIndex: 'oldest', width: 170, render: fmtTime },
        ]}
      />
    </Card>
  );
}
