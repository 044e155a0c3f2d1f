import type { ReactNode } from 'react';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMe } from '../features/auth/auth.api';

/** Shows the page only with the permission (the server enforces it anyway; this avoids a page of errors). */
export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { data: me } = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  if (me && !me.permissions.includes(permission)) {
    return <Result status="403" title="403" subTitle={t('errors.forbidden')} extra={<Button type="primary" onClick={() => navigate('/')}>{t('errors.back')}</Button>} />;
  }
  return <>{children}</>;
}

export function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return <Result status="404" title="404" subTitle={t('errors.notFound')} extra={<Button type="primary" onClick={() => navigate('/')}>{t('errors.back')}</Button>} />;
}
