import type { RequestContext } from '../../platform/context.js';
import type { DocumentsService, RenderedDocument } from '../documents/index.js';
import type { AnnualRatingDetail, AnnualRatingService } from './evaluation.annual.js';
import type { ObjectionService } from './evaluation.objections.js';
import type { RectificationService } from './evaluation.rectifications.js';
import { barChart, rendered, type Report, type Section } from './evaluation.report.js';

const STATUS_CN: Record<AnnualRatingDetail['status'], string> = { draft: '草稿（未审核）', reviewed: '已审核（未发布）', published: '已发布', superseded: '已被新修订版取代' };

/** The objections and rectification tasks of one provider over the rating's year and indicator system. */
export interface FollowUpCounts {
  objections: { filed: number; submitted: number; accepted: number; rejected: number };
  rectifications: { total: number; open: number; replied: number; returned: number; verified: number; overdue: number };
}

/** Everything the annual rating report (年度评级报告) shows, as the caller may see it. */
export interface AnnualReportData {
  rating: AnnualRatingDetail;
  dimensions: string[];
  dimensionScores: Map<string, Array<{ name: string; score: string | null }>>;
  followUp: Map<string, FollowUpCounts>;
}

const emptyCounts = (): FollowUpCounts => ({ objections: { filed: 0, submitted: 0, accepted: 0, rejected: 0 }, rectifications: { total: 0, open: 0, replied: 0, returned: 0, verified: 0, overdue: 0 } });

/** The sections of the 年度评级报告: scope and rules, ranking with its chart, monthly scores, dimensions, objections and rectification. */
export function annualSections(d: AnnualReportData): Report {
  const r = d.rating;
  const sections: Section[] = [];
  const published = r.months.filter((m) => m.runId !== null);
  sections.push({
    title: '评级说明',
    paragraphs: [
      `指标体系：${r.setCode}；评级年度：${r.year} 年；第 ${r.revision} 版，状态：${STATUS_CN[r.status]}。`,
      `年度得分 = 该年各月已发布月度评估总分的算术平均（保留两位小数，四舍五入）；未发布或无总分的月份不计入，不按 0 分计。本年已发布月份 ${published.length} 个${r.missingMonths.length ? `，未发布月份：${r.missingMonths.join('、')}` : ''}。`,
      `等级标准（第 ${r.gradeScale.version} 版）：${r.gradeScale.grades.map((g) => `${g.grade} ≥ ${g.min} 分`).join('，')}；全年无一个月定级（覆盖权重不足 50 分）的不定级。`,
      ...(r.reviewComment ? [`审核意见：${r.reviewComment}`] : []),
      ...(r.publishedAt ? [`发布时间：${new Date(r.publishedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}（北京时间）。`] : ['本评级尚未发布，仅供管理单位和监理单位审核。']),
    ],
  });
  const scored = r.scores.filter((s) => s.total !== null);
  sections.push({
    title: '年度排名',
    paragraphs: [r.scores.length ? `参与评级的云服务商 ${r.scores.length} 家，有年度得分的 ${scored.length} 家。` : '暂无评级结果。'],
    ...(r.scores.length ? { table: { head: ['排名', '云服务商', '年度得分', '等级', '计入月数'], rows: r.scores.map((s) => [s.rank === null ? '—' : String(s.rank), s.provider.name, s.total ?? '—', s.grade ?? '未定级', String(s.monthsCounted)]) } } : {}),
    ...(scored.length ? { chart: barChart(`云服务商年度得分排名（${r.year}）`, scored.map((s) => ({ name: s.rank === null ? s.provider.name : `${s.rank}. ${s.provider.name}`, value: Number(s.total) }))) } : {}),
  });
  if (r.scores.length) {
    sections.push({
      title: '月度得分',
      paragraphs: ['各月为当月已发布评估（最新发布的修订版）的总分；“—”表示该月未发布或无总分，不计入年度得分。'],
      table: { head: ['云服务商', ...r.months.map((m) => `${Number(m.month.slice(5))}月`)], rows: r.scores.map((s) => [s.provider.name, ...r.months.map((m) => s.months.find((x) => x.month === m.month)?.total ?? '—')]) },
    });
  }
  if (d.dimensions.length && r.scores.length) {
    sections.push({
      title: '分维度得分',
      paragraphs: ['各维度得分为该维度有评分指标的加权平均，再按计入的月份平均；“—”表示全年该维度无评分（暂无数据来源或未评分）。'],
      table: { head: ['云服务商', ...d.dimensions], rows: r.scores.map((s) => [s.provider.name, ...(d.dimensionScores.get(s.provider.id) ?? []).map((x) => x.score ?? '—')]) },
    });
  }
  const counts = r.scores.map((s) => ({ s, c: d.followUp.get(s.provider.id) ?? emptyCounts() }));
  const tot = counts.reduce((a, { c }) => ({ o: a.o + c.objections.filed, oa: a.oa + c.objections.accepted, t: a.t + c.rectifications.total, v: a.v + c.rectifications.verified, od: a.od + c.rectifications.overdue }), { o: 0, oa: 0, t: 0, v: 0, od: 0 });
  sections.push({
    title: '异议与整改',
    paragraphs: [`本年度（该指标体系）云服务商提出异议 ${tot.o} 件，采纳 ${tot.oa} 件；整改任务 ${tot.t} 项，已验证通过 ${tot.v} 项，逾期未整改 ${tot.od} 项。`],
    ...(counts.length ? { table: { head: ['云服务商', '异议（提出）', '采纳', '驳回', '待处理', '整改任务', '待整改', '已反馈', '退回', '已验证', '逾期'], rows: counts.map(({ s, c }) => [s.provider.name, String(c.objections.filed), String(c.objections.accepted), String(c.objections.rejected), String(c.objections.submitted), String(c.rectifications.total), String(c.rectifications.open), String(c.rectifications.replied), String(c.rectifications.returned), String(c.rectifications.verified), String(c.rectifications.overdue)]) } } : {}),
  });
  const NUM = ['一', '二', '三', '四', '五', '六'];
  return { title: `云服务商年度评级报告（${r.year} 年，${r.setCode}）`, due: null, sections: sections.map((x, i) => ({ ...x, title: `${NUM[i]}、${x.title}` })) };
}

/**
 * The annual provider rating report (年度评级报告) as .docx or SM2-signed PDF, through the same machinery as the 月报
 * and 季评 (`rendered`: docx package, pdfkit with Noto Sans SC, ECharts SSR chart). Visibility is the rating's: the
 * management unit and supervision any revision with every provider; a provider a published rating with its own row
 * (its rank among all) and its own objections and rectifications; a unit nothing (404).
 */
export class AnnualReportService {
  constructor(
    private readonly annual: AnnualRatingService,
    private readonly objections: ObjectionService,
    private readonly rectifications: RectificationService,
    private readonly documents: DocumentsService,
  ) {}

  async data(ctx: RequestContext, id: string): Promise<AnnualReportData> {
    const rating = await this.annual.get(ctx, id);
    const b = await this.annual.breakdown(ctx, rating);
    const months = rating.months.map((m) => m.month);
    const visible = new Set(rating.scores.map((s) => s.provider.id));
    const [objections, rects] = await Promise.all([
      Promise.all(months.map((month) => this.objections.list(ctx, { month }))).then((x) => x.flat()),
      Promise.all(months.map((month) => this.rectifications.list(ctx, { month }))).then((x) => x.flat()),
    ]);
    const followUp = new Map<string, FollowUpCounts>();
    const of = (p: string) => followUp.get(p) ?? (followUp.set(p, emptyCounts()), followUp.get(p)!);
    for (const o of objections) {
      if (o.setCode !== rating.setCode || !visible.has(o.provider.id)) continue;
      const c = of(o.provider.id).objections;
      c.filed++;
      c[o.status]++;
    }
    for (const x of rects) {
      if (!b.yearRunIds.has(x.runId) || !visible.has(x.provider.id)) continue;
      const c = of(x.provider.id).rectifications;
      c.total++;
      c[x.status]++;
      if (x.overdue) c.overdue++;
    }
    return { rating, dimensions: b.dimensions, dimensionScores: b.byProvider, followUp };
  }

  async build(ctx: RequestContext, id: string, format: 'docx' | 'pdf'): Promise<RenderedDocument> {
    const d = await this.data(ctx, id);
    return rendered(this.documents, ctx, annualSections(d), `云服务商年度评级-${d.rating.year}-${d.rating.setCode}-r${d.rating.revision}`, 'evaluation-annual-report', format);
  }
}
