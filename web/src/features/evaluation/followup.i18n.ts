/** Texts of the evaluation follow-up pages (异议, 整改, 年度评级, 建设期考核) under `evalFollowUp`, and their error codes. */
export const zh = {
  evalFollowUp: {
    tabs: { objections: '评估异议', rectifications: '整改跟踪', annual: '年度评级', assessments: '建设期考核' },
    status: {
      submitted: '待处理', accepted: '已受理', rejected: '未受理', open: '待整改', replied: '已反馈', verified: '已验证', returned: '已退回',
      draft: '草稿', reviewed: '已审核', published: '已发布', superseded: '已被新版替代', passed: '通过', rectifying: '整改中', rectification_submitted: '已提交整改报告', reassessed: '已二次考核', exit: '按退出机制处理',
    },
    chooseFile: '选择文件', evidence: '佐证材料', evidenceHint: 'pdf、docx、xlsx、png、jpg、txt、zip，不超过 5 MB', reason: '异议理由', decision: '处理结果', comment: '处理意见', rejectReason: '不予受理的理由',
    accept: '受理', reject: '不予受理', submit: '提交', saved: '已保存', deadline: '整改期限', overdue: '已逾期', late: '逾期反馈', overdueOnly: '仅看逾期',
    obj: {
      title: '对已发布评估结果的异议', file: '提出异议', run: '已发布的评估', wholeMonth: '整月得分', deadline: '异议截止日', indicatorHint: '不选则对整月得分提出异议',
      rule: '云服务商可在评估结果发布后 5 个工作日内（按营业日历）对本单位的得分提出异议并附佐证材料；受理后得分以新修订版重新审核发布，原发布版本保留可查。',
      revisionRun: '修订版：{{status}}', acceptHint: '受理后生成该月评估的新修订版（草稿），须经管理单位审核、发布后生效；当前发布版本不变。', newScore: '修订后的指标得分（0–100）', basis: '修订依据', accepted: '已受理，已生成修订版草稿',
    },
    rect: {
      title: '评估整改任务', generate: '按阈值生成整改任务', generated: '已生成 {{n}} 项整改任务', threshold: '指标得分低于', origin: '来源', origins: { threshold: '低于阈值', reviewer: '评审提出' },
      raise: '评审提出整改', requirement: '整改要求', reply: '整改反馈', doReply: '反馈整改', verify: '验证',
    },
    annual: {
      title: '云服务商年度评级', reportDocx: '年度评级报告 .docx', reportPdf: '年度评级报告 PDF（签名）', compute: '计算年度评级', year: '年度', revision: '版本', scale: '等级标准', missing: '未发布的月份（不计入）', allMonths: '12 个月均已发布',
      rule: '年度得分 = 该年度已发布月度总分的算术平均；未发布或无得分的月份单独列出，不按 0 分计。等级按计算时选定的等级标准版本评定，经管理单位审核后发布；云服务商仅可见本单位已发布的结果。',
      grades: '等级标准', missingAlert: '以下月份没有已发布的月度评估，未计入：{{months}}', total: '年度得分', noScore: '暂无', counted: '计入月数', months: '各月总分', notCounted: '未计入',
      scales: '等级标准（版本）', newScale: '新建等级标准版本', latest: '最新', scaleHint: '按“等级:最低分”填写，从高到低，最后一级最低分为 0，例如：优秀:90, 良好:80, 合格:60, 不合格:0',
    },
    asm: {
      title: '建设期考核（初期 / 中期）', record: '登记考核', reassess: '二次考核', phase: '考核阶段', phases: { initial: '初期建设考核', mid: '中期建设考核' }, second: '（二次考核）',
      assessedOn: '考核日期', result: '结论', results: { pass: '通过', fail: '不通过' }, summary: '考核结论', rectifyBy: '整改期限', months: '{{n}} 个月', report: '整改报告', doReport: '提交整改报告',
      itemPassed: '符合', itemFailed: '不符合', finding: '发现的问题', rectifyMonths: '整改期限（月）', midHint: '中期考核不通过的，视情况限期 3–6 个月整改',
      rule: '依据 004 号文 4.3.2.2.1：初期考核不通过的限期 1 个月整改并二次考核；中期考核不通过的视情况限期 3–6 个月整改并二次考核；两次考核不通过的按退出机制处理。',
      secondHint: '二次考核：不通过的，按退出机制处理，不再设整改期限。',
    },
  },
  errors: {
    'evaluation.invalid_objection': '异议信息不完整或有误', 'evaluation.objection_late': '已超过异议期限（发布后 5 个工作日）', 'evaluation.objection_pending': '该得分已有待处理的异议',
    'evaluation.objection_decided': '该异议已处理', 'evaluation.objection_provider_only': '仅云服务商可对本单位得分提出异议', 'evaluation.run_not_current': '该评估版本已不是当前发布版本',
    'evaluation.invalid_decision': '处理信息不完整或有误', 'evaluation.invalid_rectification': '整改信息不完整或有误', 'evaluation.rectification_exists': '该指标已有整改任务',
    'evaluation.rectification_not_open': '该整改任务不在待整改状态', 'evaluation.rectification_not_replied': '该整改任务尚未反馈', 'evaluation.invalid_rectification_reply': '整改反馈不完整或有误',
    'evaluation.unknown_grade_scale': '没有该等级标准版本', 'evaluation.unknown_indicator_set': '没有该指标体系', 'evaluation.invalid_assessment': '考核信息不完整或有误',
    'evaluation.assessment_not_reassessable': '该考核不能再次考核', 'evaluation.assessment_not_rectifying': '该考核不在整改中', 'evaluation.invalid_assessment_reply': '整改报告不完整或有误',
  },
};

export const en = {
  evalFollowUp: {
    tabs: { objections: 'Objections', rectifications: 'Rectification', annual: 'Annual rating', assessments: 'Construction assessments' },
    status: {
      submitted: 'Pending', accepted: 'Accepted', rejected: 'Rejected', open: 'Open', replied: 'Replied', verified: 'Verified', returned: 'Returned',
      draft: 'Draft', reviewed: 'Reviewed', published: 'Published', superseded: 'Superseded', passed: 'Passed', rectifying: 'Rectifying', rectification_submitted: 'Report submitted', reassessed: 'Reassessed', exit: 'Exit mechanism',
    },
    chooseFile: 'Choose file', evidence: 'Evidence', evidenceHint: 'pdf, docx, xlsx, png, jpg, txt, zip, up to 5 MB', reason: 'Reason', decision: 'Decision', comment: 'Comment', rejectReason: 'Reason for rejection',
    accept: 'Accept', reject: 'Reject', submit: 'Submit', saved: 'Saved', deadline: 'Deadline', overdue: 'Overdue', late: 'Replied late', overdueOnly: 'Overdue only',
    obj: {
      title: 'Objections to published scores', file: 'File an objection', run: 'Published evaluation', wholeMonth: 'Whole month', deadline: 'Objection deadline', indicatorHint: 'Leave empty to object to the whole month',
      rule: 'A provider may object to its own score within 5 working days of publication (business calendar), with evidence; an accepted objection is published as a new revision after review, the published one is kept.',
      revisionRun: 'Revision: {{status}}', acceptHint: 'Accepting makes a new draft revision of the month; it takes effect once reviewed and published. The published revision does not change.', newScore: 'Revised indicator score (0–100)', basis: 'Basis of the revision', accepted: 'Accepted; a draft revision was made',
    },
    rect: {
      title: 'Rectification tasks', generate: 'Generate from a threshold', generated: '{{n}} tasks created', threshold: 'Indicator score below', origin: 'Origin', origins: { threshold: 'Below threshold', reviewer: 'Reviewer' },
      raise: 'Raise a task', requirement: 'Requirement', reply: 'Reply', doReply: 'Reply', verify: 'Verify',
    },
    annual: {
      title: 'Annual provider rating', reportDocx: 'Annual report .docx', reportPdf: 'Annual report PDF (signed)', compute: 'Compute the year', year: 'Year', revision: 'Revision', scale: 'Grade scale', missing: 'Months not published (not counted)', allMonths: 'All 12 months published',
      rule: 'Annual score = mean of the published monthly totals of the year; months without a published total are listed, never counted as 0. Graded on the chosen grade-scale version, reviewed and published by the management unit; a provider sees its own published row.',
      grades: 'Grades', missingAlert: 'No published monthly evaluation, not counted: {{months}}', total: 'Annual score', noScore: 'None', counted: 'Months counted', months: 'Monthly totals', notCounted: 'not counted',
      scales: 'Grade scales (versions)', newScale: 'New grade scale version', latest: 'latest', scaleHint: 'grade:minimum, best first, the last from 0, e.g. A:90, B:80, C:60, D:0',
    },
    asm: {
      title: 'Construction-phase assessments', record: 'Record an assessment', reassess: 'Second assessment', phase: 'Phase', phases: { initial: 'Initial', mid: 'Mid-term' }, second: ' (second)',
      assessedOn: 'Assessed on', result: 'Result', results: { pass: 'Pass', fail: 'Fail' }, summary: 'Conclusion', rectifyBy: 'Rectify by', months: '{{n}} months', report: 'Rectification report', doReport: 'Submit report',
      itemPassed: 'Met', itemFailed: 'Not met', finding: 'Finding', rectifyMonths: 'Rectification period (months)', midHint: 'Mid-term failures: 3–6 months',
      rule: 'Seed 004 §4.3.2.2.1: a failed initial assessment is rectified within 1 month, a failed mid-term one within 3–6 months, then assessed again; failing twice → exit mechanism.',
      secondHint: 'Second assessment: a failure goes to the exit mechanism, without a new period.',
    },
  },
  errors: {
    'evaluation.invalid_objection': 'The objection is incomplete or invalid', 'evaluation.objection_late': 'The objection period (5 working days after publication) is over', 'evaluation.objection_pending': 'An objection on this score is pending',
    'evaluation.objection_decided': 'The objection was decided already', 'evaluation.objection_provider_only': 'Only a provider objects to its own score', 'evaluation.run_not_current': 'This revision is no longer the published one',
    'evaluation.invalid_decision': 'The decision is incomplete or invalid', 'evaluation.invalid_rectification': 'The rectification is incomplete or invalid', 'evaluation.rectification_exists': 'This indicator already has a task',
    'evaluation.rectification_not_open': 'The task is not open', 'evaluation.rectification_not_replied': 'The task has no reply yet', 'evaluation.invalid_rectification_reply': 'The reply is incomplete or invalid',
    'evaluation.unknown_grade_scale': 'No such grade scale', 'evaluation.unknown_indicator_set': 'No such indicator system', 'evaluation.invalid_assessment': 'The assessment is incomplete or invalid',
    'evaluation.assessment_not_reassessable': 'This assessment cannot be reassessed', 'evaluation.assessment_not_rectifying': 'The assessment is not rectifying', 'evaluation.invalid_assessment_reply': 'The report is incomplete or invalid',
  },
};
