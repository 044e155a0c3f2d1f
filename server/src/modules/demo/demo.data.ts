import type { OrgKind } from '../../platform/context.js';
import type { NewCloudNode } from '../directory/index.js';

/**
 * The demo city (演示城市): the management unit, a supervision provider, three fictional cloud providers, the cloud
 * nodes of requirements §0.1, the agencies named in the seeds with sub-units, and one account per role.
 * Provider and supervision-provider names are fictional.
 */
export interface DemoOrg {
  key: string;
  kind: OrgKind;
  name: string;
  shortName?: string;
  code: string;
  parent?: string;
  description?: string;
}

export const DEMO_ORGS: DemoOrg[] = [
  { key: 'mgmt', kind: 'management_unit', name: '北京市大数据中心', shortName: '市大数据中心', code: 'BJDSJ', description: '市级政务云管理单位' },
  { key: 'supervisor', kind: 'supervision_provider', name: '京鉴云监管科技有限公司', shortName: '京鉴云监管', code: 'SUP-JJ', description: '综合监管服务商（虚构）' },
  { key: 'providerA', kind: 'cloud_provider', name: '华京云计算有限公司', shortName: '华京云', code: 'CSP-HJ', description: '云服务商（虚构）：服务云六里桥、办公云' },
  { key: 'providerB', kind: 'cloud_provider', name: '燕山数智云科技有限公司', shortName: '燕山云', code: 'CSP-YS', description: '云服务商（虚构）：服务云通州、备份节点' },
  { key: 'providerC', kind: 'cloud_provider', name: '康学行业云服务有限公司', shortName: '康学云', code: 'CSP-KX', description: '云服务商（虚构）：健康云、教育云' },
  { key: 'sciCommission', kind: 'user_unit', name: '北京市科学技术委员会、中关村科技园区管理委员会', shortName: '市科委、中关村管委会', code: 'U-KW' },
  { key: 'sciAffairs', kind: 'user_unit', name: '综合事务中心', shortName: '市科委综合事务中心', code: 'U-KW-ZHSW', parent: 'sciCommission' },
  { key: 'sciInfo', kind: 'user_unit', name: '信息中心', shortName: '市科委信息中心', code: 'U-KW-XXZX', parent: 'sciCommission' },
  { key: 'healthSecurity', kind: 'user_unit', name: '北京市医疗保障局', shortName: '市医保局', code: 'U-YB' },
  { key: 'healthData', kind: 'user_unit', name: '大数据中心', shortName: '市医保局大数据中心', code: 'U-YB-DSJ', parent: 'healthSecurity' },
  { key: 'trading', kind: 'user_unit', name: '北京市公共资源交易中心', shortName: '市公共资源交易中心', code: 'U-GGZY' },
  { key: 'tradingIt', kind: 'user_unit', name: '信息技术部', shortName: '交易中心信息技术部', code: 'U-GGZY-XX', parent: 'trading' },
  { key: 'dataUser', kind: 'external_data_user', name: '北京市政务服务和数据管理局数据共享平台', shortName: '数据共享平台', code: 'EXT-SJGX' },
];

export const DEMO_NODES: Array<Omit<NewCloudNode, 'providerOrgId'> & { provider: string; room: string }> = [
  { room: 'LLQ1', code: 'FWY-LLQ', name: '服务云（六里桥）', cloudType: 'service', site: '六里桥', provider: 'providerA', description: '支撑公共服务类、大数据类系统' },
  { room: 'TZ01', code: 'FWY-TZ', name: '服务云（通州）', cloudType: 'service', site: '通州', provider: 'providerB', description: '支撑公共服务类、大数据类系统' },
  { room: 'TZ02', code: 'BGY-TZ', name: '办公云（通州）', cloudType: 'office', site: '通州', provider: 'providerA', description: '支撑内部办公类系统' },
  { room: 'MY01', code: 'BF-MY', name: '备份节点（密云）', cloudType: 'backup', site: '密云', provider: 'providerB', description: '服务云、办公云的云主机备份与应用双活' },
  { room: 'JK01', code: 'JKY', name: '健康云', cloudType: 'health', site: null, provider: 'providerC', description: '医疗健康行业云（含医保云专区）' },
  { room: 'JY01', code: 'JYY', name: '教育云', cloudType: 'education', site: null, provider: 'providerC', description: '终身教育行业云' },
];

/** The documented initial password of every demo account; each must change it at first sign-in. */
export const DEMO_INITIAL_PASSWORD = 'Zhengyun@2026';

export interface DemoAccount {
  username: string;
  displayName: string;
  org: string;
  role: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'sysadmin', displayName: '系统管理员', org: 'mgmt', role: 'system_admin' },
  { username: 'secadmin', displayName: '安全管理员', org: 'mgmt', role: 'security_admin' },
  { username: 'auditadmin', displayName: '审计管理员', org: 'mgmt', role: 'audit_admin' },
  { username: 'mgmt', displayName: '管理单位业务人员', org: 'mgmt', role: 'mgmt_staff' },
  { username: 'supervisor', displayName: '监管服务商人员', org: 'supervisor', role: 'supervisor_staff' },
  { username: 'hj-admin', displayName: '华京云管理员', org: 'providerA', role: 'provider_admin' },
  { username: 'hj-ops', displayName: '华京云运维人员', org: 'providerA', role: 'provider_staff' },
  { username: 'yb-admin', displayName: '市医保局单位管理员', org: 'healthSecurity', role: 'unit_admin' },
  { username: 'yb-staff', displayName: '市医保局业务人员', org: 'healthData', role: 'unit_staff' },
  { username: 'kw-admin', displayName: '市科委单位管理员', org: 'sciCommission', role: 'unit_admin' },
  { username: 'jy-admin', displayName: '交易中心单位管理员', org: 'trading', role: 'unit_admin' },
  { username: 'datauser', displayName: '数据共享平台用户', org: 'dataUser', role: 'data_user' },
];

/**
 * Demo price lists: each fictional provider prices every basic item at a share of the maximum unit price (rounded
 * half-up to 0.01 元), approved by the management unit.
 */
export const DEMO_PRICE_SHARES: Array<{ provider: string; percent: string }> = [
  { provider: 'providerA', percent: '95' },
  { provider: 'providerB', percent: '92' },
  { provider: 'providerC', percent: '97' },
];

/** Demo budget estimates: the real orders of seeds 000, 001 and 002 package 3, for the agencies that placed them. */
export const DEMO_ESTIMATES: Array<{ seed: string; package?: number; unit: string; priceProvider?: string }> = [
  { seed: '000', unit: 'sciAffairs' },
  { seed: '001', unit: 'healthData', priceProvider: 'providerC' },
  { seed: '002', package: 3, unit: 'trading', priceProvider: 'providerA' },
];

/** Demo information systems (信息系统) of the agencies; contacts are fictional (phone numbers in a reserved range). */
export const DEMO_SYSTEMS: Array<{ unit: string; node: string; fields: Record<string, string> }> = [
  {
    unit: 'trading',
    node: 'FWY-LLQ',
    fields: {
      name: '北京市公共资源交易平台信息系统', systemType: '业务生产系统', gradingLevel: '三级', operatingHours: '7*24小时',
      serviceAudience: '交易主体、评标专家、监管部门', serviceScope: '全市公共资源交易', networkNature: '政务外网及互联网',
      interconnection: '与市级电子招投标监管平台互联', functionDescription: '公共资源交易项目登记、公告发布、开评标、交易见证与归档。',
      preApprovalStatus: '已完成立项审批', goLiveDate: '2022-03-01', accessUrl: 'https://ggzyjy.example.gov.cn',
      appVendor: '示例软件有限公司', contactName: '张工', contactMobile: '13800138001', contactEmail: 'zhang@example.gov.cn',
    },
  },
  {
    unit: 'trading',
    node: 'FWY-LLQ',
    fields: {
      name: '北京市评标专家库管理系统', systemType: '业务生产系统', gradingLevel: '三级', operatingHours: '7*24小时',
      serviceAudience: '评标专家、交易中心工作人员', serviceScope: '全市评标专家管理', networkNature: '政务外网',
      interconnection: '与交易平台互联', functionDescription: '评标专家入库、抽取、考核与信用管理。',
      preApprovalStatus: '已完成立项审批', goLiveDate: '2021-09-15', accessUrl: 'https://pbzj.example.gov.cn',
      appVendor: '示例软件有限公司', contactName: '李工', contactMobile: '13800138002', contactEmail: 'li@example.gov.cn',
    },
  },
  {
    unit: 'healthData',
    node: 'JKY',
    fields: {
      name: '基于医疗数据的应用场景分析系统', systemType: '业务生产系统', gradingLevel: '三级', operatingHours: '7*24小时',
      serviceAudience: '医保业务处室', serviceScope: '全市医疗保障数据分析', networkNature: '政务外网',
      interconnection: '与医保核心业务系统专线互联', functionDescription: '基于医保结算数据的场景化分析、监测预警与决策支持。',
      preApprovalStatus: '已完成立项审批', goLiveDate: '2025-12-25', accessUrl: 'https://ybfx.example.gov.cn',
      appVendor: '示例数据科技有限公司', contactName: '王工', contactMobile: '13800138003', contactEmail: 'wang@example.gov.cn',
    },
  },
  {
    unit: 'sciAffairs',
    node: 'BGY-TZ',
    fields: {
      name: '综合事务管理系统', systemType: '内部办公', gradingLevel: '二级', operatingHours: '5*8小时',
      serviceAudience: '市科委、中关村管委会工作人员', serviceScope: '委内综合事务', networkNature: '政务外网',
      interconnection: '无', functionDescription: '公文流转、会议、资产与后勤等综合事务管理。',
      preApprovalStatus: '已完成立项审批', goLiveDate: '2020-06-30', accessUrl: 'https://zhsw.example.gov.cn',
      appVendor: '示例信息技术有限公司', contactName: '赵工', contactMobile: '13800138004', contactEmail: 'zhao@example.gov.cn',
    },
  },
];
