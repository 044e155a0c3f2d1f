import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './zh-CN';
import enUS from './en-US';
import { ApiError } from '../api/client';

export type Lang = 'zh-CN' | 'en-US';
const STORAGE_KEY = 'zhengyun.lang';

export function storedLang(): Lang {
  return localStorage.getItem(STORAGE_KEY) === 'en-US' ? 'en-US' : 'zh-CN';
}

export function setLang(lang: Lang) {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
  lng: storedLang(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  keySeparator: '.',
});
document.documentElement.lang = storedLang();

/** An error's text for people: its `code` through i18n (`errors.<code>`), else the server's message. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    // codes contain dots: look them up in the flat errors table, not as nested keys
    const table = i18n.getResource(i18n.language, 'translation', 'errors') as Record<string, string> | undefined;
    const translated = table?.[error.code];
    const base = translated ?? (i18n.exists(key) ? i18n.t(key) : error.message);
    const issues = (error.details as { issues?: { field: string; message: string }[] } | null)?.issues;
    if (error.code === 'validation.failed' && issues?.length) return `${base}: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`;
    return base;
  }
  if (error instanceof TypeError) return i18n.t('errors.network');
  return error instanceof Error ? error.message : i18n.t('errors.generic');
}

export default i18n;
