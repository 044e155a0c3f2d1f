import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { setLang, type Lang } from '../i18n';

const LABELS: Record<Lang, string> = { 'zh-CN': '简体中文', 'en-US': 'English' };

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  return (
    <Dropdown
      menu={{
        selectedKeys: [i18n.language],
        items: (Object.keys(LABELS) as Lang[]).map((l) => ({ key: l, label: <span data-testid={`lang-${l}`}>{LABELS[l]}</span> })),
        onClick: ({ key }) => setLang(key as Lang),
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} data-testid="lang-switch">
        {LABELS[(i18n.language as Lang) in LABELS ? (i18n.language as Lang) : 'zh-CN']}
      </Button>
    </Dropdown>
  );
}
