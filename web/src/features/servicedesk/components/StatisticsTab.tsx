import { useMemo, useState } from 'react';
import { Card, DatePicker, Empty, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { sdApi, sdKeys, type StatisticsRow } from '../servicedesk.api';
import { EChart } from '../../../app/EChart';

const pct = (v: string | null) => (v === null ? '—' : `${(Number(v) * 100).toFixed(1)}%`);

/** 工单统计: per provider × unit × kind of a month, with a chart of average response and recovery vs 15 / 30 min. */
export function StatisticsTab() {
  const { t } = useTranslation();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const q = useQuery({ queryKey: sdKeys.stats(month), queryFn: () => sdApi.statistics(month) });
  const rows = useMemo(() => q.data ?? [], [q.data]);
  const option = useMemo(() => {
    const names = [...new Set(rows.map((r) => r.providerId ?? '—'))];
    const meanOf = (p: string, f: (r: StatisticsRow) => number | null) => {
      const xs = rows.filter((r) => (r.providerId ?? '—') === p).map(f).filter((x): x is number => x !== null);
      return xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null;
    };
    return {
      tooltip: { trigger: 'axis' }, legend: {},
      xAxis: { type: 'category', data: names.map((n) => n.slice(0, 8)) }, yAxis: { type: 'value', name: '分钟' },
      series: [
        { name: t('sd.stats.avgResponse'), type: 'bar', data: names.map((n) => meanOf(n, (r) => r.avgResponseMinutes)), markLine: { data: [{ yAxis: 15 }] } },
        { name: t('sd.stats.avgRecovery'), type: 'bar', data: names.map((n) => meanOf(n, (r) => r.avgRecoveryMinutes)), markLine: { data: [{ yAxis: 30 }] } },
      ],
    };
  }, [rows, t]);
  return (
    <Card size="small" title={<Space><DatePicker picker="month" value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} allowClear={false} /><Typography.Text type="secondary">{t('sd.stats.goal')}</Typography.Text></Space>}>
      {rows.length === 0 ? <Empty description={t('sd.stats.noData')} /> : <EChart option={option} testId="sd-stats-chart" />}
      <Table<StatisticsRow> size="small" rowKey={(r) => `${r.providerId}|${r.unitId}|${r.kind}`} dataSource={rows} loading={q.isLoading} pagination={{ pageSize: 20 }} scroll={{ x: 1200 }} columns={[
        { title: t('sd.fields.provider'), dataIndex: 'providerId', render: (v: string | null) => v?.slice(0, 8) ?? '—' },
        { title: t('sd.fields.unit'), dataIndex: 'unitId', render: (v: string | null) => v?.slice(0, 8) ?? '—' },
        { title: t('sd.fields.kind'), dataIndex: 'kind', render: (v: string) => t(`sd.kinds.${v}`) },
        { title: t('sd.stats.tickets'), dataIndex: 'tickets' },
        { title: t('sd.stats.responded'), dataIndex: 'responded' },
        { title: t('sd.stats.responseRate'), dataIndex: 'responseRate', render: pct },
        { title: t('sd.stats.avgResponse'), dataIndex: 'avgResponseMinutes', render: (v: number | null) => v ?? '—' },
        { title: t('sd.stats.avgRecovery'), dataIndex: 'avgRecoveryMinutes', render: (v: number | null) => v ?? '—' },
        { title: t('sd.stats.resolutionRate'), dataIndex: 'resolutionRate', render: pct },
        { title: t('sd.stats.satisfaction'), dataIndex: 'satisfactionAvg', render: (v: string | null) => v ?? '—' },
        { title: t('sd.stats.satisfiedRate'), dataIndex: 'satisfiedRate', render: pct },
        { title: t('sd.stats.breaches'), dataIndex: 'breaches' },
      ]} />
    </Card>
  );
}
