import { Suspense, useEffect, useMemo, useState } from 'react';
import { Layout as AntLayout, Menu, Dropdown, Avatar, Flex, Typography, Spin, theme, Breadcrumb } from 'antd';
import { UserOutlined, LogoutOutlined, ProfileOutlined, MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Outlet, useLocation, useNavigate, Navigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { useMe, authApi } from '../features/auth/auth.api';
import { visibleMenu, LEAVES, MENU } from './menu';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationBell } from '../features/notifications/components/NotificationBell';

function useIdleTimeout(minutes: number | undefined, onIdle: () => void) {
  useEffect(() => {
    if (!minutes) return;
    let last = Date.now();
    const touch = () => { last = Date.now(); };
    const events = ['mousemove', 'keydown', 'click', 'scroll', 'touchstart'] as const;
    events.forEach((e) => window.addEventListener(e, touch, { passive: true }));
    const timer = window.setInterval(() => {
      if (Date.now() - last > minutes * 60_000) onIdle();
    }, 15_000);
    return () => {
      events.forEach((e) => window.removeEventListener(e, touch));
      window.clearInterval(timer);
    };
  }, [minutes, onIdle]);
}

export function AppLayout() {
  const { t } = useTranslation();
  const { data: me, isLoading } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();

  const onIdle = useMemo(
    () => () => {
      void authApi.logout().catch(() => undefined);
      queryClient.clear();
      navigate('/login?reason=expired', { replace: true });
    },
    [navigate, queryClient],
  );
  useIdleTimeout(me?.idleTimeoutMinutes, onIdle);

  if (isLoading) return <Flex style={{ height: '100vh' }} align="center" justify="center"><Spin size="large" /></Flex>;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;

  const items = visibleMenu(me.permissions).map((item) =>
    'children' in item
      ? {
          key: item.key, icon: item.icon, label: t(item.label),
          children: item.children.map((c) => ({ key: c.key, icon: c.icon, label: <span data-testid={`menu-${c.key}`}>{t(c.label)}</span> })),
        }
      : { key: item.key, icon: item.icon, label: <span data-testid={`menu-${item.key}`}>{t(item.label)}</span> },
  );
  const current = [...LEAVES].sort((a, b) => b.path.length - a.path.length).find((l) => (l.path === '/' ? location.pathname === '/' : location.pathname.startsWith(l.path)));
  const group = MENU.find((g) => 'children' in g && g.children.some((c) => c.key === current?.key));

  async function signOut() {
    await authApi.logout().catch(() => undefined);
    queryClient.clear();
    navigate('/login?reason=signed_out', { replace: true });
  }

  return (
    <AntLayout style={{ minHeight: '100vh' }}>
      <AntLayout.Sider collapsible collapsed={collapsed} trigger={null} width={220} theme="dark" data-testid="sider">
        <Flex align="center" justify="center" style={{ height: 56, color: '#fff', fontSize: collapsed ? 16 : 18, fontWeight: 600, whiteSpace: 'nowrap' }}>
          {t('app.name')}
        </Flex>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={current ? [current.key] : []}
          defaultOpenKeys={['catalog-group', 'directory-group', 'system', 'security', 'audit']}
          items={items}
          onClick={({ key }) => {
            const leaf = LEAVES.find((l) => l.key === key);
            if (leaf) navigate(leaf.path);
          }}
          data-testid="main-menu"
        />
      </AntLayout.Sider>
      <AntLayout>
        <AntLayout.Header style={{ background: token.colorBgContainer, padding: '0 16px', height: 56, lineHeight: '56px', borderBottom: `1px solid ${token.colorBorderSecondary}` }}>
          <Flex align="center" justify="space-between" style={{ height: '100%' }}>
            <Flex align="center" gap={12}>
              <span onClick={() => setCollapsed(!collapsed)} style={{ cursor: 'pointer', fontSize: 16 }} data-testid="menu-collapse">
                {collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              </span>
              <Breadcrumb
                items={[
                  ...(group ? [{ title: t(group.label) }] : []),
                  ...(current ? [{ title: t(current.label) }] : location.pathname === '/profile' ? [{ title: t('menu.profile') }] : []),
                ]}
              />
            </Flex>
            <Flex align="center" gap={8}>
              <Typography.Text type="secondary" style={{ display: 'inline-block', maxWidth: 260 }} ellipsis>{me.org.name}</Typography.Text>
              <NotificationBell />
              <LanguageSwitch />
              <Dropdown
                menu={{
                  items: [
                    { key: 'profile', icon: <ProfileOutlined />, label: <span data-testid="user-menu-profile">{t('menu.profile')}</span> },
                    { type: 'divider' },
                    { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="user-menu-logout">{t('menu.logout')}</span> },
                  ],
                  onClick: ({ key }) => (key === 'logout' ? void signOut() : navigate('/profile')),
                }}
              >
                <Flex align="center" gap={6} style={{ cursor: 'pointer' }} data-testid="user-menu">
                  <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
                  <span>{me.displayName}</span>
                </Flex>
              </Dropdown>
            </Flex>
          </Flex>
        </AntLayout.Header>
        <AntLayout.Content style={{ margin: 16 }}>
          <Suspense fallback={<Flex justify="center" style={{ padding: 48 }}><Spin /></Flex>}>
            <Outlet />
          </Suspense>
        </AntLayout.Content>
      </AntLayout>
    </AntLayout>
  );
}
