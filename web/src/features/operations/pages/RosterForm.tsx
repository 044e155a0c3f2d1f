import { useState } from 'react';
import { Alert, App as AntApp, Button, DatePicker, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError } from '../../../api/client';
import { useCan, useMe } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { opsApi, opsKeys, type Coverage } from '../operations.api';
import { applyPathErrors } from '../formErrors';
import { useProviderOptions } from './FormModal';

type ShiftRow = { person?: string; phone?: string; startsAt?: string; endsAt?: string };
type RosterValues = { orgId?: string; period?: [Dayjs, Dayjs]; hours: number; people?: string; shifts?: ShiftRow[] };
export type Gap = { start: string; end: string };
export type RosterResult = { from: string; to: string; shifts: number; gaps: Gap[] };

/** Beijing wall time "YYYY-MM-DD HH:mm" (24:00 allowed) as an ISO instant with +08:00. */
const BEIJING = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-4]):([0-5]\d)$/;
export function beijingInstant(text: string): string | null {
  const m = BEIJING.exec(text.trim());
  if (!m) return null;
  if (m[2] === '24') return m[3] === '00' ? `${dayjs(m[1]).add(1, 'day').format('YYYY-MM-DD')}T00:00:00+08:00` : null;
  return `${m[1]}T${m[2]}:${m[3]}:00+08:00`;
}
const beijingText = (iso: string) => fmtTime(iso).slice(0, 16);
const gapText = (g: Gap) => `${beijingText(g.start)} – ${beijingText(g.end)}`;

/** The shifts of the period, `hours` long from 00:00 Beijing time, the people taking turns. */
function generate(period: [Dayjs, Dayjs], hours: number, people: string[]): ShiftRow[] {
  const out: ShiftRow[] = [];
  let k = 0;
  for (let d = period[0].startOf('day'); !d.isAfter(period[1], 'day'); d = d.add(1, 'day')) {
    const day = d.format('YYYY-MM-DD');
    for (let h = 0; h < 24; h += hours) {
      const end = h + hours;
      out.push({ person: people[k++ % people.length], startsAt: `${day} ${String(h).padStart(2, '0')}:00`, endsAt: end >= 24 ? `${day} 24:00` : `${day} ${String(end).padStart(2, '0')}:00` });
    }
  }
  return out;
}

/** 排班: the shifts of an organisation for a period; the server's 7×24 check (gaps, overlaps) is shown as it answers. */
export function RosterButton({ onSaved }: { onSaved: (r: RosterResult) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!useCan()('operations:write')) return null;
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} data-testid="ops-new-roster" onClick={() => setOpen(true)}>{t('operations.roster.new')}</Button>
      {open && <RosterModal onClose={() => setOpen(false)} onSaved={(r) => { setOpen(false); onSaved(r); }} />}
    </>
  );
}

function RosterModal({ onClose, onSaved }: { onClose: () => void; onSaved: (r: RosterResult) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useMe();
  const { message } = AntApp.useApp();
  const { providers } = useProviderOptions();
  const [form] = Form.useForm<RosterValues>();
  const [error, setError] = useState<unknown>(null);
  const [gaps, setGaps] = useState<Gap[] | null>(null);
  const isProvider = me.data?.org.kind === 'cloud_provider';
  const range = (v: RosterValues) => ({ from: `${v.period![0].format('YYYY-MM-DD')}T00:00:00+08:00`, to: `${v.period![1].add(1, 'day').format('YYYY-MM-DD')}T00:00:00+08:00` });
  const body = (v: RosterValues, acceptGaps: boolean) => ({
    ...(isProvider ? {} : { orgId: v.orgId ?? null }),
    ...range(v),
    ...(acceptGaps ? { acceptGaps: true } : {}),
    shifts: (v.shifts ?? []).map((s) => ({ person: (s.person ?? '').trim(), phone: s.phone?.trim() ? s.phone.trim() : null, startsAt: beijingInstant(s.startsAt ?? '') ?? '', endsAt: beijingInstant(s.endsAt ?? '') ?? '' })),
  });
  const save = useMutation({
    mutationFn: ({ v, acceptGaps }: { v: RosterValues; acceptGaps: boolean }) => opsApi.saveRoster(body(v, acceptGaps)),
    onSuccess: (res: Coverage, { v }) => {
      void qc.invalidateQueries({ queryKey: opsKeys.all });
      onSaved({ ...range(v), shifts: (v.shifts ?? []).length, gaps: res.gaps });
    },
    onError: (e) => {
      setGaps(null);
      if (e instanceof ApiError && e.code === 'operations.coverage_gap') {
        setError(null);
        setGaps((e.details as { gaps?: Gap[] } | null)?.gaps ?? []);
        return;
      }
      const onField = applyPathErrors(form, e, ['orgId', 'shifts'], {
        leaf: 'person',
        message: (i) => (i.rule === 'no_overlap' ? t('operations.roster.overlapWith', { n: Number((i.value as { overlapsWith?: number } | undefined)?.overlapsWith ?? 0) + 1 }) : i.rule === 'within_roster' ? t('operations.roster.outside') : i.rule === 'after_starts_at' ? t('operations.roster.endBeforeStart') : null),
      });
      // the refusal itself (overlap, outside the period) is shown above the list too; the rows say which shift
      setError(e);
      if (!onField && !(e instanceof ApiError)) message.error(errorText(e));
    },
  });
  const load = useMutation({
    mutationFn: (v: RosterValues) => opsApi.coverage({ ...(isProvider || !v.orgId ? {} : { orgId: v.orgId }), ...range(v) }),
    onSuccess: (c) => form.setFieldValue('shifts', c.shifts.map((s) => ({ person: s.person, phone: s.phone ?? '', startsAt: beijingText(s.startsAt), endsAt: beijingText(s.endsAt) }))),
    onError: (e) => setError(e),
  });
  const submit = (acceptGaps: boolean) => form.validateFields().then((v) => { setError(null); save.mutate({ v, acceptGaps }); }, () => undefined);
  const timeRule = { validator: (_: unknown, v?: string) => (v && beijingInstant(v) ? Promise.resolve() : Promise.reject(new Error(t('operations.roster.timeFormat')))) };
  return (
    <Modal open width={900} title={t('operations.roster.new')} onCancel={onClose} destroyOnHidden
      footer={<Space>
        <Button onClick={onClose}>{t('operations.cancel')}</Button>
        {gaps && gaps.length > 0 && <Button danger data-testid="ops-roster-accept-gaps" loading={save.isPending} onClick={() => void submit(true)}>{t('operations.roster.acceptGaps')}</Button>}
        <Button type="primary" data-testid="ops-roster-save" loading={save.isPending} onClick={() => void submit(false)}>{t('operations.save')}</Button>
      </Space>}>
      <Typography.Paragraph type="secondary">{t('operations.roster.hint')}</Typography.Paragraph>
      {error !== null && <Alert type="error" showIcon data-testid="ops-roster-error" message={errorText(error)} style={{ marginBottom: 12 }} />}
      {gaps && (
        <Alert type="warning" showIcon data-testid="ops-roster-gaps" style={{ marginBottom: 12 }} message={t('operations.roster.gapsRefused', { n: gaps.length })}
          description={<ul style={{ margin: 0, paddingLeft: 18 }}>{gaps.map((g) => <li key={g.start}>{gapText(g)}</li>)}</ul>} />
      )}
      <Form form={form} layout="vertical" data-testid="ops-roster-form" initialValues={{ hours: 8, shifts: [] }} onValuesChange={() => setGaps(null)}>
        <Space align="start" wrap>
          {!isProvider && (
            <Form.Item name="orgId" label={t('operations.forms.organisation')} extra={t('operations.forms.orgHint')}>
              <Select data-testid="ops-roster-org" allowClear showSearch optionFilterProp="label" options={providers} style={{ width: 220 }} />
            </Form.Item>
          )}
          <Form.Item name="period" label={t('operations.roster.period')} rules={[{ required: true, message: t('operations.forms.required', { field: t('operations.roster.period') }) }]}>
            <DatePicker.RangePicker data-testid="ops-roster-period" />
          </Form.Item>
        </Space>
        <Space align="end" wrap style={{ marginBottom: 12 }}>
          <Form.Item name="hours" label={t('operations.roster.hours')} style={{ marginBottom: 0 }}>
            <Select data-testid="ops-roster-hours" style={{ width: 120 }} options={[6, 8, 12, 24].map((h) => ({ value: h, label: t('operations.roster.hoursN', { n: h }) }))} />
          </Form.Item>
          <Form.Item name="people" label={t('operations.roster.people')} style={{ marginBottom: 0 }}>
            <Input data-testid="ops-roster-people" placeholder={t('operations.mt.attendeesHint')} style={{ width: 260 }} />
          </Form.Item>
          <Button data-testid="ops-roster-generate" onClick={() => {
            const v = form.getFieldsValue();
            const people = (v.people ?? '').split(/[、,，;；\n]+/).map((x) => x.trim()).filter(Boolean);
            if (!v.period || !people.length) { void form.validateFields(['period']); message.warning(t('operations.roster.generateNeeds')); return; }
            form.setFieldValue('shifts', generate(v.period, v.hours, people));
            setGaps(null);
          }}>{t('operations.roster.generate')}</Button>
          <Button data-testid="ops-roster-load" loading={load.isPending} onClick={() => { const v = form.getFieldsValue(); if (v.period) load.mutate(v); else void form.validateFields(['period']); }}>{t('operations.roster.load')}</Button>
        </Space>
        <Form.List name="shifts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="start" style={{ display: 'flex' }} data-testid={`ops-roster-shift-${f.name}`}>
                  <Form.Item name={[f.name, 'person']} rules={[{ required: true, message: t('operations.forms.required', { field: t('operations.person') }) }, { max: 50 }]}><Input data-testid={`ops-roster-shift-${f.name}-person`} placeholder={t('operations.person')} style={{ width: 150 }} /></Form.Item>
                  <Form.Item name={[f.name, 'phone']} rules={[{ max: 30 }]}><Input placeholder={t('operations.roster.phone')} style={{ width: 140 }} /></Form.Item>
                  <Form.Item name={[f.name, 'startsAt']} rules={[timeRule]}><Input data-testid={`ops-roster-shift-${f.name}-startsAt`} placeholder="2026-12-08 00:00" style={{ width: 170 }} /></Form.Item>
                  <Form.Item name={[f.name, 'endsAt']} rules={[timeRule]}><Input data-testid={`ops-roster-shift-${f.name}-endsAt`} placeholder="2026-12-08 08:00" style={{ width: 170 }} /></Form.Item>
                  <Button data-testid={`ops-roster-shift-${f.name}-remove`} icon={<DeleteOutlined />} aria-label={t('operations.pf.remove')} onClick={() => { remove(f.name); setGaps(null); }} />
                </Space>
              ))}
              <Space>
                <Button data-testid="ops-roster-add" icon={<PlusOutlined />} onClick={() => add({})}>{t('operations.roster.addShift')}</Button>
                <Typography.Text type="secondary" data-testid="ops-roster-count">{t('operations.roster.count', { n: fields.length })}</Typography.Text>
              </Space>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

/** What the server answered to the saved roster: the shifts saved and the 7×24 gaps it still has. */
export function RosterResultAlert({ result, onClose }: { result: RosterResult; onClose: () => void }) {
  const { t } = useTranslation();
  const period = `${fmtTime(result.from).slice(0, 10)} – ${dayjs(fmtTime(result.to).slice(0, 10)).subtract(1, 'day').format('YYYY-MM-DD')}`;
  return (
    <Alert data-testid="ops-roster-result" closable onClose={onClose} showIcon type={result.gaps.length ? 'warning' : 'success'}
      message={result.gaps.length ? t('operations.roster.savedWithGaps', { n: result.shifts, period, gaps: result.gaps.length }) : t('operations.roster.saved', { n: result.shifts, period })}
      description={result.gaps.length ? <ul style={{ margin: 0, paddingLeft: 18 }}>{result.gaps.map((g) => <li key={g.start}>{gapText(g)}</li>)}</ul> : undefined} />
  );
}
