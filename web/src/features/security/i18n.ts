/** Texts of this feature: merged into the translation resources under `security` (and `errors` for error codes). */
export const zh = {
  security: {
    tabs: { findings: '漏洞与整改', scans: '扫描导入', rules: '整改时限' },
    all: '全部', refresh: '刷新', total: '共 {{n}} 项', done: '已办理',
    severity: '风险等级', severities: { critical: '紧急', high: '高危', medium: '中危', low: '低危' },
    statuses: { unfixed: '未修复', open: '待通报', notified: '已通报', replied: '已反馈', fixed: '已修复', accepted: '风险接受' },
    actions: { found: '发现', seen: '再次发现', notified: '通报服务商', replied: '服务商反馈', fixed: '验证已修复', reopened: '复测再次发现（重新打开）', accepted: '风险接受', acceptance_expired: '风险接受到期' },
    overdueOnly: '仅超期', unmatchedOnly: '仅未匹配主机', keywordHint: '漏洞名称、主机、CVE', overdue: '超期',
    name: '漏洞名称', host: '主机', port: '端口', system: '信息系统', unit: '使用单位', provider: '责任服务商', status: '状态', deadline: '整改期限', firstSeen: '首次发现',
    unmatched: '未匹配', finding: '漏洞', vulnId: '漏洞编号', description: '描述', solution: '解决办法', reply: '整改反馈', acceptedReason: '风险接受理由', ticket: '工单',
    handle: '办理', notePlaceholder: '说明（通报意见、整改情况及证据、复核意见或风险接受理由）', notify: '通报服务商', replyAction: '提交整改反馈', verify: '复核已修复', accept: '风险接受', acceptUntil: '接受至',
    history: '处理记录',
    upload: '导入扫描报告', uploadHint: '支持 OpenVAS/Greenbone XML 报告、Nessus .nessus、以及绿盟 RSAS / 启明天镜等导出的 .xlsx 或 .csv（表头含 IP地址、漏洞名称、风险等级，可选 端口、CVE编号、漏洞编号、漏洞类型、详细描述、解决办法）。选择云节点后按该节点的主机匹配，责任服务商为该节点的服务商。同一扫描器再次扫描未发现的漏洞自动验证为已修复。',
    node: '云节点', chooseFile: '选择报告文件',
    formats: { auto: '按文件名识别', openvas: 'OpenVAS / Greenbone XML', nessus: 'Nessus', xlsx: '表格 .xlsx', csv: '表格 .csv', push: '接口推送' },
    resultFindings: '漏洞数', resultNew: '新发现', resultClosed: '验证修复', resultReopened: '重新打开', unmatchedList: '未匹配到资源清单主机的地址：{{list}}',
    row: '行', field: '字段', value: '值', message: '说明',
    scanList: '扫描记录', scannedAt: '扫描时间', source: '来源', fileName: '文件',
    rulesTitle: '整改时限', rulesHint: '按风险等级自首次发现之日起计算；自然日或工作日（营业日历，含节假日与调休）。修改后对此后发现的漏洞生效。', days: '天数', dayKind: '计算方式', dayKinds: { natural: '自然日', working: '工作日' }, save: '保存',
  },
  errors: {
    'security.report_unreadable': '无法读取该扫描报告', 'security.duplicate_report': '该报告已导入过，未重复导入', 'security.invalid_transition': '当前状态不能办理该操作',
    'security.no_provider': '该漏洞未关联到服务商', 'security.invalid_acceptance': '风险接受的截止日期须晚于今天', 'security.finding.not_found': '漏洞不存在',
    'security.node_not_found': '云节点不存在', 'security.node_provider_mismatch': '该云节点不属于所选服务商', 'security.invalid_month': '月份格式应为 YYYY-MM', 'security.file_missing': '请选择报告文件',
  },
};

export const en: typeof zh = {
  security: {
    tabs: { findings: 'Findings and rectification', scans: 'Scan imports', rules: 'Deadlines' },
    all: 'All', refresh: 'Refresh', total: '{{n}} items', done: 'Done',
    severity: 'Severity', severities: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' },
    statuses: { unfixed: 'Not fixed', open: 'Open', notified: 'Notified', replied: 'Replied', fixed: 'Fixed', accepted: 'Risk accepted' },
    actions: { found: 'Found', seen: 'Seen again', notified: 'Provider notified', replied: 'Provider replied', fixed: 'Verified fixed', reopened: 'Found again (reopened)', accepted: 'Risk accepted', acceptance_expired: 'Risk acceptance expired' },
    overdueOnly: 'Overdue only', unmatchedOnly: 'Unmatched hosts only', keywordHint: 'Name, host, CVE', overdue: 'overdue',
    name: 'Vulnerability', host: 'Host', port: 'Port', system: 'System', unit: 'Unit', provider: 'Responsible provider', status: 'Status', deadline: 'Deadline', firstSeen: 'First seen',
    unmatched: 'Unmatched', finding: 'Finding', vulnId: 'Vulnerability ID', description: 'Description', solution: 'Solution', reply: 'Reply', acceptedReason: 'Acceptance reason', ticket: 'Ticket',
    handle: 'Handle', notePlaceholder: 'Note (notice, rectification and evidence, review, or acceptance reason)', notify: 'Notify provider', replyAction: 'Send reply', verify: 'Verify fixed', accept: 'Accept risk', acceptUntil: 'Until',
    history: 'History',
    upload: 'Import a scan report', uploadHint: 'OpenVAS/Greenbone XML, Nessus .nessus, or .xlsx / .csv exports of NSFOCUS RSAS, Venustech and others (headers IP地址, 漏洞名称, 风险等级; optional 端口, CVE编号, 漏洞编号, 漏洞类型, 详细描述, 解决办法). With a node, hosts are matched on that node and its provider is responsible. What a later scan of the same scanner no longer finds is verified fixed.',
    node: 'Cloud node', chooseFile: 'Choose report',
    formats: { auto: 'By file name', openvas: 'OpenVAS / Greenbone XML', nessus: 'Nessus', xlsx: 'Table .xlsx', csv: 'Table .csv', push: 'Interface push' },
    resultFindings: 'Findings', resultNew: 'New', resultClosed: 'Verified fixed', resultReopened: 'Reopened', unmatchedList: 'Addresses matching no inventory host: {{list}}',
    row: 'Row', field: 'Field', value: 'Value', message: 'Message',
    scanList: 'Scans', scannedAt: 'Scanned at', source: 'Source', fileName: 'File',
    rulesTitle: 'Rectification deadlines', rulesHint: 'Counted per severity from the day a finding is first seen, in natural or working days (business calendar with holidays and make-up days). Changes apply to findings found afterwards.', days: 'Days', dayKind: 'Counted in', dayKinds: { natural: 'Natural days', working: 'Working days' }, save: 'Save',
  },
  errors: {
    'security.report_unreadable': 'The scan report cannot be read', 'security.duplicate_report': 'This report was imported already; nothing was imported again', 'security.invalid_transition': 'Not possible in the current status',
    'security.no_provider': 'The finding is linked to no provider', 'security.invalid_acceptance': 'A risk acceptance must end after today', 'security.finding.not_found': 'Finding not found',
    'security.node_not_found': 'Unknown cloud node', 'security.node_provider_mismatch': 'The node is run by another provider', 'security.invalid_month': 'The month is YYYY-MM', 'security.file_missing': 'Choose the report file',
  },
};
