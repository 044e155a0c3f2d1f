import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { calendarApi, calendarKeys, type CalendarDay, type DeadlineResult } from '../calendar.api';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';

interface DayForm {
  day: Dayjs;
  kind: 'holiday' | 'workday';
  name: string;
}
interface DeadlineForm {
  start: Dayjs;
  amount: number;
  unit: 'workingDays' | 'workingHours' | 'clockHours';
}

/** 营业日历: holidays and make-up working days of a year (maintained by the management unit), and a deadline calculator. */
export default function CalendarPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [year, setYear] = useState(dayjs().year());
  const [editing, setEditing] = useState<Partial<DayForm> | null>(null);
  const [form] = Form.useForm<DayForm>();
  const [deadline, setDeadline] = useState<DeadlineResult>();
  const query = useQuery({ queryKey: calendarKeys.year(year), queryFn: () => calendarApi.year(year) });
  const writable = can('calendar:write');

  const save = useMutation({
    mutationFn: (v: DayForm) => calendarApi.put(v.day.format('YYYY-MM-DD'), { kind: v.kind, name: v.name }),
    onSuccess: () => {
      message.success(t('calendar.saved'));
      setEditing(null);
      void qc.invalidateQueries({ queryKey: calendarKeys.all });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const remove = useMutation({
    mutationFn: (day: string) => calendarApi.remove(day),
    onSuccess: () => {
      message.success(t('calendar.deleted'));
      void qc.invalidateQueries({ queryKey: calendarKeys.all });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const compute = useMutation({
    mutationFn: (v: DeadlineForm) => calendarApi.deadline({ start: v.start.format(), [v.unit]: v.amount }),
    onSuccess: setDeadline,
    onError: (e) => message.error(errorText(e)),
  });

  const years = Array.from({ length: 7 }, (_, i) => dayjs().year() - 2 + i);
  const open = (d?: CalendarDay) => {
    const values = d ? { day: dayjs(d.day), kind: d.kind, name: d.name } : { day: dayjs(`${year}-01-01`), kind: 'holiday' as const, name: '' };
    setEditing(values);
    form.setFieldsValue(values);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={t('calendar.title')}
        size="small"
        extra={
          <Space>
            <Select value={year} onChange={setYear} options={years.map((y) => ({ value: y, label: y }))} style={{ width: 100 }} data-testid="calendar-year" />
            {writable && <Button icon={<PlusOutlined />} onClick={() => open()} data-testid="calendar-add">{t('calendar.add')}</Button>}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('calendar.rule')}</Typography.Paragraph>
        {query.data && !query.data.arranged && <Alert type="warning" showIcon message={t('calendar.notArranged')} style={{ marginBottom: 12 }} />}
        {query.data && (
          <Space size="large" style={{ marginBottom: 12 }}>
            <Statistic title={t('calendar.workingDays')} value={query.data.workingDays} />
            <Statistic title={t('calendar.daysOff')} value={query.data.daysOff} />
          </Space>
        )}
        <Table<CalendarDay>
          rowKey="day"
          size="small"
          loading={query.isLoading}
          dataSource={query.data?.days ?? []}
          pagination={false}
          data-testid="calendar-days"
          columns={[
            { title: t('calendar.day'), dataIndex: 'day', width: 120 },
            { title: t('calendar.weekday'), dataIndex: 'weekday', width: 90, render: (w: number) => t(`calendar.weekdays.${w}`) },
            { title: t('calendar.kind'), dataIndex: 'kind', width: 120, render: (k: CalendarDay['kind']) => <Tag color={k === 'holiday' ? 'red' : 'blue'}>{t(`calendar.kinds.${k}`)}</Tag> },
            { title: t('calendar.name'), dataIndex: 'name' },
            { title: t('calendar.updatedAt'), dataIndex: 'updatedAt', width: 170, render: fmtTime },
            ...(writable
              ? [
                  {
                    key: 'actions',
                    width: 130,
                    render: (_: unknown, d: CalendarDay) => (
                      <Space>
                        <Button size="small" type="link" onClick={() => open(d)}>{t('calendar.edit')}</Button>
                        <Popconfirm title={t('calendar.deleteConfirm', { day: d.day })} onConfirm={() => remove.mutate(d.day)}>
                          <Button size="small" type="link" danger>{t('calendar.delete')}</Button>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>

      <Card title={t('calendar.deadline')} size="small">
        <Form<DeadlineForm> layout="inline" initialValues={{ start: dayjs(), amount: 3, unit: 'workingDays' }} onFinish={(v) => compute.mutate(v)} style={{ rowGap: 8 }}>
          <Form.Item name="start" label={t('calendar.start')} rules={[{ required: true }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="amount" label={t('calendar.amount')} rules={[{ required: true }]}>
            <InputNumber min={0} max={2000} step={0.5} />
          </Form.Item>
          <Form.Item name="unit" label={t('calendar.unit')}>
            <Select style={{ width: 170 }} options={(['workingDays', 'workingHours', 'clockHours'] as const).map((u) => ({ value: u, label: t(`calendar.units.${u}`) }))} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={compute.isPending} data-testid="calendar-compute">{t('calendar.compute')}</Button>
          </Form.Item>
        </Form>
        {deadline && (
          <Typography.Paragraph style={{ marginTop: 12 }} data-testid="calendar-due">
            {t('calendar.dueAt')}: <b>{fmtTime(deadline.dueAt)}</b>
          </Typography.Paragraph>
        )}
        <Typography.Text type="secondary">{t('calendar.officeHours')}</Typography.Text>
      </Card>

      <Modal open={editing !== null} title={t('calendar.add')} onCancel={() => setEditing(null)} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
        <Form<DayForm> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="day" label={t('calendar.day')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="kind" label={t('calendar.kind')} rules={[{ required: true }]}>
            <Select options={(['holiday', 'workday'] as const).map((k) => ({ value: k, label: t(`calendar.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="name" label={t('calendar.name')} rules={[{ required: true, max: 50 }]}>
            <Input placeholder="春节 / 春节调休上班" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
