import { Result } from 'antd';

/** Placeholder until this page is built. */
export default function DataQualityPage() {
  return <Result status="info" title="DataQualityPage" />;
}
