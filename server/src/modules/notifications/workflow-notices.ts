/**
 * Notifications of the approval workflow: a new to-do (新待办) to whoever is assigned a task, and the decision
 * (approved / rejected / returned for changes) to whoever started the instance. Written in the workflow's own
 * transaction under a savepoint, so a failing notification is logged and never undoes the approval itself.
 */
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.js';
import type { OrgKind } from '../../platform/context.js';
import type { Logger } from '../../platform/logger.js';
import type { WorkflowListener, WorkflowNotice } from '../workflow/index.js';

import { NotificationService } from './notifications.service.js';
import type { Recipients } from './notifications.schemas.js';

NotificationService.registerKind('workflow.task', '新待办', 'New to-do');
NotificationService.registerKind('workflow.decided', '审批结果', 'Approval decision');
NotificationService.registerKind('workorder.opened', '新工单', 'New work order');
NotificationService.registerKind('workorder.delivered', '交付待验收', 'Delivery to accept');
NotificationService.registerKind('workorder.rejected', '交付被退回', 'Delivery rejected');

const DECISION_ZH = { approved: '已通过', rejected: '未通过', returned: '退回修改' } as const;

function beijing(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

async function send(notifications: NotificationService, trx: Tx, n: WorkflowNotice): Promise<void> {
  if (n.kind === 'task_assigned') {
    const a = n.assignee;
    const recipients: Recipients = a.userId
      ? { userIds: [a.userId] }
      : { ...(a.role ? { roleCodes: [a.role] } : {}), ...(a.orgId ? { orgIds: [a.orgId] } : {}), ...(a.orgKind ? { orgKinds: [a.orgKind as OrgKind] } : {}) };
    await notifications.notify(trx, {
      recipients,
      kind: 'workflow.task',
      title: `新待办：${n.title ?? '审批'} · ${n.stepName}`,
      body: n.dueAt ? `请于 ${beijing(n.dueAt)} 前办理。` : '请及时办理。',
      link: `/todo?task=${n.taskId}`,
    });
    return;
  }
  if (!n.startedBy) return;
  await notifications.notify(trx, {
    recipients: { userIds: [n.startedBy] },
    kind: 'workflow.decided',
    title: `${DECISION_ZH[n.status]}：${n.title ?? '审批'}`,
    body: n.status === 'returned' ? '申请被退回，请修改后重新提交。' : `审批${DECISION_ZH[n.status]}。`,
    severity: n.status === 'approved' ? 'info' : 'warning',
  });
}

/** The listener to register with `workflow.onNotice(...)`. */
export function workflowNoticeListener(notifications: NotificationService, logger: Logger): WorkflowListener {
  return async (trx, notice) => {
    await sql`savepoint workflow_notice`.execute(trx);
    try {
      await send(notifications, trx, notice);
      await sql`release savepoint workflow_notice`.execute(trx);
    } catch (err) {
      await sql`rollback to savepoint workflow_notice`.execute(trx);
      logger.warn({ err, notice: notice.kind, instanceId: notice.instanceId }, 'workflow notification not sent');
    }
  };
}

/** Fulfilment news of the applications module (its WorkOrderNotice; repeated here so this module does not import it). */
export interface WorkOrderNotice {
  kind: 'work_order_opened' | 'delivered' | 'delivery_rejected';
  applicationId: string;
  appNo: string;
  title: string;
  unitId: string;
  providerOrgId: string;
  createdBy: string | null;
  dueAt: Date | null;
  reason?: string;
}

async function sendWorkOrder(notifications: NotificationService, trx: Tx, n: WorkOrderNotice): Promise<void> {
  const link = `/applications?id=${n.applicationId}`;
  const what = `${n.appNo} ${n.title}`;
  if (n.kind === 'work_order_opened') {
    await notifications.notify(trx, {
      recipients: { roleCodes: ['provider_staff', 'provider_admin'], orgIds: [n.providerOrgId] },
      kind: 'workorder.opened',
      title: `新工单：${what}`,
      body: n.dueAt ? `请于 ${beijing(n.dueAt)} 前完成交付。` : '请及时交付。',
      link,
    });
  } else if (n.kind === 'delivered') {
    await notifications.notify(trx, {
      recipients: n.createdBy ? { userIds: [n.createdBy] } : { roleCodes: ['unit_staff', 'unit_admin'], orgIds: [n.unitId] },
      kind: 'workorder.delivered',
      title: `交付待验收：${what}`,
      body: '服务商已交付，请验收。',
      link,
    });
  } else {
    await notifications.notify(trx, {
      recipients: { roleCodes: ['provider_staff', 'provider_admin'], orgIds: [n.providerOrgId] },
      kind: 'workorder.rejected',
      title: `交付被退回：${what}`,
      body: `退回原因：${n.reason ?? ''}`,
      link,
      severity: 'warning',
    });
  }
}

/** The listener to register with `applications.setWorkOrderListener(...)`. */
export function workOrderNoticeListener(notifications: NotificationService, logger: Logger): (trx: Tx, notice: WorkOrderNotice) => Promise<void> {
  return async (trx, notice) => {
    await sql`savepoint work_order_notice`.execute(trx);
    try {
      await sendWorkOrder(notifications, trx, notice);
      await sql`release savepoint work_order_notice`.execute(trx);
    } catch (err) {
      await sql`rollback to savepoint work_order_notice`.execute(trx);
      logger.warn({ err, notice: notice.kind, applicationId: notice.applicationId }, 'work-order notification not sent');
    }
  };
}
