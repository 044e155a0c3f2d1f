import { sql } from 'kysely';
import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import { localDate } from '../calendar/index.js';
import type { DirectoryService } from '../directory/index.js';
import { addMonths } from './operations.rules.js';

/**
 * The eight documents of the initial assessment (初期建设考核, seed 004 §4.3.2.2.1 1.(2) 审查业务支撑文档), named as the seed
 * names them, in its order.
 */
export const ENTRY_DOCUMENTS = [
  { key: 'service_level_spec', label: '云服务商服务水平规范' },
  { key: 'migration_guide', label: '业务系统迁移技术指导方案' },
  { key: 'usage_process', label: '云服务使用流程及模板' },
  { key: 'system_emergency_guide', label: '云内业务系统应急预案及应急演练指导书' },
  { key: 'ops_plan', label: '云运维工作方案及流程' },
  { key: 'security_plan', label: '云平台安全管理方案' },
  { key: 'platform_emergency_plan', label: '云平台应急预案' },
  { key: 'annual_work_plan', label: '云年度工作计划书' },
] as const;

/** The service-exit documents (服务退出规范, seed 004 §4.1.1.4): 退出时间计划、业务迁移方案、数据处理流程、硬件设备处理方案、保密方案. */
export const EXIT_DOCUMENTS = [
  { key: 'exit_schedule', label: '退出时间计划' },
  { key: 'migration_plan', label: '业务迁移方案' },
  { key: 'data_process', label: '数据处理流程' },
  { key: 'hardware_plan', label: '硬件设备处理方案' },
  { key: 'confidentiality_plan', label: '保密方案' },
] as const;

/** The clearance checklist of the exit (迁移/数据清退); the last item is the handover to the next provider (seed 003 合同 9). */
export const EXIT_CHECKS = [
  { key: 'migration_done', label: '业务迁移完成' },
  { key: 'data_cleared', label: '数据清退完成' },
  { key: 'hardware_handled', label: '硬件设备处理完成' },
  { key: 'handover_done', label: '与新服务商交接完成' },
] as const;

export const ENTRY_STATES = ['applied', 'material_review', 'initial_assessment', 'entered', 'rejected', 'exit_applied', 'migrating', 'exited'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];
/** Largest document accepted (bytes). */
export const ENTRY_DOCUMENT_MAX_BYTES = 1_048_576;

type Label = { key: string; label: string };
/** Transitions by the generic endpoint (the assessment has its own); `manage` ones need `operations:manage`. */
const TRANSITIONS: Record<string, { from: EntryState; manage: boolean }> = {
  material_review: { from: 'applied', manage: false },
  applied: { from: 'material_review', manage: true },
  initial_assessment: { from: 'material_review', manage: true },
  exit_applied: { from: 'entered', manage: false },
  migrating: { from: 'exit_applied', manage: true },
  exited: { from: 'migrating', manage: true },
};

/**
 * What blocks a transition (pure): documents missing (not uploaded, or rejected), documents not yet accepted, checklist
 * items not done. Empty when the transition may happen.
 */
export function entryTransitionProblems(to: EntryState, docs: Array<{ docKey: string; status: 'submitted' | 'accepted' | 'rejected' }>, checks: string[]): { code: string; items: Label[] } | null {
  const status = new Map(docs.map((d) => [d.docKey, d.status]));
  const missing = (list: readonly Label[]) => list.filter((d) => !status.has(d.key) || status.get(d.key) === 'rejected');
  if (to === 'material_review') {
    const m = missing(ENTRY_DOCUMENTS);
    return m.length ? { code: 'operations.entry_documents_missing', items: m } : null;
  }
  if (to === 'initial_assessment') {
    const m = ENTRY_DOCUMENTS.filter((d) => status.get(d.key) !== 'accepted');
    return m.length ? { code: 'operations.entry_documents_not_accepted', items: m } : null;
  }
  if (to === 'migrating') {
    const m = missing(EXIT_DOCUMENTS);
    return m.length ? { code: 'operations.exit_documents_missing', items: m } : null;
  }
  if (to === 'exited') {
    const m = EXIT_CHECKS.filter((c) => !checks.includes(c.key));
    return m.length ? { code: 'operations.exit_checks_open', items: m } : null;
  }
  return null;
}

const PROBLEM_TEXT: Record<string, string> = {
  'operations.entry_documents_missing': '初期评估材料缺失',
  'operations.entry_documents_not_accepted': '初期评估材料尚未审核通过',
  'operations.exit_documents_missing': '服务退出材料缺失',
  'operations.exit_checks_open': '迁移/数据清退检查项未完成',
};

export interface EntryDocument {
  id: string;
  docKey: string;
  label: string;
  phase: 'entry' | 'exit';
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sm3: string;
  status: 'submitted' | 'accepted' | 'rejected';
  reviewNote: string | null;
  submittedAt: string;
  reviewedAt: string | null;
}

/** A provider's entry record (进驻) on a node (or the platform as a whole), through to its exit (退出). */
export interface ProviderEntry {
  id: string;
  providerOrgId: string;
  providerName: string;
  nodeId: string | null;
  nodeName: string | null;
  state: EntryState;
  appliedOn: string;
  assessmentAttempts: number;
  rectifyBy: string | null;
  enteredOn: string | null;
  exitReason: string | null;
  exitedOn: string | null;
  note: string | null;
  documents: EntryDocument[];
  /** Entry documents not uploaded (or rejected), then exit documents (once the exit is applied for). */
  missingDocuments: Array<Label & { phase: 'entry' | 'exit' }>;
  checks: Array<Label & { done: boolean; note: string | null; doneAt: string | null }>;
  /** Machine rooms the provider filed on the node (机房信息备案). */
  machineRooms: Array<{ id: string; name: string; filedOn: string; environmentObject: string | null }>;
  transitions: Array<{ fromState: string | null; toState: string; note: string | null; at: string }>;
}

const docPhase = (key: string): 'entry' | 'exit' | null =>
  ENTRY_DOCUMENTS.some((d) => d.key === key) ? 'entry' : EXIT_DOCUMENTS.some((d) => d.key === key) ? 'exit' : null;
const docLabel = (key: string) => [...ENTRY_DOCUMENTS, ...EXIT_DOCUMENTS].find((d) => d.key === key)?.label ?? key;
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** Provider entry and exit (进驻和退出): checklist, documents, audited transitions. Part of the operations module. */
export class ProviderEntryService {
  constructor(
    private readonly db: Db,
    private readonly directory: DirectoryService,
    private readonly clock: () => Date,
  ) {}

  private providerFor(ctx: RequestContext, named: string | null | undefined): string {
    if (ctx.actor.orgKind === 'cloud_provider') {
      if (named && named !== ctx.actor.orgId) throw notFound('organisation', named);
      return ctx.actor.orgId!;
    }
    if (!named) throw validationError('operations.provider_required', 'Name the provider', [{ field: 'body.providerOrgId', rule: 'required', message: 'providerOrgId is required' }]);
    return named;
  }

  /** Opens an entry application (申请) of a provider, for a node it runs or the platform as a whole. */
  async apply(ctx: RequestContext, input: { providerOrgId?: string | null; nodeId?: string | null; appliedOn: string; note?: string | null }): Promise<ProviderEntry> {
    const providerOrgId = this.providerFor(ctx, input.providerOrgId);
    if (input.appliedOn > localDate(this.clock())) throw validationError('operations.applied_in_future', 'appliedOn is in the future', [{ field: 'body.appliedOn', rule: 'not_future', message: 'not after today', value: input.appliedOn }]);
    if (input.nodeId) {
      const node = (await this.directory.listCloudNodes(systemContext('operations.entry'))).find((n) => n.id === input.nodeId);
      if (!node) throw validationError('operations.node_not_found', 'Unknown cloud node', [{ field: 'body.nodeId', rule: 'exists', message: 'no such cloud node', value: input.nodeId }]);
      if (node.provider?.id !== providerOrgId) {
        throw new AppError('validation', 'operations.node_not_served', `The node ${node.name} is not run by this provider`, { issues: [{ field: 'body.nodeId', rule: 'node_provider', message: 'the provider does not run this node', value: input.nodeId }] });
      }
    }
    return withTx(this.db, ctx, async (trx) => {
      const org = (await sql<{ id: string; kind: string }>`select id, kind from organisations where id = ${providerOrgId}`.execute(trx)).rows[0];
      if (!org) throw notFound('organisation', providerOrgId);
      if (org.kind !== 'cloud_provider') throw validationError('operations.not_a_provider', 'Entry records are for cloud providers', [{ field: 'body.providerOrgId', rule: 'cloud_provider', message: 'not a cloud provider', value: providerOrgId }]);
      const open = (await sql<{ id: string }>`select id from ops_provider_entries where provider_org_id = ${providerOrgId}
        and node_id is not distinct from ${input.nodeId ?? null} and state not in ('exited','rejected')`.execute(trx)).rows[0];
      if (open) throw new AppError('conflict', 'operations.entry_exists', 'This provider already has an open entry record for the node', { entryId: open.id });
      const id = (await sql<{ id: string }>`insert into ops_provider_entries (provider_org_id, node_id, applied_on, note, created_by)
        values (${providerOrgId}, ${input.nodeId ?? null}, ${input.appliedOn}, ${input.note ?? null}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await this.logTransition(trx, ctx, id, providerOrgId, null, 'applied', input.note ?? null);
      return this.detail(trx, id);
    });
  }

  private async logTransition(trx: Tx, ctx: RequestContext, id: string, providerOrgId: string, from: EntryState | null, to: EntryState, note: string | null): Promise<void> {
    await sql`insert into ops_provider_entry_transitions (entry_id, provider_org_id, from_state, to_state, note, actor_id) values (${id}, ${providerOrgId}, ${from}, ${to}, ${note}, ${ctx.actor.userId})`.execute(trx);
    await recordAudit(trx, ctx, { action: `operations.entry_${to}`, targetType: 'ops_provider_entry', targetId: id, before: from ? { state: from } : null, after: { state: to, note } });
  }

  private async row(trx: Tx, id: string, forUpdate = false) {
    if (!isUuid(id)) throw notFound('operations.provider_entry', id);
    const r = (await sql<{ id: string; providerOrgId: string; nodeId: string | null; state: EntryState; assessmentAttempts: number }>`select id, provider_org_id, node_id, state, assessment_attempts
      from ops_provider_entries where id = ${id} ${forUpdate ? sql`for update` : sql``}`.execute(trx)).rows[0];
    if (!r) throw notFound('operations.provider_entry', id);
    return r;
  }

  private async detail(trx: Tx, id: string): Promise<ProviderEntry> {
    return (await this.rows(trx, { id }))[0]!;
  }

  private async rows(trx: Tx, f: { id?: string; providerOrgId?: string; state?: string }): Promise<ProviderEntry[]> {
    const entries = (await sql<Omit<ProviderEntry, 'documents' | 'missingDocuments' | 'checks' | 'machineRooms' | 'transitions'>>`select e.id, e.provider_org_id, o.name as provider_name, e.node_id, n.name as node_name,
        e.state, to_char(e.applied_on, 'YYYY-MM-DD') as applied_on, e.assessment_attempts, to_char(e.rectify_by, 'YYYY-MM-DD') as rectify_by, to_char(e.entered_on, 'YYYY-MM-DD') as entered_on,
        e.exit_reason, to_char(e.exited_on, 'YYYY-MM-DD') as exited_on, e.note
      from ops_provider_entries e join organisations o on o.id = e.provider_org_id left join cloud_nodes n on n.id = e.node_id
      where true ${f.id ? sql`and e.id = ${f.id}` : sql``} ${f.providerOrgId ? sql`and e.provider_org_id = ${f.providerOrgId}` : sql``} ${f.state ? sql`and e.state = ${f.state}` : sql``}
      order by e.applied_on desc, e.created_at desc limit 500`.execute(trx)).rows;
    if (entries.length === 0) return [];
    const ids = entries.map((e) => e.id);
    const docs = (await sql<{ entryId: string; id: string; docKey: string; fileName: string; contentType: string; sizeBytes: number; sm3: string; status: EntryDocument['status']; reviewNote: string | null; submittedAt: Date; reviewedAt: Date | null }>`
      select entry_id, id, doc_key, file_name, content_type, size_bytes, sm3, status, review_note, submitted_at, reviewed_at from ops_provider_entry_documents where entry_id = any(${ids}::uuid[])`.execute(trx)).rows;
    const checks = (await sql<{ entryId: string; itemKey: string; note: string | null; doneAt: Date }>`select entry_id, item_key, note, done_at from ops_provider_entry_checks where entry_id = any(${ids}::uuid[])`.execute(trx)).rows;
    const trans = (await sql<{ entryId: string; fromState: string | null; toState: string; note: string | null; at: Date }>`select entry_id, from_state, to_state, note, at from ops_provider_entry_transitions where entry_id = any(${ids}::uuid[]) order by at, id`.execute(trx)).rows;
    const rooms = (await sql<{ id: string; providerOrgId: string; nodeId: string; name: string; filedOn: string; environmentObject: string | null }>`select id, provider_org_id, node_id, name, to_char(filed_on, 'YYYY-MM-DD') as filed_on, environment_object
      from ops_machine_rooms where provider_org_id = any(${entries.map((e) => e.providerOrgId)}::uuid[]) order by name`.execute(trx)).rows;
    return entries.map((e) => {
      const own = docs.filter((d) => d.entryId === e.id).map((d) => ({ id: d.id, docKey: d.docKey, label: docLabel(d.docKey), phase: docPhase(d.docKey) ?? 'entry', fileName: d.fileName, contentType: d.contentType, sizeBytes: d.sizeBytes, sm3: d.sm3, status: d.status, reviewNote: d.reviewNote, submittedAt: d.submittedAt.toISOString(), reviewedAt: d.reviewedAt ? d.reviewedAt.toISOString() : null }));
      const status = new Map(own.map((d) => [d.docKey, d.status]));
      const lacking = (list: readonly Label[], phase: 'entry' | 'exit') => list.filter((d) => !status.has(d.key) || status.get(d.key) === 'rejected').map((d) => ({ ...d, phase }));
      const inExit = ['exit_applied', 'migrating', 'exited'].includes(e.state);
      const done = checks.filter((c) => c.entryId === e.id);
      return {
        ...e,
        documents: own,
        missingDocuments: [...lacking(ENTRY_DOCUMENTS, 'entry'), ...(inExit ? lacking(EXIT_DOCUMENTS, 'exit') : [])],
        checks: EXIT_CHECKS.map((c) => { const d = done.find((x) => x.itemKey === c.key); return { ...c, done: !!d, note: d?.note ?? null, doneAt: d ? d.doneAt.toISOString() : null }; }),
        machineRooms: rooms.filter((r) => r.providerOrgId === e.providerOrgId && (e.nodeId === null || r.nodeId === e.nodeId)).map((r) => ({ id: r.id, name: r.name, filedOn: r.filedOn, environmentObject: r.environmentObject })),
        transitions: trans.filter((x) => x.entryId === e.id).map((x) => ({ fromState: x.fromState, toState: x.toState, note: x.note, at: x.at.toISOString() })),
      };
    });
  }

  async list(ctx: RequestContext, q: { providerOrgId?: string; state?: string } = {}): Promise<ProviderEntry[]> {
    return withTx(this.db, ctx, (trx) => this.rows(trx, q));
  }

  async get(ctx: RequestContext, id: string): Promise<ProviderEntry> {
    return withTx(this.db, ctx, async (trx) => {
      await this.row(trx, id);
      return this.detail(trx, id);
    });
  }

  /**
   * Uploads one of the required documents (replacing an earlier, not yet accepted upload): entry documents while the
   * application is open (applied / material_review), exit documents once the exit is applied for.
   */
  async uploadDocument(ctx: RequestContext, id: string, input: { docKey: string; fileName: string; contentType: string; contentBase64: string }): Promise<ProviderEntry> {
    const phase = docPhase(input.docKey);
    if (!phase) throw validationError('operations.unknown_document', `Unknown document ${input.docKey}`, [{ field: 'body.docKey', rule: 'known_document', message: `one of ${[...ENTRY_DOCUMENTS, ...EXIT_DOCUMENTS].map((d) => d.key).join(', ')}`, value: input.docKey }]);
    const content = Buffer.from(input.contentBase64, 'base64');
    if (content.length === 0 || content.toString('base64').replace(/=+$/, '') !== input.contentBase64.replace(/\s/g, '').replace(/=+$/, '')) {
      throw validationError('operations.document_content', 'contentBase64 is not valid base64 content', [{ field: 'body.contentBase64', rule: 'base64', message: 'non-empty base64' }]);
    }
    if (content.length > ENTRY_DOCUMENT_MAX_BYTES) throw validationError('operations.document_too_large', 'The document is larger than 1 MB', [{ field: 'body.contentBase64', rule: 'max_1_mb', message: `at most ${ENTRY_DOCUMENT_MAX_BYTES} bytes`, value: content.length }]);
    return withTx(this.db, ctx, async (trx) => {
      const e = await this.row(trx, id, true);
      const open = phase === 'entry' ? ['applied', 'material_review'] : ['exit_applied'];
      if (!open.includes(e.state)) throw new AppError('conflict', 'operations.entry_state', `${docLabel(input.docKey)} cannot be uploaded in state ${e.state}`, { state: e.state, allowed: open });
      const prior = (await sql<{ status: string }>`select status from ops_provider_entry_documents where entry_id = ${id} and doc_key = ${input.docKey}`.execute(trx)).rows[0];
      if (prior?.status === 'accepted') throw new AppError('conflict', 'operations.document_accepted', `${docLabel(input.docKey)} is already accepted`, { docKey: input.docKey });
      const hash = sm3Hex(content);
      await sql`insert into ops_provider_entry_documents (entry_id, provider_org_id, doc_key, file_name, content_type, content, size_bytes, sm3, submitted_by)
        values (${id}, ${e.providerOrgId}, ${input.docKey}, ${input.fileName}, ${input.contentType}, ${content}, ${content.length}, ${hash}, ${ctx.actor.userId})
        on conflict (entry_id, doc_key) do update set file_name = excluded.file_name, content_type = excluded.content_type, content = excluded.content, size_bytes = excluded.size_bytes,
          sm3 = excluded.sm3, status = 'submitted', review_note = null, reviewed_by = null, reviewed_at = null, submitted_by = excluded.submitted_by, submitted_at = now()`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.entry_document_upload', targetType: 'ops_provider_entry', targetId: id, after: { docKey: input.docKey, sm3: hash, size: content.length } });
      return this.detail(trx, id);
    });
  }

  /** The content of an uploaded document. */
  async documentContent(ctx: RequestContext, id: string, docId: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
    if (!isUuid(docId)) throw notFound('operations.entry_document', docId);
    return withTx(this.db, ctx, async (trx) => {
      await this.row(trx, id);
      const d = (await sql<{ fileName: string; contentType: string; content: Buffer }>`select file_name, content_type, content from ops_provider_entry_documents where id = ${docId} and entry_id = ${id}`.execute(trx)).rows[0];
      if (!d) throw notFound('operations.entry_document', docId);
      return d;
    });
  }

  /** Management / supervision accept or reject an uploaded document (材料审核); a rejected one counts as missing again. */
  async reviewDocument(ctx: RequestContext, id: string, docId: string, input: { accept: boolean; note?: string | null }): Promise<ProviderEntry> {
    if (!isUuid(docId)) throw notFound('operations.entry_document', docId);
    if (!hasPermission(ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.entry_manage_only', 'Only the management unit or the supervision provider may review documents', {});
    if (!input.accept && !input.note) throw validationError('operations.review_note_required', 'A rejection needs a note saying what to correct', [{ field: 'body.note', rule: 'required_on_reject', message: 'say what to correct' }]);
    return withTx(this.db, ctx, async (trx) => {
      const e = await this.row(trx, id, true);
      const d = (await sql<{ docKey: string }>`select doc_key from ops_provider_entry_documents where id = ${docId} and entry_id = ${id}`.execute(trx)).rows[0];
      if (!d) throw notFound('operations.entry_document', docId);
      const reviewable = docPhase(d.docKey) === 'entry' ? ['applied', 'material_review'] : ['exit_applied'];
      if (!reviewable.includes(e.state)) throw new AppError('conflict', 'operations.entry_state', `The document cannot be reviewed in state ${e.state}`, { state: e.state, allowed: reviewable });
      await sql`update ops_provider_entry_documents set status = ${input.accept ? 'accepted' : 'rejected'}, review_note = ${input.note ?? null}, reviewed_by = ${ctx.actor.userId}, reviewed_at = now() where id = ${docId}`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.entry_document_review', targetType: 'ops_provider_entry', targetId: id, after: { docKey: d.docKey, accept: input.accept, note: input.note ?? null } });
      return this.detail(trx, id);
    });
  }

  /**
   * Moves an entry record along: applied → material_review (the provider submits, all eight documents uploaded) →
   * initial_assessment (every document accepted; or back to applied 退回补正), entered → exit_applied (with the reason)
   * → migrating (the exit documents uploaded) → exited (the clearance checklist done). A transition the state does not
   * allow answers `409 operations.entry_state`; missing documents or open checks `409` naming each of them.
   */
  async transition(ctx: RequestContext, id: string, input: { to: EntryState; note?: string | null; exitReason?: string | null }): Promise<ProviderEntry> {
    const rule = TRANSITIONS[input.to];
    if (!rule) throw validationError('operations.entry_transition', `No transition to ${input.to} here (the assessment has its own endpoint)`, [{ field: 'body.to', rule: 'transition', message: `one of ${Object.keys(TRANSITIONS).join(', ')}`, value: input.to }]);
    if (rule.manage && !hasPermission(ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.entry_manage_only', 'Only the management unit or the supervision provider may do this', { to: input.to });
    if (input.to === 'exit_applied' && !input.exitReason) throw validationError('operations.exit_reason_required', 'An exit needs its reason', [{ field: 'body.exitReason', rule: 'required', message: 'exitReason is required' }]);
    if (input.to === 'applied' && !input.note) throw validationError('operations.return_note_required', 'Returning the materials needs a note saying what to correct', [{ field: 'body.note', rule: 'required', message: 'say what to correct' }]);
    return withTx(this.db, ctx, async (trx) => {
      const e = await this.row(trx, id, true);
      if (e.state !== rule.from) throw new AppError('conflict', 'operations.entry_state', `Cannot move from ${e.state} to ${input.to} (only from ${rule.from})`, { state: e.state, to: input.to, from: rule.from });
      const docs = (await sql<{ docKey: string; status: EntryDocument['status'] }>`select doc_key, status from ops_provider_entry_documents where entry_id = ${id}`.execute(trx)).rows;
      const checks = (await sql<{ itemKey: string }>`select item_key from ops_provider_entry_checks where entry_id = ${id}`.execute(trx)).rows.map((c) => c.itemKey);
      const problem = entryTransitionProblems(input.to, docs, checks);
      if (problem) {
        throw new AppError('conflict', problem.code, `${PROBLEM_TEXT[problem.code]}：${problem.items.map((i) => i.label).join('、')}`, { missing: problem.items });
      }
      const today = localDate(this.clock());
      await sql`update ops_provider_entries set state = ${input.to}
        ${input.to === 'exit_applied' ? sql`, exit_reason = ${input.exitReason!}` : sql``}
        ${input.to === 'exited' ? sql`, exited_on = ${today}` : sql``}
        where id = ${id}`.execute(trx);
      await this.logTransition(trx, ctx, id, e.providerOrgId, e.state, input.to, input.note ?? input.exitReason ?? null);
      return this.detail(trx, id);
    });
  }

  /**
   * The initial assessment (初期建设考核, seed 004 §4.3.2.2.1): passed → entered (a node's entry needs a filed machine
   * room, 机房信息备案, `operations.machine_room_not_filed`); the first failure gives one month to rectify before the
   * second assessment; a second failure rejects the entry (两次考核不通过的 … 按照退出机制处理).
   */
  async assess(ctx: RequestContext, id: string, input: { on: string; passed: boolean; note?: string | null }): Promise<ProviderEntry> {
    if (!hasPermission(ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.entry_manage_only', 'Only the management unit or the supervision provider may assess', {});
    if (input.on > localDate(this.clock())) throw validationError('operations.assessed_in_future', 'The assessment day is in the future', [{ field: 'body.on', rule: 'not_future', message: 'not after today', value: input.on }]);
    if (!input.passed && !input.note) throw validationError('operations.assessment_note_required', 'A failed assessment needs the findings', [{ field: 'body.note', rule: 'required_on_fail', message: 'the findings to rectify' }]);
    return withTx(this.db, ctx, async (trx) => {
      const e = await this.row(trx, id, true);
      if (e.state !== 'initial_assessment') throw new AppError('conflict', 'operations.entry_state', `Cannot assess in state ${e.state}`, { state: e.state, from: 'initial_assessment' });
      if (input.passed) {
        if (e.nodeId) {
          const room = (await sql<{ id: string }>`select id from ops_machine_rooms where provider_org_id = ${e.providerOrgId} and node_id = ${e.nodeId} limit 1`.execute(trx)).rows[0];
          if (!room) throw new AppError('conflict', 'operations.machine_room_not_filed', '机房信息未备案：进驻前须在该节点完成机房信息备案', { nodeId: e.nodeId });
        }
        await sql`update ops_provider_entries set state = 'entered', entered_on = ${input.on}, assessment_attempts = assessment_attempts + 1, rectify_by = null where id = ${id}`.execute(trx);
        await this.logTransition(trx, ctx, id, e.providerOrgId, e.state, 'entered', input.note ?? '初期评估通过');
      } else if (e.assessmentAttempts === 0) {
        await sql`update ops_provider_entries set assessment_attempts = 1, rectify_by = ${addMonths(input.on, 1)} where id = ${id}`.execute(trx);
        await this.logTransition(trx, ctx, id, e.providerOrgId, e.state, 'initial_assessment', `初期评估未通过，限期 1 个月整改：${input.note}`);
      } else {
        await sql`update ops_provider_entries set state = 'rejected', assessment_attempts = 2, rectify_by = null where id = ${id}`.execute(trx);
        await this.logTransition(trx, ctx, id, e.providerOrgId, e.state, 'rejected', `两次考核不通过，按照退出机制处理：${input.note}`);
      }
      return this.detail(trx, id);
    });
  }

  /** Ticks an item of the clearance checklist (迁移/数据清退) while migrating. */
  async completeCheck(ctx: RequestContext, id: string, itemKey: string, input: { note?: string | null }): Promise<ProviderEntry> {
    if (!EXIT_CHECKS.some((c) => c.key === itemKey)) throw validationError('operations.unknown_check', `Unknown checklist item ${itemKey}`, [{ field: 'params.itemKey', rule: 'known_item', message: `one of ${EXIT_CHECKS.map((c) => c.key).join(', ')}`, value: itemKey }]);
    return withTx(this.db, ctx, async (trx) => {
      const e = await this.row(trx, id, true);
      if (e.state !== 'migrating') throw new AppError('conflict', 'operations.entry_state', `Checklist items are ticked while migrating, not in state ${e.state}`, { state: e.state, from: 'migrating' });
      await sql`insert into ops_provider_entry_checks (entry_id, provider_org_id, item_key, note, done_by) values (${id}, ${e.providerOrgId}, ${itemKey}, ${input.note ?? null}, ${ctx.actor.userId})
        on conflict (entry_id, item_key) do update set note = excluded.note, done_by = excluded.done_by, done_at = now()`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.entry_check', targetType: 'ops_provider_entry', targetId: id, after: { itemKey, note: input.note ?? null } });
      return this.detail(trx, id);
    });
  }
}
