import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts';
import { evaluationApi, evaluationKeys, previousMonth } from '../evaluation.api';

const W = 1920;
const H = 1080;
const PANEL = { background: 'rgba(16, 40, 80, 0.6)', border: '1px solid #1f5fa8', borderRadius: 6, padding: 16, boxSizing: 'border-box' as const, overflow: 'hidden' as const };

function DarkChart({ option, height }: { option: echarts.EChartsCoreOption; height: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, 'dark', { renderer: 'canvas' });
    chart.setOption({ backgroundColor: 'transparent', textStyle: { fontSize: 18 }, animation: false, ...option });
    return () => chart.dispose();
  }, [option]);
  return <div ref={ref} style={{ width: '100%', height }} />;
}

function Big({ label, value, color = '#4fc3ff' }: { label: string; value: string | number; color?: string }) {
  return (
    <div style={{ ...PANEL, flex: 1, textAlign: 'center' }}>
      <div style={{ fontSize: 22, color: '#9fc3e8' }}>{label}</div>
      <div style={{ fontSize: 52, fontWeight: 700, color, lineHeight: '72px' }}>{value}</div>
    </div>
  );
}

/**
 * 大屏: a 1920×1080 duty-room view scaled to the window, dark, no scrolling, refreshed every minute from the
 * overview API — so it shows only what the signed-in viewer may see.
 */
export default function BigScreenPage() {
  const { t } = useTranslation();
  const month = previousMonth();
  const ov = useQuery({ queryKey: evaluationKeys.overview(month), queryFn: () => evaluationApi.overview(month), refetchInterval: 60_000 });
  const [scale, setScale] = useState(1);
  useEffect(() => {
    const fit = () => setScale(Math.min(window.innerWidth / W, window.innerHeight / H));
    fit();
    window.addEventListener('resize', fit);
    const prev = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      window.removeEventListener('resize', fit);
      document.body.style.overflow = prev;
    };
  }, []);
  const o = ov.data;
  const units = useMemo(() => (o?.efficiency.units_ ?? []).filter((u) => u.score !== null).sort((a, b) => Number(a.score) - Number(b.score)).slice(0, 12), [o]);
  const costs = useMemo(() => [...(o?.efficiency.units_ ?? [])].filter((u) => u.cost !== null).sort((a, b) => Number(b.cost) - Number(a.cost)).slice(0, 10), [o]);
  const bar = (names: string[], values: Array<number | null>, color: string, max?: number) => ({
    grid: { left: 230, right: 60, top: 10, bottom: 30 },
    xAxis: { type: 'value', ...(max ? { max } : {}), axisLabel: { fontSize: 16 } },
    yAxis: { type: 'category', inverse: true, data: names, axisLabel: { fontSize: 18, width: 210, overflow: 'truncate' } },
    series: [{ type: 'bar', data: values, itemStyle: { color }, label: { show: true, position: 'right', fontSize: 18, color: '#fff' } }],
  });
  const unitOption = useMemo(() => bar(units.map((u) => u.unit.name), units.map((u) => Number(u.score)), '#36cfc9', 100), [units]);
  const rankOption = useMemo(() => bar((o?.ranking.items ?? []).map((r) => r.provider.name), (o?.ranking.items ?? []).map((r) => (r.total === null ? null : Number(r.total))), '#597ef7', 100), [o]);
  const costOption = useMemo(() => bar(costs.map((u) => u.unit.name), costs.map((u) => Number(u.cost)), '#ffc53d'), [costs]);
  const secOption = useMemo(() => ({
    series: [{ type: 'pie', radius: ['45%', '70%'], label: { fontSize: 18, color: '#fff', formatter: '{b}\n{c}' },
      data: [{ name: t('evaluation.ov.critical'), value: o?.findings.critical ?? 0, itemStyle: { color: '#eb2f96' } }, { name: t('evaluation.ov.high'), value: o?.findings.high ?? 0, itemStyle: { color: '#f5222d' } },
        { name: '中低危', value: Math.max(0, (o?.findings.open ?? 0) - (o?.findings.critical ?? 0) - (o?.findings.high ?? 0)), itemStyle: { color: '#fa8c16' } }] }],
  }), [o, t]);
  const noSource = t('evaluation.noSource');
  return (
    <div data-testid="big-screen" style={{ position: 'fixed', inset: 0, background: '#050d1f', overflow: 'hidden' }}>
      <div style={{ width: W, height: H, transform: `scale(${scale})`, transformOrigin: '0 0', color: '#e6f1ff', fontFamily: 'system-ui, "Noto Sans SC", sans-serif', padding: 24, boxSizing: 'border-box', display: 'flex', flexDirection: 'column', gap: 16 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', height: 70 }}>
          <div style={{ fontSize: 40, fontWeight: 700, letterSpacing: 4 }}>{t('evaluation.screen.title')} · {month}</div>
          <div style={{ fontSize: 20, color: '#9fc3e8' }}>{t('evaluation.screen.updated', { t: ov.dataUpdatedAt ? new Date(ov.dataUpdatedAt).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—' })} · <a href="/evaluation/overview" style={{ color: '#9fc3e8' }}>{t('evaluation.screen.exit')}</a></div>
        </div>
        <div style={{ display: 'flex', gap: 16, height: 150 }}>
          <Big label={t('evaluation.ov.units')} value={o?.efficiency.units ?? '—'} />
          <Big label={t('evaluation.ov.hosts')} value={o?.efficiency.hosts ?? '—'} />
          <Big label={t('evaluation.ov.cost')} value={o?.efficiency.cost ?? '—'} color="#ffc53d" />
          <Big label={t('evaluation.ov.avgScore')} value={o ? (o.efficiency.averageScore ?? (o.efficiency.missing === 'no_data_source' ? noSource : '—')) : '—'} color="#36cfc9" />
          <Big label={t('evaluation.ov.openSaving')} value={o?.advice.openSaving ?? '—'} color="#95de64" />
          <Big label={t('evaluation.ov.findings')} value={o?.findings.open ?? '—'} color="#ff7875" />
        </div>
        <div style={{ display: 'flex', gap: 16, flex: 1, minHeight: 0 }}>
          <div style={{ ...PANEL, flex: 1 }}><div style={{ fontSize: 24, marginBottom: 8 }}>{t('evaluation.screen.unitsScore')}</div>
            {units.length ? <DarkChart option={unitOption} height={720} /> : <div style={{ fontSize: 28, color: '#9fc3e8', marginTop: 120, textAlign: 'center' }}>{o?.efficiency.missing === 'no_data_source' ? noSource : '—'}</div>}
          </div>
          <div style={{ flex: 1, display: 'flex', flexDirection: 'column', gap: 16 }}>
            <div style={{ ...PANEL, flex: 1 }}><div style={{ fontSize: 24, marginBottom: 8 }}>{t('evaluation.screen.ranking')}</div>
              {o?.ranking.items.length ? <DarkChart option={rankOption} height={330} /> : <div style={{ fontSize: 26, color: '#9fc3e8', marginTop: 80, textAlign: 'center' }}>{t('evaluation.ov.noRanking')}</div>}
            </div>
            <div style={{ ...PANEL, flex: 1 }}><div style={{ fontSize: 24, marginBottom: 8 }}>{t('evaluation.screen.costByUnit')}</div><DarkChart option={costOption} height={330} /></div>
          </div>
          <div style={{ width: 520, display: 'flex', flexDirection: 'column', gap: 16 }}>
            <div style={{ ...PANEL, flex: 1 }}><div style={{ fontSize: 24 }}>{t('evaluation.screen.security')}</div><DarkChart option={secOption} height={330} /></div>
            <div style={{ ...PANEL, flex: 1, fontSize: 26, lineHeight: '56px' }}>
              <div style={{ fontSize: 24 }}>{t('evaluation.screen.tickets')}</div>
              <div>{t('evaluation.ov.tickets')}：<b style={{ color: '#4fc3ff' }}>{o?.tickets.total ?? '—'}</b></div>
              <div>{t('evaluation.ov.resolved')}：<b style={{ color: '#95de64' }}>{o?.tickets.resolved ?? '—'}</b></div>
              <div>{t('evaluation.ov.breaches')}：<b style={{ color: '#ff7875' }}>{o?.tickets.breaches ?? '—'}</b></div>
              <div>{t('evaluation.ov.overdue')}（{t('evaluation.ov.findings')}）：<b style={{ color: '#ff7875' }}>{o?.findings.overdue ?? '—'}</b></div>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
