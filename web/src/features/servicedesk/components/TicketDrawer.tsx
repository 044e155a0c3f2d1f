import { useState } from 'react';
import { Alert, App, Button, Checkbox, Descriptions, Drawer, Form, Input, Modal, Rate, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../i18n';
import { sdApi, sdKeys, type FaultReport, type TicketAction, type TicketDetail } from '../servicedesk.api';

const fmt = (s: string | null | undefined) => (s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
const NEEDS_REASON = { pend: 'reason', transfer: 'reason', reopen: 'reason', cancel: 'reason', escalate: 'reason', resolve: 'resolution' } as const;
const SIMPLE = ['claim', 'start', 'resume', 'onsite', 'restore', 'close'] as const;

/** 工单详情: fields, SLA clocks, the timeline, actions allowed to the caller, comments, rating and the fault report. */
export function TicketDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: sdKeys.one(id), queryFn: () => sdApi.get(id) });
  const [prompt, setPrompt] = useState<null | { action: string }>(null);
  const [text, setText] = useState('');
  const [extra, setExtra] = useState('');
  const [comment, setComment] = useState('');
  const [internal, setInternal] = useState(false);
  const [rating, setRating] = useState(5);
  const [ratingComment, setRatingComment] = useState('');
  const [faultOpen, setFaultOpen] = useState(false);
  const done = (d: TicketDetail) => { qc.setQueryData(sdKeys.one(id), d); void qc.invalidateQueries({ queryKey: ['servicedesk', 'list'] }); };
  const onError = (e: unknown) => { void message.error(errorText(e)); void q.refetch(); };
  const act = useMutation({ mutationFn: (a: TicketAction) => sdApi.act(id, a), onSuccess: (d) => { done(d); setPrompt(null); setText(''); setExtra(''); }, onError });
  const addComment = useMutation({ mutationFn: () => sdApi.comment(id, { body: comment, visibility: internal ? 'internal' : 'public' }), onSuccess: (d) => { done(d); setComment(''); }, onError });
  const rate = useMutation({ mutationFn: () => sdApi.rate(id, { rating, comment: ratingComment || undefined }), onSuccess: done, onError });
  const fault = useMutation({ mutationFn: (f: FaultReport) => sdApi.faultReport(id, f), onSuccess: (d) => { done(d); setFaultOpen(false); void message.success(t('sd.fault.saved')); }, onError });
  const d = q.data;
  const run = (action: string) => {
    if (!d) return;
    const v = d.version;
    if ((SIMPLE as readonly string[]).includes(action)) return act.mutate({ action, version: v } as TicketAction);
    setPrompt({ action });
  };
  const submitPrompt = () => {
    if (!d || !prompt) return;
    const v = d.version;
    const a = prompt.action;
    const body: Record<string, unknown> = { action: a, version: v };
    if (a === 'resolve') body.resolution = text;
    else if (a in NEEDS_REASON) body.reason = text;
    if (a === 'transfer') body.providerId = extra;
    if (a === 'assign') body.assigneeUserId = extra;
    if (a === 'merge') body.intoTicketId = extra;
    act.mutate(body as TicketAction);
  };
  return (
    <Drawer open width={760} onClose={onClose} title={d ? `${d.ticketNo} · ${d.title}` : t('sd.detail')} data-testid="sd-drawer">
      {!d ? <Spin /> : (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Space wrap data-testid="sd-actions">
            {Object.entries(d.abilities).filter(([k, v]) => v && !['comment', 'rate', 'faultReport'].includes(k)).map(([k]) => (
              <Button key={k} size="small" type={k === 'claim' || k === 'resolve' ? 'primary' : 'default'} danger={k === 'cancel' || k === 'escalate'} loading={act.isPending && act.variables?.action === k} onClick={() => run(k)} data-testid={`sd-act-${k}`}>
                {t(`sd.actions.${k}`)}
              </Button>
            ))}
            {d.abilities.faultReport && <Button size="small" onClick={() => setFaultOpen(true)} data-testid="sd-fault-report">{t('sd.actions.faultReport')}</Button>}
            {d.faultReport && <Button size="small" onClick={() => void sdApi.faultReportPdf(id, d.ticketNo)}>{t('sd.actions.faultReportPdf')}</Button>}
          </Space>
          <Descriptions size="small" bordered column={2} data-testid="sd-status" items={[
            { label: t('sd.fields.status'), children: <Tag data-testid="sd-status-value" data-status={d.status}>{t(`sd.statuses.${d.status}`)}</Tag> },
            { label: t('sd.fields.kind'), children: `${t(`sd.kinds.${d.kind}`)}${d.eventLevel ? ` · ${d.eventLevel}` : ''}` },
            { label: t('sd.fields.priority'), children: `P${d.priority}（${t('sd.fields.impact')} ${d.impact} × ${t('sd.fields.urgency')} ${d.urgency}）` },
            { label: t('sd.fields.channel'), children: t(`sd.channels.${d.channel}`) },
            { label: t('sd.fields.unit'), children: d.unitName ?? '—' },
            { label: t('sd.fields.system'), children: d.systemName ?? '—' },
            { label: t('sd.fields.provider'), children: d.providerName ?? '—' },
            { label: t('sd.fields.node'), children: d.nodeName ?? '—' },
            { label: t('sd.fields.assignee'), children: d.assigneeName ?? '—' },
            { label: t('sd.fields.openedAt'), children: fmt(d.openedAt) },
            { label: t('sd.fields.workOrder'), children: d.workOrderLink ? <a href={d.workOrderLink}>{d.workOrderId}</a> : '—' },
            { label: t('sd.fields.rating'), children: d.rating ? <Rate disabled value={d.rating} /> : '—' },
          ]} />
          {d.keyPeriod && <Alert type="warning" showIcon message={t('sd.keyPeriod')} />}
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{d.description}</Typography.Paragraph>
          <Table size="small" rowKey="clock" pagination={false} title={() => t('sd.clocksTitle')} dataSource={d.clocks} columns={[
            { title: t('sd.fields.countdown'), dataIndex: 'clock', render: (v: string) => t(`sd.clocks.${v}`) },
            { title: '目标 / Target', dataIndex: 'targetMinutes', render: (v: number, r) => `${v} 分钟 · ${t(`sd.schedules.${r.schedule}`)}` },
            { title: '已计 / Counted', dataIndex: 'elapsedMinutes' },
            { title: '%', dataIndex: 'fraction', render: (v: number) => `${Math.round(v * 100)}%` },
            { title: t('sd.fields.status'), dataIndex: 'state', render: (v: string, r) => <Tag color={{ green: 'green', yellow: 'gold', red: 'red', grey: 'default' }[r.colour]}>{t(`sd.clockStates.${v}`)}</Tag> },
            { title: '到期 / Due', dataIndex: 'dueAt', render: fmt },
          ]} />
          {d.attachments.length > 0 && (
            <Space wrap>{t('sd.attachments')}：{d.attachments.map((a) => <a key={a.id} href={`/api/tickets/${id}/attachments/${a.id}`}>{a.fileName}</a>)}</Space>
          )}
          {d.abilities.rate && (
            <Space direction="vertical" style={{ width: '100%' }} data-testid="sd-rate">
              <Typography.Text strong>{t('sd.actions.rate')}</Typography.Text>
              <Rate value={rating} onChange={setRating} />
              <Input.TextArea rows={2} placeholder={t('sd.ratingComment')} value={ratingComment} onChange={(e) => setRatingComment(e.target.value)} />
              <Button type="primary" loading={rate.isPending} onClick={() => rate.mutate()} data-testid="sd-rate-submit">{t('sd.actions.rate')}</Button>
            </Space>
          )}
          <Typography.Title level={5}>{t('sd.timeline')}</Typography.Title>
          <Timeline data-testid="sd-timeline" items={d.events.map((e) => ({
            color: e.visibility === 'internal' ? 'gray' : e.kind === 'sla' ? 'red' : 'blue',
            children: (
              <div>
                <Typography.Text strong>{t(`sd.events.${e.kind}`)}</Typography.Text>
                {e.toStatus && e.fromStatus !== e.toStatus && <Tag style={{ marginLeft: 8 }}>{t(`sd.statuses.${e.toStatus}`)}</Tag>}
                {e.visibility === 'internal' && <Tag>内部</Tag>}
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{fmt(e.at)} · {e.actorName ?? '—'}</Typography.Text>
                {e.body && <div style={{ whiteSpace: 'pre-wrap' }}>{e.body}</div>}
              </div>
            ),
          }))} />
          {d.abilities.comment && (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Input.TextArea rows={2} placeholder={t('sd.commentPlaceholder')} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="sd-comment" />
              <Space>
                <Checkbox checked={internal} onChange={(e) => setInternal(e.target.checked)}>{t('sd.internal')}</Checkbox>
                <Button disabled={!comment.trim()} loading={addComment.isPending} onClick={() => addComment.mutate()} data-testid="sd-comment-submit">{t('sd.actions.comment')}</Button>
              </Space>
            </Space>
          )}
        </Space>
      )}
      <Modal open={!!prompt} title={prompt ? t(`sd.actions.${prompt.action}`) : ''} onCancel={() => setPrompt(null)} onOk={submitPrompt} confirmLoading={act.isPending} okButtonProps={{ 'data-testid': 'sd-prompt-ok' } as Record<string, string>}>
        {prompt && ['transfer', 'assign', 'merge'].includes(prompt.action) && (
          <Input style={{ marginBottom: 8 }} placeholder={prompt.action === 'transfer' ? t('sd.providerId') : prompt.action === 'assign' ? t('sd.assigneeId') : t('sd.intoTicket')} value={extra} onChange={(e) => setExtra(e.target.value)} />
        )}
        {prompt && prompt.action in NEEDS_REASON && (
          <Input.TextArea rows={3} placeholder={prompt.action === 'resolve' ? t('sd.resolution') : t('sd.reason')} value={text} onChange={(e) => setText(e.target.value)} data-testid="sd-prompt-text" />
        )}
      </Modal>
      <Modal open={faultOpen} title={t('sd.actions.faultReport')} onCancel={() => setFaultOpen(false)} footer={null} width={640}>
        <Form<FaultReport> layout="vertical" initialValues={d?.faultReport ?? undefined} onFinish={(v) => fault.mutate(v)}>
          {(['cause', 'impactScope', 'timeline', 'measures', 'prevention'] as const).map((k) => (
            <Form.Item key={k} name={k} label={t(`sd.fault.${k}`)} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          ))}
          <Button type="primary" htmlType="submit" loading={fault.isPending}>{t('sd.saved')}</Button>
        </Form>
      </Modal>
    </Drawer>
  );
}
