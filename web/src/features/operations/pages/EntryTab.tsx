import { useState } from 'react';
import { App as AntApp, Alert, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, Modal, Select, Space, Steps, Table, Tag, Timeline, Typography, Upload } from 'antd';
import { CheckOutlined, DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { useCan, useMe } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { opsApi, opsKeys, type EntryState, type ProviderEntry } from '../operations.api';
import { applyFieldErrors, fileToBase64, missingOf } from '../formErrors';

const ENTRY_STEPS: EntryState[] = ['applied', 'material_review', 'initial_assessment', 'entered'];
const EXIT_STEPS: EntryState[] = ['exit_applied', 'migrating', 'exited'];
const stateColor = (s: EntryState) => (s === 'entered' ? 'green' : s === 'exited' ? 'default' : s === 'rejected' ? 'red' : ['exit_applied', 'migrating'].includes(s) ? 'orange' : 'blue');

/** A refusal of the API, with the documents or checklist items it names. */
function Refusal({ error }: { error: unknown }) {
  const missing = missingOf(error);
  return <Alert type="error" showIcon data-testid="entry-error" message={errorText(error)} description={missing.length ? <ul style={{ margin: 0 }}>{missing.map((m) => <li key={m.key}>{m.label}</li>)}</ul> : undefined} />;
}

/** 云服务商进驻和退出: entry records, the eight documents of the initial assessment, the exit and its clearance checklist. */
export function EntryTab() {
  const { t } = useTranslation();
  const can = useCan();
  const [applying, setApplying] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const entries = useQuery({ queryKey: opsKeys.entries, queryFn: opsApi.entries });
  const open = (entries.data ?? []).find((e) => e.id === openId) ?? null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('operations.entry.title')} extra={can('operations:write') && <Button data-testid="entry-apply" type="primary" icon={<PlusOutlined />} onClick={() => setApplying(true)}>{t('operations.entry.apply')}</Button>}>
        <Typography.Paragraph type="secondary">{t('operations.entry.hint')}</Typography.Paragraph>
        <Table<ProviderEntry>
          data-testid="entry-list"
          rowKey="id"
          size="small"
          loading={entries.isLoading}
          dataSource={entries.data ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: t('operations.entry.provider'), dataIndex: 'providerName' },
            { title: t('operations.node'), dataIndex: 'nodeName', render: (v: string | null) => v ?? t('operations.entry.wholePlatform') },
            { title: t('operations.status'), dataIndex: 'state', render: (s: EntryState) => <Tag color={stateColor(s)}>{t(`operations.entry.states.${s}`)}</Tag> },
            { title: t('operations.entry.appliedOn'), dataIndex: 'appliedOn' },
            { title: t('operations.entry.missing'), key: 'missing', render: (_: unknown, e) => (e.missingDocuments.length ? <Tag color="red">{t('operations.entry.missingCount', { n: e.missingDocuments.length })}</Tag> : <Tag color="green">{t('operations.entry.complete')}</Tag>) },
            { title: t('operations.entry.rooms'), key: 'rooms', render: (_: unknown, e) => (e.machineRooms.length ? e.machineRooms.map((r) => r.name).join('、') : t('operations.entry.noRoom')) },
            { title: '', key: 'act', render: (_: unknown, e) => <Button size="small" data-testid="entry-open" onClick={() => setOpenId(e.id)}>{t('operations.entry.details')}</Button> },
          ]}
        />
      </Card>
      {applying && <ApplyModal onClose={() => setApplying(false)} onCreated={(id) => { setApplying(false); setOpenId(id); }} />}
      <Drawer open={!!open} width={860} onClose={() => setOpenId(null)} title={open ? `${open.providerName} · ${open.nodeName ?? t('operations.entry.wholePlatform')}` : ''} destroyOnHidden>
        {open && <EntryDetail entry={open} />}
      </Drawer>
    </Space>
  );
}

function ApplyModal({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useMe();
  const [form] = Form.useForm<{ providerOrgId?: string; nodeId?: string; appliedOn: Dayjs; note?: string }>();
  const [error, setError] = useState<unknown>(null);
  const nodes = useQuery({ queryKey: opsKeys.nodes, queryFn: opsApi.nodes });
  const isProvider = me.data?.org.kind === 'cloud_provider';
  const providers = [...new Map((nodes.data ?? []).filter((n) => n.provider).map((n) => [n.provider!.id, n.provider!.name])).entries()];
  const chosen = Form.useWatch('providerOrgId', form);
  const providerId = isProvider ? me.data?.org.id : chosen;
  const m = useMutation({
    mutationFn: (v: { providerOrgId?: string; nodeId?: string; appliedOn: Dayjs; note?: string }) =>
      opsApi.applyEntry({ ...(isProvider ? {} : { providerOrgId: v.providerOrgId ?? null }), nodeId: v.nodeId ?? null, appliedOn: v.appliedOn.format('YYYY-MM-DD'), note: v.note?.trim() ? v.note.trim() : null }),
    onSuccess: (e) => { void qc.invalidateQueries({ queryKey: opsKeys.entries }); onCreated(e.id); },
    onError: (e) => { setError(applyFieldErrors(form, e, ['providerOrgId', 'nodeId', 'appliedOn', 'note']) ? null : e); },
  });
  return (
    <Modal open title={t('operations.entry.apply')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={m.isPending} okButtonProps={{ 'data-testid': 'entry-apply-ok' } as never}>
      {error !== null && <Refusal error={error} />}
      <Form form={form} layout="vertical" initialValues={{ appliedOn: dayjs() }} onFinish={(v) => { setError(null); m.mutate(v); }}>
        {!isProvider && (
          <Form.Item name="providerOrgId" label={t('operations.entry.provider')} rules={[{ required: true, message: t('operations.entry.providerRequired') }]}>
            <Select data-testid="entry-provider" options={providers.map(([id, name]) => ({ value: id, label: name }))} showSearch optionFilterProp="label" />
          </Form.Item>
        )}
        <Form.Item name="nodeId" label={t('operations.node')} extra={t('operations.entry.nodeHint')}>
          <Select data-testid="entry-node" allowClear options={(nodes.data ?? []).filter((n) => !providerId || n.provider?.id === providerId).map((n) => ({ value: n.id, label: n.name }))} />
        </Form.Item>
        <Form.Item name="appliedOn" label={t('operations.entry.appliedOn')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="note" label={t('operations.note')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EntryDetail({ entry }: { entry: ProviderEntry }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [error, setError] = useState<unknown>(null);
  const [asking, setAsking] = useState<null | { kind: 'return' | 'exit' | 'assess' | 'reject'; docId?: string }>(null);
  const lists = useQuery({ queryKey: opsKeys.entryDocuments, queryFn: opsApi.entryDocuments });
  const write = can('operations:write');
  const manage = can('operations:manage');
  const done = (e: ProviderEntry) => { setError(null); qc.setQueryData<ProviderEntry[]>(opsKeys.entries, (old) => old?.map((x) => (x.id === e.id ? e : x))); void qc.invalidateQueries({ queryKey: opsKeys.entries }); };
  const run = useMutation({ mutationFn: (f: () => Promise<ProviderEntry>) => f(), onSuccess: (e) => { done(e); void message.success(t('operations.entry.saved')); }, onError: (e) => setError(e) });
  const move = (to: EntryState, extra: { note?: string | null; exitReason?: string | null } = {}) => run.mutate(() => opsApi.transitionEntry(entry.id, { to, ...extra }));

  const inExit = EXIT_STEPS.includes(entry.state);
  const docs = new Map(entry.documents.map((d) => [d.docKey, d]));
  const required = [...(lists.data?.entry ?? []).map((d) => ({ ...d, phase: 'entry' as const })), ...(inExit ? (lists.data?.exit ?? []).map((d) => ({ ...d, phase: 'exit' as const })) : [])];
  const uploadable = (phase: 'entry' | 'exit') => (phase === 'entry' ? ['applied', 'material_review'] : ['exit_applied']).includes(entry.state);
  const steps = inExit ? EXIT_STEPS : ENTRY_STEPS;
  const current = entry.state === 'rejected' ? 2 : steps.indexOf(entry.state);

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="entry-detail">
      <Steps size="small" current={current} status={entry.state === 'rejected' ? 'error' : entry.state === 'entered' || entry.state === 'exited' ? 'finish' : 'process'}
        items={steps.map((s) => ({ title: t(`operations.entry.states.${s}`) }))} />
      <Descriptions size="small" column={3} items={[
        { key: 's', label: t('operations.status'), children: <Tag data-testid="entry-state" color={stateColor(entry.state)}>{t(`operations.entry.states.${entry.state}`)}</Tag> },
        { key: 'a', label: t('operations.entry.appliedOn'), children: entry.appliedOn },
        { key: 'e', label: t('operations.entry.enteredOn'), children: entry.enteredOn ?? t('operations.none') },
        { key: 'n', label: t('operations.entry.attempts'), children: entry.assessmentAttempts },
        { key: 'r', label: t('operations.entry.rectifyBy'), children: entry.rectifyBy ?? t('operations.none') },
        { key: 'x', label: t('operations.entry.exitReason'), children: entry.exitReason ?? t('operations.none') },
      ]} />
      {error !== null && <Refusal error={error} />}
      {entry.missingDocuments.length > 0 && (
        <Alert type="warning" showIcon data-testid="entry-missing" message={t('operations.entry.missingTitle', { n: entry.missingDocuments.length })} description={entry.missingDocuments.map((m) => m.label).join('、')} />
      )}
      <Space wrap>
        {write && entry.state === 'applied' && <Button data-testid="entry-submit" type="primary" onClick={() => move('material_review')}>{t('operations.entry.submit')}</Button>}
        {manage && entry.state === 'material_review' && <Button data-testid="entry-start-assessment" type="primary" onClick={() => move('initial_assessment')}>{t('operations.entry.startAssessment')}</Button>}
        {manage && entry.state === 'material_review' && <Button onClick={() => setAsking({ kind: 'return' })}>{t('operations.entry.returnMaterials')}</Button>}
        {manage && entry.state === 'initial_assessment' && <Button data-testid="entry-assess" type="primary" onClick={() => setAsking({ kind: 'assess' })}>{t('operations.entry.assess')}</Button>}
        {write && entry.state === 'entered' && <Button data-testid="entry-exit" danger onClick={() => setAsking({ kind: 'exit' })}>{t('operations.entry.applyExit')}</Button>}
        {manage && entry.state === 'exit_applied' && <Button data-testid="entry-migrate" type="primary" onClick={() => move('migrating')}>{t('operations.entry.startMigration')}</Button>}
        {manage && entry.state === 'migrating' && <Button data-testid="entry-close" type="primary" onClick={() => move('exited')}>{t('operations.entry.closeExit')}</Button>}
      </Space>
      <Card size="small" title={t('operations.entry.documents')}>
        <Table data-testid="entry-documents" rowKey="key" size="small" pagination={false} dataSource={required}
          columns={[
            { title: t('operations.entry.document'), dataIndex: 'label', render: (v: string, r) => <span>{v}{r.phase === 'exit' && <Tag style={{ marginLeft: 8 }}>{t('operations.entry.exitDoc')}</Tag>}</span> },
            { title: t('operations.status'), key: 'st', render: (_: unknown, r) => { const d = docs.get(r.key); const s = d ? d.status : 'missing'; return <Tag data-testid={`entry-doc-${r.key}`} color={s === 'accepted' ? 'green' : s === 'submitted' ? 'blue' : 'red'}>{t(`operations.entry.docStates.${s}`)}</Tag>; } },
            { title: t('operations.entry.file'), key: 'f', render: (_: unknown, r) => { const d = docs.get(r.key); return d ? <Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => void opsApi.entryDocument(entry.id, d.id, d.fileName).catch((e: unknown) => message.error(errorText(e)))}>{d.fileName}</Button> : t('operations.none'); } },
            { title: t('operations.entry.reviewNote'), key: 'rn', render: (_: unknown, r) => docs.get(r.key)?.reviewNote ?? '' },
            { title: '', key: 'act', render: (_: unknown, r) => {
              const d = docs.get(r.key);
              return (
                <Space size="small">
                  {write && uploadable(r.phase) && d?.status !== 'accepted' && (
                    <Upload showUploadList={false} beforeUpload={(file) => {
                      run.mutate(async () => opsApi.uploadEntryDocument(entry.id, { docKey: r.key, fileName: file.name, contentType: file.type || 'application/octet-stream', contentBase64: await fileToBase64(file) }));
                      return false;
                    }}>
                      <Button size="small" icon={<UploadOutlined />} data-testid={`entry-upload-${r.key}`}>{d ? t('operations.entry.reupload') : t('operations.entry.upload')}</Button>
                    </Upload>
                  )}
                  {manage && d && d.status === 'submitted' && uploadable(r.phase) && (
                    <>
                      <Button size="small" icon={<CheckOutlined />} data-testid={`entry-accept-${r.key}`} onClick={() => run.mutate(() => opsApi.reviewEntryDocument(entry.id, d.id, { accept: true }))}>{t('operations.entry.accept')}</Button>
                      <Button size="small" danger onClick={() => setAsking({ kind: 'reject', docId: d.id })}>{t('operations.entry.reject')}</Button>
                    </>
                  )}
                </Space>
              );
            } },
          ]} />
      </Card>
      <Card size="small" title={t('operations.entry.rooms')}>
        {entry.machineRooms.length === 0 ? <Typography.Text type="secondary">{t('operations.entry.noRoomHint')}</Typography.Text> : (
          <Table rowKey="id" size="small" pagination={false} dataSource={entry.machineRooms} columns={[
            { title: t('operations.ev.roomName'), dataIndex: 'name' },
            { title: t('operations.ev.filedOn'), dataIndex: 'filedOn' },
            { title: t('operations.entry.environment'), dataIndex: 'environmentObject', render: (v: string | null) => v ?? t('operations.entry.noSource') },
          ]} />
        )}
      </Card>
      {inExit && (
        <Card size="small" title={t('operations.entry.checks')}>
          <Table rowKey="key" size="small" pagination={false} dataSource={entry.checks} columns={[
            { title: t('operations.entry.checkItem'), dataIndex: 'label' },
            { title: t('operations.status'), key: 'd', render: (_: unknown, c) => (c.done ? <Tag color="green">{t('operations.entry.checkDone')}</Tag> : <Tag color="red">{t('operations.entry.checkOpen')}</Tag>) },
            { title: t('operations.note'), dataIndex: 'note', render: (v: string | null) => v ?? '' },
            { title: '', key: 'a', render: (_: unknown, c) => (write && entry.state === 'migrating' && !c.done ? <Button size="small" data-testid={`entry-check-${c.key}`} onClick={() => run.mutate(() => opsApi.completeEntryCheck(entry.id, c.key))}>{t('operations.entry.tick')}</Button> : null) },
          ]} />
        </Card>
      )}
      <Card size="small" title={t('operations.entry.history')}>
        <Timeline items={entry.transitions.map((x) => ({ children: <span>{fmtTime(x.at)} · {x.fromState ? `${t(`operations.entry.states.${x.fromState}`)} → ` : ''}{t(`operations.entry.states.${x.toState}`)}{x.note ? ` · ${x.note}` : ''}</span> }))} />
      </Card>
      {asking && <AskModal kind={asking.kind} onClose={() => setAsking(null)} onOk={(v) => {
        setAsking(null);
        if (asking.kind === 'return') move('applied', { note: v.note ?? null });
        else if (asking.kind === 'exit') move('exit_applied', { exitReason: v.note ?? null });
        else if (asking.kind === 'reject') run.mutate(() => opsApi.reviewEntryDocument(entry.id, asking.docId!, { accept: false, note: v.note ?? null }));
        else run.mutate(() => opsApi.assessEntry(entry.id, { on: (v.on ?? dayjs()).format('YYYY-MM-DD'), passed: v.passed === 'yes', note: v.note ?? null }));
      }} />}
    </Space>
  );
}

/** Asks the note (return, reject), the exit reason, or the assessment result. */
function AskModal({ kind, onClose, onOk }: { kind: 'return' | 'exit' | 'assess' | 'reject'; onClose: () => void; onOk: (v: { note?: string; passed?: 'yes' | 'no'; on?: Dayjs }) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note?: string; passed?: 'yes' | 'no'; on?: Dayjs }>();
  const passed = Form.useWatch('passed', form);
  const noteRequired = kind !== 'assess' || passed === 'no';
  return (
    <Modal open title={t(`operations.entry.ask.${kind}`)} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'entry-ask-ok' } as never}>
      <Form form={form} layout="vertical" initialValues={{ passed: 'yes', on: dayjs() }} onFinish={(v) => onOk({ ...v, note: v.note?.trim() || undefined })}>
        {kind === 'assess' && (
          <>
            <Form.Item name="passed" label={t('operations.entry.result')}>
              <Select data-testid="entry-assess-result" options={[{ value: 'yes', label: t('operations.entry.passed') }, { value: 'no', label: t('operations.entry.failed') }]} />
            </Form.Item>
            <Form.Item name="on" label={t('operations.entry.assessedOn')} rules={[{ required: true }]}>
              <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
            </Form.Item>
          </>
        )}
        <Form.Item name="note" label={t(kind === 'exit' ? 'operations.entry.exitReason' : 'operations.note')} rules={[{ required: noteRequired, whitespace: true, message: t('operations.entry.noteRequired') }, { max: 1000 }]}>
          <Input.TextArea rows={3} data-testid="entry-ask-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
