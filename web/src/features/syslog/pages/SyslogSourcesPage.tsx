import { useState } from 'react';
import { Alert, App, Badge, Button, Card, Col, Descriptions, Flex, Form, Input, Modal, Popconfirm, Radio, Row, Select, Space, Statistic, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { directoryApi, directoryKeys } from '../../directory/directory.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { syslogApi, syslogKeys, type ReceiverStatus, type SourceInput, type SyslogSource, type UnknownSender } from '../syslog.api';

type Kind = SyslogSource['kind'];

interface FormValues {
  network: string;
  nodeId: string;
  kind: Kind;
  deviceName?: string;
  serialNumber?: string;
  deviceType?: string;
  cloudHostId?: string;
  hostName?: string;
  osType?: string;
  description?: string;
  enabled: boolean;
}

/** The HOSTNAME of a sample message (RFC 5424 or BSD header), to prefill the form when registering its sender. */
function sampleHostname(sample: string): string | undefined {
  const m = /^<\d{1,3}>1 \S+ (\S+) /.exec(sample) ?? /^<\d{1,3}>[A-Z][a-z]{2} +\d{1,2} (?:\d{4} )?\d\d:\d\d:\d\d (\S+) /.exec(sample);
  const host = m?.[1];
  return host && host !== '-' && !host.endsWith(':') ? host.slice(0, 100) : undefined;
}

const COUNTERS = ['received', 'stored', 'rejected', 'dropped', 'unmatched', 'disabled', 'buffered', 'tcpConnections'] as const;
const WARN = new Set(['rejected', 'dropped', 'unmatched']);

function StatusCard(props: { status: ReceiverStatus | undefined; loading: boolean; onRefresh: () => void }) {
  const { t } = useTranslation();
  const s = props.status;
  return (
    <Card
      size="small"
      title={
        <Space>
          {t('syslog.receiver')}
          {s && <Badge status={s.running ? 'success' : 'default'} text={s.running ? t('syslog.running') : t('syslog.stopped')} />}
        </Space>
      }
      extra={<Button size="small" icon={<ReloadOutlined />} onClick={props.onRefresh} loading={props.loading} data-testid="syslog-status-refresh">{t('common.refresh')}</Button>}
      style={{ marginBottom: 12 }}
      data-testid="syslog-status"
    >
      {s && !s.running && (
        <Alert type="warning" showIcon message={s.error ? t('syslog.startFailed') : t('syslog.stoppedHint')} description={s.error ?? undefined} style={{ marginBottom: 12 }} data-testid="syslog-status-error" />
      )}
      {s && (
        <>
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('syslog.listen')}>
              {s.running ? <code>udp+tcp {s.host}:{s.udpPort}</code> : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('syslog.recvBuffer')}>{s.receiveBufferBytes ? `${(s.receiveBufferBytes / 2 ** 20).toFixed(1)} MiB` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('syslog.startedAt')}>{fmtTime(s.startedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('syslog.lastFlush')}>{fmtTime(s.lastFlushAt)}</Descriptions.Item>
            <Descriptions.Item label={t('syslog.sourceCount')}>{s.sources}</Descriptions.Item>
            <Descriptions.Item label={`${t('syslog.counters.udp')} / ${t('syslog.counters.tcp')}`}>
              {s.counters.udp.toLocaleString()} / {s.counters.tcp.toLocaleString()}
            </Descriptions.Item>
            <Descriptions.Item label={t('syslog.counters.framingErrors')}>{s.counters.framingErrors.toLocaleString()}</Descriptions.Item>
          </Descriptions>
          <Row gutter={[16, 8]}>
            {COUNTERS.map((k) => (
              <Col key={k} xs={12} sm={6} lg={3}>
                <Statistic
                  title={t(`syslog.counters.${k}`)}
                  value={s.counters[k]}
                  valueStyle={WARN.has(k) && s.counters[k] > 0 ? { color: '#d46b08' } : undefined}
                  data-testid={`syslog-counter-${k}`}
                />
              </Col>
            ))}
          </Row>
        </>
      )}
    </Card>
  );
}

/** Syslog 来源: the receiver's state, the registered sources and the senders nobody registered yet. */
export default function SyslogSourcesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [q, setQ] = useState<string>();
  const [editing, setEditing] = useState<SyslogSource | 'new'>();
  const [initial, setInitial] = useState<Partial<FormValues>>();
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form);
  const sources = useQuery({ queryKey: syslogKeys.sources(q), queryFn: () => syslogApi.sources(q) });
  const status = useQuery({ queryKey: syslogKeys.status, queryFn: syslogApi.status, refetchInterval: 5000 });
  const nodes = useQuery({ queryKey: directoryKeys.nodes, queryFn: directoryApi.nodes });
  const configure = !!sources.data?.abilities.configure;
  const nodeOptions = (nodes.data?.items ?? []).filter((n) => n.provider).map((n) => ({ value: n.id, label: `${n.code} ${n.name} · ${n.provider!.name}` }));
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: syslogKeys.all });
  };
  const fail = (e: unknown) => message.error(errorText(e));

  const save = useMutation({
    mutationFn: async (v: FormValues) => {
      const providerOrgId = nodes.data?.items.find((n) => n.id === v.nodeId)?.provider?.id;
      const body: SourceInput = {
        network: v.network,
        nodeId: v.nodeId,
        providerOrgId: providerOrgId ?? '',
        kind: v.kind,
        description: v.description?.trim() ? v.description.trim() : null,
        enabled: v.enabled,
        ...(v.kind === 'security_device'
          ? { deviceName: v.deviceName, serialNumber: v.serialNumber, deviceType: v.deviceType }
          : { cloudHostId: v.cloudHostId, osType: v.osType, hostName: v.hostName?.trim() ? v.hostName.trim() : null }),
      };
      if (editing === 'new' || editing === undefined) return syslogApi.create(body);
      return syslogApi.update(editing.id, body);
    },
    onSuccess: () => {
      setEditing(undefined);
      message.success(t('common.saved'));
      refresh();
    },
    onError: fail,
  });
  const toggle = useMutation({ mutationFn: (s: SyslogSource) => syslogApi.update(s.id, { enabled: !s.enabled }), onSuccess: refresh, onError: fail });
  const remove = useMutation({ mutationFn: (id: string) => syslogApi.remove(id), onSuccess: refresh, onError: fail });

  function open(s: SyslogSource | 'new', prefill?: Partial<FormValues>) {
    // The form mounts with the modal (destroyOnHidden): its initial values come from state.
    setInitial(
      s === 'new'
        ? { kind: 'security_device', enabled: true, ...prefill }
        : {
            network: s.network.replace(/\/(32|128)$/, ''),
            nodeId: s.nodeId,
            kind: s.kind,
            deviceName: s.deviceName ?? undefined,
            serialNumber: s.serialNumber ?? undefined,
            deviceType: s.deviceType ?? undefined,
            cloudHostId: s.cloudHostId ?? undefined,
            hostName: s.hostName ?? undefined,
            osType: s.osType ?? undefined,
            description: s.description ?? undefined,
            enabled: s.enabled,
          },
    );
    setEditing(s);
  }

  const required = [{ required: true, whitespace: true, message: t('common.required') }];

  return (
    <Card title={t('syslog.title')} size="small">
      <Alert type="info" showIcon message={t('syslog.hint')} style={{ marginBottom: 12 }} />
      <StatusCard status={status.data} loading={status.isFetching} onRefresh={() => void status.refetch()} />

      <Card size="small" title={t('syslog.sources')} style={{ marginBottom: 12 }}>
        <Flex justify="space-between" style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('syslog.search')} style={{ width: 280 }} onSearch={(v) => setQ(v.trim() || undefined)} data-testid="syslog-search" />
          {configure && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="syslog-add">{t('syslog.add')}</Button>
          )}
        </Flex>
        <Table<SyslogSource>
          rowKey="id"
          size="middle"
          loading={sources.isLoading}
          dataSource={sources.data?.items}
          pagination={{ pageSize: 20, showTotal: (total) => t('common.total', { total }) }}
          data-testid="syslog-sources-table"
          columns={[
            { title: t('syslog.network'), dataIndex: 'network', render: (v: string) => <code>{v}</code> },
            { title: t('syslog.provider'), dataIndex: 'providerName' },
            { title: t('syslog.node'), dataIndex: 'nodeName' },
            { title: t('syslog.kind'), dataIndex: 'kind', render: (k: Kind) => <Tag color={k === 'host' ? 'blue' : 'volcano'}>{t(`syslog.kinds.${k}`)}</Tag> },
            {
              title: t('syslog.device'),
              key: 'device',
              render: (_, r) =>
                r.kind === 'security_device' ? (
                  <span>{r.deviceName} <Typography.Text type="secondary">· {r.deviceType} · {r.serialNumber}</Typography.Text></span>
                ) : (
                  <span>{r.cloudHostId} <Typography.Text type="secondary">· {r.osType}{r.hostName ? ` · ${r.hostName}` : ''}</Typography.Text></span>
                ),
            },
            { title: t('common.description'), dataIndex: 'description', ellipsis: true },
            {
              title: t('syslog.enabled'),
              dataIndex: 'enabled',
              render: (v: boolean, r) =>
                configure ? <Switch size="small" checked={v} loading={toggle.isPending && toggle.variables?.id === r.id} onChange={() => toggle.mutate(r)} data-testid={`syslog-toggle-${r.id}`} /> : v ? t('common.active') : t('common.disabled'),
            },
            { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: (v: string) => fmtTime(v) },
            ...(configure
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, r: SyslogSource) => (
                      <Space size={0}>
                        <Button type="link" size="small" onClick={() => open(r)} data-testid={`syslog-edit-${r.id}`}>{t('common.edit')}</Button>
                        <Popconfirm title={t('syslog.deleteConfirm')} onConfirm={() => remove.mutate(r.id)}>
                          <Button type="link" size="small" danger data-testid={`syslog-delete-${r.id}`}>{t('common.delete')}</Button>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>

      {configure && (
        <Card size="small" title={t('syslog.unknown')}>
          <Typography.Paragraph type="secondary">{t('syslog.unknownHint')}</Typography.Paragraph>
          <Table<UnknownSender>
            rowKey="ip"
            size="small"
            dataSource={status.data?.unknownSenders}
            locale={{ emptyText: t('syslog.unknownEmpty') }}
            pagination={{ pageSize: 10 }}
            data-testid="syslog-unknown-table"
            columns={[
              { title: t('syslog.ip'), dataIndex: 'ip', render: (v: string) => <code>{v}</code> },
              { title: t('syslog.count'), dataIndex: 'count', align: 'right', render: (v: number) => v.toLocaleString() },
              { title: t('syslog.firstSeen'), dataIndex: 'firstSeen', render: (v: string) => fmtTime(v) },
              { title: t('syslog.lastSeen'), dataIndex: 'lastSeen', render: (v: string) => fmtTime(v) },
              {
                title: t('syslog.sample'),
                dataIndex: 'sample',
                ellipsis: { showTitle: false },
                render: (v: string) => (
                  <Tooltip title={v} placement="topLeft">
                    <code style={{ fontSize: 12 }}>{v}</code>
                  </Tooltip>
                ),
              },
              {
                title: t('common.actions'),
                key: 'register',
                render: (_, r) => (
                  <Button type="link" size="small" onClick={() => open('new', { network: r.ip, deviceName: sampleHostname(r.sample), hostName: sampleHostname(r.sample) })} data-testid={`syslog-register-${r.ip}`}>{t('syslog.register')}</Button>
                ),
              },
            ]}
          />
        </Card>
      )}

      <Modal
        open={editing !== undefined}
        title={editing === 'new' ? t('syslog.addTitle') : t('syslog.editTitle')}
        onCancel={() => setEditing(undefined)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
        width={600}
        okButtonProps={{ 'data-testid': 'syslog-form-submit' } as never}
      >
        <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)} preserve={false}>
          <Form.Item name="network" label={t('syslog.network')} extra={t('syslog.networkHint')} rules={[...required, { max: 50 }]}>
            <Input maxLength={50} placeholder="10.1.2.3 / 10.1.0.0/16" data-testid="syslog-form-network" />
          </Form.Item>
          <Form.Item name="nodeId" label={`${t('syslog.node')} · ${t('syslog.provider')}`} rules={[{ required: true, message: t('common.required') }]}>
            <Select showSearch optionFilterProp="label" options={nodeOptions} loading={nodes.isLoading} data-testid="syslog-form-node" />
          </Form.Item>
          <Form.Item name="kind" label={t('syslog.kind')} extra={t('syslog.kindHint')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={(['security_device', 'host'] as const).map((k) => ({ value: k, label: t(`syslog.kinds.${k}`) }))}
              data-testid="syslog-form-kind"
            />
          </Form.Item>
          {kind === 'host' ? (
            <>
              <Form.Item name="cloudHostId" label={t('syslog.cloudHostId')} rules={[...required, { max: 50 }]}>
                <Input maxLength={50} data-testid="syslog-form-cloudHostId" />
              </Form.Item>
              <Form.Item name="osType" label={t('syslog.osType')} rules={[...required, { max: 40 }]}>
                <Input maxLength={40} placeholder="Linux / Windows" data-testid="syslog-form-osType" />
              </Form.Item>
              <Form.Item name="hostName" label={t('syslog.hostName')} extra={t('syslog.hostNameHint')} rules={[{ max: 100 }]}>
                <Input maxLength={100} data-testid="syslog-form-hostName" />
              </Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="deviceName" label={t('syslog.deviceName')} rules={[...required, { max: 100 }]}>
                <Input maxLength={100} data-testid="syslog-form-deviceName" />
              </Form.Item>
              <Form.Item name="serialNumber" label={t('syslog.serialNumber')} rules={[...required, { max: 100 }]}>
                <Input maxLength={100} data-testid="syslog-form-serialNumber" />
              </Form.Item>
              <Form.Item name="deviceType" label={t('syslog.deviceType')} rules={[...required, { max: 100 }]}>
                <Input maxLength={100} placeholder="防火墙 / IPS / WAF / 堡垒机" data-testid="syslog-form-deviceType" />
              </Form.Item>
            </>
          )}
          <Form.Item name="description" label={t('common.description')} rules={[{ max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="enabled" label={t('syslog.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
