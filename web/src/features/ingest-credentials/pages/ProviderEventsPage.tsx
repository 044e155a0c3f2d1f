import { Result } from 'antd';

/** Placeholder until this page is built. */
export default function ProviderEventsPage() {
  return <Result status="info" title="ProviderEventsPage" />;
}
