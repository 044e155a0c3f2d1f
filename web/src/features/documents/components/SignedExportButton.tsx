import { useState } from 'react';
import { App, Button, Dropdown } from 'antd';
import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../i18n';
import { documentsApi, type SignedFormat, type SignedKind } from '../documents.api';

/** "导出" button with the SM2-signed PDF and .xlsx of a bill, contract or estimate. */
export function SignedExportButton({ kind, id, size }: { kind: SignedKind; id: string; size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = (format: SignedFormat) => {
    setBusy(true);
    documentsApi
      .downloadSigned(kind, id, format)
      .catch((e: unknown) => void message.error(errorText(e)))
      .finally(() => setBusy(false));
  };
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'pdf', label: t('documents.downloadPdf'), icon: <SafetyCertificateOutlined /> },
          { key: 'xlsx', label: t('documents.downloadXlsx'), icon: <SafetyCertificateOutlined /> },
        ],
        onClick: ({ key }) => run(key as SignedFormat),
      }}
    >
      <Button size={size} icon={<DownloadOutlined />} loading={busy}>
        {t('documents.download')}
      </Button>
    </Dropdown>
  );
}
