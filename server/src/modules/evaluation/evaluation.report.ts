import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { AlignmentType, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import * as echarts from 'echarts';
import PDFDocument from 'pdfkit';
import type { RequestContext } from '../../platform/context.js';
import { CONTENT_TYPES, type DocumentsService, type RenderedDocument } from '../documents/index.js';
import { NO_SOURCE, shown } from './evaluation.exports.js';
import type { EvaluationService, MonthlyFigures, QuarterEvaluation } from './evaluation.service.js';

const require = createRequire(import.meta.url);
let font: { regular: string; bold: string } | null = null;
function fonts(): { regular: string; bold: string } {
  if (!font) {
    const dir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
    font = { regular: path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf'), bold: path.join(dir, '700Bold', 'NotoSansSC_700Bold.ttf') };
  }
  return font;
}

/** An ECharts option rendered on the server (SSR) to SVG. */
export function chartSvg(option: echarts.EChartsCoreOption, width = 640, height = 300): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: 'Noto Sans SC' }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** SVG → PNG with the embedded Chinese font (Word and pdfkit take raster images). */
export function svgToPng(svg: string, width = 1280): Buffer {
  const r = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { fontFiles: [fonts().regular], loadSystemFonts: false, defaultFontFamily: 'Noto Sans SC' }, background: '#ffffff' });
  return Buffer.from(r.render().asPng());
}

/**
 * A horizontal bar chart of scores 0…100 (one bar per name, top to bottom in the given order) rendered by ECharts on
 * the server to SVG and rasterised for Word and PDF: the chart of the 月报, the 季评 and the annual rating report.
 */
export function barChart(title: string, bars: Array<{ name: string; value: number }>, opts: { rowHeight?: number; right?: number } = {}): NonNullable<Section['chart']> {
  const rowHeight = opts.rowHeight ?? 26;
  const height = 80 + bars.length * rowHeight;
  const svg = chartSvg({
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    grid: { left: 180, right: opts.right ?? 40, top: 40, bottom: 30 },
    xAxis: { type: 'value', max: 100 },
    yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.name), axisLabel: { fontSize: 10 } },
    series: [{ type: 'bar', data: bars.map((b) => b.value), itemStyle: { color: '#1677ff' }, label: { show: true, position: 'right' } }],
  }, 640, height);
  return { png: svgToPng(svg), width: 600, height: Math.round((600 / 640) * height) };
}

export interface Section { title: string; paragraphs: string[]; table?: { head: string[]; rows: string[][] }; chart?: { png: Buffer; width: number; height: number } }

const pct = (v: string | null) => (v === null ? '—' : `${v}%`);

/** 六、日常运维管理 (巡检, 应急演练), 七、SLA 达标, 八、服务台: from the modules' figures, 暂无数据来源 when unwired. */
export function operationsSections(fig: MonthlyFigures): Section[] {
  const out: Section[] = [];
  const ins = fig.inspections;
  const dr = fig.drills;
  const insDone = ins.rows.reduce((a, r) => a + r.done, 0);
  const insExp = ins.rows.reduce((a, r) => a + r.expected, 0);
  out.push({
    title: '六、日常运维管理',
    paragraphs: [
      ins.wired ? `巡检：应巡检 ${insExp} 次，完成 ${insDone} 次，漏检 ${ins.rows.reduce((a, r) => a + r.missed, 0)} 次，发现异常 ${ins.rows.reduce((a, r) => a + r.abnormal, 0)} 次。` : `巡检：${NO_SOURCE}（运维管理未接入）。`,
      dr.wired ? `应急演练：应开展 ${dr.rows.reduce((a, r) => a + r.required, 0)} 次，已开展 ${dr.rows.reduce((a, r) => a + r.held, 0)} 次。` : `应急演练：${NO_SOURCE}（运维管理未接入）。`,
    ],
    ...(ins.wired && ins.rows.length ? { table: { head: ['云服务商', '应巡检', '已完成', '漏检', '异常', '完成率', '应急演练（已开展/应开展）'], rows: ins.rows.map((r) => { const d = dr.rows.find((x) => x.provider.id === r.provider.id); return [r.provider.name, String(r.expected), String(r.done), String(r.missed), String(r.abnormal), pct(r.doneRate), dr.wired ? (d ? `${d.held}/${d.required}` : '—') : NO_SOURCE]; }) } } : {}),
  });
  const sla = fig.sla;
  out.push({
    title: '七、SLA 达标情况',
    paragraphs: [sla.wired ? `本月纳入 SLA 考核的信息系统 ${sla.judged} 个，达标 ${sla.met} 个，达标率 ${pct(sla.rate)}。` : `SLA 达标率：${NO_SOURCE}（可用性监测未接入）。`],
    ...(sla.wired && sla.rows.length ? { table: { head: ['云服务商', '信息系统', '已考核', '达标', '达标率', '最低可用率'], rows: sla.rows.map((r) => [r.provider.name, String(r.systems), String(r.judged), String(r.met), pct(r.rate), r.minAvailability === null ? '—' : `${r.minAvailability}%`]) } } : {}),
  });
  const sd = fig.serviceDesk;
  out.push({
    title: '八、服务台统计',
    paragraphs: [sd.wired && sd.total ? `本月工单 ${sd.total.tickets} 张，已解决 ${sd.total.resolved} 张，超时 ${sd.total.breaches} 次，按时响应率 ${pct(sd.total.responseRate)}。` : `服务台统计：${NO_SOURCE}（服务台未接入）。`],
    ...(sd.wired && sd.rows.length ? { table: { head: ['云服务商', '工单', '已解决', '超时', '按时响应率', '满意度'], rows: sd.rows.map((r) => [r.provider.name, String(r.tickets), String(r.resolved), String(r.breaches), pct(r.responseRate), r.satisfaction ?? '—']) } } : {}),
  });
  return out;
}

/** The sections of the 综合监管月报 from the month's figures (efficiency, advice, provider evaluation, tickets, security). */
export async function reportSections(service: EvaluationService, ctx: RequestContext, month: string): Promise<{ title: string; due: string; sections: Section[] }> {
  const [ov, eff, advice, due, fig] = await Promise.all([
    service.overview(ctx, { month }),
    service.efficiency(ctx, { month, level: 'unit' }),
    service.listAdvice(ctx, { month }),
    service.reportDueDate(month),
    service.monthlyFigures(ctx, month),
  ]);
  const sections: Section[] = [];
  sections.push({
    title: '一、总体情况',
    paragraphs: [
      `本月纳入评估的使用单位 ${ov.efficiency.units} 家，云主机 ${ov.efficiency.hosts} 台，vCPU ${ov.efficiency.vcpu} 核，内存 ${ov.efficiency.memoryGb} GB，${ov.efficiency.cost === null ? '本月尚无账单。' : `账单费用合计 ${ov.efficiency.cost} 元。`}`,
      `服务台本月受理工单 ${ov.tickets.total} 张，已解决 ${ov.tickets.resolved} 张，超时 ${ov.tickets.breaches} 次。`,
    ],
  });
  const scored = eff.items.filter((i) => i.score !== null).slice(0, 15);
  const chart = scored.length ? barChart('单位云效率得分（最低 15 家）', scored.map((i) => ({ name: i.unit.name, value: Number(i.score) })), { rowHeight: 22, right: 30 }) : undefined;
  sections.push({
    title: '二、单位云效率',
    paragraphs: [
      eff.formula ? `评分公式（第 ${eff.formula.version} 版）：${eff.formula.text}` : '本月尚未计算云效率。',
      ...(eff.utilisationSource ? [] : [`利用率：${NO_SOURCE}（监控模块未接入），效率得分暂不计算。`]),
    ],
    table: { head: ['使用单位', '云主机', 'vCPU', '内存(GB)', '费用(元)', 'CPU p95', '内存 p95', '得分'], rows: eff.items.slice(0, 40).map((r) => [r.unit.name, String(r.hosts), r.vcpu, r.memoryGb, r.cost ?? '—', shown(r.cpuP95, r.missing), shown(r.memP95, r.missing), shown(r.score, r.missing)]) },
    ...(chart ? { chart } : {}),
  });
  sections.push({
    title: '三、资源优化建议',
    paragraphs: [`本月资源优化建议 ${advice.length} 条，待处理 ${ov.advice.open} 条，可节省 ${ov.advice.openSaving} 元/月；已接受 ${ov.advice.accepted} 条，驳回 ${ov.advice.dismissed} 条。`],
    table: { head: ['使用单位', '云主机', '建议', '节省(元/月)'], rows: advice.slice(0, 30).map((a) => [a.unit.name, a.resourceName, a.explanation, a.saving ?? '—']) },
  });
  sections.push({
    title: '四、云服务商月度评估',
    paragraphs: [ov.ranking.run ? `指标体系：${ov.ranking.run.setName}（v${ov.ranking.run.setVersion}），第 ${ov.ranking.run.revision} 版，已发布。` : '本月评估结果尚未发布。'],
    ...(ov.ranking.items.length ? { table: { head: ['排名', '云服务商', '总分', '等级'], rows: ov.ranking.items.map((r) => [r.rank === null ? '—' : String(r.rank), r.provider.name, r.total ?? '—', r.grade ?? '—']) } } : {}),
  });
  const pst = fig.posture.data;
  sections.push({
    title: '五、安全监测',
    paragraphs: [
      `未整改漏洞 ${ov.findings.open} 个（严重 ${ov.findings.critical}、高危 ${ov.findings.high}），本月到期逾期 ${ov.findings.overdue} 个。`,
      pst
        ? `安全态势：本月攻击 ${pst.attacks} 次（上月 ${pst.attacksPrevMonth} 次），安全事件 ${pst.events} 起，整改逾期 ${pst.overdueRectifications} 项；漏洞扫描 ${pst.scansDone}/${pst.scansRequired} 次，渗透测试 ${pst.pentestsDone}/${pst.pentestsRequired} 次（年度）。`
        : `安全态势：${NO_SOURCE}（安全监管未接入）。`,
    ],
    ...(pst && pst.topAttackedSystems.length ? { table: { head: ['受攻击最多的信息系统', '攻击次数'], rows: pst.topAttackedSystems.map((x) => [x.name, String(x.count)]) } } : {}),
  });
  sections.push(...operationsSections(fig));
  return { title: `政务云综合监管月报（${month}）`, due, sections };
}

export async function docxOf(r: Report): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: r.title, font: '宋体' })] }),
    ...(r.due ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: `报送期限：${r.due}（次月前 5 个工作日内）`, size: 20 })] })] : []),
  ];
  for (const s of r.sections) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: s.title })] }));
    for (const p of s.paragraphs) children.push(new Paragraph({ children: [new TextRun({ text: p, size: 22 })] }));
    if (s.chart) children.push(new Paragraph({ children: [new ImageRun({ type: 'png', data: s.chart.png, transformation: { width: s.chart.width, height: s.chart.height } })] }));
    if (s.table && s.table.rows.length) {
      const row = (cells: string[], bold = false) => new TableRow({ children: cells.map((c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: c, bold, size: 18 })] })] })) });
      children.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [row(s.table.head, true), ...s.table.rows.map((x) => row(x))] }));
    }
  }
  return Packer.toBuffer(new Document({ creator: 'Zhengyun 政云', title: r.title, sections: [{ children }] }));
}

export async function pdfOf(r: Report, footerNote: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: r.title, Creator: 'Zhengyun 政云' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.registerFont('r', readFileSync(fonts().regular));
  doc.registerFont('b', readFileSync(fonts().bold));
  const width = doc.page.width - 96;
  doc.font('b').fontSize(18).text(r.title, { align: 'center' });
  if (r.due) doc.font('r').fontSize(10).text(`报送期限：${r.due}（次月前 5 个工作日内）`, { align: 'center' });
  doc.moveDown();
  for (const s of r.sections) {
    doc.font('b').fontSize(13).text(s.title).moveDown(0.3);
    for (const p of s.paragraphs) doc.font('r').fontSize(10).text(p).moveDown(0.3);
    if (s.chart) {
      const h = (width / s.chart.width) * s.chart.height;
      if (doc.y + h > doc.page.height - 60) doc.addPage();
      doc.image(s.chart.png, 48, doc.y, { width });
      doc.y += h + 6;
    }
    if (s.table && s.table.rows.length) {
      const cols = s.table.head.length;
      const cw = width / cols;
      const line = (cells: string[], bold: boolean) => {
        doc.font(bold ? 'b' : 'r').fontSize(8);
        const h = Math.max(...cells.map((c) => doc.heightOfString(c, { width: cw - 4 }))) + 4;
        if (doc.y + h > doc.page.height - 60) doc.addPage();
        const y = doc.y;
        cells.forEach((c, i) => {
          doc.rect(48 + i * cw, y, cw, h).stroke('#999999');
          doc.fillColor('#000000').text(c, 50 + i * cw, y + 2, { width: cw - 4 });
        });
        doc.x = 48;
        doc.y = y + h;
      };
      line(s.table.head, true);
      for (const row of s.table.rows) line(row, false);
      doc.moveDown();
    }
  }
  doc.font('r').fontSize(8).fillColor('#666666').text(footerNote, 48, doc.y + 10, { width });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

export type Report = { title: string; due: string | null; dueNote?: string; sections: Section[] };

export async function rendered(documents: DocumentsService, ctx: RequestContext, r: Report, stem: string, docType: string, format: 'docx' | 'pdf'): Promise<RenderedDocument> {
  if (format === 'docx') return { data: await docxOf(r), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', filename: `${stem}.docx` };
  const key = await documents.signingKey();
  const unsigned = await pdfOf(r, `本文件带有${key.signer}的 SM2 数字签名，可在平台“签名验证”或用 zhengyun verify-signature 验证。`);
  const data = await documents.sign(ctx, unsigned, { docType, title: r.title });
  return { data, contentType: CONTENT_TYPES.pdf, filename: `${stem}.pdf` };
}

/** The 综合监管月报 of a month as .docx (for editing and filing) or as a PDF signed with the platform's SM2 key. */
export async function buildMonthlyReport(service: EvaluationService, documents: DocumentsService, ctx: RequestContext, month: string, format: 'docx' | 'pdf'): Promise<RenderedDocument> {
  return rendered(documents, ctx, await reportSections(service, ctx, month), `综合监管月报-${month}`, 'evaluation-monthly-report', format);
}

/** The sections of the 季评 (quarterly provider evaluation) from the quarter's published monthly runs. */
export function quarterSections(qe: QuarterEvaluation): Report {
  const sections: Section[] = [];
  sections.push({
    title: '一、评估范围',
    paragraphs: [
      qe.set ? `指标体系：${qe.set.name}（v${qe.set.version}）。评估期间 ${qe.from} 至 ${qe.to}。` : `评估期间 ${qe.from} 至 ${qe.to}：本季度尚无已发布的月度评估。`,
      `季度得分 = 本季度各月已发布评估总分的算术平均；未发布的月份不计入，不按 0 分计。${qe.missingMonths.length ? `未发布月份：${qe.missingMonths.join('、')}。` : '三个月均已发布。'}`,
      ...qe.months.filter((m) => m.runId).map((m) => `${m.month}：第 ${m.revision} 版（指标体系 v${m.setVersion}）`),
    ],
  });
  const scored = qe.items.filter((i) => i.total !== null);
  const chart = scored.length ? barChart('云服务商季度得分', scored.map((i) => ({ name: i.provider.name, value: Number(i.total) }))) : undefined;
  sections.push({
    title: '二、季度排名',
    paragraphs: [qe.items.length ? `参与评估的云服务商 ${qe.items.length} 家。` : '暂无评估结果。'],
    ...(qe.items.length ? { table: { head: ['排名', '云服务商', ...qe.months.map((m) => m.month), '季度得分', '等级'], rows: qe.items.map((i) => [i.rank === null ? '—' : String(i.rank), i.provider.name, ...i.months.map((m) => m.total ?? '未发布'), i.total ?? '—', i.grade ?? '—']) } } : {}),
    ...(chart ? { chart } : {}),
  });
  const dims = qe.items[0]?.dimensions.map((d) => d.name) ?? [];
  if (dims.length) {
    sections.push({
      title: '三、分维度得分',
      paragraphs: ['各维度得分为该维度有数据指标的加权平均，再按月平均；“—”表示本季度该维度无数据（暂无数据来源或未评分）。'],
      table: { head: ['云服务商', ...dims], rows: qe.items.map((i) => [i.provider.name, ...i.dimensions.map((d) => d.score ?? '—')]) },
    });
  }
  return { title: `云服务商季度评估（季评，${qe.quarter}）`, due: null, sections };
}

/** The 季评 as .docx (editable) or signed PDF. */
export async function buildQuarterlyReport(documents: DocumentsService, ctx: RequestContext, qe: QuarterEvaluation, format: 'docx' | 'pdf'): Promise<RenderedDocument> {
  return rendered(documents, ctx, quarterSections(qe), `云服务商季评-${qe.quarter}${qe.set ? `-${qe.set.code}` : ''}`, 'evaluation-quarterly-report', format);
}
