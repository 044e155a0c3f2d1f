/** Texts of this feature: merged into the translation resources under `monitoring` (and `errors` for error codes). */
export const zh = {
  monitoring: {
    tabs: { alerts: '告警', hosts: '主机监控', top: 'TopN', capacity: '容量', rules: '告警规则' },
    refresh: '刷新', export: '导出 .xlsx', all: '全部', total: '共 {{n}} 项', noData: '无数据',
    severity: '级别', severities: { critical: '紧急', major: '重要', minor: '一般', info: '提示' },
    status: '状态', statuses: { open: '未恢复', firing: '告警中', acknowledged: '已确认', resolved: '已恢复' },
    actions: { fired: '触发', acknowledged: '确认', escalated: '升级', resolved: '自动恢复' },
    firing: '未恢复告警', byNode: '按云节点', byProvider: '按云服务商', byUnit: '按使用单位', name: '名称', count: '数量',
    rule: '规则', object: '对象', system: '信息系统', unit: '使用单位', provider: '云服务商', node: '云节点', message: '内容', startedAt: '开始时间', resolvedAt: '恢复时间', duration: '持续',
    acknowledge: '确认', ackComment: '确认说明', ackBy: '确认人', history: '处理记录', detail: '告警详情',
    host: '主机', searchHost: '主机名称或 ID', range: '时间范围', resolution: '分辨率', resolutions: { raw: '5 分钟原始点', hourly: '小时汇总', daily: '日汇总' },
    metric: '指标', time: '时间', avg: '平均', min: '最小', max: '最大', p95: 'P95', samples: '样本数', lastAt: '最近数据', chooseHost: '请选择主机',
    metrics: { cpu: 'CPU 使用率', memory: '内存使用率', disk_standard: '普通存储使用率', net_up: '上行流量', net_down: '下行流量', disk_read: '磁盘读', disk_write: '磁盘写' },
    period: '周期', resource: '资源', totalCap: '总量', allocated: '已分配', free: '剩余', ratio: '分配率', deadline: '扩容期限', overdue: '已逾期', overCommit: '内存超分',
    forecast80: '预计达 80%', forecast100: '预计达 100%', never: '—', capacityHint: '分配率超过 80% 时发出容量预警，扩容期限为 7 个自然日；服务商推送的总量增加后自动关闭。',
    resources: { cpuCores: 'CPU（核）', memoryGb: '内存（GB）', standardStorageGb: '普通存储（GB）', highPerfStorageGb: '高性能存储（GB）', staticStorageGb: '静态存储（GB）', bandwidthMbps: '带宽（Mbps）' },
    expression: '表达式', scope: '范围', enabled: '启用', keyPeriodOnly: '仅重保期', yes: '是', no: '否',
  },
  errors: {
    'monitoring.not_firing': '只有告警中的告警可以确认', 'monitoring.alert.not_found': '告警不存在', 'monitoring.series.not_found': '监控对象不存在', 'monitoring.invalid_rule': '告警规则不正确',
    'monitoring.scope_not_visible': '规则范围不存在或无权查看', 'monitoring.unknown_metric': '未知指标', 'monitoring.invalid_window': '时间范围不正确', 'monitoring.rule.not_found': '规则不存在',
  },
};

export const en: typeof zh = {
  monitoring: {
    tabs: { alerts: 'Alerts', hosts: 'Host metrics', top: 'TopN', capacity: 'Capacity', rules: 'Alert rules' },
    refresh: 'Refresh', export: 'Export .xlsx', all: 'All', total: '{{n}} items', noData: 'No data',
    severity: 'Severity', severities: { critical: 'Critical', major: 'Major', minor: 'Minor', info: 'Info' },
    status: 'Status', statuses: { open: 'Open', firing: 'Firing', acknowledged: 'Acknowledged', resolved: 'Resolved' },
    actions: { fired: 'Fired', acknowledged: 'Acknowledged', escalated: 'Escalated', resolved: 'Resolved automatically' },
    firing: 'Open alerts', byNode: 'By node', byProvider: 'By provider', byUnit: 'By unit', name: 'Name', count: 'Count',
    rule: 'Rule', object: 'Object', system: 'System', unit: 'Unit', provider: 'Provider', node: 'Node', message: 'Message', startedAt: 'Started', resolvedAt: 'Resolved', duration: 'Duration',
    acknowledge: 'Acknowledge', ackComment: 'Comment', ackBy: 'Acknowledged by', history: 'History', detail: 'Alert',
    host: 'Host', searchHost: 'Host name or ID', range: 'Range', resolution: 'Resolution', resolutions: { raw: '5-minute points', hourly: 'Hourly rollups', daily: 'Daily rollups' },
    metric: 'Metric', time: 'Time', avg: 'Average', min: 'Min', max: 'Max', p95: 'P95', samples: 'Samples', lastAt: 'Last data', chooseHost: 'Choose a host',
    metrics: { cpu: 'CPU usage', memory: 'Memory usage', disk_standard: 'Standard storage usage', net_up: 'Network up', net_down: 'Network down', disk_read: 'Disk read', disk_write: 'Disk write' },
    period: 'Period', resource: 'Resource', totalCap: 'Total', allocated: 'Allocated', free: 'Free', ratio: 'Allocation', deadline: 'Expansion deadline', overdue: 'Overdue', overCommit: 'Memory over-commit',
    forecast80: 'Reaches 80%', forecast100: 'Reaches 100%', never: '—', capacityHint: 'Above 80% allocation a capacity warning opens with an expansion deadline of 7 natural days; it closes when the pushed totals grow.',
    resources: { cpuCores: 'CPU (cores)', memoryGb: 'Memory (GB)', standardStorageGb: 'Standard storage (GB)', highPerfStorageGb: 'High-performance storage (GB)', staticStorageGb: 'Static storage (GB)', bandwidthMbps: 'Bandwidth (Mbps)' },
    expression: 'Expression', scope: 'Scope', enabled: 'Enabled', keyPeriodOnly: 'Key periods only', yes: 'Yes', no: 'No',
  },
  errors: {
    'monitoring.not_firing': 'Only a firing alert can be acknowledged', 'monitoring.alert.not_found': 'Alert not found', 'monitoring.series.not_found': 'Monitored object not found', 'monitoring.invalid_rule': 'The rule is not valid',
    'monitoring.scope_not_visible': 'The scope does not exist or is not yours', 'monitoring.unknown_metric': 'Unknown metric', 'monitoring.invalid_window': 'Invalid time window', 'monitoring.rule.not_found': 'Rule not found',
  },
};
