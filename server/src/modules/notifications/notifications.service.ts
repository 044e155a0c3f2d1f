import { sql } from 'kysely';
import type { Config } from '../../platform/config.js';
import { systemContext, type OrgKind, type RequestContext } from '../../platform/context.js';
import type { FieldCipher } from '../../platform/crypto/index.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { JobQueue } from '../../platform/jobs/jobs.js';
import { EmailChannel, postWebhook, type OutgoingMessage, type WebhookFormat } from './notifications.channels.js';
import { MAX_ATTEMPTS, retryDelayMs } from './notifications.deadlines.js';
import {
  notifyInputSchema,
  type Delivery,
  type EscalationRule,
  type ListQuery,
  type Notification,
  type NotifyInput,
  type Preferences,
  type PreferencesInput,
  type Recipients,
  type WebhookInput,
} from './notifications.schemas.js';

/** Kinds the platform sends, with their names for the preferences page; modules add theirs with `registerKind`. */
const KINDS = new Map<string, { nameZh: string; nameEn: string }>([
  ['workflow.deadline_warning', { nameZh: '办理时限预警', nameEn: 'Deadline approaching' }],
  ['workflow.overdue', { nameZh: '办理超时', nameEn: 'Task overdue' }],
  ['workflow.escalation', { nameZh: '超时升级', nameEn: 'Overdue escalation' }],
  ['keyperiod.declared', { nameZh: '重保期通知', nameEn: 'Key-guarantee period' }],
]);

const DEFAULT_CHANNELS = { inApp: true, email: true, webhook: false };

/** Runs `fn` with the notification tables visible as the platform (recipients' preferences, addresses). */
export async function asNotificationSystem<T>(trx: Tx, fn: () => Promise<T>): Promise<T> {
  const prev = await sql<{ v: string | null }>`select current_setting('zhengyun.notify_system', true) as v`.execute(trx);
  await sql`select set_config('zhengyun.notify_system', 'on', true)`.execute(trx);
  try {
    return await fn();
  } finally {
    await sql`select set_config('zhengyun.notify_system', ${prev.rows[0]?.v ?? ''}, true)`.execute(trx);
  }
}

export interface NotifyResult {
  userIds: string[];
  notificationIds: string[];
  deliveries: number;
}

/**
 * In-app notifications, channel preferences and the delivery outbox (e-mail over SMTP, instant-messaging robots).
 * `notify` writes in the caller's transaction; the job `notifications.deliver` sends what is due.
 */
export class NotificationService {
  readonly email: EmailChannel;

  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
    private readonly config: Pick<Config, 'smtpUrl' | 'smtpHost' | 'smtpPort' | 'smtpSecure' | 'smtpUser' | 'smtpPassword' | 'smtpFrom' | 'publicUrl'>,
    private readonly logger: Logger,
    private readonly jobs: JobQueue | null = null,
  ) {
    this.email = new EmailChannel(config.smtpUrl || config.smtpHost ? { url: config.smtpUrl, host: config.smtpHost, port: config.smtpPort, secure: config.smtpSecure, user: config.smtpUser, password: config.smtpPassword, from: config.smtpFrom } : null);
  }

  /** Names a kind of notification for the preferences page (modules call this once at wiring). */
  static registerKind(kind: string, nameZh: string, nameEn: string): void {
    KINDS.set(kind, { nameZh, nameEn });
  }

  // ---- sending ------------------------------------------------------------------------------------------------

  /**
   * Notifies people: resolves the recipients to active users (across organisations), writes one notification per
   * user and queues e-mail / webhook deliveries according to each user's preferences for the kind. With `trx` the
   * rows are written in the caller's transaction (they appear when it commits); with null in a transaction of
   * its own. Recipients nobody matches are not an error (an empty result).
   */
  async notify(trx: Tx | null, input: NotifyInput): Promise<NotifyResult> {
    const parsed = notifyInputSchema.safeParse(input);
    if (!parsed.success) {
      throw validationError(
        'notifications.invalid_input',
        'The notification is incomplete or malformed',
        parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'input', rule: i.code, message: i.message })),
      );
    }
    const n = parsed.data;
    const run = (t: Tx) => asNotificationSystem(t, () => this.write(t, n));
    if (trx) {
      const result = await run(trx);
      if (result.deliveries) this.kick(3_000);
      return result;
    }
    const result = await withTx(this.db, systemContext('notifications.notify'), run);
    if (result.deliveries) this.kick(0);
    return result;
  }

  private async write(trx: Tx, n: ReturnType<typeof notifyInputSchema.parse>): Promise<NotifyResult> {
    const userIds = await this.resolve(trx, n.recipients);
    if (!userIds.length) return { userIds: [], notificationIds: [], deliveries: 0 };
    const prefs = await trx.selectFrom('notificationPreferences').selectAll().where('userId', 'in', userIds).where('kind', 'in', [n.kind, '*']).execute();
    const channels = new Map(userIds.map((id) => {
      const own = prefs.find((p) => p.userId === id && p.kind === n.kind) ?? prefs.find((p) => p.userId === id && p.kind === '*');
      return [id, own ? { inApp: own.inApp, email: own.email, webhook: own.webhook } : DEFAULT_CHANNELS];
    }));
    const rows = await trx
      .insertInto('notifications')
      .values(userIds.map((userId) => ({ userId, kind: n.kind, severity: n.severity, title: n.title, body: n.body, link: n.link ?? null, inApp: channels.get(userId)!.inApp })))
      .returning(['id', 'userId'])
      .execute();
    const wantsWebhook = userIds.filter((u) => channels.get(u)!.webhook);
    const withHook = new Set(wantsWebhook.length ? await this.usersWithWebhook(trx, wantsWebhook) : []);
    const deliveries: Array<{ notificationId: string; userId: string; channel: string }> = [];
    for (const r of rows) {
      const c = channels.get(r.userId)!;
      if (c.email && this.email.configured) deliveries.push({ notificationId: r.id, userId: r.userId, channel: 'email' });
      if (c.webhook && withHook.has(r.userId)) deliveries.push({ notificationId: r.id, userId: r.userId, channel: 'webhook' });
    }
    if (deliveries.length) await trx.insertInto('notificationDeliveries').values(deliveries).onConflict((oc) => oc.doNothing()).execute();
    return { userIds, notificationIds: rows.map((r) => r.id), deliveries: deliveries.length };
  }

  /** Active users matching the recipients (security-definer lookup: the caller may not see them). */
  async resolve(trx: Tx, r: Recipients): Promise<string[]> {
    const arr = (v: string[] | undefined, type: string) => sql`${v && v.length ? v : null}::${sql.raw(type)}`;
    const rows = await sql<{ id: string }>`select zy_notification_recipients(${arr(r.userIds, 'uuid[]')}, ${arr(r.roleCodes, 'text[]')}, ${arr(r.orgIds, 'uuid[]')}, ${arr(r.orgKinds, 'text[]')}) as id`.execute(trx);
    return [...new Set(rows.rows.map((x) => x.id))].sort();
  }

  /** Recipients with a robot of their own or of their organisation (read as the platform: other tenants' people). */
  private async usersWithWebhook(trx: Tx, userIds: string[]): Promise<string[]> {
    const orgs = await sql<{ userId: string; orgId: string }>`select user_id, org_id from zy_notification_user_orgs(${userIds}::uuid[])`.execute(trx);
    const orgIds = [...new Set(orgs.rows.map((r) => r.orgId))];
    const hooks = await trx
      .selectFrom('notificationWebhooks')
      .select(['userId', 'orgId'])
      .where((eb) => eb.or([eb('userId', 'in', userIds), ...(orgIds.length ? [eb('orgId', 'in', orgIds)] : [])]))
      .execute();
    const users = new Set(hooks.map((h) => h.userId).filter((u): u is string => !!u));
    const hookOrgs = new Set(hooks.map((h) => h.orgId).filter((o): o is string => !!o));
    return orgs.rows.filter((r) => users.has(r.userId) || hookOrgs.has(r.orgId)).map((r) => r.userId);
  }

  /** Asks the worker to deliver soon; the every-minute schedule catches anything a kick misses. */
  private kick(delayMs: number): void {
    if (!this.jobs || !this.jobs.state().started) return;
    const send = () => void this.jobs!.send('notifications.deliver', {}).catch((err: unknown) => this.logger.warn({ err }, 'could not queue notifications.deliver'));
    if (delayMs > 0) setTimeout(send, delayMs).unref();
    else send();
  }

  // ---- delivery -----------------------------------------------------------------------------------------------

  /**
   * Sends the deliveries due at `now` (pending, or a retry whose time has come, or a claim left by a worker that
   * died). Each is claimed first (status `sending`, attempts + 1, locked for 5 min) so two workers never send the
   * same one; a failure schedules the next attempt with backoff (1, 2, 4 … min) until MAX_ATTEMPTS, then `failed`.
   * Returns how many were sent and failed in this run.
   */
  async deliverDue(now: Date = new Date(), limit = 50): Promise<{ sent: number; retried: number; failed: number }> {
    const ctx = systemContext('job:notifications.deliver');
    const claimed = await withTx(this.db, ctx, (trx) =>
      asNotificationSystem(trx, async () => {
        const lockUntil = new Date(now.getTime() + 5 * 60_000);
        const res = await sql<{ id: string }>`
          update notification_deliveries set status = 'sending', attempts = attempts + 1, locked_until = ${lockUntil}
          where id in (select id from notification_deliveries
                       where (status = 'pending' and next_attempt_at <= ${now}) or (status = 'sending' and locked_until < ${now})
                       order by next_attempt_at limit ${limit} for update skip locked)
          returning id`.execute(trx);
        const ids = res.rows.map((r) => r.id);
        if (!ids.length) return [];
        return trx
          .selectFrom('notificationDeliveries as d')
          .innerJoin('notifications as n', 'n.id', 'd.notificationId')
          .innerJoin('users as u', 'u.id', 'd.userId')
          .leftJoin('notificationWebhooks as uw', 'uw.userId', 'd.userId')
          .leftJoin('notificationWebhooks as ow', 'ow.orgId', 'u.orgId')
          .select([
            'd.id', 'd.channel', 'd.attempts', 'n.kind', 'n.severity', 'n.title', 'n.body', 'n.link', 'n.createdAt', 'u.emailEnc', 'u.status as userStatus',
            'uw.url as userUrl', 'uw.format as userFormat', 'uw.secretEnc as userSecret', 'ow.url as orgUrl', 'ow.format as orgFormat', 'ow.secretEnc as orgSecret',
          ])
          .where('d.id', 'in', ids)
          .execute();
      }),
    );
    let sent = 0;
    let retried = 0;
    let failed = 0;
    for (const d of claimed) {
      const m: OutgoingMessage = { deliveryId: d.id, kind: d.kind, severity: d.severity, title: d.title, body: d.body, link: this.absoluteLink(d.link), createdAt: d.createdAt };
      let target: string | null = null;
      let outcome: { ok: true } | { ok: false; error: string; permanent: boolean };
      try {
        if (d.userStatus !== 'active') throw new Permanent('the user is disabled');
        if (d.channel === 'email') {
          if (!d.emailEnc) throw new Permanent('the user has no e-mail address');
          target = this.cipher.decrypt(d.emailEnc);
          if (!this.email.configured) throw new Permanent('SMTP is not configured');
          await this.email.send(target, m);
        } else {
          const url = d.userUrl ?? d.orgUrl;
          if (!url) throw new Permanent('no webhook is configured for the user or the organisation');
          const secretEnc = d.userUrl ? d.userSecret : d.orgSecret;
          target = url.replace(/([?&](key|access_token|token)=)[^&]+/gi, '$1***');
          await postWebhook(url, ((d.userUrl ? d.userFormat : d.orgFormat) ?? 'generic') as WebhookFormat, secretEnc ? this.cipher.decrypt(secretEnc) : null, m);
        }
        outcome = { ok: true };
      } catch (e) {
        outcome = { ok: false, error: ((e as Error).message || String(e)).slice(0, 1000), permanent: e instanceof Permanent };
      }
      await withTx(this.db, ctx, (trx) =>
        asNotificationSystem(trx, async () => {
          if (outcome.ok) {
            await trx.updateTable('notificationDeliveries').set({ status: 'sent', sentAt: new Date(), lockedUntil: null, lastError: null, target }).where('id', '=', d.id).execute();
            return;
          }
          const giveUp = outcome.permanent || d.attempts >= MAX_ATTEMPTS;
          await trx
            .updateTable('notificationDeliveries')
            .set({ status: giveUp ? 'failed' : 'pending', lastError: outcome.error, lockedUntil: null, target, nextAttemptAt: new Date(now.getTime() + retryDelayMs(d.attempts)) })
            .where('id', '=', d.id)
            .execute();
        }),
      );
      if (outcome.ok) sent++;
      else if (outcome.permanent || d.attempts >= MAX_ATTEMPTS) {
        failed++;
        this.logger.warn({ deliveryId: d.id, channel: d.channel, error: outcome.error }, 'notification delivery failed');
      } else retried++;
    }
    return { sent, retried, failed };
  }

  /**
   * Housekeeping (daily job): read notifications after 180 days, unread ones after a year, finished deliveries after
   * 90 days (a notification's deliveries go with it), deadline marks of due times more than 90 days ago.
   * `only.userIds` limits it to those people's rows (tests).
   */
  async prune(now: Date = new Date(), only?: { userIds: string[] }): Promise<{ notifications: number; deliveries: number; marks: number }> {
    const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
    return withTx(this.db, systemContext('job:notifications.prune'), (trx) =>
      asNotificationSystem(trx, async () => {
        let dq = trx.deleteFrom('notificationDeliveries').where('status', 'in', ['sent', 'failed']).where('createdAt', '<', days(90));
        let nq = trx.deleteFrom('notifications').where((eb) => eb.or([eb.and([eb('readAt', 'is not', null), eb('createdAt', '<', days(180))]), eb('createdAt', '<', days(365))]));
        if (only) {
          dq = dq.where('userId', 'in', only.userIds);
          nq = nq.where('userId', 'in', only.userIds);
        }
        const d = await dq.executeTakeFirst();
        const n = await nq.executeTakeFirst();
        const m = only ? { numDeletedRows: 0n } : await trx.deleteFrom('notificationDeadlineMarks').where('dueAt', '<', days(90)).executeTakeFirst();
        return { notifications: Number(n.numDeletedRows), deliveries: Number(d.numDeletedRows), marks: Number(m.numDeletedRows) };
      }),
    );
  }

  private absoluteLink(link: string | null): string | null {
    if (!link) return null;
    if (/^https?:\/\//.test(link)) return link;
    return this.config.publicUrl ? `${this.config.publicUrl.replace(/\/$/, '')}${link.startsWith('/') ? '' : '/'}${link}` : link;
  }

  /** Deliveries of the caller's notifications (the preferences page shows the recent ones). */
  deliveries(ctx: RequestContext, limit = 20): Promise<Delivery[]> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx
        .selectFrom('notificationDeliveries')
        .select(['id', 'notificationId', 'channel', 'status', 'attempts', 'nextAttemptAt', 'lastError', 'sentAt', 'target'])
        .where('userId', '=', userOf(ctx))
        .orderBy('createdAt', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...r, channel: r.channel as Delivery['channel'], status: r.status as Delivery['status'] }));
    });
  }

  // ---- the bell ------------------------------------------------------------------------------------------------

  list(ctx: RequestContext, q: ListQuery): Promise<{ items: Notification[]; unread: number }> {
    const userId = userOf(ctx);
    return withTx(this.db, ctx, async (trx) => {
      let query = trx
        .selectFrom('notifications')
        .select(['id', 'kind', 'severity', 'title', 'body', 'link', 'createdAt', 'readAt'])
        .where('userId', '=', userId)
        .where('inApp', '=', true);
      if (q.unread === 'true') query = query.where('readAt', 'is', null);
      if (q.unread === 'false') query = query.where('readAt', 'is not', null);
      if (q.before) query = query.where('createdAt', '<', new Date(q.before));
      const rows = await query.orderBy('createdAt', 'desc').orderBy('id').limit(q.limit ?? 50).execute();
      return { items: rows.map((r) => ({ ...r, severity: r.severity as Notification['severity'] })), unread: await this.countUnread(trx, userId) };
    });
  }

  unread(ctx: RequestContext): Promise<number> {
    const userId = userOf(ctx);
    return withTx(this.db, ctx, (trx) => this.countUnread(trx, userId));
  }

  private async countUnread(trx: Tx, userId: string): Promise<number> {
    const r = await trx.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).where('userId', '=', userId).where('inApp', '=', true).where('readAt', 'is', null).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Marks one of the caller's notifications read; another person's answers 404. */
  markRead(ctx: RequestContext, id: string): Promise<void> {
    const userId = userOf(ctx);
    return withTx(this.db, ctx, async (trx) => {
      const row = await trx.selectFrom('notifications').select(['id', 'readAt']).where('id', '=', id).where('userId', '=', userId).executeTakeFirst();
      if (!row) throw notFound('notification', id);
      if (!row.readAt) await trx.updateTable('notifications').set({ readAt: new Date() }).where('id', '=', id).execute();
    });
  }

  markAllRead(ctx: RequestContext): Promise<number> {
    const userId = userOf(ctx);
    return withTx(this.db, ctx, async (trx) => {
      const r = await trx.updateTable('notifications').set({ readAt: new Date() }).where('userId', '=', userId).where('readAt', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows);
    });
  }

  // ---- preferences ---------------------------------------------------------------------------------------------

  preferences(ctx: RequestContext): Promise<Preferences> {
    const userId = userOf(ctx);
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx.selectFrom('notificationPreferences').selectAll().where('userId', '=', userId).execute();
      const seen = await trx.selectFrom('notifications').select('kind').distinct().where('userId', '=', userId).execute();
      const star = rows.find((r) => r.kind === '*');
      const defaults = star ? { inApp: star.inApp, email: star.email, webhook: star.webhook } : DEFAULT_CHANNELS;
      const kinds = new Set([...KINDS.keys(), ...seen.map((s) => s.kind), ...rows.filter((r) => r.kind !== '*').map((r) => r.kind)]);
      const user = await trx.selectFrom('users').select(['emailEnc', 'orgId']).where('id', '=', userId).executeTakeFirst();
      const hook = await trx.selectFrom('notificationWebhooks').select(['url', 'format', 'secretEnc', 'updatedAt']).where('userId', '=', userId).executeTakeFirst();
      const orgHook = user ? await asNotificationSystem(trx, () => trx.selectFrom('notificationWebhooks').select('id').where('orgId', '=', user.orgId).executeTakeFirst()) : undefined;
      return {
        defaults,
        kinds: [...kinds].sort().map((kind) => {
          const own = rows.find((r) => r.kind === kind);
          const names = KINDS.get(kind);
          return { kind, nameZh: names?.nameZh ?? kind, nameEn: names?.nameEn ?? kind, ...(own ? { inApp: own.inApp, email: own.email, webhook: own.webhook } : defaults), custom: !!own };
        }),
        email: { configured: this.email.configured, address: user?.emailEnc ? maskEmail(this.cipher.decrypt(user.emailEnc)) : null },
        webhook: hook ? { url: maskUrl(hook.url), format: hook.format as WebhookFormat, hasSecret: !!hook.secretEnc, updatedAt: hook.updatedAt } : null,
        orgWebhook: !!orgHook,
      };
    });
  }

  /** Saves channels per kind ('*' = the defaults for kinds without their own row). */
  async setPreferences(ctx: RequestContext, input: PreferencesInput): Promise<Preferences> {
    const userId = userOf(ctx);
    const kinds = input.items.map((i) => i.kind);
    const dup = kinds.find((k, i) => kinds.indexOf(k) !== i);
    if (dup) throw validationError('notifications.duplicate_kind', `The kind ${dup} is given twice`, [{ field: 'body.items', rule: 'unique_kind', message: 'each kind once', value: dup }]);
    await withTx(this.db, ctx, async (trx) => {
      await trx
        .insertInto('notificationPreferences')
        .values(input.items.map((i) => ({ userId, kind: i.kind, inApp: i.inApp, email: i.email, webhook: i.webhook, updatedAt: new Date() })))
        .onConflict((oc) => oc.columns(['userId', 'kind']).doUpdateSet((eb) => ({ inApp: eb.ref('excluded.inApp'), email: eb.ref('excluded.email'), webhook: eb.ref('excluded.webhook'), updatedAt: eb.ref('excluded.updatedAt') })))
        .execute();
    });
    return this.preferences(ctx);
  }

  /** The caller's own robot webhook (replaces the stored one). */
  async setWebhook(ctx: RequestContext, input: WebhookInput): Promise<Preferences> {
    const userId = userOf(ctx);
    await withTx(this.db, ctx, async (trx) => {
      const existing = await trx.selectFrom('notificationWebhooks').select(['id', 'secretEnc', 'url']).where('userId', '=', userId).executeTakeFirst();
      const secretEnc = input.secret === undefined ? (existing?.secretEnc ?? null) : input.secret === null ? null : this.cipher.encrypt(input.secret);
      // The page shows the URL with its key masked: sent back unchanged, it keeps the stored one.
      const url = existing && input.url === maskUrl(existing.url) ? existing.url : input.url;
      if (existing) await trx.updateTable('notificationWebhooks').set({ url, format: input.format, secretEnc, updatedBy: userId, updatedAt: new Date() }).where('id', '=', existing.id).execute();
      else await trx.insertInto('notificationWebhooks').values({ userId, url, format: input.format, secretEnc, updatedBy: userId }).execute();
    });
    return this.preferences(ctx);
  }

  async removeWebhook(ctx: RequestContext): Promise<void> {
    const userId = userOf(ctx);
    await withTx(this.db, ctx, (trx) => trx.deleteFrom('notificationWebhooks').where('userId', '=', userId).execute());
  }

  /** An organisation's robot (its people without their own get its messages). Needs user:write in that organisation's scope. */
  async setOrgWebhook(ctx: RequestContext, orgId: string, input: WebhookInput): Promise<{ url: string; format: WebhookFormat; hasSecret: boolean; updatedAt: Date }> {
    return withTx(this.db, ctx, async (trx) => {
      const org = await trx.selectFrom('organisations').select('id').where('id', '=', orgId).executeTakeFirst();
      if (!org) throw notFound('organisation', orgId);
      const existing = await trx.selectFrom('notificationWebhooks').select(['id', 'secretEnc', 'url']).where('orgId', '=', orgId).executeTakeFirst();
      const secretEnc = input.secret === undefined ? (existing?.secretEnc ?? null) : input.secret === null ? null : this.cipher.encrypt(input.secret);
      const url = existing && input.url === maskUrl(existing.url) ? existing.url : input.url;
      const row = existing
        ? await trx.updateTable('notificationWebhooks').set({ url, format: input.format, secretEnc, updatedBy: ctx.actor.userId, updatedAt: new Date() }).where('id', '=', existing.id).returning(['url', 'format', 'secretEnc', 'updatedAt']).executeTakeFirstOrThrow()
        : await trx.insertInto('notificationWebhooks').values({ orgId, url, format: input.format, secretEnc, updatedBy: ctx.actor.userId }).returning(['url', 'format', 'secretEnc', 'updatedAt']).executeTakeFirstOrThrow();
      return { url: maskUrl(row.url), format: row.format as WebhookFormat, hasSecret: !!row.secretEnc, updatedAt: row.updatedAt };
    });
  }

  async removeOrgWebhook(ctx: RequestContext, orgId: string): Promise<void> {
    await withTx(this.db, ctx, async (trx) => {
      const org = await trx.selectFrom('organisations').select('id').where('id', '=', orgId).executeTakeFirst();
      if (!org) throw notFound('organisation', orgId);
      await trx.deleteFrom('notificationWebhooks').where('orgId', '=', orgId).execute();
    });
  }

  // ---- escalation rules ----------------------------------------------------------------------------------------

  escalationRules(ctx: RequestContext): Promise<EscalationRule[]> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx.selectFrom('notificationEscalationRules').select(['definitionCode', 'stepKey', 'roleCode', 'org']).orderBy('definitionCode', 'asc').orderBy('stepKey', 'asc').execute();
      return rows.map((r) => ({ ...r, org: r.org as EscalationRule['org'] }));
    });
  }

  /** Replaces the escalation rules; one global rule (no definition, no step) is required. */
  async setEscalationRules(ctx: RequestContext, items: EscalationRule[]): Promise<EscalationRule[]> {
    if (!items.some((i) => i.definitionCode === null && i.stepKey === null)) {
      throw validationError('notifications.global_rule_required', 'Keep one global escalation rule (no definition, no step)', [{ field: 'body.items', rule: 'global_rule', message: 'add a rule with definitionCode and stepKey null' }]);
    }
    const issues = items.flatMap((i, idx) => (i.stepKey !== null && i.definitionCode === null ? [{ field: `body.items.${idx}.definitionCode`, rule: 'required_with_step', message: 'a step rule names its definition' }] : []));
    const keys = items.map((i) => `${i.definitionCode ?? ''}/${i.stepKey ?? ''}`);
    keys.forEach((k, idx) => {
      if (keys.indexOf(k) !== idx) issues.push({ field: `body.items.${idx}`, rule: 'unique', message: `a second rule for ${k}` });
    });
    if (issues.length) throw validationError('notifications.invalid_escalation_rules', 'The escalation rules are inconsistent', issues);
    return withTx(this.db, ctx, async (trx) => {
      const roles = await trx.selectFrom('roles').select('code').where('code', 'in', [...new Set(items.map((i) => i.roleCode))]).execute();
      const known = new Set(roles.map((r) => r.code));
      const unknown = items.findIndex((i) => !known.has(i.roleCode));
      if (unknown >= 0) throw validationError('notifications.unknown_role', `No role ${items[unknown]!.roleCode}`, [{ field: `body.items.${unknown}.roleCode`, rule: 'known_role', message: 'a built-in role code', value: items[unknown]!.roleCode }]);
      await trx.deleteFrom('notificationEscalationRules').execute();
      await trx.insertInto('notificationEscalationRules').values(items).execute();
      return this.escalationRulesIn(trx);
    });
  }

  private async escalationRulesIn(trx: Tx): Promise<EscalationRule[]> {
    const rows = await trx.selectFrom('notificationEscalationRules').select(['definitionCode', 'stepKey', 'roleCode', 'org']).execute();
    return rows.map((r) => ({ ...r, org: r.org as EscalationRule['org'] }));
  }

  /** The escalation target of a step: its own rule, else its definition's, else the global one. */
  async escalationFor(trx: Tx, definitionCode: string, stepKey: string, taskOrgId: string | null): Promise<Recipients> {
    const rules = await this.escalationRulesIn(trx);
    const rule =
      rules.find((r) => r.definitionCode === definitionCode && r.stepKey === stepKey) ??
      rules.find((r) => r.definitionCode === definitionCode && r.stepKey === null) ??
      rules.find((r) => r.definitionCode === null && r.stepKey === null) ?? { roleCode: 'mgmt_staff', org: 'management_unit' as const };
    if (rule.org === 'task_org' && taskOrgId) return { roleCodes: [rule.roleCode], orgIds: [taskOrgId] };
    return { roleCodes: [rule.roleCode], orgKinds: [rule.org === 'supervision_provider' ? 'supervision_provider' : 'management_unit'] as OrgKind[] };
  }
}

class Permanent extends Error {}

function userOf(ctx: RequestContext): string {
  if (!ctx.actor.userId) throw new AppError('forbidden', 'notifications.person_only', 'Notifications belong to a signed-in person');
  return ctx.actor.userId;
}

function maskEmail(e: string): string {
  const [name, domain] = e.split('@');
  if (!domain || !name) return e;
  return `${name.slice(0, 2)}***@${domain}`;
}

function maskUrl(u: string): string {
  return u.replace(/([?&](key|access_token|token)=)([^&]{4})[^&]*/gi, '$1$3***');
}
