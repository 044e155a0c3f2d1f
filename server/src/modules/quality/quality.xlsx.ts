import ExcelJS from 'exceljs';
import type { DailyRow, ProviderSummary } from './quality.schemas.js';

const METHOD_CN: Record<DailyRow['method'], string> = {
  host_samples: '云主机 × 每 5 分钟',
  device_samples: '设备 × 每 5 分钟',
  event_slots: '有记录的 5 分钟时段',
  daily: '每日',
  weekly: '每周',
};

/** Ratio text (0.9549) as a percentage with 2 decimals (95.49), exact string arithmetic. */
export function percent(ratio: string | null): string | null {
  if (ratio === null) return null;
  const [i = '0', f = ''] = ratio.split('.');
  const frac = (f + '0000').slice(0, 4);
  const whole = Number(i) * 100 + Number(frac.slice(0, 2));
  return `${whole}.${frac.slice(2, 4)}`;
}

const yesNo = (v: boolean | null) => (v === null ? '' : v ? '是' : '否');

/** Workbook of the data-quality export: providers, provider × table, and the stored rows. Chinese headers. */
export async function writeQualityWorkbook(data: { from: string; to: string; providers: ProviderSummary[]; rows: DailyRow[] }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengyun';

  const ps = wb.addWorksheet('服务商汇总');
  ps.columns = [
    { header: '云服务商', key: 'provider', width: 24 },
    { header: '起始日期', key: 'from', width: 12 },
    { header: '截止日期', key: 'to', width: 12 },
    { header: '得分', key: 'score', width: 10 },
    { header: '完整性(%)', key: 'completeness', width: 12 },
    { header: '及时性(%)', key: 'timeliness', width: 12 },
    { header: '有效性(%)', key: 'validity', width: 12 },
    { header: '完整性达标(≥95%)', key: 'meets', width: 16 },
    { header: '计入数据表数', key: 'counted', width: 12 },
    { header: '未达标数据表', key: 'below', width: 50 },
  ];
  for (const p of data.providers) {
    ps.addRow({
      provider: p.providerName ?? p.providerOrgId, from: data.from, to: data.to, score: p.score, completeness: percent(p.completeness),
      timeliness: percent(p.timeliness), validity: percent(p.validity), meets: yesNo(p.meetsTarget), counted: p.tablesCounted,
      below: p.tablesBelowTarget.map((t) => p.tables.find((x) => x.table === t)?.tableCn ?? t).join('、'),
    });
  }

  const ts = wb.addWorksheet('数据表汇总');
  ts.columns = [
    { header: '云服务商', key: 'provider', width: 24 },
    { header: '数据表', key: 'tableCn', width: 24 },
    { header: '接口名', key: 'table', width: 26 },
    { header: '更新周期', key: 'period', width: 10 },
    { header: '必报', key: 'mandatory', width: 6 },
    { header: '应收', key: 'expected', width: 12 },
    { header: '实收', key: 'received', width: 12 },
    { header: '按时', key: 'onTime', width: 12 },
    { header: '接收', key: 'accepted', width: 12 },
    { header: '拒收', key: 'rejected', width: 12 },
    { header: '完整性(%)', key: 'completeness', width: 12 },
    { header: '及时性(%)', key: 'timeliness', width: 12 },
    { header: '有效性(%)', key: 'validity', width: 12 },
    { header: '得分', key: 'score', width: 10 },
    { header: '完整性达标(≥95%)', key: 'meets', width: 16 },
  ];
  const periodCn = { PT5M: '5 分钟', P1D: '天', P1W: '周' } as const;
  for (const p of data.providers) {
    for (const t of p.tables) {
      ts.addRow({
        provider: p.providerName ?? p.providerOrgId, tableCn: t.tableCn, table: t.table, period: periodCn[t.period], mandatory: yesNo(t.mandatory),
        expected: t.expected, received: t.received, onTime: t.onTime, accepted: t.accepted, rejected: t.rejected,
        completeness: percent(t.completeness), timeliness: percent(t.timeliness), validity: percent(t.validity), score: t.score, meets: yesNo(t.meetsTarget),
      });
    }
  }

  const rs = wb.addWorksheet('每日明细');
  rs.columns = [
    { header: '云服务商', key: 'provider', width: 24 },
    { header: '云节点', key: 'node', width: 16 },
    { header: '数据表', key: 'tableCn', width: 24 },
    { header: '日期(周表为周一)', key: 'day', width: 14 },
    { header: '统计周期', key: 'period', width: 8 },
    { header: '完整性口径', key: 'method', width: 20 },
    { header: '必报', key: 'mandatory', width: 6 },
    { header: '应收', key: 'expected', width: 12 },
    { header: '实收', key: 'received', width: 12 },
    { header: '按时', key: 'onTime', width: 12 },
    { header: '接收', key: 'accepted', width: 12 },
    { header: '拒收', key: 'rejected', width: 12 },
    { header: '完整性(%)', key: 'completeness', width: 12 },
    { header: '及时性(%)', key: 'timeliness', width: 12 },
    { header: '有效性(%)', key: 'validity', width: 12 },
    { header: '得分', key: 'score', width: 10 },
    { header: '完整性达标(≥95%)', key: 'meets', width: 16 },
  ];
  for (const r of data.rows) {
    rs.addRow({
      provider: r.providerName ?? r.providerOrgId, node: r.nodeName ?? r.nodeCode ?? r.nodeId, tableCn: r.tableCn, day: r.day,
      period: r.period === 'week' ? '周' : '日', method: METHOD_CN[r.method], mandatory: yesNo(r.mandatory), expected: r.expected,
      received: r.received, onTime: r.onTime, accepted: r.accepted, rejected: r.rejected, completeness: percent(r.completeness),
      timeliness: percent(r.timeliness), validity: percent(r.validity), score: r.score, meets: yesNo(r.meetsTarget),
    });
  }
  for (const ws of [ps, ts, rs]) {
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
