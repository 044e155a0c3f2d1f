/**
 * Notifications (消息通知): in-app messages (the bell), e-mail over SMTP and instant-messaging robot webhooks, chosen
 * per person and kind; deadline warnings, due notices and escalation of overdue workflow tasks (and of any other
 * module's deadlines through `DeadlineNotifier.registerSource` / `notifyDeadline`); key-guarantee periods (重保期).
 *
 * Other modules: `notifications.notify(trx, { recipients, kind, title, body, link, severity })` inside their own
 * transaction; `keyPeriods.isKeyPeriod(at, nodeId?, trx?)` (or the function `isKeyPeriod(executor, at, nodeId?)`).
 */
export { NotificationService, type NotifyResult } from './notifications.service.js';
export { DeadlineNotifier, type DeadlineItem, type DeadlineSource, type NotifyDeadlineInput, type DeadlineMarkStage } from './deadlines.service.js';
export { KeyPeriodService, isKeyPeriod } from './keyperiods.service.js';
export { deadlineStage, WARNING_FRACTION, type DeadlineStage } from './notifications.deadlines.js';
export { webhookSignature, webhookBody, type WebhookFormat } from './notifications.channels.js';
export { registerNotificationRoutes } from './notifications.routes.js';
export { registerNotificationJobs } from './notifications.jobs.js';
export type { NotifyInput, Recipients, Notification, KeyPeriod } from './notifications.schemas.js';
export { workflowNoticeListener, workOrderNoticeListener } from './workflow-notices.js';
