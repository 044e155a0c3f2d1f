import type { DimensionDef, GradeDef } from './evaluation.rules.js';

/**
 * The two dimension sets of the seeds. The seeds name dimensions and example indicators but give no weights: the
 * weights here are Zhengyun's first proposal (docs/evaluation.md), editable by the management unit as a new version.
 */
export const DEFAULT_GRADES: GradeDef[] = [
  { grade: '优秀', min: 90 },
  { grade: '良好', min: 80 },
  { grade: '合格', min: 60 },
  { grade: '不合格', min: 0 },
];

const manual = (code: string, name: string, weight: number, description: string) => ({ code, name, weight, source: 'manual' as const, rule: { type: 'manual' as const, max: 100 }, description });

/** Seed 004 §4.3.2.2.2 云服务商综合评估: 技术更新度, 平台安全度, 运维规范度, 业务专业度, 客户满意度. */
export const SET_004: { code: string; name: string; dimensions: DimensionDef[] } = {
  code: 'seed004',
  name: '云服务商综合能力评估（技术更新度 / 平台安全度 / 运维规范度 / 业务专业度 / 客户满意度）',
  dimensions: [
    {
      code: 'tech', name: '技术更新度', indicators: [
        { code: 'tech_sla', name: '云主机服务能力（SLA 达标率）', weight: 10, source: 'sla', rule: { type: 'ratio_at_least', target: 1 }, description: '达到 SLA 目标的信息系统占比' },
        { code: 'tech_inspection', name: '监控管理能力（巡检完成率）', weight: 5, source: 'inspections', rule: { type: 'ratio_at_least', target: 1 } },
        manual('tech_intensive', '集约化能力', 5, '监理人员按集约化建设情况评分'),
      ],
    },
    {
      code: 'security', name: '平台安全度', indicators: [
        { code: 'sec_vuln', name: '漏洞处理能力（按期整改率）', weight: 10, source: 'vuln_on_time', rule: { type: 'ratio_at_least', target: 1 } },
        { code: 'sec_recovery', name: '应急事件处理能力（平均恢复时长 ≤ 30 分钟）', weight: 5, source: 'ticket_recovery', rule: { type: 'minutes_at_most', target: 30 } },
        manual('sec_protection', '云平台安全防护能力', 5, '监理人员按防护措施检查结果评分'),
        manual('sec_password', '口令和权限管理能力', 5, '监理人员按口令与权限检查结果评分'),
      ],
    },
    {
      code: 'ops', name: '运维规范度', indicators: [
        { code: 'ops_quality', name: '数据质量（完整率 ≥ 95%）', weight: 10, source: 'data_quality', rule: { type: 'ratio_at_least', target: 0.95 } },
        { code: 'ops_response', name: '事件响应度（平均响应 ≤ 15 分钟）', weight: 5, source: 'ticket_response', rule: { type: 'minutes_at_most', target: 15 } },
        { code: 'ops_capacity', name: '问题解决度（容量预警按期处置率）', weight: 5, source: 'capacity_on_time', rule: { type: 'ratio_at_least', target: 1 } },
        manual('ops_info', '基础信息完整性', 5, '监理人员按基础信息核查结果评分'),
      ],
    },
    {
      code: 'pro', name: '业务专业度', indicators: [
        { code: 'pro_qualification', name: '服务资质（资质在有效期内）', weight: 5, source: 'qualifications', rule: { type: 'boolean' } },
        { code: 'pro_drills', name: '应急演练（完成率）', weight: 5, source: 'drills', rule: { type: 'ratio_at_least', target: 1 } },
        manual('pro_risk', '风险排查', 5, '监理人员按风险排查记录评分'),
      ],
    },
    {
      code: 'satisfaction', name: '客户满意度', indicators: [
        { code: 'sat_desk', name: '服务台满意度（工单评价）', weight: 10, source: 'satisfaction', rule: { type: 'rating_of_5' } },
        manual('sat_complaints', '用户投诉', 5, '监理人员按投诉数量与处理情况评分'),
      ],
    },
  ],
};

/** Seed 003 (三)3 运行期综合评估: 基础服务能力, 安全保障能力, 运维管理能力, 数据支撑能力, 用户服务能力. */
export const SET_003: { code: string; name: string; dimensions: DimensionDef[] } = {
  code: 'seed003',
  name: '云服务商运行期综合评估（基础服务 / 安全保障 / 运维管理 / 数据支撑 / 用户服务）',
  dimensions: [
    {
      code: 'basic', name: '基础服务能力', indicators: [
        { code: 'basic_sla', name: 'SLA 达标率', weight: 15, source: 'sla', rule: { type: 'ratio_at_least', target: 1 } },
        { code: 'basic_capacity', name: '容量预警按期处置率', weight: 10, source: 'capacity_on_time', rule: { type: 'ratio_at_least', target: 1 } },
      ],
    },
    {
      code: 'security', name: '安全保障能力', indicators: [
        { code: 'sec_vuln', name: '漏洞按期整改率', weight: 15, source: 'vuln_on_time', rule: { type: 'ratio_at_least', target: 1 } },
        manual('sec_protection', '安全防护措施', 5, '监理人员按检查结果评分'),
      ],
    },
    {
      code: 'ops', name: '运维管理能力', indicators: [
        { code: 'ops_response', name: '工单平均响应 ≤ 15 分钟', weight: 8, source: 'ticket_response', rule: { type: 'minutes_at_most', target: 15 } },
        { code: 'ops_recovery', name: '故障平均恢复 ≤ 30 分钟', weight: 7, source: 'ticket_recovery', rule: { type: 'minutes_at_most', target: 30 } },
        { code: 'ops_inspection', name: '巡检完成率', weight: 5, source: 'inspections', rule: { type: 'ratio_at_least', target: 1 } },
        { code: 'ops_drills', name: '应急演练完成率', weight: 5, source: 'drills', rule: { type: 'ratio_at_least', target: 1 } },
      ],
    },
    {
      code: 'data', name: '数据支撑能力', indicators: [
        { code: 'data_quality', name: '数据质量（完整率 ≥ 95%）', weight: 15, source: 'data_quality', rule: { type: 'ratio_at_least', target: 0.95 } },
      ],
    },
    {
      code: 'service', name: '用户服务能力', indicators: [
        { code: 'svc_satisfaction', name: '用户满意度（工单评价）', weight: 10, source: 'satisfaction', rule: { type: 'rating_of_5' } },
        { code: 'svc_qualification', name: '运营资质在有效期内', weight: 5, source: 'qualifications', rule: { type: 'boolean' } },
      ],
    },
  ],
};
