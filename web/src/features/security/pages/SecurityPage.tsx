import { useState } from 'react';
import { App as AntApp, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Select, Space, Statistic, Table, Tabs, Tag, Timeline, Typography, Upload } from 'antd';
import { FilePdfOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { ChecksTab, DeviceLogsSection, EventsTab, PatchesTab, PostureTab } from './OversightTabs';
import { WarningsTab } from './WarningsTab';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime as formatDateTime } from '../../../app/format';
import { formatOf, securityApi, securityKeys, SEVERITIES, SEVERITY_COLOR, STATUS_COLOR, type DeadlineRule, type Finding, type FindingQuery, type ReportFormat, type ScanResult } from '../security.api';

const TABS = ['posture', 'findings', 'scans', 'patches', 'warnings', 'attacks', 'events', 'checks', 'rules'] as const;
type Tab = (typeof TABS)[number];

/** 安全监管: vulnerability findings and their rectification, scan imports, rectification deadlines. */
export default function SecurityPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const params = useParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.tab ?? '') ? (params.tab as Tab) : 'findings';
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => navigate(`/security/${k}`)}
      destroyOnHidden
      items={[
        { key: 'posture', label: t('security.tabs.posture'), children: <PostureTab /> },
        { key: 'findings', label: t('security.tabs.findings'), children: <FindingsTab /> },
        { key: 'scans', label: t('security.tabs.scans'), children: <ScansTab manage={can('security:manage')} /> },
        { key: 'patches', label: t('security.tabs.patches'), children: <PatchesTab /> },
        { key: 'warnings', label: t('security.tabs.warnings'), children: <WarningsTab /> },
        { key: 'attacks', label: t('security.tabs.attacks'), children: <AttacksTab /> },
        { key: 'events', label: t('security.tabs.events'), children: <EventsTab canReport={can('security:event')} /> },
        { key: 'checks', label: t('security.tabs.checks'), children: <ChecksTab manage={can('security:manage')} /> },
        { key: 'rules', label: t('security.tabs.rules'), children: <RulesTab manage={can('security:manage')} /> },
      ]}
    />
  );
}

function FindingsTab() {
  const { t } = useTranslation();
  const [q, setQ] = useState<FindingQuery>({ status: 'unfixed', page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useQuery({ queryKey: securityKeys.findings(q), queryFn: () => securityApi.findings(q) });
  const set = (patch: Partial<FindingQuery>) => setQ((old) => ({ ...old, page: 1, ...patch }));
  return (
    <Card
      size="small"
      title={
        <Space wrap>
          <Select data-testid="security-status-filter" style={{ width: 140 }} value={q.status ?? ''} onChange={(v) => set({ status: (v || undefined) as FindingQuery['status'] })}
            options={[{ value: '', label: t('security.all') }, ...['unfixed', 'open', 'notified', 'replied', 'fixed', 'accepted'].map((s) => ({ value: s, label: t(`security.statuses.${s}`) }))]} />
          <Select allowClear placeholder={t('security.severity')} style={{ width: 120 }} value={q.severity} onChange={(v) => set({ severity: v })} options={SEVERITIES.map((s) => ({ value: s, label: t(`security.severities.${s}`) }))} />
          <Select style={{ width: 140 }} value={q.overdue ? 'overdue' : q.unmatched ? 'unmatched' : ''} onChange={(v) => set({ overdue: v === 'overdue' ? 'true' : undefined, unmatched: v === 'unmatched' ? 'true' : undefined } as Partial<FindingQuery>)}
            options={[{ value: '', label: t('security.all') }, { value: 'overdue', label: t('security.overdueOnly') }, { value: 'unmatched', label: t('security.unmatchedOnly') }]} />
          <Input.Search data-testid="security-keyword" allowClear placeholder={t('security.keywordHint')} style={{ width: 260 }} onSearch={(v) => set({ keyword: v || undefined })} />
        </Space>
      }
      extra={<Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('security.refresh')}</Button>}
    >
      <Table<Finding>
        data-testid="security-findings"
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
        pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('security.total', { n: list.data?.totalCapped ? `${n}+` : n }), onChange: (page, pageSize) => setQ((o) => ({ ...o, page, pageSize })) }}
        scroll={{ x: 1500 }}
        columns={[
          { title: t('security.severity'), dataIndex: 'severity', width: 80, render: (s: string) => <Tag color={SEVERITY_COLOR[s]}>{t(`security.severities.${s}`)}</Tag> },
          { title: t('security.name'), dataIndex: 'name', width: 260, ellipsis: true },
          { title: t('security.host'), dataIndex: 'hostRef', width: 150, render: (h: string, r) => (r.resourceId ? h : <Space size={4}>{h}<Tag>{t('security.unmatched')}</Tag></Space>) },
          { title: t('security.port'), dataIndex: 'port', width: 90 },
          { title: t('security.system'), dataIndex: 'systemName', width: 160, render: (v: string | null) => v ?? '—' },
          { title: t('security.unit'), dataIndex: 'unitName', width: 160, render: (v: string | null) => v ?? '—' },
          { title: t('security.provider'), dataIndex: 'providerName', width: 160, render: (v: string | null) => v ?? '—' },
          { title: t('security.status'), dataIndex: 'status', width: 90, render: (s: string) => <Tag color={STATUS_COLOR[s]}>{t(`security.statuses.${s}`)}</Tag> },
          { title: t('security.deadline'), dataIndex: 'deadline', width: 110, render: (d: string, r) => <Typography.Text type={r.overdue ? 'danger' : undefined}>{d}{r.overdue ? ` ${t('security.overdue')}` : ''}</Typography.Text> },
          { title: t('security.firstSeen'), dataIndex: 'firstSeenAt', width: 150, render: (d: string) => formatDateTime(d) },
        ]}
      />
      <FindingDrawer id={openId} onClose={() => setOpenId(null)} />
    </Card>
  );
}

function FindingDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const [until, setUntil] = useState<Dayjs | null>(null);
  const detail = useQuery({ queryKey: securityKeys.finding(id ?? ''), queryFn: () => securityApi.finding(id!), enabled: id !== null });
  const act = useMutation({
    mutationFn: async (action: 'notify' | 'reply' | 'verify' | 'accept') => {
      if (action === 'notify') return securityApi.notify(id!, note || undefined);
      if (action === 'reply') return securityApi.reply(id!, note);
      if (action === 'verify') return securityApi.verify(id!, note);
      return securityApi.accept(id!, note, until?.format('YYYY-MM-DD') ?? '');
    },
    onSuccess: () => {
      setNote('');
      void message.success(t('security.done'));
      void qc.invalidateQueries({ queryKey: securityKeys.all });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const f = detail.data;
  return (
    <Drawer open={id !== null} onClose={onClose} width={720} title={f?.name ?? t('security.finding')} data-testid="security-finding-drawer"
      extra={f?.notifiedAt && <Button data-testid="security-notice-pdf" icon={<FilePdfOutlined />} onClick={() => void securityApi.noticePdf(f.id, f.hostRef).catch((e: unknown) => void message.error(errorText(e)))}>{t('security.noticePdf')}</Button>}>
      {f && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('security.severity')}><Tag color={SEVERITY_COLOR[f.severity]}>{t(`security.severities.${f.severity}`)}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('security.status')}><Tag data-testid="security-finding-status" color={STATUS_COLOR[f.status]}>{t(`security.statuses.${f.status}`)}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('security.host')}>{f.hostRef}{f.ip && f.ip !== f.hostRef ? ` (${f.ip})` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('security.port')}>{f.port || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('security.system')}>{f.systemName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('security.unit')}>{f.unitName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('security.provider')}>{f.providerName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('security.deadline')}><Typography.Text type={f.overdue ? 'danger' : undefined}>{f.deadline}</Typography.Text></Descriptions.Item>
            <Descriptions.Item label="CVE" span={2}>{f.cve.length ? f.cve.join(', ') : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('security.vulnId')} span={2}>{f.vulnId}</Descriptions.Item>
            {f.description && <Descriptions.Item label={t('security.description')} span={2}>{f.description}</Descriptions.Item>}
            {f.solution && <Descriptions.Item label={t('security.solution')} span={2}>{f.solution}</Descriptions.Item>}
            {f.reply && <Descriptions.Item label={t('security.reply')} span={2}>{f.reply}</Descriptions.Item>}
            {f.acceptedReason && <Descriptions.Item label={t('security.acceptedReason')} span={2}>{f.acceptedReason}（{f.acceptedUntil}）</Descriptions.Item>}
            {f.ticketId && <Descriptions.Item label={t('security.ticket')} span={2}><a href={`/tickets?id=${f.ticketId}`}>{f.ticketId.slice(0, 8)}</a></Descriptions.Item>}
          </Descriptions>
          {(f.abilities.notify || f.abilities.reply || f.abilities.verify || f.abilities.accept) && (
            <Card size="small" title={t('security.handle')}>
              <Space direction="vertical" style={{ width: '100%' }}>
                <Input.TextArea data-testid="security-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('security.notePlaceholder')} maxLength={2000} />
                <Space wrap>
                  {f.abilities.notify && <Button data-testid="security-notify" type="primary" loading={act.isPending} onClick={() => act.mutate('notify')}>{t('security.notify')}</Button>}
                  {f.abilities.reply && <Button data-testid="security-reply" type="primary" disabled={!note} loading={act.isPending} onClick={() => act.mutate('reply')}>{t('security.replyAction')}</Button>}
                  {f.abilities.verify && <Button data-testid="security-verify" disabled={!note} loading={act.isPending} onClick={() => act.mutate('verify')}>{t('security.verify')}</Button>}
                  {f.abilities.accept && (
                    <Space>
                      <DatePicker value={until} onChange={setUntil} placeholder={t('security.acceptUntil')} />
                      <Button danger disabled={!note || !until} loading={act.isPending} onClick={() => act.mutate('accept')}>{t('security.accept')}</Button>
                    </Space>
                  )}
                </Space>
              </Space>
            </Card>
          )}
          <Card size="small" title={t('security.history')}>
            <Timeline items={f.events.map((e) => ({ children: <span>{formatDateTime(e.at)} · {t(`security.actions.${e.action}`)}{e.actor ? ` · ${e.actor}` : ''}{e.note ? ` · ${e.note}` : ''}</span> }))} />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

function ScansTab({ manage }: { manage: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [nodeId, setNodeId] = useState<string>();
  const [format, setFormat] = useState<ReportFormat | 'auto'>('auto');
  const [result, setResult] = useState<ScanResult | null>(null);
  const scans = useQuery({ queryKey: securityKeys.scans, queryFn: securityApi.scans });
  const nodes = useQuery({ queryKey: securityKeys.nodes, queryFn: securityApi.nodes, enabled: manage });
  const upload = useMutation({
    mutationFn: (file: File) => securityApi.upload(file, format === 'auto' ? formatOf(file.name) : format, nodeId),
    onSuccess: (r) => {
      setResult(r);
      void qc.invalidateQueries({ queryKey: securityKeys.all });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {manage && (
        <Card size="small" title={t('security.upload')}>
          <Typography.Paragraph type="secondary">{t('security.uploadHint')}</Typography.Paragraph>
          <Space wrap>
            <Select data-testid="security-upload-node" allowClear placeholder={t('security.node')} style={{ width: 220 }} value={nodeId} onChange={setNodeId} options={(nodes.data ?? []).map((n) => ({ value: n.id, label: n.name }))} />
            <Select style={{ width: 200 }} value={format} onChange={setFormat} options={(['auto', 'openvas', 'nessus', 'xlsx', 'csv'] as const).map((f) => ({ value: f, label: t(`security.formats.${f}`) }))} />
            <Upload accept=".xml,.nessus,.xlsx,.csv" showUploadList={false} beforeUpload={(file) => { upload.mutate(file); return false; }}>
              <Button data-testid="security-upload" icon={<UploadOutlined />} loading={upload.isPending}>{t('security.chooseFile')}</Button>
            </Upload>
          </Space>
          {result && (
            <div data-testid="security-upload-result" style={{ marginTop: 12 }}>
              <Space size="large" wrap>
                <Statistic title={t('security.resultFindings')} value={result.findings} />
                <Statistic title={t('security.resultNew')} value={result.newFindings} />
                <Statistic title={t('security.resultClosed')} value={result.closedFindings} />
                <Statistic title={t('security.resultReopened')} value={result.reopenedFindings} />
              </Space>
              {result.unmatched.length > 0 && <Typography.Paragraph type="warning">{t('security.unmatchedList', { list: result.unmatched.join('、') })}</Typography.Paragraph>}
              {result.rowErrors.length > 0 && (
                <Table size="small" rowKey={(e) => `${e.row}-${e.field}`} dataSource={result.rowErrors} pagination={false}
                  columns={[{ title: t('security.row'), dataIndex: 'row', width: 70 }, { title: t('security.field'), dataIndex: 'field', width: 120 }, { title: t('security.value'), dataIndex: 'value', width: 160 }, { title: t('security.message'), dataIndex: 'message' }]} />
              )}
            </div>
          )}
        </Card>
      )}
      <Card size="small" title={t('security.scanList')}>
        <Table size="small" rowKey="id" loading={scans.isLoading} dataSource={scans.data ?? []} pagination={{ pageSize: 20 }}
          columns={[
            { title: t('security.scannedAt'), dataIndex: 'scannedAt', width: 160, render: (d: string) => formatDateTime(d) },
            { title: t('security.source'), dataIndex: 'source', width: 120, render: (s: string) => t(`security.formats.${s}`) },
            { title: t('security.fileName'), dataIndex: 'fileName', render: (v: string | null) => v ?? '—' },
            { title: t('security.resultFindings'), dataIndex: 'findings', width: 90 },
            { title: t('security.resultNew'), dataIndex: 'newFindings', width: 90 },
            { title: t('security.resultClosed'), dataIndex: 'closedFindings', width: 90 },
            { title: t('security.resultReopened'), dataIndex: 'reopenedFindings', width: 90 },
            { title: t('security.unmatched'), dataIndex: 'unmatched', width: 90, render: (u: string[]) => u.length },
          ]} />
      </Card>
    </Space>
  );
}

function RulesTab({ manage }: { manage: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const rules = useQuery({ queryKey: securityKeys.rules, queryFn: securityApi.rules });
  const [edit, setEdit] = useState<DeadlineRule[] | null>(null);
  const save = useMutation({
    mutationFn: (items: DeadlineRule[]) => securityApi.setRules(items),
    onSuccess: () => {
      setEdit(null);
      void message.success(t('security.done'));
      void qc.invalidateQueries({ queryKey: securityKeys.rules });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const rows = edit ?? rules.data ?? [];
  const change = (i: number, patch: Partial<DeadlineRule>) => setEdit(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Card size="small" title={t('security.rulesTitle')} extra={manage && edit && <Button type="primary" loading={save.isPending} onClick={() => save.mutate(edit)}>{t('security.save')}</Button>}>
      <Typography.Paragraph type="secondary">{t('security.rulesHint')}</Typography.Paragraph>
      <Form component={false}>
        <Table size="small" rowKey="severity" pagination={false} dataSource={rows}
          columns={[
            { title: t('security.severity'), dataIndex: 'severity', render: (s: string) => <Tag color={SEVERITY_COLOR[s]}>{t(`security.severities.${s}`)}</Tag> },
            { title: t('security.days'), dataIndex: 'days', render: (d: number, _r, i) => (manage ? <InputNumber min={1} max={365} value={d} onChange={(v) => change(i, { days: Number(v ?? 1) })} /> : d) },
            { title: t('security.dayKind'), dataIndex: 'dayKind', render: (k: string, _r, i) => (manage ? <Select style={{ width: 140 }} value={k} onChange={(v) => change(i, { dayKind: v as DeadlineRule['dayKind'] })} options={['natural', 'working'].map((x) => ({ value: x, label: t(`security.dayKinds.${x}`) }))} /> : t(`security.dayKinds.${k}`)) },
          ]} />
      </Form>
    </Card>
  );
}

function AttacksTab() {
  const { t } = useTranslation();
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const m = month.format('YYYY-MM');
  const stats = useQuery({ queryKey: securityKeys.attacks(m), queryFn: () => securityApi.attacks(m) });
  const s = stats.data;
  const top = (title: string, rows: Array<{ label: string; count: number }>) => (
    <Card size="small" title={title} style={{ flex: 1, minWidth: 280 }}>
      <Table size="small" rowKey="label" pagination={false} dataSource={rows} columns={[{ title: t('security.item'), dataIndex: 'label' }, { title: t('security.count'), dataIndex: 'count', width: 90, align: 'right' }]} />
    </Card>
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={<DatePicker picker="month" allowClear={false} value={month} onChange={(v) => v && setMonth(v)} />}>
        <Typography.Paragraph type="secondary">{t('security.attacksHint')}</Typography.Paragraph>
        <Space size="large">
          <Statistic title={t('security.attacksMonth')} value={s?.total ?? '—'} loading={stats.isLoading} />
          <Statistic title={t('security.attacksPrev')} value={s?.previousMonthTotal ?? '—'} loading={stats.isLoading} />
        </Space>
      </Card>
      <Space align="start" wrap style={{ width: '100%' }}>
        {top(t('security.topNames'), (s?.byName ?? []).map((x) => ({ label: x.name, count: x.count })))}
        {top(t('security.topSystems'), (s?.bySystem ?? []).map((x) => ({ label: x.systemNo, count: x.count })))}
        {top(t('security.topHosts'), (s?.byHost ?? []).map((x) => ({ label: x.cloudHostId, count: x.count })))}
      </Space>
      <DeviceLogsSection month={month} />
    </Space>
  );
}
