import { Tabs } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/auth.api';
import { TicketsTab } from '../components/TicketsTab';
import { StatisticsTab } from '../components/StatisticsTab';
import { AnnouncementsTab, DictionaryTab, KnowledgeTab } from '../components/KnowledgeTabs';

const TABS = ['mine', 'queue', 'all', 'statistics', 'kb', 'announcements', 'dictionary'] as const;
type Tab = (typeof TABS)[number];

/** 统一工单: my tickets, the provider queue with SLA countdowns, all tickets, statistics, knowledge base, announcements, dictionary. */
export default function ServiceDeskPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const params = useParams();
  const [search] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.tab ?? '') ? (params.tab as Tab) : search.get('id') ? 'all' : 'mine';
  const items = [
    { key: 'mine', label: t('sd.tabs.mine'), children: <TicketsTab view="mine" canCreate={can('ticket:create')} /> },
    ...(can('ticket:handle') || can('ticket:manage') ? [{ key: 'queue', label: t('sd.tabs.queue'), children: <TicketsTab view="queue" canCreate={false} /> }] : []),
    { key: 'all', label: t('sd.tabs.all'), children: <TicketsTab view="all" canCreate={can('ticket:create')} /> },
    { key: 'statistics', label: t('sd.tabs.statistics'), children: <StatisticsTab /> },
    ...(can('kb:read') ? [{ key: 'kb', label: t('sd.tabs.kb'), children: <KnowledgeTab canWrite={can('kb:write')} /> }] : []),
    { key: 'announcements', label: t('sd.tabs.announcements'), children: <AnnouncementsTab canWrite={can('announcement:write')} /> },
    { key: 'dictionary', label: t('sd.tabs.dictionary'), children: <DictionaryTab /> },
  ];
  return <Tabs activeKey={tab} onChange={(k) => navigate(`/tickets/${k}`)} destroyOnHidden items={items} data-testid="sd-tabs" />;
}
