import { Result } from 'antd';

/** Placeholder until this page is built. */
export default function CredentialsPage() {
  return <Result status="info" title="CredentialsPage" />;
}
