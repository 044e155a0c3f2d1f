import { useState } from 'react';
import {
  Alert, App, Button, Card, Checkbox, Col, Descriptions, Drawer, Empty, Form, Input, Modal, Popconfirm, Row, Select, Space, Table, Tabs, Tag, Timeline, Typography, Upload,
} from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { FormInstance } from 'antd';
import { systemsApi, systemKeys, type InformationSystem, type SystemFilter, type SystemImportResult, type SystemChange } from '../systems.api';
import { directoryApi, directoryKeys } from '../../directory/directory.api';
import { fileToBase64 } from '../../estimates/estimates.api';
import { IssueList, issuesOf } from '../../catalog/components/IssueList';
import { OrgTreeSelect } from '../../organisations/components/OrgTreeSelect';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { CONTACT_FIELDS, FIELDS, FIELD_ORDER, isCalendarDate, ruleOf, type FieldName } from '../fields';

type FormValues = Partial<Record<FieldName, string>> & { unitId?: string; nodeId?: string; machineRoomId?: string | null };

function StatusTag({ status }: { status: 'active' | 'retired' }) {
  const { t } = useTranslation();
  return status === 'active' ? <Tag color="green">{t('systems.statusActive')}</Tag> : <Tag>{t('systems.statusRetired')}</Tag>;
}

/** Puts the server's `body.<field>` issues under the form's fields; true when any was placed. */
function showFieldErrors(form: FormInstance<FormValues>, error: unknown, ruleText: (rule: string, message: string, extra?: Record<string, unknown>) => string): boolean {
  const issues = issuesOf(error).filter((i) => i.field.startsWith('body.'));
  if (!issues.length) return false;
  const byField = new Map<string, string[]>();
  for (const i of issues) {
    const name = i.field.slice(5);
    const limits = name in FIELDS ? { min: FIELDS[name as FieldName].min, max: FIELDS[name as FieldName].max } : undefined;
    const text = (i.rule === 'min_length' || i.rule === 'max_length') && !limits ? i.message : ruleText(i.rule, i.message, limits);
    byField.set(name, [...(byField.get(name) ?? []), text]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: name as FieldName, errors })));
  return true;
}

function useRuleText() {
  const { t, i18n } = useTranslation();
  return (rule: string, message: string, extra: Record<string, unknown> = {}) =>
    (i18n.exists(`systems.rules.${rule}`) ? t(`systems.rules.${rule}`, extra) : message);
}

function NodeSelect({ value, onChange, allowClear, placeholder, style, testId }: { value?: string; onChange?: (v: string | undefined) => void; allowClear?: boolean; placeholder?: string; style?: React.CSSProperties; testId?: string }) {
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes });
  return (
    <Select
      value={value} onChange={(v) => onChange?.(v ?? undefined)} allowClear={allowClear} placeholder={placeholder} style={style} loading={nodes.isLoading}
      options={(nodes.data?.items ?? []).map((n) => ({ value: n.id, label: n.provider ? `${n.name}（${n.provider.name}）` : n.name, disabled: n.status !== 'active' }))}
      showSearch optionFilterProp="label" data-testid={testId} popupMatchSelectWidth={false}
    />
  );
}

function RoomSelect({ nodeId, value, onChange }: { nodeId?: string; value?: string | null; onChange?: (v: string | null) => void }) {
  const { t } = useTranslation();
  const rooms = useQuery({ queryKey: directoryKeys.rooms(nodeId ?? ''), queryFn: () => directoryApi.rooms(nodeId!), enabled: !!nodeId });
  return (
    <Select
      value={value ?? undefined} onChange={(v) => onChange?.(v ?? null)} allowClear placeholder={nodeId ? undefined : t('systems.pickNodeFirst')} loading={rooms.isLoading}
      options={(rooms.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.code} · ${r.name}`, disabled: r.status !== 'active' }))}
    />
  );
}

function SystemForm({ system, onDone }: { system: InformationSystem | 'new'; onDone: (s: InformationSystem) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const ruleText = useRuleText();
  const [form] = Form.useForm<FormValues>();
  const nodeId = Form.useWatch('nodeId', form);
  const isNew = system === 'new';
  const masked = !isNew && system.contactsMasked;
  const initial: FormValues = isNew
    ? {}
    : {
        nodeId: system.node.id, machineRoomId: system.machineRoom?.id ?? null,
        ...Object.fromEntries(FIELD_ORDER.map((f) => [f, system[f] ?? undefined])),
      };
  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const fields = Object.fromEntries(
        FIELD_ORDER.filter((f) => !(masked && CONTACT_FIELDS.includes(f))).map((f) => {
          const value = v[f]?.trim() ?? '';
          return [f, value === '' ? (FIELDS[f].required ? '' : null) : value];
        }),
      );
      return isNew
        ? systemsApi.create({ ...fields, unitId: v.unitId, nodeId: v.nodeId!, machineRoomId: v.machineRoomId ?? null })
        : systemsApi.update(system.id, { ...fields, nodeId: v.nodeId, machineRoomId: v.machineRoomId ?? null });
    },
    onSuccess: (s) => { message.success(t('common.saved')); onDone(s); },
    onError: (e) => { if (!showFieldErrors(form, e, ruleText)) message.error(errorText(e)); },
  });

  const validator = (f: FieldName) => async (_: unknown, v?: string) => {
    const broken = ruleOf(f, v);
    if (broken) throw new Error(ruleText(broken.rule, broken.rule, broken));
    if (f === 'exitDate' && v) {
      const goLive: string | undefined = form.getFieldValue('goLiveDate');
      if (goLive && isCalendarDate(goLive) && isCalendarDate(v) && v < goLive) throw new Error(t('systems.rules.exit_before_go_live'));
    }
    if (f === 'exitReason' && !v?.trim() && form.getFieldValue('exitDate')) throw new Error(t('systems.rules.exit_reason_required'));
  };
  const item = (f: FieldName, span = 12) => {
    const rule = FIELDS[f];
    const disabled = masked && CONTACT_FIELDS.includes(f);
    const input = rule.kind === 'select'
      ? <Select allowClear options={rule.options!.map((o) => ({ value: o, label: o }))} data-testid={`system-form-${f}`} />
      : rule.kind === 'long'
        ? <Input.TextArea rows={3} data-testid={`system-form-${f}`} />
        : <Input disabled={disabled} placeholder={rule.kind === 'date' ? 'YYYY-MM-DD' : undefined} data-testid={`system-form-${f}`} />;
    return (
      <Col span={rule.kind === 'long' ? 24 : span} key={f}>
        <Form.Item
          name={f} label={t(`systems.f.${f}`)} required={rule.required} validateFirst
          dependencies={f === 'exitDate' ? ['goLiveDate'] : f === 'exitReason' ? ['exitDate'] : undefined}
          rules={disabled ? [] : [{ validator: validator(f) }]}
          extra={disabled ? t('systems.maskedHint') : undefined}
        >
          {input}
        </Form.Item>
      </Col>
    );
  };
  const group = (title: string, fields: FieldName[]) => (
    <>
      <Typography.Title level={5} style={{ marginTop: 4 }}>{title}</Typography.Title>
      <Row gutter={16}>{fields.map((f) => item(f))}</Row>
    </>
  );

  return (
    <Modal open width={880} title={isNew ? t('systems.createTitle') : t('systems.editTitle', { no: system.systemNo })} onCancel={() => onDone(undefined as never)} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'system-form-submit' } as never}>
      <IssueList error={save.error} only={(i) => !i.field.startsWith('body.') || !FIELD_ORDER.includes(i.field.slice(5) as FieldName)} />
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)} data-testid="system-form" scrollToFirstError>
        <Typography.Title level={5}>{t('systems.groupPlacement')}</Typography.Title>
        <Row gutter={16}>
          {isNew && (
            <Col span={12}>
              <Form.Item name="unitId" label={t('systems.unit')} extra={t('systems.unitHint')}><OrgTreeSelect allowClear testId="system-form-unit" /></Form.Item>
            </Col>
          )}
          <Col span={12}>
            <Form.Item name="nodeId" label={t('systems.node')} rules={[{ required: true, message: t('common.required') }]}>
              <NodeSelect testId="system-form-node" onChange={() => form.setFieldValue('machineRoomId', null)} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="machineRoomId" label={t('systems.room')}><RoomSelect nodeId={nodeId} /></Form.Item>
          </Col>
        </Row>
        {group(t('systems.groupBasic'), ['name', 'systemType', 'gradingLevel', 'operatingHours', 'networkNature', 'interconnection', 'serviceAudience', 'serviceScope', 'preApprovalStatus', 'accessUrl', 'appVendor', 'otherNotes', 'functionDescription'])}
        {group(t('systems.groupDates'), ['cloudTestDate', 'goLiveDate', 'exitDate', 'exitReason'])}
        {group(t('systems.groupContacts'), ['contactName', 'contactMobile', 'contactEmail', 'contactLandline', 'techContactName', 'techContactMobile'])}
      </Form>
    </Modal>
  );
}

function RetireModal({ system, onDone }: { system: InformationSystem; onDone: (ok: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const ruleText = useRuleText();
  const [form] = Form.useForm<FormValues>();
  const retire = useMutation({
    mutationFn: (v: FormValues) => systemsApi.retire(system.id, { exitDate: v.exitDate!.trim(), exitReason: v.exitReason!.trim() }),
    onSuccess: () => { message.success(t('common.success')); onDone(true); },
    onError: (e) => { if (!showFieldErrors(form, e, ruleText)) message.error(errorText(e)); },
  });
  return (
    <Modal open title={t('systems.retireTitle', { no: system.systemNo })} onCancel={() => onDone(false)} onOk={() => form.submit()} confirmLoading={retire.isPending} okButtonProps={{ danger: true, 'data-testid': 'system-retire-submit' } as never}>
      <Form form={form} layout="vertical" onFinish={(v) => retire.mutate(v)}>
        <Form.Item
          name="exitDate" label={t('systems.f.exitDate')} required validateFirst
          rules={[{ validator: async (_, v?: string) => {
            if (!v?.trim()) throw new Error(t('systems.rules.required'));
            if (!isCalendarDate(v.trim())) throw new Error(t('systems.rules.date'));
            if (system.goLiveDate && v.trim() < system.goLiveDate) throw new Error(t('systems.rules.exit_before_go_live'));
          } }]}
          extra={system.goLiveDate ? `${t('systems.f.goLiveDate')}：${system.goLiveDate}` : undefined}
        >
          <Input placeholder="YYYY-MM-DD" data-testid="system-retire-date" />
        </Form.Item>
        <Form.Item name="exitReason" label={t('systems.f.exitReason')} rules={[{ required: true, whitespace: true, message: t('systems.rules.exit_reason_required') }, { max: 200 }]}>
          <Input.TextArea rows={3} maxLength={200} data-testid="system-retire-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ImportModal({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File>();
  const [validRowsOnly, setValidRowsOnly] = useState(false);
  const [result, setResult] = useState<SystemImportResult>();
  const run = useMutation({
    mutationFn: async () => systemsApi.import({ file: await fileToBase64(file!), validRowsOnly }),
    onSuccess: (r) => { setResult(r); void queryClient.invalidateQueries({ queryKey: systemKeys.all }); },
  });
  const issues = result?.skipped ?? issuesOf(run.error).map((i) => ({ ...i, row: (i as { row?: number }).row ?? null, column: (i as { column?: string | null }).column ?? null }));
  return (
    <Modal open width={820} title={t('systems.importTitle')} onCancel={onClose} onOk={() => (result ? onClose() : run.mutate())} okText={result ? t('common.close') : t('systems.import')} okButtonProps={{ disabled: !file && !result, 'data-testid': 'system-import-submit' } as never} confirmLoading={run.isPending}>
      <Typography.Paragraph type="secondary">{t('systems.importHint')}</Typography.Paragraph>
      {!result && (
        <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
          <Upload accept=".xlsx" maxCount={1} beforeUpload={(f) => { setFile(f); run.reset(); return false; }} onRemove={() => setFile(undefined)} fileList={file ? [{ uid: '1', name: file.name }] : []}>
            <Button icon={<UploadOutlined />} data-testid="system-import-file">{t('systems.pickFile')}</Button>
          </Upload>
          <Checkbox checked={validRowsOnly} onChange={(e) => setValidRowsOnly(e.target.checked)} data-testid="system-import-valid-only">{t('systems.validRowsOnly')}</Checkbox>
        </Space>
      )}
      {run.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={errorText(run.error)} description={issues.length ? t('systems.nothingSaved') : undefined} />}
      {result && <Alert type={result.skipped.length ? 'warning' : 'success'} showIcon style={{ marginBottom: 12 }} message={t('systems.importDone', { created: result.created.length, skipped: result.skipped.length })} description={result.created.map((c) => c.systemNo).join('、') || undefined} />}
      {issues.length > 0 && (
        <Table
          size="small" rowKey={(_, i) => String(i)} dataSource={issues} pagination={{ pageSize: 10 }} data-testid="system-import-issues"
          columns={[
            { title: t('systems.row'), dataIndex: 'row', width: 60, render: (v: number | null) => v ?? '—' },
            { title: t('systems.column'), key: 'col', render: (_, i) => i.column ?? i.field },
            { title: t('systems.rule'), dataIndex: 'rule', width: 140, render: (v: string) => (i18n.exists(`systems.ruleNames.${v}`) ? t(`systems.ruleNames.${v}`) : v) },
            {
              title: t('systems.message'), dataIndex: 'message',
              render: (m: string, i) => {
                // the server words the rule in English; say it in the user's language and keep the printed format
                if (i.rule === 'min_length' || i.rule === 'max_length' || !i18n.exists(`systems.rules.${i.rule}`)) return m;
                const format = /\(([^)]*)\)\s*$/.exec(m)?.[1];
                return `${t(`systems.rules.${i.rule}`)}${format ? `（${format}）` : ''}`;
              },
            },
          ]}
        />
      )}
    </Modal>
  );
}

const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function History({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const history = useQuery({ queryKey: systemKeys.history(id), queryFn: () => systemsApi.history(id) });
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes });
  const label = (k: string) => (i18n.exists(`systems.f.${k}`) ? t(`systems.f.${k}`) : k);
  const value = (k: string, v: unknown) => {
    if (k === 'status' && (v === 'active' || v === 'retired')) return v === 'active' ? t('systems.statusActive') : t('systems.statusRetired');
    if (k === 'nodeId' && typeof v === 'string') return nodes.data?.items.find((n) => n.id === v)?.name ?? v;
    return show(v);
  };
  if (!history.data?.items.length) return <Empty description={history.isLoading ? t('common.loading') : t('systems.noHistory')} />;
  return (
    <Timeline
      data-testid="system-history"
      items={history.data.items.map((c: SystemChange) => {
        const keys = [...new Set([...Object.keys(c.before), ...Object.keys(c.after)])];
        return {
          color: c.action === 'retire' ? 'red' : c.action === 'create' ? 'green' : 'blue',
          children: (
            <div>
              <Typography.Text strong>{t(`systems.actions.${c.action}`)}</Typography.Text>
              <Typography.Text type="secondary"> · {c.changedBy.name ?? '—'} · {fmtTime(c.changedAt)}</Typography.Text>
              {c.action !== 'create' && keys.length > 0 && (
                <Table
                  size="small" pagination={false} rowKey="k" style={{ marginTop: 6 }}
                  dataSource={keys.map((k) => ({ k, before: c.before[k], after: c.after[k] }))}
                  columns={[
                    { title: t('systems.field'), dataIndex: 'k', render: label, width: 130 },
                    { title: t('systems.before'), dataIndex: 'before', render: (v: unknown, row) => <Typography.Text delete type="secondary">{value(row.k, v)}</Typography.Text> },
                    { title: t('systems.after'), dataIndex: 'after', render: (v: unknown, row) => value(row.k, v) },
                  ]}
                />
              )}
            </div>
          ),
        };
      })}
    />
  );
}

function Detail({ s }: { s: InformationSystem }) {
  const { t } = useTranslation();
  return (
    <Descriptions column={2} bordered size="small" data-testid="system-detail" styles={{ label: { width: 120 } }}>
      <Descriptions.Item label={t('systems.systemNo')}>{s.systemNo}</Descriptions.Item>
      <Descriptions.Item label={t('common.status')}><StatusTag status={s.status} /></Descriptions.Item>
      <Descriptions.Item label={t('systems.unit')}>{s.unit.name ?? '—'}{s.unit.code ? `（${s.unit.code}）` : ''}</Descriptions.Item>
      <Descriptions.Item label={t('systems.node')}>{s.node.name}{s.node.provider ? `（${s.node.provider.name}）` : ''}</Descriptions.Item>
      <Descriptions.Item label={t('systems.room')} span={2}>{s.machineRoom ? `${s.machineRoom.code} · ${s.machineRoom.name}` : '—'}</Descriptions.Item>
      {FIELD_ORDER.map((f) => (
        <Descriptions.Item key={f} label={t(`systems.f.${f}`)} span={FIELDS[f].kind === 'long' || f === 'name' ? 2 : 1}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{show(s[f])}</span>
        </Descriptions.Item>
      ))}
      <Descriptions.Item label={t('common.createdAt')}>{fmtTime(s.createdAt)}</Descriptions.Item>
      <Descriptions.Item label={t('common.updatedAt')}>{fmtTime(s.updatedAt)}</Descriptions.Item>
    </Descriptions>
  );
}

export default function SystemsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<SystemFilter>({ page: 1, pageSize: 20 });
  const [detailId, setDetailId] = useState<string>();
  const [editing, setEditing] = useState<InformationSystem | 'new' | null>(null);
  const [retiring, setRetiring] = useState<InformationSystem | null>(null);
  const [importing, setImporting] = useState(false);

  const list = useQuery({ queryKey: systemKeys.list(filter), queryFn: () => systemsApi.list(filter) });
  const detail = useQuery({ queryKey: systemKeys.detail(detailId ?? ''), queryFn: () => systemsApi.get(detailId!), enabled: !!detailId });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: systemKeys.all });
  const exporter = useMutation({
    mutationFn: () => systemsApi.export({ unitId: filter.unitId, nodeId: filter.nodeId, q: filter.q, status: filter.status }, `${t('systems.title')}.xlsx`),
    onError: (e) => message.error(errorText(e)),
  });

  const s = detail.data;
  return (
    <Card
      title={t('systems.title')}
      size="small"
      extra={(
        <Space>
          <Button icon={<DownloadOutlined />} loading={exporter.isPending} onClick={() => exporter.mutate()} data-testid="systems-export">{t('systems.export')}</Button>
          {can('system:write') && <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="systems-import">{t('systems.import')}</Button>}
          {can('system:write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="systems-create">{t('common.create')}</Button>}
        </Space>
      )}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <OrgTreeSelect allowClear placeholder={t('systems.unit')} style={{ width: 240 }} value={filter.unitId} onChange={(unitId) => setFilter((f) => ({ ...f, unitId, page: 1 }))} testId="systems-filter-unit" />
        <NodeSelect allowClear placeholder={t('systems.node')} style={{ width: 220 }} value={filter.nodeId} onChange={(nodeId) => setFilter((f) => ({ ...f, nodeId, page: 1 }))} testId="systems-filter-node" />
        <Select
          allowClear placeholder={t('common.status')} style={{ width: 120 }} value={filter.status}
          options={[{ value: 'active', label: t('systems.statusActive') }, { value: 'retired', label: t('systems.statusRetired') }]}
          onChange={(status) => setFilter((f) => ({ ...f, status, page: 1 }))}
          data-testid="systems-filter-status"
        />
        <Input.Search allowClear placeholder={t('systems.searchPlaceholder')} style={{ width: 260 }} maxLength={100} onSearch={(q) => setFilter((f) => ({ ...f, q: q || undefined, page: 1 }))} data-testid="systems-filter-q" />
      </Space>
      <Table<InformationSystem>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items}
        data-testid="systems-table"
        scroll={{ x: 'max-content' }}
        pagination={{ current: filter.page, pageSize: filter.pageSize, total: list.data?.total, showSizeChanger: true, showTotal: (total) => t('common.total', { total }), onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })) }}
        columns={[
          { title: t('systems.systemNo'), dataIndex: 'systemNo', render: (v: string, r) => <a onClick={() => setDetailId(r.id)} data-testid={`system-row-${v}`}>{v}</a> },
          { title: t('systems.f.name'), dataIndex: 'name' },
          { title: t('systems.unit'), key: 'unit', render: (_, r) => r.unit.name ?? '—' },
          { title: t('systems.node'), key: 'node', render: (_, r) => r.node.name },
          { title: t('systems.f.systemType'), dataIndex: 'systemType' },
          { title: t('systems.f.gradingLevel'), dataIndex: 'gradingLevel' },
          { title: t('systems.f.networkNature'), dataIndex: 'networkNature' },
          { title: t('systems.f.goLiveDate'), dataIndex: 'goLiveDate', render: show },
          { title: t('common.status'), dataIndex: 'status', render: (v: 'active' | 'retired') => <StatusTag status={v} /> },
          { title: t('common.actions'), key: 'actions', render: (_, r) => <Button type="link" size="small" onClick={() => setDetailId(r.id)}>{t('common.detail')}</Button> },
        ]}
      />

      <Drawer open={!!detailId} onClose={() => setDetailId(undefined)} width={860} title={s ? `${s.systemNo} · ${s.name}` : t('common.loading')} data-testid="system-drawer"
        extra={s && (
          <Space>
            {s.abilities.update && s.status === 'active' && <Button onClick={() => setEditing(s)} data-testid="system-edit">{t('common.edit')}</Button>}
            {s.abilities.retire && s.status === 'active' && (
              <Popconfirm title={t('systems.retireConfirm')} onConfirm={() => setRetiring(s)}>
                <Button danger data-testid="system-retire">{t('systems.retire')}</Button>
              </Popconfirm>
            )}
          </Space>
        )}
      >
        {detail.error && <Alert type="error" showIcon message={errorText(detail.error)} />}
        {s && (
          <>
            {s.contactsMasked && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('systems.maskedNotice')} />}
            <Tabs items={[
              { key: 'detail', label: t('systems.attributes'), children: <Detail s={s} /> },
              { key: 'history', label: t('systems.history'), children: <History id={s.id} /> },
            ]} />
          </>
        )}
      </Drawer>

      {editing && <SystemForm system={editing} onDone={(saved) => { setEditing(null); if (saved) { refresh(); if (editing === 'new') setDetailId(saved.id); } }} />}
      {retiring && <RetireModal system={retiring} onDone={(ok) => { setRetiring(null); if (ok) refresh(); }} />}
      {importing && <ImportModal onClose={() => setImporting(false)} />}
    </Card>
  );
}
