import { useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined, SafetyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { fmtTime } from '../../../app/format';
import { authApi, authKeys } from '../auth.api';
import { ApiError } from '../../../api/client';
import { errorText } from '../../../i18n';
import type { LoginStep } from '../../../api/types';
import { TotpQr } from '../components/TotpQr';
import { LanguageSwitch } from '../../../app/LanguageSwitch';

type Step = Exclude<LoginStep, { status: 'signed_in' }> | { status: 'credentials' };

function describe(error: unknown, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (error instanceof ApiError) {
    const details = (error.details ?? {}) as { lockedUntil?: string; remainingAttempts?: number };
    if (error.code === 'auth.account_locked' && details.lockedUntil) {
      return t('login.lockedUntil', { time: fmtTime(details.lockedUntil) });
    }
    const text = errorText(error);
    if (typeof details.remainingAttempts === 'number' && details.remainingAttempts > 0) {
      return `${text}，${t('login.remaining', { count: details.remainingAttempts })}`.replace('，', /[a-z]/i.test(text) ? '. ' : '，');
    }
    return text;
  }
  return errorText(error);
}

export default function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [step, setStep] = useState<Step>({ status: 'credentials' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const reason = params.get('reason');

  async function run(action: () => Promise<LoginStep>) {
    setBusy(true);
    setError(undefined);
    try {
      const next = await action();
      if (next.status === 'signed_in') {
        queryClient.setQueryData(authKeys.me, next.me);
        const to = params.get('next');
        navigate(to && to.startsWith('/') && !to.startsWith('//') ? to : '/', { replace: true });
      } else {
        setStep(next);
      }
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'auth.challenge_invalid' || e.code === 'auth.account_locked')) setStep({ status: 'credentials' });
      setError(describe(e, t));
    } finally {
      setBusy(false);
    }
  }

  const back = (
    <Button type="link" block onClick={() => { setStep({ status: 'credentials' }); setError(undefined); }} data-testid="login-back">
      {t('login.back')}
    </Button>
  );

  let title = t('login.title');
  let body: React.ReactNode;
  if (step.status === 'credentials') {
    body = (
      <Form layout="vertical" size="large" onFinish={(v: { username: string; password: string }) => run(() => authApi.login(v.username.trim(), v.password))} data-testid="login-form">
        <Form.Item name="username" rules={[{ required: true, message: t('login.usernameRequired') }]}>
          <Input prefix={<UserOutlined />} placeholder={t('login.username')} autoComplete="username" autoFocus data-testid="login-username" />
        </Form.Item>
        <Form.Item name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} placeholder={t('login.password')} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">{t('login.submit')}</Button>
      </Form>
    );
  } else if (step.status === 'password_change_required') {
    const challenge = step.challenge;
    title = t('login.changeTitle');
    const hint = { initial: t('login.changeInitial'), expired: t('login.changeExpired'), reset: t('login.changeReset') }[step.reason];
    body = (
      <Form layout="vertical" size="large" onFinish={(v: { newPassword: string }) => run(() => authApi.loginPassword(challenge, v.newPassword))}>
        <Alert type="warning" showIcon message={hint} style={{ marginBottom: 16 }} data-testid="password-change-reason" />
        <Form.Item name="newPassword" label={t('login.newPassword')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password autoComplete="new-password" autoFocus data-testid="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('login.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('login.passwordRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value) => (!value || getFieldValue('newPassword') === value ? Promise.resolve() : Promise.reject(new Error(t('login.passwordMismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="confirm-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="password-submit">{t('login.changeSubmit')}</Button>
        {back}
      </Form>
    );
  } else {
    const challenge = step.challenge;
    const enrol = step.status === 'mfa_enrolment_required';
    title = enrol ? t('login.enrolTitle') : t('login.mfaTitle');
    body = (
      <Form layout="vertical" size="large" onFinish={(v: { code: string }) => run(() => authApi.loginMfa(challenge, v.code.trim()))}>
        <Typography.Paragraph type="secondary">{enrol ? t('login.enrolHint') : t('login.mfaHint')}</Typography.Paragraph>
        {step.status === 'mfa_enrolment_required' && (
          <div style={{ marginBottom: 16 }}>
            <TotpQr uri={step.otpauthUri} secret={step.secret} />
          </div>
        )}
        <Form.Item name="code" label={t('login.code')} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('login.codeInvalidFormat') }]}>
          <Input prefix={<SafetyOutlined />} maxLength={6} inputMode="numeric" autoComplete="one-time-code" autoFocus data-testid="totp-code" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="totp-submit">{t('login.verify')}</Button>
        {back}
      </Form>
    );
  }

  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', background: 'linear-gradient(135deg, #e6f0ff 0%, #f5f7fa 60%)' }}>
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
      </div>
      <Flex vertical align="center" style={{ marginBottom: 24 }}>
        <Typography.Title level={2} style={{ margin: 0, color: '#1f4e9c' }}>{t('app.name')}</Typography.Title>
        <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
      </Flex>
      <Card title={title} style={{ width: 400, maxWidth: '92vw' }} data-testid={`login-step-${step.status}`}>
        {step.status === 'credentials' && !error && reason === 'expired' && (
          <Alert type="info" showIcon message={t('login.sessionExpired')} style={{ marginBottom: 16 }} data-testid="session-expired" />
        )}
        {step.status === 'credentials' && !error && reason === 'signed_out' && (
          <Alert type="success" showIcon message={t('login.signedOut')} style={{ marginBottom: 16 }} />
        )}
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        {body}
      </Card>
    </Flex>
  );
}
