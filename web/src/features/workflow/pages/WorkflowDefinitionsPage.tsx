import { useState } from 'react';
import { Alert, App, AutoComplete, Button, Card, Form, Input, List, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { workflowApi, workflowKeys, type Definition, type DefinitionBody } from '../workflow.api';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { ApiError } from '../../../api/client';

interface Problem {
  field: string;
  message: string;
  step?: string | null;
}
interface Editing {
  id?: string;
  code: string;
  name: string;
  appliesTo: string;
  json: string;
  /** Editing a draft or making a new version: the code stays. */
  fixedCode: boolean;
}

/** The usual 入云 approval, offered as the starting point of a new workflow. */
const EXAMPLE: DefinitionBody = {
  start: 'leader',
  steps: [
    { key: 'leader', name: '单位领导审核', kind: 'approval', assignee: { role: 'unit_admin', org: 'applicant_unit' }, deadline: { workingDays: 1 }, next: 'review' },
    { key: 'review', name: '管理单位审核', kind: 'approval', assignee: { role: 'mgmt_staff' }, deadline: { workingDays: 3 }, next: 'amount' },
    { key: 'amount', name: '金额判断', kind: 'condition', branches: [{ when: { field: 'amount', op: 'gt', value: '500000' }, next: 'director' }], otherwise: 'provider' },
    { key: 'director', name: '分管领导审批', kind: 'approval', assignee: { role: 'mgmt_staff', org: 'management_unit' }, deadline: { workingHours: 4 }, next: 'provider' },
    { key: 'provider', name: '服务商受理', kind: 'approval', assignee: { role: 'provider_staff', org: 'chosen_provider' }, deadline: { clockHours: 4 }, next: 'end' },
  ],
};
const APPLIES_TO = ['application.onboarding', 'application.change', 'application.exit'];
const statusColor: Record<string, string> = { draft: 'default', published: 'green', retired: 'orange' };

/** 审批流程配置: versions of each workflow, edited as JSON with a graph check, published by the management unit. */
export default function WorkflowDefinitionsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const writable = can('workflow:write');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const list = useQuery({ queryKey: workflowKeys.definitions, queryFn: workflowApi.definitions });
  const refresh = () => void qc.invalidateQueries({ queryKey: workflowKeys.definitions });

  const parse = (text: string): DefinitionBody | null => {
    try {
      return JSON.parse(text) as DefinitionBody;
    } catch {
      setProblems([{ field: 'definition', message: t('workflow.definitions.invalidJson') }]);
      return null;
    }
  };
  const showError = (e: unknown) => {
    const issues = e instanceof ApiError ? (e.details as { issues?: Problem[] } | null)?.issues : undefined;
    if (issues?.length) setProblems(issues);
    message.error(errorText(e));
  };

  const check = useMutation({
    mutationFn: (body: DefinitionBody) => workflowApi.validate(body),
    onSuccess: (r) => {
      setProblems(r.problems);
      if (r.valid) message.success(t('workflow.definitions.valid'));
    },
    onError: showError,
  });
  const save = useMutation({
    mutationFn: async (e: Editing) => {
      const definition = parse(e.json);
      if (!definition) throw new Error('json');
      return e.id
        ? workflowApi.updateDefinition(e.id, { name: e.name, appliesTo: e.appliesTo, definition })
        : workflowApi.createDefinition({ code: e.code, name: e.name, appliesTo: e.appliesTo, definition });
    },
    onSuccess: () => {
      message.success(t('workflow.definitions.saved'));
      setEditing(null);
      refresh();
    },
    onError: (e) => (e instanceof Error && e.message === 'json' ? undefined : showError(e)),
  });
  const act = useMutation({
    mutationFn: async ({ id, op }: { id: string; op: 'publish' | 'retire' | 'delete' }): Promise<void> => {
      if (op === 'publish') await workflowApi.publish(id);
      else if (op === 'retire') await workflowApi.retire(id);
      else await workflowApi.deleteDefinition(id);
    },
    onSuccess: refresh,
    onError: (e) => message.error(errorText(e)),
  });

  const open = (d?: Definition, asNewVersion = false) => {
    setProblems(null);
    setEditing(
      d
        ? { id: asNewVersion ? undefined : d.id, code: d.code, name: d.name, appliesTo: d.appliesTo, json: JSON.stringify(d.definition, null, 2), fixedCode: true }
        : { code: '', name: '', appliesTo: APPLIES_TO[0]!, json: JSON.stringify(EXAMPLE, null, 2), fixedCode: false },
    );
  };

  return (
    <Card
      title={t('workflow.definitions.title')}
      size="small"
      extra={writable && <Button icon={<PlusOutlined />} onClick={() => open()} data-testid="wf-def-create">{t('workflow.definitions.create')}</Button>}
    >
      <Table<Definition>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        data-testid="wf-definitions"
        columns={[
          { title: t('workflow.definitions.code'), dataIndex: 'code' },
          { title: t('workflow.definitions.name'), dataIndex: 'name' },
          { title: t('workflow.definitions.version'), dataIndex: 'version', width: 70 },
          { title: t('workflow.definitions.status'), dataIndex: 'status', width: 90, render: (s: Definition['status']) => <Tag color={statusColor[s]}>{t(`workflow.definitions.statuses.${s}`)}</Tag> },
          { title: t('workflow.definitions.appliesTo'), dataIndex: 'appliesTo' },
          { title: t('workflow.definitions.publishedAt'), dataIndex: 'publishedAt', render: fmtTime, width: 170 },
          ...(writable
            ? [
                {
                  key: 'actions',
                  render: (_: unknown, d: Definition) => (
                    <Space size={0} wrap>
                      {d.status === 'draft' && <Button size="small" type="link" onClick={() => open(d)}>{t('workflow.definitions.edit')}</Button>}
                      {d.status === 'draft' && <Button size="small" type="link" onClick={() => act.mutate({ id: d.id, op: 'publish' })}>{t('workflow.definitions.publish')}</Button>}
                      {d.status !== 'draft' && <Button size="small" type="link" onClick={() => open(d, true)}>{t('workflow.definitions.newVersion')}</Button>}
                      {d.status === 'published' && <Button size="small" type="link" onClick={() => act.mutate({ id: d.id, op: 'retire' })}>{t('workflow.definitions.retire')}</Button>}
                      {d.status === 'draft' && (
                        <Popconfirm title={t('workflow.definitions.deleteConfirm')} onConfirm={() => act.mutate({ id: d.id, op: 'delete' })}>
                          <Button size="small" type="link" danger>{t('workflow.definitions.delete')}</Button>
                        </Popconfirm>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        width={860}
        title={editing?.id ? t('workflow.definitions.edit') : t('workflow.definitions.create')}
        onCancel={() => setEditing(null)}
        onOk={() => editing && save.mutate(editing)}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        {editing && (
          <Form layout="vertical">
            <Space style={{ width: '100%' }} align="start">
              <Form.Item label={t('workflow.definitions.code')} required>
                <Input value={editing.code} disabled={editing.fixedCode} onChange={(e) => setEditing({ ...editing, code: e.target.value })} style={{ width: 200 }} data-testid="wf-def-code" />
              </Form.Item>
              <Form.Item label={t('workflow.definitions.name')} required>
                <Input value={editing.name} onChange={(e) => setEditing({ ...editing, name: e.target.value })} style={{ width: 240 }} data-testid="wf-def-name" />
              </Form.Item>
              <Form.Item label={t('workflow.definitions.appliesTo')} required>
                <AutoComplete value={editing.appliesTo} options={APPLIES_TO.map((v) => ({ value: v }))} onChange={(v: string) => setEditing({ ...editing, appliesTo: v })} style={{ width: 220 }} />
              </Form.Item>
            </Space>
            <Form.Item label={t('workflow.definitions.definition')} extra={t('workflow.definitions.definitionHelp')}>
              <Input.TextArea
                value={editing.json}
                onChange={(e) => setEditing({ ...editing, json: e.target.value })}
                autoSize={{ minRows: 12, maxRows: 18 }}
                style={{ fontFamily: 'monospace', fontSize: 12 }}
                data-testid="wf-def-json"
              />
            </Form.Item>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Button
                onClick={() => {
                  const body = parse(editing.json);
                  if (body) check.mutate(body);
                }}
                loading={check.isPending}
                data-testid="wf-def-validate"
              >
                {t('workflow.definitions.validate')}
              </Button>
              {problems && problems.length > 0 && (
                <Alert
                  type="error"
                  message={
                    <List
                      size="small"
                      dataSource={problems}
                      renderItem={(p) => (
                        <List.Item>
                          <Typography.Text code>{p.field}</Typography.Text> {p.message}
                        </List.Item>
                      )}
                    />
                  }
                />
              )}
            </Space>
          </Form>
        )}
      </Modal>
    </Card>
  );
}
