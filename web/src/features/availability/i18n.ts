/** Texts of this feature: merged into the translation resources under `availability` (and `errors` for error codes). */
export const zh = {
  availability: {
    tabs: { board: '拨测状态', outages: '中断记录', sla: 'SLA 达标' },
    states: { up: '正常', down: '中断', unknown: '未知', maintenance: '维护' },
    kinds: { icmp: 'ICMP Ping', tcp: 'TCP 端口', http: 'HTTP(S)', dns: 'DNS 解析' },
    origins: { manual: '手工', inventory_host: '云主机', inventory_ip: '互联网 IP', system_url: '系统网站', demo: '演示模拟' },
    all: '全部', refresh: '刷新', total: '共 {{n}} 项', keywordHint: '名称或目标地址',
    name: '名称', kind: '类型', target: '目标', state: '状态', since: '状态开始', lastChecked: '最近探测', rtt: '响应时间 (ms)', detail: '结果说明', system: '信息系统', unit: '使用单位', provider: '服务商', origin: '来源',
    unreachable: '不探测', interval: '间隔 (秒)', timeout: '超时 (ms)', retries: '立即核实次数', tlsExpires: '证书到期', nextRun: '下次探测',
    add: '新增探测', create: '创建', port: '端口', keyword: '关键字', enabled: '启用', disable: '停用', enable: '启用',
    rttChart: '响应时间', timeline: '状态时间线', results: '探测结果', attempt: '次序', ok: '成功', failed: '失败', checkedAt: '时间', worker: '工作进程', http: 'HTTP 状态', loss: '丢包 %',
    figures: '近 24 小时', availability: '可用率', upTime: '正常', downTime: '中断', unknownTime: '未知', maintenanceTime: '维护',
    outages: '中断记录', openOnly: '仅未恢复', startedAt: '开始', confirmedAt: '核实', endedAt: '恢复', duration: '时长', cause: '原因说明', acknowledged: '已确认', escalated: '已升级', ticket: '工单', simulated: '模拟',
    acknowledge: '确认并说明原因', causePlaceholder: '中断原因与处置', ongoing: '未恢复',
    month: '月份', target_: '目标 %', measured: '测量时长', longest: '最长中断', budget: '剩余预算 (分钟)', met: '达标', notMet: '未达标', noData: '无测量数据', burn: '预算消耗过快', reasons: '原因',
    exportXlsx: '导出 .xlsx（签名）', exportPdf: '导出 PDF（签名）', slaHint: '可用率 = 正常 ÷（正常 + 中断）；计划性维护不计入；未知（无探测结果）单列，不计为正常。单次中断超过 4 小时或全年故障时间超过限值即未达标。', noHostSystem: '（未关联系统的主机）',
    slaChart: '各系统可用率', done: '已完成', service: '服务：{{name}}', serviceObjects: '{{n}} 个对象平均',
  },
  errors: {
    'availability.port_required': 'TCP 探测需要端口', 'availability.invalid_url': 'HTTP 探测需要完整的 http:// 或 https:// 地址', 'availability.invalid_target': '目标应为主机名或 IP 地址',
    'availability.automatic_probe': '自动探测随资源清单变化，只能调整间隔、超时、核实次数或停用', 'availability.probe.not_found': '探测不存在', 'availability.outage.not_found': '中断记录不存在',
    'availability.invalid_month': '月份格式应为 YYYY-MM', 'availability.system_not_found': '信息系统不存在', 'availability.invalid_target_percent': '目标应为小于 100 的百分数',
    'availability.scope_not_found': '目标对象不存在', 'availability.service_not_probed': '平台不探测此目录服务（可探测：平台云主机服务、互联网链路服务）', 'availability.catalog_unavailable': '服务目录不可用',
  },
};

export const en: typeof zh = {
  availability: {
    tabs: { board: 'Status board', outages: 'Outages', sla: 'SLA compliance' },
    states: { up: 'Up', down: 'Down', unknown: 'Unknown', maintenance: 'Maintenance' },
    kinds: { icmp: 'ICMP ping', tcp: 'TCP port', http: 'HTTP(S)', dns: 'DNS' },
    origins: { manual: 'Manual', inventory_host: 'Cloud host', inventory_ip: 'Internet IP', system_url: 'System website', demo: 'Demo (simulated)' },
    all: 'All', refresh: 'Refresh', total: '{{n}} items', keywordHint: 'Name or target',
    name: 'Name', kind: 'Kind', target: 'Target', state: 'State', since: 'Since', lastChecked: 'Last checked', rtt: 'Response (ms)', detail: 'Result', system: 'System', unit: 'Unit', provider: 'Provider', origin: 'Origin',
    unreachable: 'Not probed', interval: 'Interval (s)', timeout: 'Timeout (ms)', retries: 'Re-checks', tlsExpires: 'Certificate expires', nextRun: 'Next run',
    add: 'New probe', create: 'Create', port: 'Port', keyword: 'Keyword', enabled: 'Enabled', disable: 'Switch off', enable: 'Switch on',
    rttChart: 'Response time', timeline: 'State timeline', results: 'Results', attempt: 'Attempt', ok: 'OK', failed: 'Failed', checkedAt: 'Time', worker: 'Worker', http: 'HTTP status', loss: 'Loss %',
    figures: 'Last 24 h', availability: 'Availability', upTime: 'Up', downTime: 'Down', unknownTime: 'Unknown', maintenanceTime: 'Maintenance',
    outages: 'Outages', openOnly: 'Ongoing only', startedAt: 'Started', confirmedAt: 'Confirmed', endedAt: 'Ended', duration: 'Duration', cause: 'Cause', acknowledged: 'Acknowledged', escalated: 'Escalated', ticket: 'Ticket', simulated: 'Simulated',
    acknowledge: 'Acknowledge with cause', causePlaceholder: 'Cause and handling', ongoing: 'Ongoing',
    month: 'Month', target_: 'Target %', measured: 'Measured', longest: 'Longest outage', budget: 'Budget left (min)', met: 'Met', notMet: 'Not met', noData: 'No measurement', burn: 'Burning too fast', reasons: 'Reasons',
    exportXlsx: 'Export .xlsx (signed)', exportPdf: 'Export PDF (signed)', slaHint: 'Availability = up ÷ (up + down); planned maintenance excluded; unknown time (no result) shown apart, never counted as up. An interruption over 4 h or fault time over the yearly limit breaks the objective.', noHostSystem: '(hosts without a system)',
    slaChart: 'Availability per system', done: 'Done', service: 'Service: {{name}}', serviceObjects: 'average of {{n}} objects',
  },
  errors: {
    'availability.port_required': 'A TCP probe needs a port', 'availability.invalid_url': 'An HTTP probe needs a full http:// or https:// URL', 'availability.invalid_target': 'A host name or an IP address',
    'availability.automatic_probe': 'Automatic probes follow the inventory: change interval, timeout, re-checks or switch off', 'availability.probe.not_found': 'Probe not found', 'availability.outage.not_found': 'Outage not found',
    'availability.invalid_month': 'The month is YYYY-MM', 'availability.system_not_found': 'Unknown information system', 'availability.invalid_target_percent': 'A percentage below 100',
    'availability.scope_not_found': 'No such object', 'availability.service_not_probed': 'Zhengyun does not probe this catalog service (probed: cloud hosts, internet links)', 'availability.catalog_unavailable': 'The service catalog is unavailable',
  },
};
