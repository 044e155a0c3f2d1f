import { useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Form, Input, Modal, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { workflowApi, workflowKeys, type InstanceDetail, type TaskAction, type WorkflowTask } from '../workflow.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';

type ActionName = TaskAction['action'] | 'resubmit' | 'terminateInstance' | 'commentInstance';
interface Pending {
  action: ActionName;
  task?: WorkflowTask;
}
interface ActionForm {
  comment?: string;
  toUserId?: string;
  dueAt?: Dayjs;
}

const statusColor: Record<string, string> = { running: 'processing', approved: 'success', rejected: 'error', returned: 'warning', terminated: 'default' };
const needsComment = new Set<ActionName>(['reject', 'return', 'terminate', 'terminateInstance', 'comment', 'commentInstance']);

/** One workflow instance: its steps with deadlines, the timeline (流转记录), and the actions the caller may take. */
export function InstanceDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [pending, setPending] = useState<Pending | null>(null);
  const [form] = Form.useForm<ActionForm>();
  const query = useQuery({ queryKey: workflowKeys.instance(id ?? ''), queryFn: () => workflowApi.instance(id!), enabled: !!id });
  const inst = query.data;

  const mutation = useMutation({
    mutationFn: async ({ p, v }: { p: Pending; v: ActionForm }): Promise<InstanceDetail> => {
      const comment = v.comment?.trim() || undefined;
      switch (p.action) {
        case 'resubmit':
          return workflowApi.actOnInstance(id!, { action: 'resubmit', comment });
        case 'terminateInstance':
          return workflowApi.actOnInstance(id!, { action: 'terminate', comment: comment ?? '' });
        case 'commentInstance':
          return workflowApi.actOnInstance(id!, { action: 'comment', comment });
        case 'delegate':
          return workflowApi.actOnTask(p.task!.id, { action: 'delegate', toUserId: v.toUserId!.trim(), comment });
        case 'extend':
          return workflowApi.actOnTask(p.task!.id, { action: 'extend', dueAt: v.dueAt!.format(), comment });
        case 'reject':
        case 'return':
        case 'terminate':
          return workflowApi.actOnTask(p.task!.id, { action: p.action, comment: comment ?? '' });
        default:
          return workflowApi.actOnTask(p.task!.id, { action: p.action, comment } as TaskAction);
      }
    },
    onSuccess: (detail) => {
      message.success(t('workflow.actions.done'));
      qc.setQueryData(workflowKeys.instance(detail.id), detail);
      void qc.invalidateQueries({ queryKey: ['workflow', 'tasks'] });
      setPending(null);
    },
    onError: (e) => message.error(errorText(e)),
  });

  const ask = (action: ActionName, task?: WorkflowTask) => {
    form.resetFields();
    setPending({ action, task });
  };
  const label = (a: ActionName) => t(`workflow.actions.${a === 'terminateInstance' ? 'terminate' : a === 'commentInstance' ? 'comment' : a}`);
  const assignee = (task: WorkflowTask) => {
    const a = task.assignee;
    if (a.userId) return `${t('workflow.instance.person')} ${a.userId.slice(0, 8)}`;
    const role = a.role ? `${t('workflow.instance.role')} ${a.role}` : '';
    const org = a.orgKind === 'management_unit' ? t('workflow.instance.pool') : a.orgKind ?? (a.orgId ? `${t('workflow.instance.org')} ${a.orgId.slice(0, 8)}` : '');
    return [org, role].filter(Boolean).join(' · ');
  };
  const stepName = (key: string | null) => inst?.steps.find((x) => x.key === key)?.name ?? key ?? '';

  return (
    <Drawer open={!!id} onClose={onClose} width={880} title={inst ? `${t('workflow.instance.title')} · ${inst.definitionName}` : t('workflow.instance.title')} destroyOnHidden>
      {query.error && <Alert type="error" message={errorText(query.error)} />}
      {inst && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('workflow.todo.subject')}>{inst.title ?? `${inst.subjectType} ${inst.subjectId}`}</Descriptions.Item>
            <Descriptions.Item label={t('workflow.instance.status')}>
              <Tag color={statusColor[inst.status]}>{t(`workflow.instance.statuses.${inst.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('workflow.todo.flow')}>{`${inst.definitionName} v${inst.definitionVersion}`}</Descriptions.Item>
            <Descriptions.Item label={t('workflow.instance.startedAt')}>{fmtTime(inst.startedAt)}</Descriptions.Item>
          </Descriptions>
          {inst.status === 'returned' && <Alert type="warning" showIcon message={t('workflow.instance.returnedTo', { step: stepName(inst.returnedStep) })} />}
          <Space wrap>
            {inst.abilities.resubmit && <Button type="primary" onClick={() => ask('resubmit')} data-testid="wf-resubmit">{t('workflow.actions.resubmit')}</Button>}
            {inst.abilities.terminate && <Button danger onClick={() => ask('terminateInstance')}>{t('workflow.actions.terminate')}</Button>}
            <Button onClick={() => ask('commentInstance')}>{t('workflow.actions.comment')}</Button>
          </Space>

          <Typography.Title level={5}>{t('workflow.instance.tasks')}</Typography.Title>
          <Table<WorkflowTask>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={inst.tasks}
            data-testid="wf-tasks"
            columns={[
              { title: t('workflow.todo.step'), dataIndex: 'stepName' },
              { title: t('workflow.instance.assignee'), key: 'assignee', render: (_, task) => assignee(task) },
              {
                title: t('workflow.instance.status'),
                dataIndex: 'status',
                render: (s: WorkflowTask['status'], task) => (
                  <Space size={4}>
                    <Tag>{t(`workflow.instance.taskStatuses.${s}`)}</Tag>
                    {task.overdue && s === 'pending' && <Tag color="red">{t('workflow.todo.overdue')}</Tag>}
                  </Space>
                ),
              },
              { title: t('workflow.todo.dueAt'), dataIndex: 'dueAt', render: fmtTime },
              {
                key: 'actions',
                render: (_, task) => (
                  <Space size={0} wrap>
                    {task.abilities.act && (
                      <>
                        <Button size="small" type="link" onClick={() => ask('approve', task)} data-testid="wf-approve">{t('workflow.actions.approve')}</Button>
                        <Button size="small" type="link" onClick={() => ask('return', task)}>{t('workflow.actions.return')}</Button>
                        <Button size="small" type="link" danger onClick={() => ask('reject', task)}>{t('workflow.actions.reject')}</Button>
                      </>
                    )}
                    {task.abilities.delegate && <Button size="small" type="link" onClick={() => ask('delegate', task)}>{t('workflow.actions.delegate')}</Button>}
                    {task.abilities.extend && <Button size="small" type="link" onClick={() => ask('extend', task)}>{t('workflow.actions.extend')}</Button>}
                    {task.abilities.skip && <Button size="small" type="link" onClick={() => ask('skip', task)}>{t('workflow.actions.skip')}</Button>}
                  </Space>
                ),
              },
            ]}
          />

          <Typography.Title level={5}>{t('workflow.instance.timeline')}</Typography.Title>
          <Timeline
            data-testid="wf-timeline"
            items={inst.events.map((e) => ({
              color: e.action === 'reject' || e.action === 'rejected' || e.action === 'overdue' ? 'red' : e.action === 'return' || e.action === 'returned' ? 'orange' : 'blue',
              children: (
                <div>
                  <Typography.Text strong>{t(`workflow.events.${e.action}`, { defaultValue: e.action })}</Typography.Text>
                  {e.stepKey && e.stepKey !== 'end' && <Typography.Text> · {stepName(e.stepKey)}</Typography.Text>}
                  <Typography.Text type="secondary"> · {fmtTime(e.at)} · {e.actorName ?? ''}</Typography.Text>
                  {typeof e.details.route === 'string' && <div><Typography.Text type="secondary">{e.details.route}</Typography.Text></div>}
                  {typeof e.details.dueAt === 'string' && <div><Typography.Text type="secondary">{t('workflow.todo.dueAt')}: {fmtTime(e.details.dueAt)}</Typography.Text></div>}
                  {typeof e.details.to === 'string' && <div><Typography.Text type="secondary">{t('workflow.actions.newDue')}: {fmtTime(e.details.to)}</Typography.Text></div>}
                  {e.comment && <div>{e.comment}</div>}
                  {e.attachments.map((a) => <div key={a.ref}><Typography.Text code>{a.name}</Typography.Text></div>)}
                </div>
              ),
            }))}
          />
        </Space>
      )}
      <Modal open={pending !== null} title={pending ? label(pending.action) : ''} onCancel={() => setPending(null)} onOk={() => form.submit()} confirmLoading={mutation.isPending} destroyOnHidden>
        <Form<ActionForm> form={form} layout="vertical" onFinish={(v) => pending && mutation.mutate({ p: pending, v })}>
          {pending?.action === 'delegate' && (
            <Form.Item name="toUserId" label={t('workflow.actions.toUserId')} rules={[{ required: true, pattern: /^[0-9a-f-]{36}$/i }]}>
              <Input />
            </Form.Item>
          )}
          {pending?.action === 'extend' && (
            <Form.Item name="dueAt" label={t('workflow.actions.newDue')} rules={[{ required: true }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
          )}
          <Form.Item
            name="comment"
            label={t('workflow.instance.comment')}
            rules={pending && needsComment.has(pending.action) ? [{ required: true, whitespace: true, message: t('workflow.instance.commentRequired') }] : []}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}
