import { Progress, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Warning } from '../contracts.api';
import { yuan } from '../contracts.format';

const WARNING_COLORS: Record<string, string> = { consumption_80: 'orange', consumption_100: 'red', milestone_due: 'gold', milestone_overdue: 'red' };

/** Consumption as a progress bar: orange from 80%, red from 100%. */
export function BurnProgress({ percent }: { percent: string | null }) {
  const p = percent === null ? 0 : Number(percent);
  return (
    <Progress percent={Math.min(100, p)} format={() => `${percent ?? '—'}%`} status={p >= 100 ? 'exception' : 'normal'}
      strokeColor={p >= 100 ? undefined : p >= 80 ? '#fa8c16' : undefined} size="small" />
  );
}

/** A warning with its figures: consumption (amount billed, percent) or milestone (name, due date, amount). */
export function WarningTag({ w }: { w: Warning }) {
  const { t } = useTranslation();
  const d = w.details;
  const text = w.kind.startsWith('consumption')
    ? t('contracts.warningText.consumption', { consumed: yuan(String(d.consumed ?? '0')), percent: d.percent ?? '—' })
    : t('contracts.warningText.milestone', { name: d.name ?? '', dueDate: d.dueDate ?? '', amount: yuan(String(d.amount ?? '0')) });
  return <Tag color={WARNING_COLORS[w.kind]}>{t(`contracts.warningKinds.${w.kind}`)}：{text}</Tag>;
}
