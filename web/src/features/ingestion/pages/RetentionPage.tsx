import { Result } from 'antd';

/** Placeholder until this page is built. */
export default function RetentionPage() {
  return <Result status="info" title="RetentionPage" />;
}
