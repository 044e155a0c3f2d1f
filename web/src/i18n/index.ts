import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './zh-CN';
import enUS from './en-US';
import * as ingestionTexts from '../features/ingestion/i18n';
import * as credentialsTexts from '../features/ingest-credentials/i18n';
import * as syslogTexts from '../features/syslog/i18n';
import * as inventoryTexts from '../features/inventory/i18n';
import * as contractsTexts from '../features/contracts/i18n';
import * as billingTexts from '../features/billing/i18n';
import * as qualityTexts from '../features/data-quality/i18n';
import * as calendarTexts from '../features/calendar/i18n';
import * as workflowTexts from '../features/workflow/i18n';
import * as applicationTexts from '../features/applications/i18n';
import * as notificationTexts from '../features/notifications/i18n';
import * as ipamTexts from '../features/ipam/i18n';
import * as serviceDeskTexts from '../features/servicedesk/i18n';
import * as documentsTexts from '../features/documents/i18n';
import * as securityTexts from '../features/security/i18n';
import * as monitoringTexts from '../features/monitoring/i18n';
import * as operationsTexts from '../features/operations/i18n';
import * as evaluationTexts from '../features/evaluation/i18n';
import * as evalFollowUpTexts from '../features/evaluation/followup.i18n';
import * as evalReportTexts from '../features/evaluation/reports.i18n';
import * as availabilityTexts from '../features/availability/i18n';
import * as reportsTexts from '../features/reports/i18n';
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

type Texts = Record<string, unknown> & { errors?: Record<string, string> };
/** Feature texts (features/<name>/i18n.ts) join the base resources; their error codes join the flat `errors` table. */
const featureTexts = [ingestionTexts, credentialsTexts, syslogTexts, inventoryTexts, qualityTexts, calendarTexts, workflowTexts, contractsTexts, billingTexts, notificationTexts, documentsTexts, ipamTexts, applicationTexts, serviceDeskTexts, securityTexts, monitoringTexts, operationsTexts, evaluationTexts, evalFollowUpTexts, availabilityTexts, evalReportTexts, reportsTexts];
function withFeatures(base: Texts, pick: (f: (typeof featureTexts)[number]) => Texts): Texts {
  const merged: Texts = { ...base, errors: { ...(base.errors ?? {}) } };
  for (const f of featureTexts) {
    const { errors, ...rest } = pick(f);
    Object.assign(merged, rest);
    Object.assign(merged.errors!, errors ?? {});
  }
  return merged;
}

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: withFeatures(zhCN as unknown as Texts, (f) => f.zh) },
    'en-US': { translation: withFeatures(enUS as unknown as Texts, (f) => f.en) },
  },
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
