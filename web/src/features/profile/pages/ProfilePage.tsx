import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Modal, Row, Space, Tag, Typography } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { authApi, authKeys, useMe } from '../../auth/auth.api';
import { TotpQr } from '../../auth/components/TotpQr';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import type { Me } from '../../../api/types';

export default function ProfilePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [infoForm] = Form.useForm<{ displayName: string; email?: string; phone?: string }>();
  const [pwForm] = Form.useForm<{ currentPassword: string; newPassword: string; confirmPassword: string }>();
  const [codeForm] = Form.useForm<{ code: string }>();
  const [setup, setSetup] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [disabling, setDisabling] = useState(false);
  const setMe = (m: Me) => queryClient.setQueryData(authKeys.me, m);
  const onError = (e: unknown) => message.error(errorText(e));

  useEffect(() => {
    if (me) infoForm.setFieldsValue({ displayName: me.displayName, email: me.email ?? undefined, phone: me.phone ?? undefined });
  }, [me, infoForm]);

  const saveInfo = useMutation({
    mutationFn: (v: { displayName: string; email?: string; phone?: string }) => authApi.updateMe({ displayName: v.displayName, email: v.email || null, phone: v.phone || null }),
    onSuccess: (m) => { setMe(m); message.success(t('common.saved')); },
    onError,
  });
  const changePw = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) => authApi.changePassword(v.currentPassword, v.newPassword),
    onSuccess: (m) => { setMe(m); pwForm.resetFields(); message.success(t('profile.passwordChanged')); },
    onError,
  });
  const startSetup = useMutation({ mutationFn: authApi.mfaSetup, onSuccess: (s) => { codeForm.resetFields(); setSetup(s); }, onError });
  const confirm = useMutation({
    mutationFn: (code: string) => authApi.mfaConfirm(code),
    onSuccess: (m) => { setMe(m); setSetup(null); message.success(t('profile.mfaOn')); },
    onError,
  });
  const disable = useMutation({
    mutationFn: (code: string) => authApi.mfaDisable(code),
    onSuccess: (m) => { setMe(m); setDisabling(false); message.success(t('profile.mfaOff')); },
    onError,
  });

  if (!me) return null;
  const ldap = me.authSource === 'ldap';
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card title={t('profile.info')} size="small">
          <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('users.username')}>{me.username}</Descriptions.Item>
            <Descriptions.Item label={t('users.org')}>{me.org.name}（{t(`kinds.${me.org.kind}`)}）</Descriptions.Item>
            <Descriptions.Item label={t('users.roles')}>{me.roles.map((r) => <Tag key={r.id}>{r.name}</Tag>)}</Descriptions.Item>
            <Descriptions.Item label={t('home.lastPasswordChange')}>{me.passwordExpiresAt ? fmtTime(me.passwordExpiresAt) : t('home.passwordNeverExpires')}</Descriptions.Item>
          </Descriptions>
          <Form form={infoForm} layout="vertical" onFinish={(v) => saveInfo.mutate(v)} data-testid="profile-form">
            <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}>
              <Input maxLength={50} data-testid="profile-display-name" />
            </Form.Item>
            <Form.Item name="email" label={t('users.email')} rules={[{ type: 'email' }, { max: 100 }]}><Input data-testid="profile-email" /></Form.Item>
            <Form.Item name="phone" label={t('users.phone')} rules={[{ pattern: /^\+?[0-9][0-9 -]{4,19}$/, message: t('users.phoneRule') }]}><Input data-testid="profile-phone" /></Form.Item>
            <Button type="primary" htmlType="submit" loading={saveInfo.isPending} data-testid="profile-save">{t('common.save')}</Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Card title={t('profile.password')} size="small">
            {ldap ? (
              <Alert type="info" showIcon message={t('profile.ldapPassword')} />
            ) : (
              <Form form={pwForm} layout="vertical" onFinish={(v) => changePw.mutate(v)} data-testid="password-form">
                <Form.Item name="currentPassword" label={t('profile.currentPassword')} rules={[{ required: true, message: t('common.required') }]}>
                  <Input.Password autoComplete="current-password" data-testid="current-password" />
                </Form.Item>
                <Form.Item name="newPassword" label={t('login.newPassword')} rules={[{ required: true, message: t('common.required') }]}>
                  <Input.Password autoComplete="new-password" data-testid="new-password" />
                </Form.Item>
                <Form.Item
                  name="confirmPassword" label={t('login.confirmPassword')} dependencies={['newPassword']}
                  rules={[{ required: true, message: t('common.required') }, ({ getFieldValue }) => ({ validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('login.passwordMismatch')))) })]}
                >
                  <Input.Password autoComplete="new-password" data-testid="confirm-password" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={changePw.isPending} data-testid="password-submit">{t('profile.changePassword')}</Button>
              </Form>
            )}
          </Card>
          <Card title={t('profile.mfa')} size="small">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text data-testid="mfa-status">
                <SafetyOutlined style={{ color: me.mfaEnabled ? '#52c41a' : '#999' }} /> {me.mfaEnabled ? t('profile.mfaEnabled') : t('profile.mfaDisabled')}
              </Typography.Text>
              {me.mfaRequired && <Alert type="info" showIcon message={t('profile.mfaRequired')} />}
              {!me.mfaEnabled && <Button type="primary" onClick={() => startSetup.mutate()} loading={startSetup.isPending} data-testid="mfa-enable">{t('profile.enableMfa')}</Button>}
              {me.mfaEnabled && !me.mfaRequired && <Button danger onClick={() => { codeForm.resetFields(); setDisabling(true); }} data-testid="mfa-disable">{t('profile.disableMfa')}</Button>}
            </Space>
          </Card>
        </Space>
      </Col>
      <Modal open={!!setup || disabling} title={setup ? t('login.enrolTitle') : t('profile.disableMfa')} onCancel={() => { setSetup(null); setDisabling(false); }} onOk={() => codeForm.submit()} confirmLoading={confirm.isPending || disable.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'mfa-submit' } as never}>
        <Typography.Paragraph type="secondary">{setup ? t('profile.enrolHint') : t('profile.disableMfaHint')}</Typography.Paragraph>
        {setup && <div style={{ marginBottom: 16 }}><TotpQr uri={setup.otpauthUri} secret={setup.secret} /></div>}
        <Form form={codeForm} layout="vertical" onFinish={(v) => (setup ? confirm.mutate(v.code.trim()) : disable.mutate(v.code.trim()))}>
          <Form.Item name="code" label={t('login.code')} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('login.codeInvalidFormat') }]}>
            <Input maxLength={6} inputMode="numeric" autoComplete="one-time-code" data-testid="totp-code" />
          </Form.Item>
        </Form>
      </Modal>
    </Row>
  );
}
