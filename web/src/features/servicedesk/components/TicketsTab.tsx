import { useState } from 'react';
import { App, Button, Card, Drawer, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { errorText } from '../../../i18n';
import { KINDS, STATUSES, sdApi, sdKeys, type NewTicket, type Ticket, type TicketQuery } from '../servicedesk.api';
import { Countdown } from './Countdown';
import { TicketDrawer } from './TicketDrawer';

const fmt = (s: string | null | undefined) => (s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
const STATUS_COLOUR: Record<string, string> = { new: 'blue', assigned: 'cyan', in_progress: 'processing', pending: 'orange', resolved: 'green', closed: 'default', cancelled: 'default' };

/** A ticket list (mine / provider queue / all) paged, sorted and filtered on the server, with the submit form. */
export function TicketsTab({ view, canCreate }: { view: 'mine' | 'queue' | 'all'; canCreate: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState<TicketQuery>({ view, page: 1, pageSize: 20, sort: view === 'queue' ? 'priority' : '-openedAt' });
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: sdKeys.list(q), queryFn: () => sdApi.list(q), refetchInterval: view === 'queue' ? 30_000 : false });
  const openId = params.get('id');
  const open = (id: string | null) => {
    const p = new URLSearchParams(params);
    if (id) p.set('id', id);
    else p.delete('id');
    setParams(p);
  };
  return (
    <Card
      size="small"
      title={
        <Space wrap>
          <Input.Search allowClear placeholder={t('sd.search')} style={{ width: 220 }} onSearch={(v) => setQ({ ...q, q: v || undefined, page: 1 })} data-testid="sd-search" />
          <Select allowClear placeholder={t('sd.fields.status')} style={{ width: 120 }} value={q.status} onChange={(v) => setQ({ ...q, status: v, page: 1 })}
            options={[{ value: 'open', label: '未关闭' }, ...STATUSES.map((s) => ({ value: s, label: t(`sd.statuses.${s}`) }))]} />
          <Select allowClear placeholder={t('sd.fields.kind')} style={{ width: 140 }} value={q.kind} onChange={(v) => setQ({ ...q, kind: v, page: 1 })}
            options={KINDS.map((k) => ({ value: k, label: t(`sd.kinds.${k}`) }))} />
          <Select allowClear placeholder={t('sd.fields.priority')} style={{ width: 110 }} value={q.priority} onChange={(v) => setQ({ ...q, priority: v, page: 1 })}
            options={['1', '2', '3', '4'].map((p) => ({ value: Number(p), label: t(`sd.priorities.${p}`) }))} />
        </Space>
      }
      extra={
        <Space>
          {canCreate && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="sd-new">{t('sd.submit')}</Button>}
          <Button icon={<DownloadOutlined />} onClick={() => void sdApi.export(q)}>{t('sd.export')}</Button>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('sd.refresh')}</Button>
        </Space>
      }
    >
      <Table<Ticket>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        data-testid={`sd-table-${view}`}
        onRow={(r) => ({ onClick: () => open(r.id), style: { cursor: 'pointer' }, 'data-testid': `sd-row-${r.ticketNo}` } as React.HTMLAttributes<HTMLElement>)}
        pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('sd.total', { n: list.data?.totalCapped ? `${n}+` : n }), onChange: (page, pageSize) => setQ({ ...q, page, pageSize }) }}
        onChange={(_p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const key = s?.field === 'priority' ? 'priority' : s?.order === 'ascend' ? 'openedAt' : '-openedAt';
          setQ({ ...q, sort: key });
        }}
        columns={[
          { title: t('sd.fields.ticketNo'), dataIndex: 'ticketNo', width: 170 },
          { title: t('sd.fields.title'), dataIndex: 'title', ellipsis: true, render: (v: string, r) => <Space size={4}>{v}{r.escalated && <Tag color="red">{t('sd.escalated')}</Tag>}</Space> },
          { title: t('sd.fields.kind'), dataIndex: 'kind', width: 100, render: (v: string) => t(`sd.kinds.${v}`) },
          { title: t('sd.fields.priority'), dataIndex: 'priority', width: 90, sorter: true, render: (v: number) => <Tag color={v <= 1 ? 'red' : v === 2 ? 'orange' : 'blue'}>P{v}</Tag> },
          { title: t('sd.fields.status'), dataIndex: 'status', width: 90, render: (v: string) => <Tag color={STATUS_COLOUR[v]}>{t(`sd.statuses.${v}`)}</Tag> },
          { title: t('sd.fields.countdown'), key: 'cd', width: 160, render: (_v, r) => <Countdown ticket={r} /> },
          { title: t('sd.fields.unit'), dataIndex: 'unitName', width: 140, ellipsis: true, render: (v: string | null) => v ?? '—' },
          { title: t('sd.fields.provider'), dataIndex: 'providerName', width: 140, ellipsis: true, render: (v: string | null) => v ?? '—' },
          { title: t('sd.fields.channel'), dataIndex: 'channel', width: 80, render: (v: string) => t(`sd.channels.${v}`) },
          { title: t('sd.fields.openedAt'), dataIndex: 'openedAt', width: 160, sorter: true, render: fmt },
        ]}
      />
      {creating && <SubmitDrawer onClose={() => setCreating(false)} onCreated={(id) => { setCreating(false); open(id); }} />}
      {openId && <TicketDrawer id={openId} onClose={() => open(null)} />}
    </Card>
  );
}

/** 提交工单: unit users pick one of their own systems; the ticket is dispatched to the provider running it. */
function SubmitDrawer({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<NewTicket>();
  const kind = Form.useWatch('kind', form);
  const systems = useQuery({ queryKey: sdKeys.systems, queryFn: sdApi.systems });
  const create = useMutation({
    mutationFn: (v: NewTicket) => sdApi.create(v),
    onSuccess: (r) => { void qc.invalidateQueries({ queryKey: sdKeys.all }); void message.success(t('sd.created')); onCreated(r.id); },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <Drawer open width={560} title={t('sd.submit')} onClose={onClose} extra={<Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="sd-submit">{t('sd.submit')}</Button>}>
      <Form form={form} layout="vertical" initialValues={{ kind: 'fault', impact: 2, urgency: 2, channel: 'portal', resourceIds: [] }} onFinish={(v) => create.mutate({ ...v, description: v.description ?? '' })}>
        <Form.Item name="kind" label={t('sd.fields.kind')} rules={[{ required: true }]}>
          <Select data-testid="sd-kind" options={KINDS.map((k) => ({ value: k, label: t(`sd.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="title" label={t('sd.fields.title')} rules={[{ required: true, max: 200 }]}><Input data-testid="sd-title" /></Form.Item>
        <Form.Item name="description" label={t('sd.fields.description')}><Input.TextArea rows={4} data-testid="sd-description" /></Form.Item>
        <Form.Item name="systemId" label={t('sd.fields.system')}>
          <Select allowClear showSearch optionFilterProp="label" data-testid="sd-system" loading={systems.isLoading} options={(systems.data ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.systemNo}）` }))} />
        </Form.Item>
        <Space>
          <Form.Item name="impact" label={t('sd.fields.impact')}><Select style={{ width: 120 }} options={['1', '2', '3'].map((x) => ({ value: Number(x), label: t(`sd.levels.${x}`) }))} /></Form.Item>
          <Form.Item name="urgency" label={t('sd.fields.urgency')}><Select style={{ width: 120 }} options={['1', '2', '3'].map((x) => ({ value: Number(x), label: t(`sd.levels.${x}`) }))} /></Form.Item>
          <Form.Item name="channel" label={t('sd.fields.channel')}><Select style={{ width: 120 }} options={(['portal', 'phone', 'email'] as const).map((c) => ({ value: c, label: t(`sd.channels.${c}`) }))} /></Form.Item>
        </Space>
        {kind === 'event' && (
          <Space>
            <Form.Item name="systemsAffected" label={t('sd.fields.systemsAffected')}><InputNumber min={0} /></Form.Item>
            <Form.Item name="durationMinutes" label={t('sd.fields.durationMinutes')}><InputNumber min={0} /></Form.Item>
          </Space>
        )}
        <Form.Item name="reporterPhone" label="联系电话 / Phone"><Input maxLength={30} /></Form.Item>
      </Form>
    </Drawer>
  );
}
