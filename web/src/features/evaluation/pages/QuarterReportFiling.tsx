import { App as AntApp, Button, Space, Tag, Typography } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../i18n';
import { reportKeys, reportsApi } from '../reports.api';
import { ReportLinks } from './ReportsTab';

/** 季评 filing: generates the quarter's report with the current template (stored, versioned) and shows its links. */
export function QuarterReportFiling({ quarter, setCode }: { quarter: string; setCode: string | undefined }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: reportKeys.reports('quarterly', quarter), queryFn: () => reportsApi.list('quarterly', quarter) });
  // The tab's default indicator system is seed004 (as the server's /quarters): file under that code explicitly.
  const code = setCode ?? 'seed004';
  const latest = (list.data ?? []).find((r) => r.setCode === code);
  const gen = useMutation({
    mutationFn: () => reportsApi.generate('quarterly', quarter, code),
    onSuccess: (r) => { message.success(t('evalReports.generated', { n: r.revision })); void qc.invalidateQueries({ queryKey: ['evaluation', 'generated-reports'] }); },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Space wrap style={{ marginBottom: 8 }} data-testid="evaluation-quarter-filing">
      <Button icon={<FileAddOutlined />} data-testid="evaluation-quarter-generate" loading={gen.isPending} onClick={() => gen.mutate()}>{t('evalReports.generateQuarter')}</Button>
      {latest && <>
        <Typography.Text>{t('evalReports.revision')} {latest.revision}</Typography.Text>
        <Tag>{t(`evalReports.statuses.${latest.status}`)}</Tag>
        <Typography.Text type="secondary">{latest.templateVersion === 0 ? t('evalReports.templateDefault') : `v${latest.templateVersion}`}</Typography.Text>
        <ReportLinks report={latest} />
      </>}
    </Space>
  );
}
