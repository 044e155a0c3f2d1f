import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Segmented, Space, Table, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../../../i18n';
import { GROUP_BYS, billingApi, billingKeys, type Overview } from '../billing.api';

type Row = Overview['rows'][number];
const yuan = (v: string) => Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 费用概览: amounts by node, provider, unit, system, item or month, one column per month (trend), totals. */
export default function CostOverviewPage() {
  const { t } = useTranslation();
  const [groupBy, setGroupBy] = useState<(typeof GROUP_BYS)[number]>('provider');
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(11, 'month'), dayjs()]);
  const q = { groupBy, from: range[0].format('YYYY-MM'), to: range[1].format('YYYY-MM') };
  const overview = useQuery({ queryKey: billingKeys.overview(q), queryFn: () => billingApi.overview(q) });
  const months = overview.data?.months ?? [];
  return (
    <Card
      title={t('billing.overviewTitle')}
      size="small"
      extra={
        <Space wrap>
          <Segmented value={groupBy} onChange={(v) => setGroupBy(v as typeof groupBy)} options={GROUP_BYS.map((g) => ({ value: g, label: t(`billing.by.${g}`) }))} data-testid="billing-groupby" />
          <DatePicker.RangePicker picker="month" value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
          <Button icon={<ReloadOutlined />} onClick={() => void overview.refetch()}>{t('billing.refresh')}</Button>
        </Space>
      }
    >
      {overview.error && <Alert type="error" showIcon message={errorText(overview.error)} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">{t('billing.trendHint')}</Typography.Paragraph>
      <Table<Row>
        rowKey="key"
        size="small"
        loading={overview.isLoading}
        dataSource={overview.data?.rows ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t(`billing.by.${groupBy}`).replace(/^按/, ''), dataIndex: 'label', fixed: 'left' },
          ...months.map((m, i) => ({ title: m, key: m, align: 'right' as const, render: (_: unknown, r: Row) => yuan(r.amounts[i] ?? '0') })),
          { title: t('billing.total'), dataIndex: 'total', align: 'right', fixed: 'right', render: (v: string) => <Typography.Text strong>{yuan(v)}</Typography.Text> },
        ]}
        summary={() =>
          overview.data && overview.data.rows.length > 0 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}><Typography.Text strong>{t('billing.total')}</Typography.Text></Table.Summary.Cell>
              {overview.data.totals.map((v, i) => <Table.Summary.Cell key={i} index={i + 1} align="right">{yuan(v)}</Table.Summary.Cell>)}
              <Table.Summary.Cell index={months.length + 1} align="right"><Typography.Text strong>{yuan(overview.data.total)}</Typography.Text></Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}
