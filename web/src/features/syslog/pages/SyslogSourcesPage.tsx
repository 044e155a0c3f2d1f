import { Result } from 'antd';

/** Placeholder until this page is built. */
export default function SyslogSourcesPage() {
  return <Result status="info" title="SyslogSourcesPage" />;
}
