import { useState } from 'react';
import { Button, Card, Segmented, Space, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { workflowApi, workflowKeys, type TaskFilter, type TaskWithInstance } from '../workflow.api';
import { InstanceDrawer } from '../components/InstanceDrawer';
import { fmtTime } from '../../../app/format';

/** 我的待办: the caller's pending tasks, soonest due first, overdue flagged. */
export default function TodoPage() {
  const { t } = useTranslation();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const filter: TaskFilter = overdueOnly ? { mine: 'true', overdue: 'true' } : { mine: 'true' };
  const query = useQuery({ queryKey: workflowKeys.tasks(filter), queryFn: () => workflowApi.tasks(filter) });

  return (
    <Card
      title={t('workflow.todo.title')}
      size="small"
      extra={
        <Segmented
          value={overdueOnly ? 'overdue' : 'all'}
          onChange={(v) => setOverdueOnly(v === 'overdue')}
          options={[{ value: 'all', label: t('workflow.todo.all') }, { value: 'overdue', label: t('workflow.todo.overdueOnly') }]}
        />
      }
    >
      <Table<TaskWithInstance>
        rowKey="id"
        size="small"
        loading={query.isLoading}
        dataSource={query.data ?? []}
        data-testid="wf-todo"
        columns={[
          { title: t('workflow.todo.subject'), key: 'subject', render: (_, r) => r.instance.title ?? `${r.instance.subjectType} ${r.instance.subjectId}` },
          { title: t('workflow.todo.flow'), key: 'flow', render: (_, r) => r.instance.definitionName },
          { title: t('workflow.todo.step'), dataIndex: 'stepName' },
          { title: t('workflow.todo.createdAt'), dataIndex: 'createdAt', render: fmtTime, width: 170 },
          {
            title: t('workflow.todo.dueAt'),
            dataIndex: 'dueAt',
            width: 230,
            render: (d: string | null, r) => (
              <Space size={4}>
                {fmtTime(d)}
                {r.overdue && <Tag color="red">{t('workflow.todo.overdue')}</Tag>}
              </Space>
            ),
          },
          { key: 'open', width: 80, render: (_, r) => <Button size="small" type="link" onClick={() => setOpen(r.instanceId)}>{t('workflow.todo.open')}</Button> },
        ]}
      />
      <InstanceDrawer id={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
