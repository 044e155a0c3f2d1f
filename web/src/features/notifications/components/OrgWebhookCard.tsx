import { App, Button, Card, Form, Input, Popconfirm, Select, Space, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { notificationKeys, notificationsApi, type WebhookInput } from '../notifications.api';
import { errorText } from '../../../i18n';

/** The robot of my organisation (account administrators, user:write): for its people without a robot of their own. */
export function OrgWebhookCard({ orgId, orgName, configured }: { orgId: string; orgName: string; configured: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<WebhookInput & { secret?: string }>();
  const done = () => {
    message.success(t('notifications.prefs.saved'));
    void qc.invalidateQueries({ queryKey: notificationKeys.preferences });
  };
  const save = useMutation({
    mutationFn: (v: WebhookInput & { secret?: string }) => notificationsApi.setOrgWebhook(orgId, { url: v.url, format: v.format, ...(v.secret ? { secret: v.secret } : {}) }),
    onSuccess: done,
    onError: (e) => message.error(errorText(e)),
  });
  const remove = useMutation({ mutationFn: () => notificationsApi.removeOrgWebhook(orgId), onSuccess: () => { form.resetFields(); done(); }, onError: (e) => message.error(errorText(e)) });
  return (
    <Card title={t('notifications.orgWebhook.title', { org: orgName })} size="small">
      <Typography.Paragraph type="secondary">{t(configured ? 'notifications.orgWebhook.configured' : 'notifications.orgWebhook.none')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ format: 'wecom' }} style={{ maxWidth: 640 }}>
        <Form.Item name="url" label={t('notifications.prefs.webhookUrl')} rules={[{ required: true, type: 'url' }]}>
          <Input placeholder="https://oapi.dingtalk.com/robot/send?access_token=…" />
        </Form.Item>
        <Form.Item name="format" label={t('notifications.prefs.webhookFormat')}>
          <Select options={(['wecom', 'dingtalk', 'feishu', 'generic'] as const).map((f) => ({ value: f, label: t(`notifications.prefs.formats.${f}`) }))} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="secret" label={t('notifications.prefs.webhookSecret')} rules={[{ min: 16 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={save.isPending}>{t('notifications.prefs.save')}</Button>
          {configured && (
            <Popconfirm title={t('notifications.prefs.webhookRemove')} onConfirm={() => remove.mutate()}>
              <Button danger>{t('notifications.prefs.webhookRemove')}</Button>
            </Popconfirm>
          )}
        </Space>
      </Form>
    </Card>
  );
}
