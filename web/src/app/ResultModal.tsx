import { App, Alert, Button, Flex, Modal, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** Shows a secret once (initial password, API token) with a copy button. */
export function SecretModal(props: { open: boolean; title: string; hint: string; secret: string; onClose: () => void; testId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  async function copy() {
    try {
      await navigator.clipboard.writeText(props.secret);
      message.success(t('common.copied'));
    } catch {
      message.error(t('errors.generic'));
    }
  }
  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={props.onClose}
      maskClosable={false}
      footer={<Button type="primary" onClick={props.onClose} data-testid={`${props.testId}-close`}>{t('common.close')}</Button>}
    >
      <Alert type="warning" showIcon message={props.hint} style={{ marginBottom: 16 }} />
      <Flex gap={8} align="center">
        <Typography.Text
          style={{ fontFamily: 'monospace', fontSize: 15, wordBreak: 'break-all', flex: 1, padding: '6px 10px', background: '#f5f5f5', border: '1px solid #e5e5e5', borderRadius: 4 }}
          data-testid={props.testId}
        >
          {props.secret}
        </Typography.Text>
        <Button icon={<CopyOutlined />} onClick={() => void copy()} data-testid={`${props.testId}-copy`}>{t('common.copy')}</Button>
      </Flex>
    </Modal>
  );
}
