import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Divider, Form, Input, InputNumber, Modal, Row, Space, Spin, Switch } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { settingsApi, settingsKeys } from '../settings.api';
import type { LdapSettings, LdapTestResult } from '../../../api/types';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import i18n from '../../../i18n';

type Values = Omit<LdapSettings, 'bindPasswordSet' | 'updatedAt'> & { bindPassword?: string };

function testErrorText(r: LdapTestResult): string {
  const table = i18n.getResource(i18n.language, 'translation', 'errors') as Record<string, string>;
  return (r.error && (table[r.error.code] ?? r.error.message)) || i18n.t('ldap.testFailed');
}

export default function LdapSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [testForm] = Form.useForm<{ username: string; password: string }>();
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<LdapTestResult>();
  const settings = useQuery({ queryKey: settingsKeys.ldap, queryFn: settingsApi.ldap });
  useEffect(() => {
    if (settings.data) form.setFieldsValue({ ...settings.data, bindPassword: undefined });
  }, [settings.data, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const { bindPassword, ...rest } = v;
      return settingsApi.putLdap({ ...rest, url: rest.url ?? '', ...(bindPassword ? { bindPassword } : {}) });
    },
    onSuccess: (s) => { queryClient.setQueryData(settingsKeys.ldap, s); message.success(t('common.saved')); },
    onError: (e) => message.error(errorText(e)),
  });
  const test = useMutation({
    mutationFn: (v: { username: string; password: string }) => settingsApi.testLdap(v.username, v.password),
    onSuccess: setResult,
    onError: (e) => message.error(errorText(e)),
  });

  if (settings.isLoading) return <Spin />;
  const writable = can('settings:write');
  return (
    <Card
      title={t('ldap.title')}
      size="small"
      extra={writable && <Button onClick={() => { setResult(undefined); testForm.resetFields(); setTesting(true); }} data-testid="ldap-test">{t('ldap.test')}</Button>}
    >
      <Form form={form} layout="vertical" disabled={!writable} onFinish={(v) => save.mutate(v)} style={{ maxWidth: 900 }} data-testid="ldap-form">
        <Form.Item name="enabled" label={t('ldap.enabled')} valuePropName="checked">
          <Switch data-testid="ldap-enabled" />
        </Form.Item>
        <Row gutter={24}>
          <Col xs={24} md={12}>
            <Form.Item
              name="url" label={t('ldap.url')} extra={t('ldap.urlRule')}
              rules={[
                { pattern: /^ldaps?:\/\/[^\s/]+$/, message: t('ldap.urlRule') },
                ({ getFieldValue }) => ({ validator: (_, v) => (getFieldValue('enabled') && !v ? Promise.reject(new Error(t('common.required'))) : Promise.resolve()) }),
              ]}
            >
              <Input placeholder="ldap://ldap.example.gov.cn:389" data-testid="ldap-url" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="startTls" label={t('ldap.startTls')} valuePropName="checked"><Switch data-testid="ldap-start-tls" /></Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="tlsRejectUnauthorized" label={t('ldap.tlsRejectUnauthorized')} valuePropName="checked"><Switch data-testid="ldap-tls-verify" /></Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="bindDn" label={t('ldap.bindDn')} rules={[{ max: 500 }]}><Input placeholder="cn=reader,dc=example,dc=gov,dc=cn" data-testid="ldap-bind-dn" /></Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="bindPassword" label={t('ldap.bindPassword')} extra={settings.data?.bindPasswordSet ? t('ldap.bindPasswordSet') : undefined}>
              <Input.Password autoComplete="new-password" data-testid="ldap-bind-password" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="userSearchBase" label={t('ldap.userSearchBase')} rules={[{ max: 500 }]}><Input placeholder="ou=people,dc=example,dc=gov,dc=cn" data-testid="ldap-search-base" /></Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="userFilter" label={t('ldap.userFilter')} extra={t('ldap.userFilterHelp')}
              rules={[{ required: true, message: t('common.required') }, { validator: (_, v: string) => (!v || v.includes('{username}') ? Promise.resolve() : Promise.reject(new Error(t('ldap.userFilterHelp')))) }]}
            >
              <Input placeholder="(uid={username})" data-testid="ldap-user-filter" />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" orientationMargin={0}>{t('ldap.attributes')}</Divider>
        <Row gutter={24}>
          <Col xs={24} md={8}><Form.Item name={['attributes', 'displayName']} label={t('ldap.attrDisplayName')}><Input data-testid="ldap-attr-display-name" /></Form.Item></Col>
          <Col xs={24} md={8}><Form.Item name={['attributes', 'email']} label={t('ldap.attrEmail')}><Input data-testid="ldap-attr-email" /></Form.Item></Col>
          <Col xs={24} md={8}><Form.Item name={['attributes', 'phone']} label={t('ldap.attrPhone')}><Input data-testid="ldap-attr-phone" /></Form.Item></Col>
          <Col xs={24} md={8}>
            <Form.Item name="timeoutMs" label={t('ldap.timeoutMs')} rules={[{ required: true }, { type: 'integer', min: 1000, max: 60000, message: t('policy.range', { min: 1000, max: 60000 }) }]}>
              <InputNumber precision={0} step={1000} style={{ width: '100%' }} data-testid="ldap-timeout" />
            </Form.Item>
          </Col>
        </Row>
        {writable && <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="ldap-submit">{t('common.save')}</Button>}
      </Form>
      <Modal open={testing} title={t('ldap.testTitle')} onCancel={() => setTesting(false)} onOk={() => testForm.submit()} confirmLoading={test.isPending} okText={t('ldap.test')} okButtonProps={{ 'data-testid': 'ldap-test-submit' } as never}>
        <Alert type="info" showIcon message={t('ldap.testHint')} style={{ marginBottom: 16 }} />
        <Form form={testForm} layout="vertical" onFinish={(v) => test.mutate(v)}>
          <Form.Item name="username" label={t('ldap.testUser')} rules={[{ required: true, message: t('common.required') }]}><Input data-testid="ldap-test-username" /></Form.Item>
          <Form.Item name="password" label={t('ldap.testPassword')} rules={[{ required: true, message: t('common.required') }]}><Input.Password data-testid="ldap-test-password" /></Form.Item>
        </Form>
        {result && (
          <Space direction="vertical" style={{ width: '100%' }} data-testid="ldap-test-result">
            {result.ok ? <Alert type="success" showIcon message={t('ldap.testOk', { dn: result.dn ?? '' })} /> : <Alert type="error" showIcon message={testErrorText(result)} />}
            {result.ok && result.attributes && (
              <Descriptions column={1} size="small" bordered>
                <Descriptions.Item label={t('ldap.attrDisplayName')}>{result.attributes.displayName ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('ldap.attrEmail')}>{result.attributes.email ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('ldap.attrPhone')}>{result.attributes.phone ?? '—'}</Descriptions.Item>
              </Descriptions>
            )}
          </Space>
        )}
      </Modal>
    </Card>
  );
}
