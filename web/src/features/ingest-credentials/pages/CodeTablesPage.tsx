import { Result } from 'antd';

/** Placeholder until this page is built. */
export default function CodeTablesPage() {
  return <Result status="info" title="CodeTablesPage" />;
}
