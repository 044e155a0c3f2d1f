import { Result } from 'antd';

/** Placeholder until this page is built. */
export default function IngestBatchesPage() {
  return <Result status="info" title="IngestBatchesPage" />;
}
