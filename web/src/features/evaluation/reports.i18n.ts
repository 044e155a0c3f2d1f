/** Texts of evaluation's report templates and generated reports (top-level key `evalReports`). */
export const zh = {
  evalReports: {
    tab: '报告编制',
    kinds: { monthly: '综合监管月报', quarterly: '季评' },
    generate: '生成报告', generateQuarter: '生成季评（存档）', generated: '已生成第 {{n}} 版', kind: '报告类型', period: '期间', set: '指标体系',
    list: '已生成的报告', revision: '版次', status: '状态', templateVersion: '模板版本', templateDefault: '默认模板', due: '报送期限', origin: '来源', origins: { manual: '手动生成', scheduled: '定时生成' },
    statuses: { draft: '草稿', submitted: '待审核', published: '已发布', superseded: '已被新版替代' },
    sections: '章节', actions: '操作', docx: '.docx', pdf: '签名 PDF', submit: '提交审核', publish: '审核发布', returnBack: '退回', regenerate: '重新生成',
    comment: '审核意见', commentRequired: '请填写退回理由', links: '下载',
    template: '报告模板', templateVersionOf: '第 {{v}} 版', builtIn: '内置默认模板（尚未保存）', section: '章节', enabled: '启用', up: '上移', down: '下移',
    intro: '前言（正文前）', conclusion: '结论与建议（正文后）', autoDraft: '每月 1 日自动生成上月月报草稿并发送待办', authorMe: '由我编写（接收待办）', authorDefault: '未指定编写人时，待办发给本单位管理人员',
    note: '版本说明', save: '保存为新版本', saved: '已保存模板第 {{v}} 版；此后生成的报告使用新模板', none: '暂无报告', managementOnly: '报告编制由管理单位负责',
  },
  errors: {
    'evaluation.template_invalid': '模板章节不正确', 'evaluation.template_author': '编写人不是平台用户', 'evaluation.report_period': '期间格式不正确',
    'evaluation.report_state': '报告当前状态不允许该操作', 'evaluation.reports_management_only': '报告与模板由管理单位编制', 'evaluation.report.not_found': '报告不存在',
  },
};

export const en = {
  evalReports: {
    tab: 'Report writing',
    kinds: { monthly: 'Monthly supervision report', quarterly: 'Quarterly evaluation' },
    generate: 'Generate', generateQuarter: 'Generate and file', generated: 'Revision {{n}} generated', kind: 'Report', period: 'Period', set: 'Indicator system',
    list: 'Generated reports', revision: 'Revision', status: 'Status', templateVersion: 'Template', templateDefault: 'Default', due: 'Due', origin: 'Origin', origins: { manual: 'Manual', scheduled: 'Scheduled' },
    statuses: { draft: 'Draft', submitted: 'In review', published: 'Published', superseded: 'Superseded' },
    sections: 'Sections', actions: 'Actions', docx: '.docx', pdf: 'Signed PDF', submit: 'Submit for review', publish: 'Publish', returnBack: 'Return', regenerate: 'Regenerate',
    comment: 'Review comment', commentRequired: 'Say why the report goes back', links: 'Download',
    template: 'Report template', templateVersionOf: 'Version {{v}}', builtIn: 'Built-in default (not saved yet)', section: 'Section', enabled: 'On', up: 'Up', down: 'Down',
    intro: 'Introduction (before the sections)', conclusion: 'Conclusions (after the sections)', autoDraft: "On the 1st, draft last month's report and send the author a to-do", authorMe: 'I write it (I get the to-do)', authorDefault: "Without an author the to-do goes to the unit's management staff",
    note: 'Version note', save: 'Save as a new version', saved: 'Template version {{v}} saved; reports generated from now on use it', none: 'No reports yet', managementOnly: 'Reports are written by the management unit',
  },
  errors: {
    'evaluation.template_invalid': 'The template sections are invalid', 'evaluation.template_author': 'The author is not a user', 'evaluation.report_period': 'The period is invalid',
    'evaluation.report_state': 'Not possible in the report’s current state', 'evaluation.reports_management_only': 'Reports and templates belong to the management unit', 'evaluation.report.not_found': 'Report not found',
  },
};
