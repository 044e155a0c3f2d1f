import { useState } from 'react';
import { App, Badge, Button, Card, DatePicker, Drawer, Form, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../i18n';
import { sdApi, sdKeys, type DictionaryTable, type NewAnnouncement, type NewArticle } from '../servicedesk.api';

/** 知识库: Chinese full-text search (title hits first), reading and writing articles. */
export function KnowledgeTab({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [writing, setWriting] = useState(false);
  const list = useQuery({ queryKey: sdKeys.kb(q), queryFn: () => sdApi.kb(q) });
  const create = useMutation({ mutationFn: (a: NewArticle) => sdApi.createArticle(a), onSuccess: () => { setWriting(false); void qc.invalidateQueries({ queryKey: ['servicedesk', 'kb'] }); }, onError: (e) => void message.error(errorText(e)) });
  return (
    <Card size="small" title={<Input.Search allowClear placeholder={t('sd.kb.search')} style={{ width: 360 }} onSearch={setQ} data-testid="kb-search" />}
      extra={canWrite && <Button type="primary" onClick={() => setWriting(true)}>{t('sd.kb.write')}</Button>}>
      <List loading={list.isLoading} dataSource={list.data?.items ?? []} data-testid="kb-results" renderItem={(a) => (
        <List.Item>
          <List.Item.Meta title={<Space>{a.title}<Tag>{a.category}</Tag><Tag color="blue">{t(`sd.kb.visibilities.${a.visibility}`)}</Tag><Typography.Text type="secondary">{t('sd.kb.version', { v: a.version })}</Typography.Text></Space>} description={a.snippet} />
        </List.Item>
      )} />
      <Drawer open={writing} width={640} title={t('sd.kb.write')} onClose={() => setWriting(false)}>
        <Form<NewArticle> layout="vertical" initialValues={{ visibility: 'public', status: 'published' }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="category" label={t('sd.kb.category')} rules={[{ required: true, max: 50 }]}><Input /></Form.Item>
          <Form.Item name="title" label={t('sd.fields.title')} rules={[{ required: true, max: 200 }]}><Input /></Form.Item>
          <Form.Item name="visibility" label={t('sd.kb.visibility')}><Select options={(['public', 'providers', 'internal'] as const).map((v) => ({ value: v, label: t(`sd.kb.visibilities.${v}`) }))} /></Form.Item>
          <Form.Item name="body" label={t('sd.kb.body')} rules={[{ required: true }]}><Input.TextArea rows={10} /></Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>{t('sd.saved')}</Button>
        </Form>
      </Drawer>
    </Card>
  );
}

/** 公告: valid announcements for me with read receipts; writers publish and see read counts. */
export function AnnouncementsTab({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const list = useQuery({ queryKey: sdKeys.announcements(canWrite), queryFn: () => sdApi.announcements(canWrite) });
  const read = useMutation({ mutationFn: (id: string) => sdApi.markRead(id), onSuccess: () => void qc.invalidateQueries({ queryKey: ['servicedesk', 'announcements'] }) });
  const create = useMutation({ mutationFn: (a: NewAnnouncement) => sdApi.createAnnouncement(a), onSuccess: () => { setOpen(false); void qc.invalidateQueries({ queryKey: ['servicedesk', 'announcements'] }); }, onError: (e) => void message.error(errorText(e)) });
  const fmt = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
  return (
    <Card size="small" extra={canWrite && <Button type="primary" onClick={() => setOpen(true)}>{t('sd.ann.publish')}</Button>}>
      <List loading={list.isLoading} dataSource={list.data ?? []} renderItem={(a) => (
        <List.Item actions={[a.read ? <Tag key="r">{t('sd.ann.read')}</Tag> : <Button key="m" size="small" onClick={() => read.mutate(a.id)}>{t('sd.ann.markRead')}</Button>, a.readCount !== null ? <span key="c">{t('sd.ann.readCount', { n: a.readCount })}</span> : null]}>
          <List.Item.Meta title={<Space>{!a.read && <Badge status="processing" />}{a.title}<Tag>{t(`sd.ann.kinds.${a.kind}`)}</Tag></Space>} description={<><div style={{ whiteSpace: 'pre-wrap' }}>{a.body}</div><Typography.Text type="secondary">{fmt(a.validFrom)} — {fmt(a.validTo)} · {a.audience.length ? a.audience.map((k) => t(`kinds.${k}`)).join('、') : t('sd.ann.everyone')}</Typography.Text></>} />
        </List.Item>
      )} />
      <Drawer open={open} width={560} title={t('sd.ann.publish')} onClose={() => setOpen(false)}>
        <Form layout="vertical" initialValues={{ kind: 'notice', audience: [] }} onFinish={(v: { kind: NewAnnouncement['kind']; title: string; body: string; audience: NewAnnouncement['audience']; range: [{ toISOString(): string }, { toISOString(): string } | null] }) =>
          create.mutate({ kind: v.kind, title: v.title, body: v.body, audience: v.audience, validFrom: v.range[0].toISOString(), ...(v.range[1] ? { validTo: v.range[1].toISOString() } : {}) })}>
          <Form.Item name="kind" label={t('sd.ann.kind')}><Select options={(['maintenance', 'policy', 'notice'] as const).map((k) => ({ value: k, label: t(`sd.ann.kinds.${k}`) }))} /></Form.Item>
          <Form.Item name="title" label={t('sd.fields.title')} rules={[{ required: true, max: 200 }]}><Input /></Form.Item>
          <Form.Item name="body" label={t('sd.kb.body')} rules={[{ required: true }]}><Input.TextArea rows={6} /></Form.Item>
          <Form.Item name="audience" label={t('sd.ann.audience')}><Select mode="multiple" placeholder={t('sd.ann.everyone')} options={(['management_unit', 'supervision_provider', 'cloud_provider', 'user_unit'] as const).map((k) => ({ value: k, label: t(`kinds.${k}`) }))} /></Form.Item>
          <Form.Item name="range" label={`${t('sd.ann.validFrom')} — ${t('sd.ann.validTo')}`} rules={[{ required: true }]}><DatePicker.RangePicker showTime allowEmpty={[false, true]} /></Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>{t('sd.ann.publish')}</Button>
        </Form>
      </Drawer>
    </Card>
  );
}

/** 数据字典: the code tables the platform uses (read-only). */
export function DictionaryTab() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: sdKeys.dictionary, queryFn: sdApi.dictionary });
  return (
    <Table<DictionaryTable> size="small" rowKey="name" loading={q.isLoading} dataSource={q.data ?? []} pagination={{ pageSize: 20 }}
      expandable={{ expandedRowRender: (r) => <Table size="small" rowKey="code" pagination={false} dataSource={r.values} columns={[{ title: t('sd.dict.code'), dataIndex: 'code' }, { title: t('sd.dict.label'), dataIndex: 'label' }]} /> }}
      columns={[
        { title: t('sd.dict.table'), dataIndex: 'name' },
        { title: t('sd.dict.label'), dataIndex: 'label' },
        { title: t('sd.dict.source'), dataIndex: 'source', render: (v: string) => t(`sd.dict.sources.${v}`) },
        { title: '#', key: 'n', render: (_v, r) => r.values.length },
      ]} />
  );
}
