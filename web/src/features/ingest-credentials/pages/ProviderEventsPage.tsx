import { useMemo, useState } from 'react';
import { App, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { useCan } from '../../auth/auth.api';
import { directoryApi, directoryKeys } from '../../directory/directory.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { eventsApi, ingestKeys, type EventFilter, type PollFilter, type PollResult, type ProviderEvent } from '../ingest-credentials.api';

const SEVERITY_COLOURS = { critical: 'red', major: 'orange', minor: 'gold', info: 'blue' } as const;
const KIND_COLOURS = { major_change: 'purple', alarm: 'volcano' } as const;

const json = (v: unknown) => (
  <pre style={{ margin: 0, maxHeight: 400, overflow: 'auto', fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(v, null, 2)}</pre>
);

/** Providers and nodes for the filters: from the directory's cloud nodes, which every signed-in user may read. */
function useNodeOptions() {
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes });
  return useMemo(() => {
    const items = nodes.data?.items ?? [];
    const providers = new Map<string, string>();
    for (const n of items) if (n.provider) providers.set(n.provider.id, n.provider.name);
    return {
      providers: [...providers].map(([value, label]) => ({ value, label })),
      nodes: items.map((n) => ({ value: n.id, label: `${n.code} ${n.name}` })),
    };
  }, [nodes.data]);
}

interface EventFilterValues {
  providerOrgId?: string;
  nodeId?: string;
  kind?: ProviderEvent['kind'];
  severity?: ProviderEvent['severity'];
  acknowledged?: 'true' | 'false';
  range?: [Dayjs | null, Dayjs | null] | null;
  q?: string;
}

function EventsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const options = useNodeOptions();
  const [form] = Form.useForm<EventFilterValues>();
  const [filter, setFilter] = useState<EventFilter>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [shown, setShown] = useState<ProviderEvent>();
  const [acking, setAcking] = useState<ProviderEvent>();
  const [note, setNote] = useState('');
  const list = useQuery({ queryKey: ingestKeys.eventList(filter, page.page, page.pageSize), queryFn: () => eventsApi.list(filter, page.page, page.pageSize) });
  const exporting = useMutation({ mutationFn: () => eventsApi.export(filter), onError: (e) => message.error(errorText(e)) });
  const ack = useMutation({
    mutationFn: (e: ProviderEvent) => eventsApi.acknowledge(e.id, note.trim() || null),
    onSuccess: (e) => {
      setAcking(undefined);
      if (shown?.id === e.id) setShown(e);
      message.success(t('common.success'));
      void queryClient.invalidateQueries({ queryKey: ingestKeys.events });
    },
    onError: (e) => message.error(errorText(e)),
  });

  function apply(v: EventFilterValues) {
    const [from, to] = v.range ?? [];
    setFilter({
      providerOrgId: v.providerOrgId,
      nodeId: v.nodeId,
      kind: v.kind,
      severity: v.severity,
      acknowledged: v.acknowledged,
      from: from ? from.startOf('minute').format() : undefined,
      to: to ? to.endOf('minute').format() : undefined,
      q: v.q?.trim() || undefined,
    });
    setPage((p) => ({ ...p, page: 1 }));
  }

  const severity = (s: ProviderEvent['severity']) => <Tag color={SEVERITY_COLOURS[s]}>{t(`providerEvents.severities.${s}`)}</Tag>;
  const kind = (k: ProviderEvent['kind']) => <Tag color={KIND_COLOURS[k]}>{t(`providerEvents.kinds.${k}`)}</Tag>;

  return (
    <>
      <Form form={form} layout="inline" onFinish={apply} style={{ marginBottom: 12, rowGap: 8 }} data-testid="events-filters">
        {options.providers.length > 1 && (
          <Form.Item name="providerOrgId" label={t('providerEvents.provider')}>
            <Select allowClear style={{ width: 180 }} options={options.providers} optionFilterProp="label" showSearch />
          </Form.Item>
        )}
        <Form.Item name="nodeId" label={t('providerEvents.node')}>
          <Select allowClear style={{ width: 180 }} options={options.nodes} optionFilterProp="label" showSearch />
        </Form.Item>
        <Form.Item name="kind" label={t('providerEvents.kind')}>
          <Select allowClear style={{ width: 120 }} options={(['major_change', 'alarm'] as const).map((k) => ({ value: k, label: t(`providerEvents.kinds.${k}`) }))} data-testid="events-filter-kind" />
        </Form.Item>
        <Form.Item name="severity" label={t('providerEvents.severity')}>
          <Select allowClear style={{ width: 110 }} options={(['critical', 'major', 'minor', 'info'] as const).map((s) => ({ value: s, label: t(`providerEvents.severities.${s}`) }))} data-testid="events-filter-severity" />
        </Form.Item>
        <Form.Item name="acknowledged" label={t('providerEvents.acknowledged')}>
          <Select allowClear style={{ width: 110 }} options={[{ value: 'false', label: t('providerEvents.ackNo') }, { value: 'true', label: t('providerEvents.ackYes') }]} />
        </Form.Item>
        <Form.Item name="range" label={t('providerEvents.range')}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Form.Item name="q" label={t('common.keyword')}><Input allowClear style={{ width: 160 }} data-testid="events-filter-q" /></Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="events-search">{t('common.search')}</Button>
            <Button onClick={() => { form.resetFields(); apply({}); }}>{t('common.reset')}</Button>
            <Button icon={<DownloadOutlined />} loading={exporting.isPending} onClick={() => exporting.mutate()} data-testid="events-export">{t('providerEvents.export')}</Button>
          </Space>
        </Form.Item>
      </Form>
      <Table<ProviderEvent>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items}
        data-testid="events-table"
        pagination={{ current: page.page, pageSize: page.pageSize, total: list.data?.total, showTotal: (total) => t('common.total', { total }), onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
        columns={[
          { title: t('providerEvents.occurredAt'), dataIndex: 'occurredAt', render: (v: string) => fmtTime(v), width: 170 },
          { title: t('providerEvents.kind'), dataIndex: 'kind', render: kind },
          { title: t('providerEvents.severity'), dataIndex: 'severity', render: severity },
          { title: t('providerEvents.category'), dataIndex: 'category' },
          { title: t('providerEvents.eventTitle'), dataIndex: 'title', render: (v: string, r) => <Typography.Link onClick={() => setShown(r)}>{v}</Typography.Link> },
          { title: t('providerEvents.provider'), key: 'provider', render: (_, r) => r.provider.name },
          { title: t('providerEvents.node'), key: 'node', render: (_, r) => r.node.code },
          {
            title: t('providerEvents.acknowledged'),
            key: 'ack',
            render: (_, r) =>
              r.acknowledgedAt ? (
                <Tag color="green">{t('providerEvents.ackYes')}</Tag>
              ) : can('ingest:config') ? (
                <Button size="small" onClick={() => { setNote(''); setAcking(r); }} data-testid={`event-ack-${r.id}`}>{t('providerEvents.acknowledge')}</Button>
              ) : (
                <Tag>{t('providerEvents.ackNo')}</Tag>
              ),
          },
        ]}
      />
      <Drawer open={!!shown} width={560} title={shown?.title} onClose={() => setShown(undefined)}>
        {shown && (
          <Descriptions column={1} size="small" bordered styles={{ label: { width: 140 } }}>
            <Descriptions.Item label={t('providerEvents.kind')}>{kind(shown.kind)}</Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.severity')}>{severity(shown.severity)}</Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.category')}>{shown.category}</Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.occurredAt')}>{fmtTime(shown.occurredAt)}</Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.receivedAt')}>{fmtTime(shown.receivedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.provider')}>{shown.provider.name}</Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.node')}>{`${shown.node.code} ${shown.node.name}`}</Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.externalId')}><code>{shown.externalId}</code></Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.detail')}><div style={{ whiteSpace: 'pre-wrap' }}>{shown.detail || '—'}</div></Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.resources')}>
              {shown.resources.length
                ? shown.resources.map((r, i) => (
                    <div key={i}>
                      {r.cloudHostId && <Tag>{`${t('providerEvents.cloudHostId')} ${r.cloudHostId}`}</Tag>}
                      {r.systemId && <Tag>{`${t('providerEvents.systemId')} ${r.systemId}`}</Tag>}
                    </div>
                  ))
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.acknowledged')}>
              {shown.acknowledgedAt ? `${fmtTime(shown.acknowledgedAt)} · ${shown.acknowledgedBy?.username ?? ''}${shown.ackNote ? ` · ${shown.ackNote}` : ''}` : t('providerEvents.ackNo')}
            </Descriptions.Item>
          </Descriptions>
        )}
      </Drawer>
      <Modal open={!!acking} title={t('providerEvents.acknowledgeTitle')} onCancel={() => setAcking(undefined)} onOk={() => acking && ack.mutate(acking)} confirmLoading={ack.isPending} destroyOnHidden>
        <Typography.Paragraph>{acking?.title}</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('providerEvents.ackNote')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="event-ack-note" />
      </Modal>
    </>
  );
}

interface PollFilterValues {
  providerOrgId?: string;
  nodeId?: string;
  resource?: PollResult['resource'];
  ok?: 'true' | 'false';
  range?: [Dayjs | null, Dayjs | null] | null;
}

function PollsTab() {
  const { t } = useTranslation();
  const options = useNodeOptions();
  const [form] = Form.useForm<PollFilterValues>();
  const [filter, setFilter] = useState<PollFilter>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [shown, setShown] = useState<PollResult>();
  const list = useQuery({ queryKey: ingestKeys.pollList(filter, page.page, page.pageSize), queryFn: () => eventsApi.polls(filter, page.page, page.pageSize) });

  function apply(v: PollFilterValues) {
    const [from, to] = v.range ?? [];
    setFilter({ providerOrgId: v.providerOrgId, nodeId: v.nodeId, resource: v.resource, ok: v.ok, from: from ? from.startOf('minute').format() : undefined, to: to ? to.endOf('minute').format() : undefined });
    setPage((p) => ({ ...p, page: 1 }));
  }

  return (
    <>
      <Form form={form} layout="inline" onFinish={apply} style={{ marginBottom: 12, rowGap: 8 }} data-testid="polls-filters">
        {options.providers.length > 1 && (
          <Form.Item name="providerOrgId" label={t('providerEvents.provider')}>
            <Select allowClear style={{ width: 180 }} options={options.providers} optionFilterProp="label" showSearch />
          </Form.Item>
        )}
        <Form.Item name="nodeId" label={t('providerEvents.node')}>
          <Select allowClear style={{ width: 180 }} options={options.nodes} optionFilterProp="label" showSearch />
        </Form.Item>
        <Form.Item name="resource" label={t('providerEvents.polls.resource')}>
          <Select allowClear style={{ width: 140 }} options={(['platform-status', 'quotas', 'vm-states'] as const).map((r) => ({ value: r, label: t(`providerEvents.polls.resources.${r}`) }))} />
        </Form.Item>
        <Form.Item name="ok" label={t('providerEvents.polls.outcome')}>
          <Select allowClear style={{ width: 100 }} options={[{ value: 'true', label: t('providerEvents.polls.ok') }, { value: 'false', label: t('providerEvents.polls.failed') }]} />
        </Form.Item>
        <Form.Item name="range" label={t('providerEvents.polls.polledAt')}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t('common.search')}</Button>
            <Button onClick={() => { form.resetFields(); apply({}); }}>{t('common.reset')}</Button>
          </Space>
        </Form.Item>
      </Form>
      <Table<PollResult>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items}
        data-testid="polls-table"
        pagination={{ current: page.page, pageSize: page.pageSize, total: list.data?.total, showTotal: (total) => t('common.total', { total }), onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
        columns={[
          { title: t('providerEvents.polls.polledAt'), dataIndex: 'polledAt', render: (v: string) => fmtTime(v), width: 170 },
          { title: t('providerEvents.node'), key: 'node', render: (_, r) => r.node.code },
          { title: t('providerEvents.provider'), key: 'provider', render: (_, r) => r.provider.name },
          { title: t('providerEvents.polls.resource'), dataIndex: 'resource', render: (v: PollResult['resource']) => t(`providerEvents.polls.resources.${v}`) },
          { title: t('providerEvents.polls.outcome'), dataIndex: 'ok', render: (v: boolean) => <Tag color={v ? 'green' : 'red'}>{v ? t('providerEvents.polls.ok') : t('providerEvents.polls.failed')}</Tag> },
          { title: t('providerEvents.polls.httpStatus'), dataIndex: 'httpStatus', render: (v: number | null) => v ?? '—' },
          { title: t('providerEvents.polls.duration'), dataIndex: 'durationMs' },
          { title: t('providerEvents.polls.error'), dataIndex: 'error', ellipsis: true, render: (v: string | null) => v ?? '—' },
          { title: t('common.actions'), key: 'actions', render: (_, r) => <Button type="link" size="small" onClick={() => setShown(r)}>{t('common.detail')}</Button> },
        ]}
      />
      <Drawer open={!!shown} width={640} title={shown ? `${shown.node.code} · ${t(`providerEvents.polls.resources.${shown.resource}`)}` : ''} onClose={() => setShown(undefined)}>
        {shown && (
          <Descriptions column={1} size="small" bordered styles={{ label: { width: 120 } }}>
            <Descriptions.Item label={t('providerEvents.polls.polledAt')}>{fmtTime(shown.polledAt)}</Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.polls.httpStatus')}>{shown.httpStatus ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.polls.duration')}>{shown.durationMs}</Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.polls.error')}>{shown.error ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('providerEvents.polls.payload')}>{shown.payload === null ? '—' : json(shown.payload)}</Descriptions.Item>
          </Descriptions>
        )}
      </Drawer>
    </>
  );
}

/** 变更与告警上报 (trigger mode) and what the poller got from providers' query endpoints (query-response mode). */
export default function ProviderEventsPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('providerEvents.title')} size="small">
      <Tabs
        items={[
          { key: 'events', label: t('providerEvents.tabEvents'), children: <EventsTab /> },
          { key: 'polls', label: t('providerEvents.tabPolls'), children: <PollsTab /> },
        ]}
      />
    </Card>
  );
}
