import { useEffect } from 'react';
import { App, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { notificationKeys, notificationsApi, type EscalationRule } from '../notifications.api';
import { errorText } from '../../../i18n';

interface RuleRow {
  definitionCode?: string;
  stepKey?: string;
  roleCode: string;
  org: EscalationRule['org'];
}

const ROLES = ['mgmt_staff', 'supervisor_staff', 'provider_admin', 'provider_staff', 'unit_admin', 'unit_staff'];

/** 超时升级规则 (management unit, workflow:write): where overdue steps escalate; an empty definition = global. */
export function EscalationRulesCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ rules: RuleRow[] }>();
  const rules = useQuery({ queryKey: notificationKeys.escalation, queryFn: notificationsApi.escalationRules });
  useEffect(() => {
    if (rules.data) form.setFieldsValue({ rules: rules.data.map((r) => ({ definitionCode: r.definitionCode ?? '', stepKey: r.stepKey ?? '', roleCode: r.roleCode, org: r.org })) });
  }, [rules.data, form]);
  const save = useMutation({
    mutationFn: (v: { rules: RuleRow[] }) =>
      notificationsApi.setEscalationRules(v.rules.map((r) => ({ definitionCode: r.definitionCode?.trim() || null, stepKey: r.stepKey?.trim() || null, roleCode: r.roleCode, org: r.org }))),
    onSuccess: () => {
      message.success(t('notifications.prefs.saved'));
      void qc.invalidateQueries({ queryKey: notificationKeys.escalation });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const orgs = (['management_unit', 'supervision_provider', 'task_org'] as const).map((o) => ({ value: o, label: t(`notifications.escalation.orgs.${o}`) }));

  return (
    <Card title={t('notifications.escalation.title')} size="small" loading={rules.isLoading}>
      <Typography.Paragraph type="secondary">{t('notifications.escalation.intro')}</Typography.Paragraph>
      <Form form={form} onFinish={(v) => save.mutate(v)}>
        <Form.List name="rules">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'definitionCode']}><Input placeholder={t('notifications.escalation.definition')} style={{ width: 180 }} /></Form.Item>
                  <Form.Item name={[f.name, 'stepKey']}><Input placeholder={t('notifications.escalation.step')} style={{ width: 140 }} /></Form.Item>
                  <Form.Item name={[f.name, 'roleCode']} rules={[{ required: true }]}><Select options={ROLES.map((r) => ({ value: r, label: r }))} style={{ width: 160 }} /></Form.Item>
                  <Form.Item name={[f.name, 'org']} rules={[{ required: true }]}><Select options={orgs} style={{ width: 180 }} /></Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Space>
                <Button icon={<PlusOutlined />} onClick={() => add({ roleCode: 'mgmt_staff', org: 'management_unit' })}>{t('notifications.escalation.add')}</Button>
                <Button type="primary" htmlType="submit" loading={save.isPending}>{t('notifications.prefs.save')}</Button>
              </Space>
            </>
          )}
        </Form.List>
      </Form>
    </Card>
  );
}
