import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { Flex, Typography, Spin } from 'antd';
import { useTranslation } from 'react-i18next';

/** The otpauth URI as a QR code drawn in the browser (nothing fetched), with the secret as text. */
export function TotpQr({ uri, secret }: { uri: string; secret: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(uri, { margin: 1, width: 200, errorCorrectionLevel: 'M' }).then((url) => {
      if (live) setSrc(url);
    });
    return () => {
      live = false;
    };
  }, [uri]);
  return (
    <Flex vertical align="center" gap={8}>
      {src ? <img src={src} width={200} height={200} alt="TOTP QR" data-testid="totp-qr" /> : <Spin />}
      <Typography.Text type="secondary">{t('login.secret')}</Typography.Text>
      <Typography.Text code copyable data-testid="totp-secret" style={{ fontSize: 15, letterSpacing: 1 }}>
        {secret}
      </Typography.Text>
    </Flex>
  );
}
