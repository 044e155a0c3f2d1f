import { useEffect } from 'react';
import { App, Button, Card, Col, Divider, Form, InputNumber, Row, Spin, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { policyApi, policyKeys } from '../security-policy.api';
import type { SecurityPolicyInput } from '../../../api/types';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';

type Field = { name: keyof SecurityPolicyInput; min: number; max: number; help?: string };
const SECTIONS: { title: string; fields: Field[] }[] = [
  {
    title: 'policy.password',
    fields: [
      { name: 'passwordMinLength', min: 8, max: 64 },
      { name: 'passwordMinClasses', min: 1, max: 4, help: 'policy.passwordMinClassesHelp' },
      { name: 'passwordExpiryDays', min: 0, max: 3650, help: 'policy.passwordExpiryDaysHelp' },
      { name: 'passwordHistoryCount', min: 0, max: 24 },
    ],
  },
  { title: 'policy.lockout', fields: [{ name: 'lockoutThreshold', min: 3, max: 20 }, { name: 'lockoutMinutes', min: 1, max: 1440 }] },
  { title: 'policy.session', fields: [{ name: 'idleTimeoutMinutes', min: 5, max: 120 }, { name: 'sessionMaxHours', min: 1, max: 72 }] },
  { title: 'policy.audit', fields: [{ name: 'auditRetentionDays', min: 180, max: 3650, help: 'policy.auditRetentionDaysHelp' }] },
];

export default function SecurityPolicyPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SecurityPolicyInput>();
  const policy = useQuery({ queryKey: policyKeys.policy, queryFn: policyApi.get });
  const save = useMutation({
    mutationFn: policyApi.put,
    onSuccess: (p) => { queryClient.setQueryData(policyKeys.policy, p); message.success(t('common.saved')); },
    onError: (e) => message.error(errorText(e)),
  });
  useEffect(() => {
    if (policy.data) form.setFieldsValue(policy.data);
  }, [policy.data, form]);
  if (policy.isLoading) return <Spin />;
  const writable = can('policy:write');
  const p = policy.data;
  return (
    <Card title={t('policy.title')} size="small">
      <Form form={form} layout="vertical" disabled={!writable} onFinish={(v) => save.mutate(v)} style={{ maxWidth: 900 }} data-testid="policy-form">
        {SECTIONS.map((s) => (
          <div key={s.title}>
            <Divider orientation="left" orientationMargin={0}>{t(s.title)}</Divider>
            <Row gutter={24}>
              {s.fields.map((f) => (
                <Col xs={24} md={12} key={f.name}>
                  <Form.Item
                    name={f.name}
                    label={t(`policy.${f.name}`)}
                    extra={[f.help ? t(f.help) : null, t('policy.range', { min: f.min, max: f.max })].filter(Boolean).join('；')}
                    rules={[{ required: true, message: t('common.required') }, { type: 'integer', min: f.min, max: f.max, message: t('policy.range', { min: f.min, max: f.max }) }]}
                  >
                    <InputNumber precision={0} style={{ width: '100%' }} data-testid={`policy-${f.name}`} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          </div>
        ))}
        {writable && <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="policy-submit">{t('common.save')}</Button>}
      </Form>
      {p?.updatedBy && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          {t('policy.updatedBy', { user: p.updatedBy.username, time: fmtTime(p.updatedAt) })}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
