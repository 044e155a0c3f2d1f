import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Result, Space, Spin, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { documentKeys, documentsApi, type VerifyReport } from '../documents.api';

function ReportView({ fileName, report }: { fileName: string; report: VerifyReport }) {
  const { t } = useTranslation();
  const types = t('documents.types', { returnObjects: true }) as Record<string, string>;
  const reasons = t('documents.reasons', { returnObjects: true }) as Record<string, string>;
  const none = t('documents.none');
  return (
    <Result
      status={report.valid ? 'success' : 'error'}
      title={report.valid ? t('documents.valid') : t('documents.invalid')}
      subTitle={report.valid ? t('documents.validHint') : t('documents.invalidHint')}
      style={{ padding: '16px 0' }}
    >
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('documents.file')}>{fileName}</Descriptions.Item>
        {!report.valid && <Descriptions.Item label={t('documents.reason')}>{report.reason ? (reasons[report.reason] ?? report.reason) : none}</Descriptions.Item>}
        <Descriptions.Item label={t('documents.docTitle')}>{report.title ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('documents.docType')}>{report.docType ? (types[report.docType] ?? report.docType) : none}</Descriptions.Item>
        <Descriptions.Item label={t('documents.signer')}>{report.signer ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('documents.issuedBy')}>{report.issuedBy ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('documents.signedAt')}>{fmtTime(report.signedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('documents.fingerprint')}>
          <Typography.Text code copyable={!!report.keyFingerprint}>{report.keyFingerprint ?? none}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Result>
  );
}

function SigningKeyCard() {
  const { t } = useTranslation();
  const key = useQuery({ queryKey: documentKeys.signingKey(), queryFn: documentsApi.signingKey });
  const savePem = () => {
    if (!key.data) return;
    const href = URL.createObjectURL(new Blob([key.data.publicKeyPem], { type: 'application/x-pem-file' }));
    const a = document.createElement('a');
    a.href = href;
    a.download = `zhengyun-signing-key-${key.data.fingerprint.slice(0, 8)}.pem`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
  };
  return (
    <Card title={t('documents.keyTitle')} extra={<Button icon={<DownloadOutlined />} onClick={savePem} disabled={!key.data}>{t('documents.downloadKey')}</Button>}>
      <Typography.Paragraph type="secondary">{t('documents.keyIntro')}</Typography.Paragraph>
      {key.isError && <Alert type="error" showIcon message={errorText(key.error)} />}
      {key.isLoading && <Spin />}
      {key.data && (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('documents.signer')}>{key.data.signer}</Descriptions.Item>
          <Descriptions.Item label={t('documents.algorithm')}>{`${key.data.algorithm} / ${key.data.hash}`}</Descriptions.Item>
          <Descriptions.Item label={t('documents.distId')}>{key.data.distinguishingId}</Descriptions.Item>
          <Descriptions.Item label={t('documents.fingerprint')}>
            <Typography.Text code copyable>{key.data.fingerprint}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('documents.keyCreated')}>{fmtTime(key.data.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('documents.publicKey')}>
            <Typography.Paragraph copyable style={{ fontFamily: 'monospace', whiteSpace: 'pre', marginBottom: 0, fontSize: 12 }}>{key.data.publicKeyPem.trim()}</Typography.Paragraph>
          </Descriptions.Item>
          {key.data.retiredKeys.length > 0 && (
            <Descriptions.Item label={t('documents.retired')}>
              {key.data.retiredKeys.map((k) => (
                <div key={k.fingerprint}>
                  <Typography.Text code>{k.fingerprint}</Typography.Text> {fmtTime(k.retiredAt)}
                </div>
              ))}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
    </Card>
  );
}

/** 签名验证: upload an exported PDF or .xlsx, see whether the platform's SM2 signature holds; the platform's public key. */
export default function VerifyDocumentPage() {
  const { t } = useTranslation();
  const [fileName, setFileName] = useState('');
  const verify = useMutation({ mutationFn: (file: File) => documentsApi.verify(file) });
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('documents.title')}>
        <Typography.Paragraph type="secondary">{t('documents.intro')}</Typography.Paragraph>
        <Upload.Dragger
          accept=".pdf,.xlsx,application/pdf,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          multiple={false}
          showUploadList={false}
          beforeUpload={(file) => {
            setFileName(file.name);
            verify.mutate(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('documents.choose')}</p>
          <p className="ant-upload-hint">{t('documents.chooseHint')}</p>
        </Upload.Dragger>
        {verify.isPending && <Spin tip={t('documents.checking')} style={{ display: 'block', marginTop: 16 }} />}
        {verify.isError && <Alert style={{ marginTop: 16 }} type="error" showIcon message={errorText(verify.error)} />}
        {verify.data && !verify.isPending && <ReportView fileName={fileName} report={verify.data} />}
      </Card>
      <SigningKeyCard />
    </Space>
  );
}
