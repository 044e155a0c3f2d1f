import { Card, Col, Descriptions, Row, Tag, Typography, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMe } from '../../auth/auth.api';
import { visibleMenu } from '../../../app/menu';
import { fmtTime } from '../../../app/format';

export default function HomePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const navigate = useNavigate();
  if (!me) return null;
  const shortcuts = visibleMenu(me.permissions).flatMap((i) => ('children' in i ? i.children : []));
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="home-welcome">{t('home.welcome', { name: me.displayName })}</Typography.Title>
        <Descriptions column={{ xs: 1, lg: 2 }} bordered size="middle" styles={{ label: { whiteSpace: 'nowrap', width: 130 } }}>
          <Descriptions.Item label={t('home.org')}><span data-testid="home-org">{me.org.name}</span></Descriptions.Item>
          <Descriptions.Item label={t('home.kind')}>{t(`kinds.${me.org.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('home.roles')}>
            <span data-testid="home-roles">
              {me.roles.map((r) => <Tag color="blue" key={r.id}>{r.name}</Tag>)}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.mfa')}>
            {me.mfaEnabled ? <Tag color="green">{t('home.mfaOn')}</Tag> : <Tag>{t('home.mfaOff')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('home.lastPasswordChange')}>
            {me.passwordExpiresAt ? fmtTime(me.passwordExpiresAt) : t('home.passwordNeverExpires')}
          </Descriptions.Item>
          <Descriptions.Item label={t('home.permissions')}>
            {me.permissions.length ? me.permissions.map((p) => <Tag key={p}>{p}</Tag>) : t('common.none')}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {shortcuts.length > 0 && (
        <Card title={t('home.quick')}>
          <Row gutter={[16, 16]}>
            {shortcuts.map((s) => (
              <Col key={s.key} xs={12} md={6}>
                <Card hoverable size="small" onClick={() => navigate(s.path)} data-testid={`home-shortcut-${s.key}`}>
                  <Space>{s.icon}{t(s.label)}</Space>
                </Card>
              </Col>
            ))}
          </Row>
        </Card>
      )}
    </Space>
  );
}
