import { useState } from 'react';
import { App as AntApp, Alert, Button, Card, Checkbox, DatePicker, Input, Modal, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { useCan, useMe } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { previousMonth, previousQuarter, quartersBefore } from '../evaluation.api';
import { reportKeys, reportsApi, type GeneratedReport, type ReportKind, type ReportTemplate } from '../reports.api';

const STATUS_COLOR: Record<GeneratedReport['status'], string> = { draft: 'default', submitted: 'orange', published: 'green', superseded: 'default' };

/** Download links of a stored report: the editable .docx and the SM2-signed PDF. */
export function ReportLinks({ report }: { report: GeneratedReport }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const get = (format: 'docx' | 'pdf') => void reportsApi.document(report, format).catch((e: unknown) => message.error(errorText(e)));
  return (
    <Space size={4} data-testid={`report-links-${report.id}`}>
      <Button size="small" type="link" icon={<DownloadOutlined />} data-testid="report-link-docx" onClick={() => get('docx')}>{t('evalReports.docx')}</Button>
      <Button size="small" type="link" icon={<DownloadOutlined />} data-testid="report-link-pdf" onClick={() => get('pdf')}>{t('evalReports.pdf')}</Button>
    </Space>
  );
}

/** The generated reports of a kind (and period), with their review actions. */
export function GeneratedReportsTable({ kind, period }: { kind?: ReportKind; period?: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const highlight = params.get('report');
  const [returning, setReturning] = useState<GeneratedReport | null>(null);
  const [comment, setComment] = useState('');
  const list = useQuery({ queryKey: reportKeys.reports(kind, period), queryFn: () => reportsApi.list(kind, period) });
  const done = () => void qc.invalidateQueries({ queryKey: ['evaluation', 'generated-reports'] });
  const act = useMutation({
    mutationFn: async ({ r, action }: { r: GeneratedReport; action: 'submit' | 'publish' | 'regenerate' }) =>
      action === 'submit' ? reportsApi.submit(r.id) : action === 'publish' ? reportsApi.publish(r.id, null) : reportsApi.generate(r.kind, r.period, r.setCode),
    onSuccess: done,
    onError: (e) => message.error(errorText(e)),
  });
  const back = useMutation({
    mutationFn: ({ r, c }: { r: GeneratedReport; c: string }) => reportsApi.returnToDraft(r.id, c),
    onSuccess: () => { setReturning(null); setComment(''); done(); },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <>
      <Table<GeneratedReport>
        data-testid="evaluation-reports-table"
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 10 }}
        locale={{ emptyText: t('evalReports.none') }}
        rowClassName={(r) => (r.id === highlight ? 'ant-table-row-selected' : '')}
        scroll={{ x: 1100 }}
        columns={[
          { title: t('evalReports.kind'), width: 130, render: (_, r) => t(`evalReports.kinds.${r.kind}`) + (r.setCode ? ` · ${r.setCode}` : '') },
          { title: t('evalReports.period'), dataIndex: 'period', width: 90 },
          { title: t('evalReports.revision'), dataIndex: 'revision', width: 60 },
          { title: t('evalReports.status'), width: 100, render: (_, r) => <Tag data-testid="report-status" color={STATUS_COLOR[r.status]}>{t(`evalReports.statuses.${r.status}`)}</Tag> },
          { title: t('evalReports.templateVersion'), width: 90, render: (_, r) => (r.templateVersion === 0 ? t('evalReports.templateDefault') : `v${r.templateVersion}`) },
          { title: t('evalReports.due'), dataIndex: 'dueDate', width: 110, render: (v: string | null) => v ?? '—' },
          { title: t('evalReports.origin'), width: 90, render: (_, r) => t(`evalReports.origins.${r.origin}`) },
          { title: t('evalReports.sections'), render: (_, r) => <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.sections.join('；')}</Typography.Text> },
          { title: t('evalReports.links'), width: 180, render: (_, r) => <ReportLinks report={r} /> },
          {
            title: t('evalReports.actions'), width: 240, render: (_, r) => (
              <Space size={4} wrap>
                {r.abilities.submit && <Button size="small" onClick={() => act.mutate({ r, action: 'submit' })}>{t('evalReports.submit')}</Button>}
                {r.abilities.publish && <Button size="small" type="primary" onClick={() => act.mutate({ r, action: 'publish' })}>{t('evalReports.publish')}</Button>}
                {r.abilities.return && <Button size="small" danger onClick={() => setReturning(r)}>{t('evalReports.returnBack')}</Button>}
                {r.abilities.regenerate && <Button size="small" onClick={() => act.mutate({ r, action: 'regenerate' })}>{t('evalReports.regenerate')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={!!returning} title={t('evalReports.returnBack')} onCancel={() => setReturning(null)} confirmLoading={back.isPending}
        onOk={() => (comment.trim() ? returning && back.mutate({ r: returning, c: comment.trim() }) : message.warning(t('evalReports.commentRequired')))}>
        <Input.TextArea rows={3} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('evalReports.comment')} />
      </Modal>
    </>
  );
}

/** The template editor: sections on/off and order, the two text blocks, the scheduled draft; each save a version. */
function TemplateEditor({ kind }: { kind: ReportKind }) {
  const { t } = useTranslation();
  const me = useMe();
  const tpl = useQuery({ queryKey: reportKeys.templates(kind), queryFn: () => reportsApi.templates(kind) });
  const current: ReportTemplate | undefined = tpl.data?.[0];
  return (
    <Card size="small" title={<Space>{t('evalReports.template')}{current && <Tag data-testid="template-version">{current.version === 0 ? t('evalReports.builtIn') : t('evalReports.templateVersionOf', { v: current.version })}</Tag>}</Space>} loading={tpl.isLoading || me.isLoading}>
      {current && <TemplateForm key={`${kind}-${current.version}`} kind={kind} current={current} meId={me.data?.id ?? null} />}
    </Card>
  );
}

function TemplateForm({ kind, current, meId }: { kind: ReportKind; current: ReportTemplate; meId: string | null }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [sections, setSections] = useState<ReportTemplate['sections']>(current.sections);
  const [intro, setIntro] = useState(current.intro);
  const [conclusion, setConclusion] = useState(current.conclusion);
  const [autoDraft, setAutoDraft] = useState(current.autoDraft);
  const [authorMe, setAuthorMe] = useState(!!current.authorUserId && current.authorUserId === meId);
  const [note, setNote] = useState('');
  const move = (i: number, d: -1 | 1) => setSections((s) => {
    const next = [...s];
    const [x] = next.splice(i, 1);
    next.splice(i + d, 0, x!);
    return next;
  });
  const save = useMutation({
    mutationFn: () => reportsApi.saveTemplate(kind, {
      sections: sections.map((s) => ({ key: s.key, enabled: s.enabled })), intro, conclusion, note: note || null,
      ...(kind === 'monthly' ? { autoDraft, authorUserId: authorMe ? meId : null } : {}),
    }),
    onSuccess: (v) => { message.success(t('evalReports.saved', { v: v.version })); setNote(''); void qc.invalidateQueries({ queryKey: reportKeys.templates(kind) }); },
    onError: (e) => message.error(errorText(e)),
  });
  return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <Table
          data-testid="template-sections"
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={sections}
          columns={[
            { title: t('evalReports.section'), dataIndex: 'title' },
            { title: t('evalReports.enabled'), width: 80, render: (_, s, i) => <Switch size="small" data-testid={`template-section-${s.key}`} checked={s.enabled} onChange={(v) => setSections((all) => all.map((x, j) => (j === i ? { ...x, enabled: v } : x)))} /> },
            { title: '', width: 100, render: (_, _s, i) => <Space size={2}><Button size="small" icon={<ArrowUpOutlined />} aria-label={t('evalReports.up')} disabled={i === 0} onClick={() => move(i, -1)} /><Button size="small" icon={<ArrowDownOutlined />} aria-label={t('evalReports.down')} disabled={i === sections.length - 1} onClick={() => move(i, 1)} /></Space> },
          ]}
        />
        <Typography.Text>{t('evalReports.intro')}</Typography.Text>
        <Input.TextArea data-testid="template-intro" rows={3} maxLength={4000} value={intro} onChange={(e) => setIntro(e.target.value)} />
        <Typography.Text>{t('evalReports.conclusion')}</Typography.Text>
        <Input.TextArea data-testid="template-conclusion" rows={3} maxLength={4000} value={conclusion} onChange={(e) => setConclusion(e.target.value)} />
        {kind === 'monthly' && (
          <Space direction="vertical">
            <Checkbox checked={autoDraft} onChange={(e) => setAutoDraft(e.target.checked)}>{t('evalReports.autoDraft')}</Checkbox>
            <Checkbox checked={authorMe} onChange={(e) => setAuthorMe(e.target.checked)}>{t('evalReports.authorMe')}</Checkbox>
            {!authorMe && <Typography.Text type="secondary">{t('evalReports.authorDefault')}</Typography.Text>}
          </Space>
        )}
        <Space>
          <Input style={{ width: 300 }} maxLength={500} placeholder={t('evalReports.note')} value={note} onChange={(e) => setNote(e.target.value)} />
          <Button type="primary" data-testid="template-save" loading={save.isPending} onClick={() => save.mutate()}>{t('evalReports.save')}</Button>
        </Space>
      </Space>
  );
}

/** 报告编制: generate a 月报 or 季评 with the current template, review and publish it, edit the templates. */
export function ReportsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [kind, setKind] = useState<ReportKind>('monthly');
  const [month, setMonth] = useState(previousMonth());
  const [quarter, setQuarter] = useState(previousQuarter());
  const gen = useMutation({
    mutationFn: () => reportsApi.generate(kind, kind === 'monthly' ? month : quarter),
    onSuccess: (r) => { message.success(t('evalReports.generated', { n: r.revision })); void qc.invalidateQueries({ queryKey: ['evaluation', 'generated-reports'] }); },
    onError: (e) => message.error(errorText(e)),
  });
  if (!can('evaluation:manage')) return <Alert type="info" showIcon message={t('evalReports.managementOnly')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={<Space wrap>
        <Radio.Group data-testid="reports-kind" value={kind} onChange={(e) => setKind(e.target.value as ReportKind)} optionType="button"
          options={[{ value: 'monthly', label: t('evalReports.kinds.monthly') }, { value: 'quarterly', label: t('evalReports.kinds.quarterly') }]} />
        <span>{t('evalReports.period')}</span>
        {kind === 'monthly'
          ? <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} />
          : <Select style={{ width: 120 }} value={quarter} onChange={setQuarter} options={quartersBefore(previousQuarter(), 12).map((x) => ({ value: x, label: x }))} />}
        <Button type="primary" data-testid="reports-generate" loading={gen.isPending} onClick={() => gen.mutate()}>{t('evalReports.generate')}</Button>
      </Space>}>
        <GeneratedReportsTable kind={kind} />
      </Card>
      <TemplateEditor key={kind} kind={kind} />
    </Space>
  );
}
