import { useState } from 'react';
import { App as AntApp, AutoComplete, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { availabilityApi, availabilityKeys, type NewObjective, type Objective, type ObjectiveScope } from '../availability.api';

const SCOPES: ObjectiveScope[] = ['system', 'unit', 'provider', 'service'];
type FormValues = Omit<NewObjective, 'maxInterruptionMinutes' | 'maxYearlyFaultMinutes'> & { maxInterruptionMinutes?: number | null; maxYearlyFaultMinutes?: number | null };

/** SLA objectives (服务目标): the list, and create / edit / delete for management and supervision (availability:manage). */
export function ObjectivesCard() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const can = useCan();
  const qc = useQueryClient();
  const manage = can('availability:manage');
  const [editing, setEditing] = useState<Objective | 'new' | null>(null);
  const list = useQuery({ queryKey: availabilityKeys.objectives, queryFn: availabilityApi.objectives });
  const remove = useMutation({
    mutationFn: (id: string) => availabilityApi.deleteObjective(id),
    onSuccess: () => {
      void message.success(t('availability.done'));
      void qc.invalidateQueries({ queryKey: availabilityKeys.all });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const limit = (v: number | null) => (v === null ? t('availability.obj.noLimit') : t('availability.obj.minutes', { n: v }));
  return (
    <Card
      size="small"
      title={t('availability.obj.title')}
      extra={manage && <Button data-testid="objective-add" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>{t('availability.obj.add')}</Button>}
    >
      <Table<Objective>
        data-testid="objectives-table"
        rowKey="id"
        size="small"
        onRow={(r) => ({ 'data-testid': `objective-row-${r.scopeName}` }) as React.HTMLAttributes<HTMLElement>}
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 1200 }}
        columns={[
          { title: t('availability.obj.scope'), dataIndex: 'scope', width: 100, render: (s: ObjectiveScope) => t(`availability.obj.scopes.${s}`) },
          { title: t('availability.obj.object'), dataIndex: 'scopeName', width: 220 },
          { title: t('availability.target_'), dataIndex: 'targetPercent', width: 90 },
          { title: t('availability.obj.period'), dataIndex: 'period', width: 80, render: (p: string) => t(`availability.obj.periods.${p}`) },
          { title: t('availability.obj.schedule'), dataIndex: 'schedule', width: 110, render: (s: string) => t(`availability.obj.schedules.${s}`) },
          { title: t('availability.obj.maxInterruption'), dataIndex: 'maxInterruptionMinutes', width: 130, render: limit },
          { title: t('availability.obj.maxYearlyFault'), dataIndex: 'maxYearlyFaultMinutes', width: 130, render: limit },
          { title: t('availability.obj.excluded'), dataIndex: 'excluded', width: 200, render: (v: string | null) => v ?? '—' },
          { title: t('availability.obj.source'), dataIndex: 'source', width: 200, render: (v: string | null) => v ?? '—' },
          ...(manage
            ? [{
                title: t('availability.obj.actions'), key: 'actions', width: 140, fixed: 'right' as const,
                render: (_: unknown, r: Objective) => (
                  <Space size={4}>
                    <Button size="small" icon={<EditOutlined />} data-testid={`objective-edit-${r.scopeName}`} onClick={() => setEditing(r)}>{t('availability.obj.edit')}</Button>
                    <Popconfirm title={t('availability.obj.confirmDelete', { name: r.scopeName })} onConfirm={() => remove.mutate(r.id)} okButtonProps={{ 'data-testid': 'objective-delete-confirm' } as React.ComponentProps<typeof Button>}>
                      <Button size="small" danger icon={<DeleteOutlined />} data-testid={`objective-delete-${r.scopeName}`} />
                    </Popconfirm>
                  </Space>
                ),
              }]
            : []),
        ]}
      />
      {editing !== null && <ObjectiveModal objective={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function ObjectiveModal({ objective, onClose }: { objective: Objective | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const scope = Form.useWatch('scope', form) ?? objective?.scope ?? 'system';
  const [search, setSearch] = useState('');
  const candidates = useQuery({
    queryKey: ['availability', 'objective-candidates', scope, search],
    enabled: objective === null && scope !== 'service',
    queryFn: () => availabilityApi.objectCandidates(scope as Exclude<ObjectiveScope, 'service'>, search),
  });
  const save = useMutation({
    mutationFn: (v: FormValues) =>
      availabilityApi.setObjective({
        ...v,
        targetPercent: String(v.targetPercent).trim(),
        maxInterruptionMinutes: v.maxInterruptionMinutes ?? null,
        maxYearlyFaultMinutes: v.maxYearlyFaultMinutes ?? null,
        excluded: v.excluded?.trim() ? v.excluded.trim() : null,
        source: v.source?.trim() ? v.source.trim() : null,
      }),
    onSuccess: () => {
      void message.success(t('availability.done'));
      void qc.invalidateQueries({ queryKey: availabilityKeys.all });
      onClose();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const initial: Partial<FormValues> = objective
    ? { scope: objective.scope, scopeId: objective.scopeId, targetPercent: objective.targetPercent, period: objective.period, schedule: objective.schedule, maxInterruptionMinutes: objective.maxInterruptionMinutes, maxYearlyFaultMinutes: objective.maxYearlyFaultMinutes, excluded: objective.excluded ?? undefined, source: objective.source ?? undefined }
    : { scope: 'system', period: 'year', schedule: '24x7', maxInterruptionMinutes: 240, targetPercent: '99.9' };
  return (
    <Modal
      open
      width={640}
      title={objective ? t('availability.obj.editTitle', { name: objective.scopeName }) : t('availability.obj.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('availability.obj.save')}
      okButtonProps={{ 'data-testid': 'objective-save', loading: save.isPending } as React.ComponentProps<typeof Button>}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Space align="start" wrap>
          <Form.Item name="scope" label={t('availability.obj.scope')} rules={[{ required: true }]}>
            <Select data-testid="objective-scope" style={{ width: 140 }} disabled={objective !== null} onChange={() => form.setFieldValue('scopeId', undefined)} options={SCOPES.map((s) => ({ value: s, label: t(`availability.obj.scopes.${s}`) }))} />
          </Form.Item>
          <Form.Item name="scopeId" label={t('availability.obj.object')} rules={[{ required: true, message: t('availability.obj.objectRequired') }]} extra={scope === 'service' && objective === null ? t('availability.obj.serviceHint') : undefined}>
            {objective !== null ? (
              <Select style={{ width: 360 }} disabled options={[{ value: objective.scopeId, label: objective.scopeName }]} />
            ) : scope === 'service' ? (
              <Input data-testid="objective-service-code" style={{ width: 360 }} placeholder="1001" />
            ) : (
              <Select
                data-testid="objective-object"
                style={{ width: 360 }}
                showSearch
                filterOption={false}
                onSearch={setSearch}
                loading={candidates.isFetching}
                placeholder={t('availability.obj.searchObject')}
                options={(candidates.data ?? []).map((c) => ({ value: c.id, label: c.label }))}
                notFoundContent={candidates.isFetching ? undefined : t('availability.obj.noObject')}
              />
            )}
          </Form.Item>
        </Space>
        <Space align="start" wrap>
          <Form.Item name="targetPercent" label={t('availability.obj.target')} rules={[{ required: true }, { pattern: /^\d{1,2}(\.\d{1,3})?$/, message: t('availability.obj.targetRule') }]}>
            <AutoComplete data-testid="objective-target" style={{ width: 140 }} options={['99.9', '99.95', '99.99'].map((v) => ({ value: v }))} />
          </Form.Item>
          <Form.Item name="period" label={t('availability.obj.period')}>
            <Select style={{ width: 110 }} options={(['month', 'quarter', 'year'] as const).map((p) => ({ value: p, label: t(`availability.obj.periods.${p}`) }))} />
          </Form.Item>
          <Form.Item name="schedule" label={t('availability.obj.schedule')}>
            <Select data-testid="objective-schedule" style={{ width: 150 }} options={(['24x7', 'working'] as const).map((s) => ({ value: s, label: t(`availability.obj.schedules.${s}`) }))} />
          </Form.Item>
        </Space>
        <Space align="start" wrap>
          <Form.Item name="maxInterruptionMinutes" label={t('availability.obj.maxInterruption')} extra={t('availability.obj.emptyNoLimit')}>
            <InputNumber min={1} max={525600} precision={0} style={{ width: 180 }} addonAfter={t('availability.obj.min')} />
          </Form.Item>
          <Form.Item name="maxYearlyFaultMinutes" label={t('availability.obj.maxYearlyFault')} extra={t('availability.obj.emptyNoLimit')}>
            <InputNumber min={1} max={525600} precision={0} style={{ width: 180 }} addonAfter={t('availability.obj.min')} />
          </Form.Item>
        </Space>
        <Form.Item name="excluded" label={t('availability.obj.excluded')} extra={t('availability.obj.excludedHint')}>
          <Input.TextArea data-testid="objective-excluded" rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="source" label={t('availability.obj.source')}>
          <Input maxLength={200} placeholder={t('availability.obj.sourceHint')} />
        </Form.Item>
        <Typography.Text type="secondary">{t('availability.obj.replaceHint')}</Typography.Text>
      </Form>
    </Modal>
  );
}
