import { Result } from 'antd';

/** Placeholder until this page is built. */
export default function IngestDataPage() {
  return <Result status="info" title="IngestDataPage" />;
}
