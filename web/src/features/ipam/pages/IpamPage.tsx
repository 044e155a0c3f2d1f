import { Tabs } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../../auth/auth.api';
import { PoolsTab } from '../components/PoolsTab';
import { RequestsTab } from '../components/RequestsTab';
import { AllocationsTab } from '../components/AllocationsTab';
import { ConflictsTab } from '../components/ConflictsTab';

const TABS = ['pools', 'requests', 'allocations', 'conflicts'] as const;
type Tab = (typeof TABS)[number];

/** IP 地址管理 (内部地址规划与分发): pools, requests with review deadlines, allocations, conflicts with the CMDB. */
export default function IpamPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { data: me } = useMe();
  const navigate = useNavigate();
  const params = useParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.tab ?? '') ? (params.tab as Tab) : 'pools';
  const manage = can('ipam:manage');
  const orgKind = (me as { org?: { kind?: string } } | null | undefined)?.org?.kind ?? null;
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => navigate(`/ipam/${k}`)}
      destroyOnHidden
      items={[
        { key: 'pools', label: t('ipam.tabs.pools'), children: <PoolsTab manage={manage} /> },
        { key: 'requests', label: t('ipam.tabs.requests'), children: <RequestsTab manage={manage} canRequest={can('ipam:request')} orgKind={orgKind} /> },
        { key: 'allocations', label: t('ipam.tabs.allocations'), children: <AllocationsTab /> },
        { key: 'conflicts', label: t('ipam.tabs.conflicts'), children: <ConflictsTab /> },
      ]}
    />
  );
}
