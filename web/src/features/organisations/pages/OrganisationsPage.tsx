import { useMemo, useState } from 'react';
import { App, Button, Card, Checkbox, Col, Descriptions, Drawer, Form, Input, Modal, Row, Select, Space, Table, Tag, Timeline, Tree, Popconfirm, Typography, Upload } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { orgApi, orgKeys, ORG_KINDS, type OrgFilter } from '../organisations.api';
import type { Organisation, OrganisationItem, OrgKind, OrgTreeNode } from '../../../api/types';
import { useCan } from '../../auth/auth.api';
import { errorText } from '../../../i18n';
import { fmtTime } from '../../../app/format';
import { OrgTreeSelect } from '../components/OrgTreeSelect';
import { fileToBase64 } from '../../estimates/estimates.api';
import { IssueList } from '../../catalog/components/IssueList';

/** 变更记录 of one organisation: each change with the fields before → after. */
function OrganisationHistory({ id }: { id: string }) {
  const { t } = useTranslation();
  const history = useQuery({ queryKey: orgKeys.history(id), queryFn: () => orgApi.history(id) });
  const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));
  return (
    <div data-testid="org-history">
      <Typography.Title level={5}>{t('org.history')}</Typography.Title>
      <Timeline
        items={(history.data ?? []).map((c) => ({
          children: (
            <>
              <div><b>{t(`org.change.${c.action}`)}</b> · {fmtTime(c.changedAt)} · {c.changedBy ?? '—'}</div>
              {Object.keys(c.after).map((k) => (
                <div key={k} style={{ fontSize: 12 }}>
                  {t(`org.${k === 'status' ? 'statusField' : k}`)}: {c.action === 'create' ? show(c.after[k]) : `${show(c.before[k])} → ${show(c.after[k])}`}
                </div>
              ))}
            </>
          ),
        }))}
      />
    </div>
  );
}

/** 导入单位: an .xlsx with 单位编号, 单位名称, 简称, 单位类型, 上级单位编号, 说明 (the export's layout). */
function ImportUnitsModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File>();
  const [validRowsOnly, setValidRowsOnly] = useState(false);
  const run = useMutation({
    mutationFn: async () => orgApi.import(await fileToBase64(file!), validRowsOnly),
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: orgKeys.all });
      message.success(t('org.importDone', { created: r.created.length, skipped: r.skipped.length }));
      if (r.skipped.length === 0) onClose();
    },
  });
  return (
    <Modal open title={t('org.importTitle')} onCancel={onClose} onOk={() => run.mutate()} okButtonProps={{ disabled: !file, 'data-testid': 'org-import-submit' } as never} confirmLoading={run.isPending}>
      <p>{t('org.importHint')}</p>
      <IssueList error={run.error} testId="org-import-errors" />
      {run.data && run.data.skipped.length > 0 && (
        <ul data-testid="org-import-skipped">{run.data.skipped.map((i, n) => <li key={n}>{i.field} · {i.rule} · {i.message}</li>)}</ul>
      )}
      <Space direction="vertical">
        <Upload accept=".xlsx" maxCount={1} beforeUpload={(f) => { setFile(f); return false; }} onRemove={() => setFile(undefined)}>
          <Button icon={<UploadOutlined />} data-testid="org-import-file">{t('org.importChoose')}</Button>
        </Upload>
        <Checkbox checked={validRowsOnly} onChange={(e) => setValidRowsOnly(e.target.checked)}>{t('org.validRowsOnly')}</Checkbox>
      </Space>
    </Modal>
  );
}

const KIND_COLOURS: Record<OrgKind, string> = {
  management_unit: 'red', supervision_provider: 'purple', cloud_provider: 'blue', user_unit: 'green', external_data_user: 'orange',
};

function findNode(nodes: OrgTreeNode[], id: string): OrgTreeNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const hit = findNode(n.children, id);
    if (hit) return hit;
  }
  return undefined;
}

type TreeData = { key: string; title: React.ReactNode; children: TreeData[] };

interface FormValues {
  parentId?: string;
  kind: OrgKind;
  name: string;
  shortName?: string;
  code?: string;
  description?: string;
}

export default function OrganisationsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string>();
  const [filter, setFilter] = useState<OrgFilter>({ page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<Organisation | 'new' | null>(null);
  const [form] = Form.useForm<FormValues>();
  const [detailId, setDetailId] = useState<string>();
  const [importing, setImporting] = useState(false);
  const detail = useQuery({ queryKey: orgKeys.detail(detailId ?? ''), queryFn: () => orgApi.get(detailId!), enabled: !!detailId });

  const tree = useQuery({ queryKey: orgKeys.tree(), queryFn: orgApi.tree });
  const effective = { ...filter, parentId: selected };
  const list = useQuery({ queryKey: orgKeys.list(effective), queryFn: () => orgApi.list(effective) });

  const selectedName = selected ? findNode(tree.data ?? [], selected)?.name : undefined;
  const treeData = useMemo(() => {
    const map = (nodes: OrgTreeNode[]): TreeData[] =>
      nodes.map((n) => ({
        key: n.id,
        title: <span data-testid={`org-tree-${n.id}`} style={n.status === 'disabled' ? { color: '#999' } : undefined}>{n.name}</span>,
        children: map(n.children),
      }));
    return map(tree.data ?? []);
  }, [tree.data]);

  const save = useMutation({
    mutationFn: async (v: FormValues) => {
      if (editing === 'new') {
        return orgApi.create({ parentId: v.parentId ?? null, kind: v.kind, name: v.name, shortName: v.shortName || null, code: v.code || null, description: v.description || null });
      }
      return orgApi.update(editing!.id, { name: v.name, shortName: v.shortName || null, code: v.code || null, description: v.description || null });
    },
    onSuccess: () => {
      message.success(t('common.saved'));
      setEditing(null);
      void queryClient.invalidateQueries({ queryKey: orgKeys.all });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const setStatus = useMutation({
    mutationFn: (o: Organisation | OrganisationItem) => orgApi.update(o.id, { status: o.status === 'active' ? 'disabled' : 'active' }),
    onSuccess: () => { message.success(t('common.success')); void queryClient.invalidateQueries({ queryKey: orgKeys.all }); },
    onError: (e) => message.error(errorText(e)),
  });

  function open(o: Organisation | 'new', parentId?: string) {
    setEditing(o);
    form.resetFields();
    if (o === 'new') {
      const parent = parentId ?? selected;
      // a sub-unit is usually of its parent's kind (the server checks which kinds may nest)
      form.setFieldsValue({ parentId: parent, kind: parent ? findNode(tree.data ?? [], parent)?.kind : undefined });
    }
    else form.setFieldsValue({ parentId: o.parentId ?? undefined, kind: o.kind, name: o.name, shortName: o.shortName ?? undefined, code: o.code ?? undefined, description: o.description ?? undefined });
  }

  const writable = can('org:write');
  return (
    <Row gutter={16}>
      <Col xs={24} md={7} xl={6}>
        <Card title={t('org.tree')} size="small" styles={{ body: { maxHeight: 'calc(100vh - 160px)', overflow: 'auto' } }}>
          <Button type={selected ? 'link' : 'text'} size="small" onClick={() => setSelected(undefined)} data-testid="org-tree-all">{t('org.allOrgs')}</Button>
          {treeData.length > 0 && (
            <Tree
              treeData={treeData}
              defaultExpandAll
              selectedKeys={selected ? [selected] : []}
              onSelect={(keys) => { setSelected(keys[0] as string | undefined); setFilter((f) => ({ ...f, page: 1 })); }}
              data-testid="org-tree"
            />
          )}
        </Card>
      </Col>
      <Col xs={24} md={17} xl={18}>
        <Card
          title={selectedName ? t('org.childrenOf', { name: selectedName }) : t('org.title')}
          size="small"
          extra={(
            <Space>
              <Button icon={<DownloadOutlined />} onClick={() => orgApi.export(t('org.exportFile')).catch((e: unknown) => message.error(errorText(e)))} data-testid="orgs-export">{t('org.export')}</Button>
              {writable && <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="orgs-import">{t('org.import')}</Button>}
              {writable && <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="orgs-create">{selected ? t('org.createChild') : t('common.create')}</Button>}
            </Space>
          )}
        >
          <Space wrap style={{ marginBottom: 12 }}>
            <Select
              allowClear placeholder={t('org.kind')} style={{ width: 160 }} value={filter.kind}
              options={ORG_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
              onChange={(kind) => setFilter((f) => ({ ...f, kind, page: 1 }))}
              data-testid="orgs-filter-kind"
            />
            <Input.Search allowClear placeholder={t('org.searchPlaceholder')} style={{ width: 260 }} onSearch={(q) => setFilter((f) => ({ ...f, q: q || undefined, page: 1 }))} data-testid="orgs-filter-q" />
          </Space>
          <Table<OrganisationItem>
            rowKey="id"
            size="middle"
            loading={list.isLoading}
            dataSource={list.data?.items}
            data-testid="orgs-table"
            pagination={{ current: filter.page, pageSize: filter.pageSize, total: list.data?.total, showSizeChanger: true, showTotal: (total) => t('common.total', { total }), onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })) }}
            columns={[
              { title: t('org.name'), dataIndex: 'name' },
              { title: t('org.shortName'), dataIndex: 'shortName', render: (v: string | null) => v ?? '—' },
              { title: t('org.kind'), dataIndex: 'kind', render: (k: OrgKind) => <Tag color={KIND_COLOURS[k]}>{t(`kinds.${k}`)}</Tag> },
              { title: t('org.code'), dataIndex: 'code', render: (v: string | null) => v ?? '—' },
              { title: t('common.status'), dataIndex: 'status', render: (s: string) => (s === 'active' ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.disabled')}</Tag>) },
              { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: fmtTime },
              {
                title: t('common.actions'), key: 'actions', width: 100,
                render: (_: unknown, o: OrganisationItem) => (
                  <Button type="link" size="small" onClick={() => setDetailId(o.id)} data-testid={`org-detail-${o.id}`}>{t('common.detail')}</Button>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Drawer open={!!detailId} onClose={() => setDetailId(undefined)} title={detail.data?.name ?? t('common.loading')} width={480} data-testid="org-drawer">
        {detail.data && (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label={t('org.kind')}><Tag color={KIND_COLOURS[detail.data.kind]}>{t(`kinds.${detail.data.kind}`)}</Tag></Descriptions.Item>
              <Descriptions.Item label={t('org.parent')}>{detail.data.parent?.name ?? t('org.noParent')}</Descriptions.Item>
              <Descriptions.Item label={t('org.shortName')}>{detail.data.shortName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('org.code')}>{detail.data.code ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('common.status')}>{detail.data.status === 'active' ? t('common.active') : t('common.disabled')}</Descriptions.Item>
              <Descriptions.Item label={t('org.children')}>{detail.data.childCount}</Descriptions.Item>
              <Descriptions.Item label={t('org.users')}>{detail.data.userCount}</Descriptions.Item>
              <Descriptions.Item label={t('org.description')}>{detail.data.description ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('common.updatedAt')}>{fmtTime(detail.data.updatedAt)}</Descriptions.Item>
            </Descriptions>
            <Space wrap>
              {detail.data.abilities.update && <Button onClick={() => open(detail.data!)} data-testid="org-edit">{t('common.edit')}</Button>}
              {detail.data.abilities.createChild && <Button onClick={() => open('new', detail.data!.id)} data-testid="org-create-child">{t('org.createChild')}</Button>}
              {detail.data.abilities.disable && detail.data.status === 'active' && (
                <Popconfirm title={t('org.disableConfirm')} onConfirm={() => setStatus.mutate(detail.data!)}>
                  <Button danger data-testid="org-disable">{t('common.disable')}</Button>
                </Popconfirm>
              )}
              {detail.data.abilities.enable && detail.data.status === 'disabled' && (
                <Button onClick={() => setStatus.mutate(detail.data!)} data-testid="org-enable">{t('common.enable')}</Button>
              )}
            </Space>
            <OrganisationHistory id={detail.data.id} />
          </Space>
        )}
      </Drawer>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('org.createTitle') : t('org.editTitle')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'org-form-submit' } as never}
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="org-form">
          <Form.Item name="parentId" label={t('org.parent')}>
            {editing === 'new' ? <OrgTreeSelect allowClear placeholder={t('org.noParent')} testId="org-form-parent" /> : <OrgTreeSelect testId="org-form-parent" style={{ width: '100%', pointerEvents: 'none', opacity: 0.7 }} />}
          </Form.Item>
          <Form.Item name="kind" label={t('org.kind')} rules={[{ required: true, message: t('common.required') }]}>
            <Select disabled={editing !== 'new'} options={ORG_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} data-testid="org-form-kind" />
          </Form.Item>
          <Form.Item name="name" label={t('org.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}>
            <Input maxLength={100} data-testid="org-form-name" />
          </Form.Item>
          <Form.Item name="shortName" label={t('org.shortName')} rules={[{ max: 30 }]}>
            <Input maxLength={30} data-testid="org-form-short-name" />
          </Form.Item>
          <Form.Item name="code" label={t('org.code')} rules={[{ pattern: /^[A-Za-z0-9_.-]{1,50}$/, message: t('org.codeRule') }]}>
            <Input maxLength={50} data-testid="org-form-code" />
          </Form.Item>
          <Form.Item name="description" label={t('org.description')} rules={[{ max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} data-testid="org-form-description" />
          </Form.Item>
        </Form>
      </Modal>
      {importing && <ImportUnitsModal onClose={() => setImporting(false)} />}
    </Row>
  );
}
