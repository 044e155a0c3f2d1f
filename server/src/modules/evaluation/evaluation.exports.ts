import type { DocumentModel } from '../documents/index.js';
import type { Formula } from './evaluation.rules.js';
import type { Advice, EfficiencyRow, ProviderRunDetail } from './evaluation.service.js';

export const NO_SOURCE = '暂无数据来源';
export const NO_DATA = '样本不足';
/** A network figure: the value, or 暂无数据来源 / 本月无数据 (never 0). */
const net = (v: string | null, missing: EfficiencyRow['network']['missing']): string => (v !== null ? v : missing === 'no_data_source' ? NO_SOURCE : missing === 'no_data' ? '本月无数据' : '—');
/** A figure for a table: the value, or why there is none (never 0 for a missing source). */
export const shown = (v: string | number | null, missing: EfficiencyRow['missing']): string => (v !== null ? String(v) : missing === 'no_data_source' ? NO_SOURCE : missing === 'no_data' ? NO_DATA : '—');

export function efficiencyDocument(data: { month: string; formula: (Formula & { text: string }) | null; items: EfficiencyRow[] }, level: 'unit' | 'system'): DocumentModel {
  return {
    docType: 'evaluation-efficiency',
    title: `${level === 'unit' ? '单位云效率' : '信息系统云效率'}（${data.month}）`,
    meta: [{ label: '评分公式', value: data.formula ? `第 ${data.formula.version} 版：${data.formula.text}` : '本月尚未计算' }],
    columns: [
      { key: 'unit', header: ['使用单位'], width: 24 },
      ...(level === 'system' ? [{ key: 'system', header: ['信息系统'], width: 24 }, { key: 'provider', header: ['云服务商'], width: 18 }] : []),
      { key: 'hosts', header: ['资源', '云主机'], kind: 'integer' },
      { key: 'vcpu', header: ['资源', 'vCPU'], kind: 'quantity' },
      { key: 'memoryGb', header: ['资源', '内存 (GB)'], kind: 'quantity' },
      { key: 'storageGb', header: ['资源', '存储 (GB)'], kind: 'quantity' },
      { key: 'cost', header: ['费用（元）'], kind: 'money' },
      { key: 'cpuP95', header: ['利用率 (%)', 'CPU p95'] },
      { key: 'memP95', header: ['利用率 (%)', '内存 p95'] },
      { key: 'idle', header: ['主机', '闲置'] },
      { key: 'oversized', header: ['主机', '配置过高'] },
      { key: 'saving', header: ['可节省（元/月）'] },
      { key: 'score', header: ['效率得分'] },
      { key: 'egressUp', header: ['网络出口', '上行峰值 (Mbps)'] },
      { key: 'egressDown', header: ['网络出口', '下行峰值 (Mbps)'] },
      { key: 'linkUsage', header: ['网络出口', '链路使用率峰值 (%)'] },
      { key: 'traffic', header: ['流量'] },
      { key: 'visits', header: ['访问量'] },
    ],
    rows: data.items.map((r) => ({
      unit: r.unit.name, system: r.system?.name ?? '', provider: r.provider?.name ?? '', hosts: r.hosts, vcpu: r.vcpu, memoryGb: r.memoryGb, storageGb: r.storageGb, cost: r.cost,
      cpuP95: shown(r.cpuP95, r.missing), memP95: shown(r.memP95, r.missing), idle: shown(r.idleHosts, r.missing), oversized: shown(r.oversizedHosts, r.missing),
      saving: shown(r.potentialSaving, r.missing), score: shown(r.score, r.missing),
      egressUp: net(r.network.upPeakMbps, r.network.missing), egressDown: net(r.network.downPeakMbps, r.network.missing), linkUsage: net(r.network.linkUsagePeak, r.network.missing),
      traffic: NO_SOURCE, visits: NO_SOURCE,
    })),
    sheetName: '云效率',
  };
}

export function adviceDocument(items: Advice[]): DocumentModel {
  const st = { open: '待处理', accepted: '已接受', dismissed: '已驳回' } as const;
  return {
    docType: 'evaluation-advice',
    title: '资源优化建议',
    columns: [
      { key: 'month', header: ['月份'] },
      { key: 'unit', header: ['使用单位'], width: 22 },
      { key: 'system', header: ['信息系统'], width: 22 },
      { key: 'host', header: ['云主机'], width: 20 },
      { key: 'provider', header: ['云服务商'], width: 16 },
      { key: 'kind', header: ['类型'] },
      { key: 'vcpu', header: ['建议', 'vCPU'] },
      { key: 'memory', header: ['建议', '内存 (GB)'] },
      { key: 'saving', header: ['节省（元/月）'], kind: 'money' },
      { key: 'explanation', header: ['计算'], width: 50 },
      { key: 'window', header: ['依据窗口'], width: 24 },
      { key: 'status', header: ['状态'] },
      { key: 'reason', header: ['驳回理由'], width: 24 },
    ],
    rows: items.map((a) => ({
      month: a.month, unit: a.unit.name, system: a.system?.name ?? '', host: a.resourceName, provider: a.provider.name, kind: a.kind === 'idle' ? '闲置' : '配置过高',
      vcpu: `${a.currentVcpu} → ${a.proposedVcpu}`, memory: `${a.currentMemoryGb} → ${a.proposedMemoryGb}`, saving: a.saving, explanation: a.explanation,
      window: `${a.evidence.from} 至 ${a.evidence.to}，CPU p95 ${a.evidence.cpuP95 ?? '—'}%，内存 p95 ${a.evidence.memP95 ?? '—'}%`, status: st[a.status], reason: a.reason ?? '',
    })),
    sheetName: '优化建议',
  };
}

export function runDocument(run: ProviderRunDetail): DocumentModel {
  const codes = run.scores[0]?.indicators ?? [];
  return {
    docType: 'evaluation-run',
    title: `云服务商综合评估（${run.month}，第 ${run.revision} 版）`,
    meta: [{ label: '指标体系', value: `${run.setName}（v${run.setVersion}）` }, { label: '状态', value: run.status }],
    columns: [
      { key: 'rank', header: ['排名'], kind: 'integer' },
      { key: 'provider', header: ['云服务商'], width: 20 },
      { key: 'total', header: ['总分'] },
      { key: 'coverage', header: ['覆盖权重'] },
      { key: 'grade', header: ['等级'] },
      ...codes.map((c) => ({ key: c.code, header: [c.dimension, `${c.name}（${c.weight}）`], width: 16 })),
    ],
    rows: run.scores.map((s) => ({
      rank: s.rank, provider: s.provider.name, total: s.total ?? '—', coverage: s.coverage, grade: s.grade ?? '—',
      ...Object.fromEntries(s.indicators.map((i) => [i.code, i.score ?? (i.status === 'no_data_source' ? NO_SOURCE : i.status === 'not_scored' ? '未评分' : '无数据')])),
    })),
    notes: ['得分为 0–100；总分按有数据的指标权重折算（覆盖权重），“暂无数据来源”的指标不计入，不按 0 分计。'],
    sheetName: '评估结果',
  };
}
