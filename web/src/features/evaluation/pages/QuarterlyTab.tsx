import { useMemo, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { EChart } from '../../../app/EChart';
import { QuarterReportFiling } from './QuarterReportFiling';
import { evaluationApi, evaluationKeys, previousQuarter, quartersBefore, type QuarterRow } from '../evaluation.api';

/** A quarter figure, or 暂无 / 未发布 when there is none — never 0. */
function Score({ v, label }: { v: string | number | null; label: string }) {
  return v === null ? <Typography.Text type="secondary">{label}</Typography.Text> : <>{v}</>;
}

/** 季评: the quarter's provider scores (mean of the published months), grade, rank, dimensions and missing months. */
export function QuarterlyTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = AntApp.useApp();
  const last = previousQuarter();
  const [quarter, setQuarter] = useState(last);
  const [setCode, setSetCode] = useState<string | undefined>();
  const sets = useQuery({ queryKey: evaluationKeys.sets, queryFn: evaluationApi.sets });
  const q = useQuery({ queryKey: evaluationKeys.quarter(quarter, setCode ?? ''), queryFn: () => evaluationApi.quarter(quarter, setCode) });
  const d = q.data;
  const setOptions = (sets.data ?? []).filter((s) => s.latest).map((s) => ({ value: s.code, label: t('evaluation.qt.setVersion', { name: s.name, v: s.version }) }));
  const dimNames = useMemo(() => {
    const names: string[] = [];
    for (const it of d?.items ?? []) for (const dm of it.dimensions) if (!names.includes(dm.name)) names.push(dm.name);
    return names;
  }, [d]);
  const option = useMemo(() => {
    const items = d?.items ?? [];
    return {
      tooltip: {}, grid: { left: 140, right: 40, top: 10, bottom: 30 }, xAxis: { type: 'value', max: 100 },
      yAxis: { type: 'category', inverse: true, data: items.map((s) => s.provider.name) },
      series: [{ type: 'bar', name: t('evaluation.qt.chart'), data: items.map((s) => (s.total === null ? null : Number(s.total))), label: { show: true, position: 'right' } }],
    };
  }, [d, t]);
  const report = (format: 'docx' | 'pdf') => void evaluationApi.quarterReport(quarter, format, setCode).catch((e: unknown) => message.error(errorText(e)));
  const na = t('evaluation.qt.na');
  const notPublished = t('evaluation.qt.notPublished');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={<Space wrap>
        <span>{t('evaluation.qt.quarter')}</span>
        <Select data-testid="evaluation-quarter" style={{ width: 120 }} value={quarter} onChange={setQuarter} options={quartersBefore(last, 12).map((x) => ({ value: x, label: x }))} />
        <span>{t('evaluation.qt.set')}</span>
        <Select style={{ width: 420 }} allowClear value={setCode} onChange={setSetCode} placeholder={t('evaluation.qt.defaultSet')} options={setOptions} />
      </Space>}
      extra={<Space>
        {can('evaluation:manage') && <>
          <Button data-testid="evaluation-quarter-docx" icon={<DownloadOutlined />} onClick={() => report('docx')}>{t('evaluation.qt.docx')}</Button>
          <Button data-testid="evaluation-quarter-pdf" icon={<DownloadOutlined />} onClick={() => report('pdf')}>{t('evaluation.qt.pdf')}</Button>
        </>}
        <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()}>{t('evaluation.refresh')}</Button>
      </Space>}>
        {can('evaluation:manage') && <QuarterReportFiling quarter={quarter} setCode={setCode} />}
        {d && <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {d.quarter} · {t('evaluation.qt.window', { from: d.from, to: d.to })}{d.set ? ` · ${t('evaluation.qt.setVersion', { name: d.set.name, v: d.set.version })}` : ''}
          </Typography.Text>
          {d.missingMonths.length
            ? <Alert data-testid="evaluation-quarter-missing" type="warning" showIcon message={t('evaluation.qt.missing', { months: d.missingMonths.join('、') })} />
            : <Alert type="success" showIcon message={t('evaluation.qt.allPublished')} />}
        </Space>}
      </Card>
      {q.isError && <Alert type="error" showIcon message={errorText(q.error)} />}
      {q.isLoading ? <Card loading /> : d && d.items.length ? (
        <Card size="small">
          {d.items.some((s) => s.total !== null) && <><Typography.Text strong>{t('evaluation.qt.chart')}</Typography.Text><EChart testId="evaluation-quarter-chart" option={option} height={Math.max(160, d.items.length * 30)} /></>}
          <Table<QuarterRow>
            data-testid="evaluation-quarter-table"
            rowKey={(r) => r.provider.id}
            size="small"
            pagination={false}
            dataSource={d.items}
            scroll={{ x: 900 + dimNames.length * 100 }}
            columns={[
              { title: t('evaluation.rank'), dataIndex: 'rank', width: 60, render: (v: number | null) => <Score v={v} label={na} /> },
              { title: t('evaluation.provider'), width: 180, render: (_, r) => r.provider.name },
              { title: t('evaluation.qt.total'), dataIndex: 'total', width: 100, render: (v: string | null) => <Typography.Text strong><Score v={v} label={na} /></Typography.Text> },
              { title: t('evaluation.grade'), dataIndex: 'grade', width: 70, render: (v: string | null) => <Score v={v} label={na} /> },
              ...dimNames.map((name) => ({
                title: name, key: `dim-${name}`, width: 100,
                render: (_: unknown, r: QuarterRow) => <Score v={r.dimensions.find((x) => x.name === name)?.score ?? null} label={na} />,
              })),
              {
                title: t('evaluation.qt.months'), key: 'months', width: 110 * d.months.length,
                render: (_: unknown, r: QuarterRow) => (
                  <Space size={4} wrap>
                    {r.months.map((m) => (
                      <Tag key={m.month} color={m.total === null ? 'default' : 'blue'}>
                        {m.month.slice(5)}: {m.total === null ? notPublished : `${m.total}${m.grade ? ` ${m.grade}` : ''}`}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              {
                title: t('evaluation.qt.missingOf'), key: 'missing', width: 140,
                render: (_: unknown, r: QuarterRow) => {
                  const missing = r.months.filter((m) => m.total === null).map((m) => m.month);
                  return missing.length ? <Typography.Text type="warning">{missing.join('、')}</Typography.Text> : t('evaluation.none');
                },
              },
            ]}
          />
        </Card>
      ) : <Empty description={t('evaluation.qt.noItems')} />}
    </Space>
  );
}
