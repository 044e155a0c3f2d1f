import { useState } from 'react';
import {
  Alert, App, Button, Card, DatePicker, Descriptions, Drawer, Empty, Form, Input, List, Modal, Select, Space, Table, Tabs, Tag, Typography, Upload,
} from 'antd';
import { ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import type { UploadFile } from 'antd/es/upload/interface';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { useCan } from '../../auth/auth.api';
import { BILL_STATUSES, billingApi, billingKeys, fileToBase64, type Bill, type BillDetail, type BillLine } from '../billing.api';
import { SignedExportButton } from '../../documents/components/SignedExportButton';

const STATUS_COLORS: Record<string, string> = { draft: 'default', provider_confirmed: 'blue', unit_confirmed: 'cyan', locked: 'green' };
const yuan = (v: string | null | undefined) => (v === null || v === undefined ? '—' : Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

/** 每日用量: the usage rows behind one line, with the price each day was charged at. */
function UsageModal({ bill, line, onClose }: { bill: BillDetail; line: BillLine; onClose: () => void }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const usage = useQuery({ queryKey: billingKeys.usage(bill.id, line.id, page), queryFn: () => billingApi.usage(bill.id, line.id, page) });
  return (
    <Modal open width={1000} title={`${t('billing.usage')} · ${line.itemCode ?? ''} ${line.itemName ?? ''}`} onCancel={onClose} footer={null}>
      <Typography.Paragraph type="secondary">{t('billing.usageHint')}</Typography.Paragraph>
      <Descriptions size="small" column={4} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('billing.unitPrice')}>{line.unitPrice ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('billing.priceVersion')}>{line.priceListVersion ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('billing.quantityDays')}>{line.quantityDays}</Descriptions.Item>
        <Descriptions.Item label={t('billing.amount')}>{yuan(line.amount)}</Descriptions.Item>
      </Descriptions>
      {usage.error && <Alert type="error" showIcon message={errorText(usage.error)} />}
      <Table
        rowKey={(r) => `${r.day}|${r.resourceId}|${r.sourceKey}`}
        size="small"
        loading={usage.isLoading}
        dataSource={usage.data?.items ?? []}
        pagination={{ current: page, pageSize: usage.data?.pageSize ?? 500, total: usage.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('billing.day'), dataIndex: 'day' },
          { title: t('billing.resource'), dataIndex: 'resourceName', render: (v: string | null, r) => <span>{v ?? r.resourceId}<Typography.Text type="secondary"> {r.naturalKey}</Typography.Text></span> },
          { title: t('billing.sourceQuantity'), dataIndex: 'sourceQuantity', align: 'right' },
          { title: t('billing.quantity'), dataIndex: 'quantity', align: 'right', render: (v: string, r) => `${v} × ${r.billingUnit ?? ''}` },
          { title: t('billing.unitPrice'), dataIndex: 'unitPrice', align: 'right' },
          { title: t('billing.dayAmount'), dataIndex: 'dayAmount', align: 'right' },
        ]}
      />
    </Modal>
  );
}

function Reconciliation({ bill }: { bill: BillDetail }) {
  const { t } = useTranslation();
  const rec = useQuery({ queryKey: billingKeys.reconciliation(bill.id), queryFn: () => billingApi.reconciliation(bill.id) });
  if (rec.error) return <Alert type="error" showIcon message={errorText(rec.error)} />;
  return (
    <>
      {rec.data && <Typography.Paragraph>{t('billing.recHosts', { billed: rec.data.hostsBilled, monitored: rec.data.hostsMonitored })} · {t('billing.total')} {yuan(rec.data.total)}</Typography.Paragraph>}
      <Table
        rowKey={(r) => `${r.type}|${r.resourceId}|${r.field ?? ''}`}
        size="small"
        loading={rec.isLoading}
        dataSource={rec.data?.differences ?? []}
        locale={{ emptyText: t('billing.noDiffs') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('billing.recDiffs'), dataIndex: 'type', render: (v: string) => <Tag color={v === 'spec_mismatch' ? 'orange' : 'red'}>{t(`billing.recType.${v}`)}</Tag> },
          { title: t('billing.resource'), dataIndex: 'name', render: (v: string, r) => <span>{v}<Typography.Text type="secondary"> {r.cloudHostId}</Typography.Text></span> },
          { title: t('billing.field'), dataIndex: 'field', render: (v: string | null) => v ?? '—' },
          { title: t('billing.billed'), dataIndex: 'billed', align: 'right', render: (v: string | null) => v ?? '—' },
          { title: t('billing.reported'), dataIndex: 'reported', align: 'right', render: (v: string | null) => v ?? '—' },
          { title: t('billing.amount'), dataIndex: 'amount', align: 'right', render: yuan },
        ]}
      />
    </>
  );
}

function BillDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: billingKeys.detail(id), queryFn: () => billingApi.get(id) });
  const [line, setLine] = useState<BillLine | null>(null);
  const [disputing, setDisputing] = useState(false);
  const [resolving, setResolving] = useState<string | null>(null);
  const [adjusting, setAdjusting] = useState(false);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [disputeForm] = Form.useForm<{ comment: string }>();
  const [resolveForm] = Form.useForm<{ resolution: string }>();
  const [adjustForm] = Form.useForm<{ amount: string; reason: string }>();
  const done = (b?: BillDetail) => {
    if (b) queryClient.setQueryData(billingKeys.detail(id), b);
    void queryClient.invalidateQueries({ queryKey: billingKeys.all });
    message.success(t('billing.success'));
  };
  const onError = (e: unknown) => message.error(errorText(e));
  const confirm = useMutation({ mutationFn: () => billingApi.confirm(id), onSuccess: done, onError });
  const lock = useMutation({ mutationFn: () => billingApi.lock(id), onSuccess: done, onError });
  const dispute = useMutation({
    mutationFn: async (v: { comment: string }) => {
      const attachments = await Promise.all(files.map(async (f) => ({ fileName: f.name, contentBase64: await fileToBase64(f.originFileObj as File) })));
      return billingApi.dispute(id, v.comment, attachments);
    },
    onSuccess: (b) => { setDisputing(false); setFiles([]); done(b); },
    onError,
  });
  const resolve = useMutation({
    mutationFn: (v: { resolution: string }) => billingApi.resolve(id, resolving!, v.resolution),
    onSuccess: (b) => { setResolving(null); done(b); },
    onError,
  });
  const adjust = useMutation({
    mutationFn: (v: { amount: string; reason: string }) => billingApi.adjust(id, v.amount.trim(), v.reason),
    onSuccess: (r) => { setAdjusting(false); message.success(t('billing.adjustDone', { month: r.targetMonth })); },
    onError,
  });
  const b = detail.data;
  return (
    <Drawer open width={1100} onClose={onClose} title={b ? `${b.month} · ${b.unit.name} · ${b.provider.name}` : t('billing.billsTitle')} extra={b && <SignedExportButton kind="bills" id={b.id} />}>
      {detail.error && <Alert type="error" showIcon message={errorText(detail.error)} />}
      {b && (
        <>
          <Descriptions size="small" column={3} bordered>
            <Descriptions.Item label={t('billing.status')}><Tag color={STATUS_COLORS[b.status]}>{t(`billing.statuses.${b.status}`)}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('billing.amount')}><Typography.Text strong>{yuan(b.total)}</Typography.Text></Descriptions.Item>
            <Descriptions.Item label={t('billing.uppercase')}>{b.totalUppercase}</Descriptions.Item>
            <Descriptions.Item label={t('billing.priceMissing')}>{b.priceMissingCount > 0 ? <Tag color="red">{b.priceMissingCount}</Tag> : 0}</Descriptions.Item>
            <Descriptions.Item label={t('billing.openDisputes')}>{b.openDisputes}</Descriptions.Item>
            <Descriptions.Item label={t('billing.statuses.locked')}>{b.lockedAt ? fmtTime(b.lockedAt) : '—'}</Descriptions.Item>
          </Descriptions>
          <Space style={{ margin: '12px 0' }} wrap>
            {b.abilities.confirm && <Button type="primary" loading={confirm.isPending} onClick={() => confirm.mutate()} data-testid="bill-confirm">{t('billing.confirm')}</Button>}
            {b.abilities.dispute && <Button onClick={() => { disputeForm.resetFields(); setDisputing(true); }}>{t('billing.dispute')}</Button>}
            {b.abilities.lock && <Button type="primary" loading={lock.isPending} onClick={() => lock.mutate()}>{t('billing.lock')}</Button>}
            {b.abilities.adjust && <Button onClick={() => { adjustForm.resetFields(); setAdjusting(true); }}>{t('billing.adjust')}</Button>}
          </Space>
          <Tabs
            items={[
              {
                key: 'lines',
                label: t('billing.lines'),
                children: (
                  <Table<BillLine>
                    rowKey="id"
                    size="small"
                    dataSource={b.lines}
                    pagination={{ pageSize: 100, hideOnSinglePage: true }}
                    scroll={{ x: 'max-content' }}
                    onRow={(r) => ({ onClick: () => r.lineType === 'usage' && setLine(r), style: { cursor: r.lineType === 'usage' ? 'pointer' : 'default' } })}
                    columns={[
                      { title: t('billing.system'), dataIndex: 'systemName', render: (v: string | null, r) => (r.lineType === 'adjustment' ? <Tag>{t('billing.adjustment')}</Tag> : <span>{v ?? ''} <Typography.Text type="secondary">{r.systemNo}</Typography.Text></span>) },
                      { title: t('billing.item'), dataIndex: 'itemName', render: (v: string | null, r) => (r.lineType === 'adjustment' ? r.reason : <span><Typography.Text code>{r.itemCode}</Typography.Text> {v}{r.itemKind === 'baseline' && <Tag style={{ marginLeft: 4 }}>{t('billing.baseline')}</Tag>}</span>) },
                      { title: t('billing.billingUnit'), dataIndex: 'billingUnit' },
                      { title: t('billing.priceVersion'), dataIndex: 'priceListVersion', render: (v: number | null) => (v === null ? '—' : `v${v}`) },
                      { title: t('billing.unitPrice'), dataIndex: 'unitPrice', align: 'right', render: (v: string | null, r) => (r.priceStatus !== 'ok' ? <Tag color="red">{t(`billing.priceStatuses.${r.priceStatus}`)}</Tag> : (v ?? '—')) },
                      { title: t('billing.averageQuantity'), dataIndex: 'averageQuantity', align: 'right' },
                      { title: t('billing.resourceDays'), dataIndex: 'resourceDays', align: 'right' },
                      { title: t('billing.amount'), dataIndex: 'amount', align: 'right', render: yuan },
                    ]}
                  />
                ),
              },
              { key: 'rec', label: t('billing.reconciliation'), children: <Reconciliation bill={b} /> },
              {
                key: 'disputes',
                label: `${t('billing.disputes')} (${b.disputes.length})`,
                children: b.disputes.length === 0 ? <Empty description={t('billing.noDisputes')} /> : (
                  <List
                    dataSource={b.disputes}
                    renderItem={(d) => (
                      <List.Item actions={d.status === 'open' && b.abilities.resolve ? [<Button key="r" size="small" onClick={() => { resolveForm.resetFields(); setResolving(d.id); }}>{t('billing.resolve')}</Button>] : []}>
                        <List.Item.Meta
                          title={<Space><Tag color={d.status === 'open' ? 'orange' : 'green'}>{t(`billing.${d.status === 'open' ? 'open' : 'resolved'}`)}</Tag>{fmtTime(d.createdAt)}</Space>}
                          description={
                            <>
                              <div>{d.comment}</div>
                              {d.attachments.map((a) => (
                                <div key={a.id}><a href={billingApi.attachmentUrl(b.id, a.id)}>{a.fileName}</a> <Typography.Text type="secondary" style={{ fontSize: 12 }}>SM3 {a.sm3.slice(0, 16)}… {a.sizeBytes} B</Typography.Text></div>
                              ))}
                              {d.resolution && <div>{t('billing.resolution')}：{d.resolution}</div>}
                            </>
                          }
                        />
                      </List.Item>
                    )}
                  />
                ),
              },
            ]}
          />
          {line && <UsageModal bill={b} line={line} onClose={() => setLine(null)} />}
          <Modal open={disputing} title={t('billing.dispute')} onCancel={() => setDisputing(false)} onOk={() => disputeForm.submit()} confirmLoading={dispute.isPending}>
            <Form form={disputeForm} layout="vertical" onFinish={(v) => dispute.mutate(v)}>
              <Form.Item name="comment" label={t('billing.disputeComment')} rules={[{ required: true, max: 2000 }]}><Input.TextArea rows={4} /></Form.Item>
              <Form.Item label={t('billing.attachments')}>
                <Upload fileList={files} beforeUpload={() => false} onChange={({ fileList }) => setFiles(fileList.slice(0, 5))} multiple>
                  <Button icon={<UploadOutlined />}>{t('billing.attachments')}</Button>
                </Upload>
              </Form.Item>
            </Form>
          </Modal>
          <Modal open={resolving !== null} title={t('billing.resolve')} onCancel={() => setResolving(null)} onOk={() => resolveForm.submit()} confirmLoading={resolve.isPending}>
            <Form form={resolveForm} layout="vertical" onFinish={(v) => resolve.mutate(v)}>
              <Form.Item name="resolution" label={t('billing.resolution')} rules={[{ required: true, max: 2000 }]}><Input.TextArea rows={3} /></Form.Item>
            </Form>
          </Modal>
          <Modal open={adjusting} title={t('billing.adjust')} onCancel={() => setAdjusting(false)} onOk={() => adjustForm.submit()} confirmLoading={adjust.isPending}>
            <Form form={adjustForm} layout="vertical" onFinish={(v) => adjust.mutate(v)}>
              <Form.Item name="amount" label={t('billing.adjustAmount')} rules={[{ required: true, pattern: /^-?\d{1,12}(\.\d{1,2})?$/ }]}><Input /></Form.Item>
              <Form.Item name="reason" label={t('billing.adjustReason')} rules={[{ required: true, max: 500 }]}><Input.TextArea rows={3} /></Form.Item>
            </Form>
          </Modal>
        </>
      )}
    </Drawer>
  );
}

/** 账单: the bills the user may see (own, receivables, or all), the bill run for the management unit, bill detail. */
export default function BillsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const queryClient = useQueryClient();
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [status, setStatus] = useState<string | undefined>();
  const [open, setOpen] = useState<string | null>(null);
  const [runMonth, setRunMonth] = useState<Dayjs>(dayjs().subtract(1, 'month'));
  const q = { ...(month ? { month: month.format('YYYY-MM') } : {}), ...(status ? { status: status as (typeof BILL_STATUSES)[number] } : {}) };
  const list = useQuery({ queryKey: billingKeys.list(q), queryFn: () => billingApi.list(q) });
  const run = useMutation({
    mutationFn: () => billingApi.run(runMonth.format('YYYY-MM')),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: billingKeys.all });
      message.success(t('billing.runDone', { bills: r.bills, lines: r.lines, total: r.total, missing: r.priceMissingLines, unmapped: r.unmappedUsageRows, unowned: r.unownedUsageRows }), 8);
    },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Card
      title={t('billing.billsTitle')}
      size="small"
      extra={
        <Space wrap>
          <DatePicker picker="month" value={month} onChange={setMonth} placeholder={t('billing.month')} />
          <Select allowClear placeholder={t('billing.status')} style={{ width: 160 }} value={status} onChange={setStatus} options={BILL_STATUSES.map((s) => ({ value: s, label: t(`billing.statuses.${s}`) }))} />
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>{t('billing.refresh')}</Button>
          {can('billing:manage') && (
            <Space.Compact>
              <DatePicker picker="month" value={runMonth} allowClear={false} onChange={(v) => v && setRunMonth(v)} placeholder={t('billing.runMonth')} />
              <Button type="primary" loading={run.isPending} onClick={() => run.mutate()} data-testid="billing-run">{t('billing.run')}</Button>
            </Space.Compact>
          )}
        </Space>
      }
    >
      {list.error && <Alert type="error" showIcon message={errorText(list.error)} style={{ marginBottom: 12 }} />}
      <Table<Bill>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('billing.month'), dataIndex: 'month' },
          { title: t('billing.unit'), dataIndex: ['unit', 'name'] },
          { title: t('billing.provider'), dataIndex: ['provider', 'name'] },
          { title: t('billing.status'), dataIndex: 'status', render: (v: string) => <Tag color={STATUS_COLORS[v]}>{t(`billing.statuses.${v}`)}</Tag> },
          { title: t('billing.priceMissing'), dataIndex: 'priceMissingCount', align: 'right', render: (v: number) => (v > 0 ? <Tag color="red">{v}</Tag> : 0) },
          { title: t('billing.openDisputes'), dataIndex: 'openDisputes', align: 'right' },
          { title: t('billing.amount'), dataIndex: 'total', align: 'right', render: yuan },
        ]}
        summary={() => list.data && list.data.items.length > 0 ? (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={6}><Typography.Text strong>{t('billing.total')}</Typography.Text></Table.Summary.Cell>
            <Table.Summary.Cell index={6} align="right"><Typography.Text strong>{yuan(list.data.total)}</Typography.Text></Table.Summary.Cell>
          </Table.Summary.Row>
        ) : null}
      />
      {open && <BillDrawer id={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}
