import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { notificationKeys, notificationsApi, type PreferenceItem, type WebhookInput } from '../notifications.api';
import { errorText } from '../../../i18n';
import { useCan, useMe } from '../../auth/auth.api';
import { EscalationRulesCard } from '../components/EscalationRulesCard';
import { OrgWebhookCard } from '../components/OrgWebhookCard';
import { fmtTime } from '../../../app/format';

type Row = PreferenceItem & { name: string };
const STATUS_COLOR: Record<string, string> = { pending: 'default', sending: 'processing', sent: 'success', failed: 'error' };

/** 通知设置: channels per kind of notification, my robot webhook, recent deliveries. Every signed-in person has it. */
export default function NotificationSettingsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const prefs = useQuery({ queryKey: notificationKeys.preferences, queryFn: notificationsApi.preferences });
  const deliveries = useQuery({ queryKey: notificationKeys.deliveries, queryFn: notificationsApi.deliveries });
  const [edits, setEdits] = useState<Record<string, Partial<Row>>>({});
  const [form] = Form.useForm<WebhookInput & { secret?: string }>();
  const en = i18n.language.startsWith('en');
  const can = useCan();
  const { data: me } = useMe();

  const rows = useMemo<Row[]>(() => {
    const d = prefs.data;
    if (!d) return [];
    const base: Row[] = [
      { kind: '*', name: t('notifications.prefs.defaults'), ...d.defaults },
      ...d.kinds.map((k) => ({ kind: k.kind, name: en ? k.nameEn : k.nameZh, inApp: k.inApp, email: k.email, webhook: k.webhook })),
    ];
    return base.map((r) => ({ ...r, ...edits[r.kind] }));
  }, [prefs.data, edits, en, t]);
  useEffect(() => {
    const hook = prefs.data?.webhook;
    if (hook) form.setFieldsValue({ url: hook.url, format: hook.format });
  }, [prefs.data, form]);

  const done = () => {
    setEdits({});
    message.success(t('notifications.prefs.saved'));
    void qc.invalidateQueries({ queryKey: notificationKeys.all });
  };
  const save = useMutation({ mutationFn: () => notificationsApi.setPreferences(rows.map(({ kind, inApp, email, webhook }) => ({ kind, inApp, email, webhook }))), onSuccess: done, onError: (e) => message.error(errorText(e)) });
  const saveHook = useMutation({
    mutationFn: (v: WebhookInput & { secret?: string }) => notificationsApi.setWebhook({ url: v.url, format: v.format, ...(v.secret ? { secret: v.secret } : {}) }),
    onSuccess: done,
    onError: (e) => message.error(errorText(e)),
  });
  const removeHook = useMutation({ mutationFn: notificationsApi.removeWebhook, onSuccess: () => { form.resetFields(); done(); }, onError: (e) => message.error(errorText(e)) });

  const toggle = (kind: string, key: 'inApp' | 'email' | 'webhook', v: boolean) => setEdits((e) => ({ ...e, [kind]: { ...e[kind], [key]: v } }));
  const sw = (key: 'inApp' | 'email' | 'webhook') => (v: boolean, r: Row) => <Switch size="small" checked={v} onChange={(x) => toggle(r.kind, key, x)} data-testid={`pref-${r.kind}-${key}`} />;
  const d = prefs.data;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={t('notifications.prefs.title')} size="small" loading={prefs.isLoading} extra={<Button type="primary" onClick={() => save.mutate()} loading={save.isPending} data-testid="pref-save">{t('notifications.prefs.save')}</Button>}>
        <Typography.Paragraph type="secondary">{t('notifications.prefs.intro')}</Typography.Paragraph>
        {d && !d.email.configured && <Alert type="info" showIcon message={t('notifications.prefs.smtpOff')} style={{ marginBottom: 12 }} />}
        {d && d.email.configured && (
          <Typography.Paragraph>{t('notifications.prefs.emailAddress')}：{d.email.address ?? <Typography.Text type="warning">{t('notifications.prefs.noEmail')}</Typography.Text>}</Typography.Paragraph>
        )}
        <Table<Row>
          rowKey="kind"
          size="small"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t('notifications.prefs.kind'), dataIndex: 'name', render: (v: string, r) => (r.kind === '*' ? <strong>{v}</strong> : <span title={r.kind}>{v}</span>) },
            { title: t('notifications.prefs.inApp'), dataIndex: 'inApp', width: 100, render: sw('inApp') },
            { title: t('notifications.prefs.email'), dataIndex: 'email', width: 100, render: sw('email') },
            { title: t('notifications.prefs.webhook'), dataIndex: 'webhook', width: 100, render: sw('webhook') },
          ]}
        />
      </Card>
      <Card title={t('notifications.prefs.webhookTitle')} size="small">
        {d?.orgWebhook && <Alert type="info" showIcon message={t('notifications.prefs.webhookOrg')} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" onFinish={(v) => saveHook.mutate(v)} initialValues={{ format: 'wecom' }} style={{ maxWidth: 640 }}>
          <Form.Item name="url" label={t('notifications.prefs.webhookUrl')} rules={[{ required: true, type: 'url' }]}>
            <Input placeholder="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…" data-testid="webhook-url" />
          </Form.Item>
          <Form.Item name="format" label={t('notifications.prefs.webhookFormat')}>
            <Select options={(['wecom', 'dingtalk', 'feishu', 'generic'] as const).map((f) => ({ value: f, label: t(`notifications.prefs.formats.${f}`) }))} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="secret" label={t('notifications.prefs.webhookSecret')} extra={d?.webhook?.hasSecret ? t('notifications.prefs.webhookSecretKept') : undefined} rules={[{ min: 16 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={saveHook.isPending} data-testid="webhook-save">{t('notifications.prefs.save')}</Button>
            {d?.webhook && (
              <Popconfirm title={t('notifications.prefs.webhookRemove')} onConfirm={() => removeHook.mutate()}>
                <Button danger>{t('notifications.prefs.webhookRemove')}</Button>
              </Popconfirm>
            )}
          </Space>
        </Form>
      </Card>
      {me && can('user:write') && <OrgWebhookCard orgId={me.org.id} orgName={me.org.name} configured={!!prefs.data?.orgWebhook} />}
      {can('workflow:write') && <EscalationRulesCard />}
      <Card title={t('notifications.prefs.deliveries')} size="small">
        <Table
          rowKey="id"
          size="small"
          loading={deliveries.isLoading}
          dataSource={deliveries.data ?? []}
          pagination={false}
          columns={[
            { title: t('notifications.prefs.channel'), dataIndex: 'channel', width: 90, render: (c: string) => (c === 'email' ? t('notifications.prefs.email') : t('notifications.prefs.webhook')) },
            { title: t('notifications.prefs.status'), dataIndex: 'status', width: 90, render: (s: string) => <Tag color={STATUS_COLOR[s]}>{t(`notifications.prefs.statuses.${s}`)}</Tag> },
            { title: t('notifications.prefs.attempts'), dataIndex: 'attempts', width: 70 },
            { title: t('notifications.prefs.target'), dataIndex: 'target', ellipsis: true },
            { title: t('notifications.prefs.lastError'), dataIndex: 'lastError', ellipsis: true },
            { title: '', dataIndex: 'sentAt', width: 170, render: (v: string | null, r) => fmtTime(v ?? r.nextAttemptAt) },
          ]}
        />
      </Card>
    </Space>
  );
}
