import { useState } from 'react';
import { Badge, Button, Drawer, Empty, Flex, List, Space, Switch, Tag, Typography } from 'antd';
import { BellOutlined, SettingOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { notificationKeys, notificationsApi, type NotificationItem } from '../notifications.api';
import { fmtTime } from '../../../app/format';

const COLOR: Record<string, string> = { info: 'blue', warning: 'orange', critical: 'red' };

/** The bell in the header: unread count (refreshed every 30 s) and a drawer with my notifications. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const unread = useQuery({ queryKey: notificationKeys.unread, queryFn: notificationsApi.unread, refetchInterval: 30_000 });
  const list = useQuery({ queryKey: notificationKeys.list(unreadOnly), queryFn: () => notificationsApi.list(unreadOnly), enabled: open });
  const refresh = () => void qc.invalidateQueries({ queryKey: notificationKeys.all });
  const markRead = useMutation({ mutationFn: notificationsApi.markRead, onSuccess: refresh });
  const markAll = useMutation({ mutationFn: notificationsApi.markAllRead, onSuccess: refresh });

  const openItem = (n: NotificationItem) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (n.link) {
      setOpen(false);
      if (/^https?:\/\//.test(n.link)) window.open(n.link, '_blank', 'noopener');
      else navigate(n.link);
    }
  };

  return (
    <>
      <Badge count={unread.data ?? 0} size="small" offset={[-2, 4]}>
        <Button type="text" icon={<BellOutlined />} aria-label={t('notifications.bell')} onClick={() => setOpen(true)} data-testid="notification-bell" />
      </Badge>
      <Drawer
        title={t('notifications.drawerTitle')}
        open={open}
        onClose={() => setOpen(false)}
        width={420}
        extra={
          <Space>
            <Button size="small" icon={<SettingOutlined />} onClick={() => { setOpen(false); navigate('/notifications/settings'); }} data-testid="notification-settings">{t('notifications.settings')}</Button>
          </Space>
        }
      >
        <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
          <Space>
            <Switch size="small" checked={unreadOnly} onChange={setUnreadOnly} data-testid="notification-unread-only" />
            <span>{t('notifications.unreadOnly')}</span>
          </Space>
          <Button size="small" onClick={() => markAll.mutate()} disabled={!unread.data} loading={markAll.isPending} data-testid="notification-read-all">{t('notifications.markAllRead')}</Button>
        </Flex>
        <List
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <Empty description={t('notifications.empty')} /> }}
          renderItem={(n) => (
            <List.Item
              key={n.id}
              style={{ cursor: n.link ? 'pointer' : 'default', opacity: n.readAt ? 0.6 : 1 }}
              onClick={() => openItem(n)}
              actions={n.readAt ? [] : [<a key="read" onClick={(e) => { e.stopPropagation(); markRead.mutate(n.id); }}>{t('notifications.markRead')}</a>]}
              data-testid="notification-item"
            >
              <List.Item.Meta
                title={
                  <Space size={4}>
                    {!n.readAt && <Badge status="processing" />}
                    <Tag color={COLOR[n.severity]}>{t(`notifications.severity.${n.severity}`)}</Tag>
                    <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
                  </Space>
                }
                description={
                  <>
                    {n.body && <Typography.Paragraph style={{ marginBottom: 4, whiteSpace: 'pre-wrap' }} ellipsis={{ rows: 3 }}>{n.body}</Typography.Paragraph>}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{fmtTime(n.createdAt)}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Drawer>
    </>
  );
}
