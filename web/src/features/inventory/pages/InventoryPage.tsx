import { Result } from 'antd';

/** Placeholder until this page is built. */
export default function InventoryPage() {
  return <Result status="info" title="InventoryPage" />;
}
