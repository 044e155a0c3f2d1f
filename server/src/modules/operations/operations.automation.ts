import { sql } from 'kysely';
import { hasPermission, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, validationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';

/**
 * Settings of the operations jobs (one row, `ops_automation_settings`, migration 0130): special-task reminders N
 * working days before the due day and escalation to the management unit M working days after it; the relative change
 * of a pushed platform total (云平台规格数据) that counts as a detected major change.
 */
export interface AutomationSettings {
  taskDueSoonWorkingDays: number;
  taskEscalateAfterWorkingDays: number;
  /** Percent, a decimal string (e.g. "10.00"). */
  specChangeThresholdPct: string;
  updatedAt: string;
}

export const DEFAULT_AUTOMATION_SETTINGS = { taskDueSoonWorkingDays: 3, taskEscalateAfterWorkingDays: 3, specChangeThresholdPct: '10.00' } as const;

const strip = ({ updatedAt: _u, ...rest }: AutomationSettings) => rest;

export async function readAutomationSettings(trx: Tx): Promise<AutomationSettings> {
  const r = (await sql<{ taskDueSoonWorkingDays: number; taskEscalateAfterWorkingDays: number; specChangeThresholdPct: string; updatedAt: Date }>`
    select task_due_soon_working_days, task_escalate_after_working_days, spec_change_threshold_pct::text as spec_change_threshold_pct, updated_at
    from ops_automation_settings where id`.execute(trx)).rows[0];
  if (!r) return { ...DEFAULT_AUTOMATION_SETTINGS, updatedAt: new Date(0).toISOString() };
  return { ...r, updatedAt: r.updatedAt.toISOString() };
}

/** Reads and (management / supervision, `operations:manage`) changes the settings; a change is audited. */
export class AutomationSettingsService {
  constructor(private readonly db: Db) {}

  get(ctx: RequestContext): Promise<AutomationSettings> {
    return withTx(this.db, ctx, (trx) => readAutomationSettings(trx));
  }

  async update(ctx: RequestContext, input: Partial<Omit<AutomationSettings, 'updatedAt'>>): Promise<AutomationSettings> {
    if (!hasPermission(ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.settings_manage_only', 'Only the management unit or the supervision provider changes these settings', {});
    const issue = (field: string, rule: string, message: string, value: unknown) => validationError('operations.invalid_setting', `${field}: ${message}`, [{ field: `body.${field}`, rule, message, value }]);
    const intIn = (v: number | undefined, field: string, lo: number, hi: number) => {
      if (v !== undefined && (!Number.isInteger(v) || v < lo || v > hi)) throw issue(field, 'range', `a whole number from ${lo} to ${hi}`, v);
    };
    intIn(input.taskDueSoonWorkingDays, 'taskDueSoonWorkingDays', 1, 20);
    intIn(input.taskEscalateAfterWorkingDays, 'taskEscalateAfterWorkingDays', 1, 60);
    if (input.specChangeThresholdPct !== undefined) {
      const ok = /^\d{1,4}(\.\d{1,2})?$/.test(input.specChangeThresholdPct) && Number(input.specChangeThresholdPct) > 0 && Number(input.specChangeThresholdPct) <= 1000;
      if (!ok) throw issue('specChangeThresholdPct', 'percent', 'a percentage above 0 and at most 1000, at most 2 decimals', input.specChangeThresholdPct);
    }
    return withTx(this.db, ctx, async (trx) => {
      const before = await readAutomationSettings(trx);
      await sql`update ops_automation_settings set
          task_due_soon_working_days = coalesce(${input.taskDueSoonWorkingDays ?? null}::integer, task_due_soon_working_days),
          task_escalate_after_working_days = coalesce(${input.taskEscalateAfterWorkingDays ?? null}::integer, task_escalate_after_working_days),
          spec_change_threshold_pct = coalesce(${input.specChangeThresholdPct ?? null}::numeric, spec_change_threshold_pct),
          updated_by = ${ctx.actor.userId}, updated_at = now()
        where id`.execute(trx);
      const after = await readAutomationSettings(trx);
      await recordAudit(trx, ctx, { action: 'operations.automation_settings', targetType: 'ops_automation_settings', targetId: 'singleton', before: strip(before), after: strip(after) });
      return after;
    });
  }
}
