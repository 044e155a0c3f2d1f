/** Texts of 报表管理 (top-level key `reports`). */
export const zh = {
  reports: {
    title: '报表管理', hint: '从平台各模块的数据集中选取列与筛选条件，预览、保存为报表、导出签名 .xlsx，或按周/按月定时发送给自己。只包含你有权查看的数据。',
    saved: '我的报表', none: '暂无保存的报表', noDatasets: '你没有可查询的数据集（三员不查看业务数据）',
    name: '报表名称', dataset: '数据集', columns: '列', filters: '筛选条件', schedule: '定时发送', lastScheduled: '上次定时运行', updatedAt: '更新时间', actions: '操作',
    schedules: { none: '不定时', weekly: '每周（周一）', monthly: '每月（1 日）' },
    allColumns: '全选', any: '不限', uuidPlaceholder: '组织 ID（UUID）', monthPlaceholder: '选择月份',
    preview: '预览', save: '保存', saveAsNew: '另存为新报表', newReport: '新建报表', open: '打开', download: '下载 .xlsx', delete: '删除', confirmDelete: '删除该报表及其定时运行记录？',
    previewTitle: '预览（{{n}} 行）', truncated: '结果超过 {{max}} 行，仅显示前 {{max}} 行；请增加筛选条件。',
    runs: '定时运行记录', ranAt: '运行时间', origin: '来源', rows: '行数', file: '文件', origins: { scheduled: '定时', manual: '手动' },
    savedOk: '已保存报表', deleted: '已删除', nameRequired: '请填写报表名称', datasetRequired: '请选择数据集', columnsRequired: '请至少选择一列', editing: '正在编辑：{{name}}',
  },
  errors: {
    'reports.unknown_dataset': '数据集不存在', 'reports.dataset_denied': '你没有查看该数据集的权限', 'reports.invalid_definition': '报表定义不正确',
    'reports.user_only': '报表属于已登录的个人', 'reports.no_business_access': '三员不查看业务数据', 'reports.definition.not_found': '报表不存在',
  },
};

export const en = {
  reports: {
    title: 'Reports', hint: "Pick a dataset of the platform's modules, its columns and filters; preview, save, export as signed .xlsx, or have it sent to you weekly or monthly. Only data you may see is included.",
    saved: 'My reports', none: 'No saved reports', noDatasets: 'No dataset you may query (the three administrators read no business data)',
    name: 'Report name', dataset: 'Dataset', columns: 'Columns', filters: 'Filters', schedule: 'Scheduled delivery', lastScheduled: 'Last scheduled run', updatedAt: 'Updated', actions: 'Actions',
    schedules: { none: 'Not scheduled', weekly: 'Weekly (Monday)', monthly: 'Monthly (1st)' },
    allColumns: 'All', any: 'Any', uuidPlaceholder: 'Organisation ID (UUID)', monthPlaceholder: 'Pick a month',
    preview: 'Preview', save: 'Save', saveAsNew: 'Save as new', newReport: 'New report', open: 'Open', download: 'Download .xlsx', delete: 'Delete', confirmDelete: 'Delete this report and its scheduled runs?',
    previewTitle: 'Preview ({{n}} rows)', truncated: 'More than {{max}} rows: only the first {{max}} are shown; narrow the filters.',
    runs: 'Scheduled runs', ranAt: 'Ran at', origin: 'Origin', rows: 'Rows', file: 'File', origins: { scheduled: 'Scheduled', manual: 'Manual' },
    savedOk: 'Report saved', deleted: 'Deleted', nameRequired: 'Name the report', datasetRequired: 'Pick a dataset', columnsRequired: 'Pick at least one column', editing: 'Editing: {{name}}',
  },
  errors: {
    'reports.unknown_dataset': 'Unknown dataset', 'reports.dataset_denied': 'You may not read this dataset', 'reports.invalid_definition': 'The report definition is not valid',
    'reports.user_only': 'Reports belong to a signed-in person', 'reports.no_business_access': 'The three administrators read no business data', 'reports.definition.not_found': 'Report not found',
  },
};
