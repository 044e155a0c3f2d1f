import type { Db } from '../../platform/db/database.js';
import type { CalendarService } from '../calendar/index.js';
import type { DocumentsService } from '../documents/index.js';
import type { NotificationService } from '../notifications/index.js';
import type { FollowUpServices } from './evaluation.followup.routes.js';
import { AnnualRatingService } from './evaluation.annual.js';
import { AnnualReportService } from './evaluation.annual.report.js';
import { AssessmentService } from './evaluation.assessments.js';
import { ObjectionService } from './evaluation.objections.js';
import { RectificationService } from './evaluation.rectifications.js';

/** The services of the follow-up on published provider scores (objections, rectifications, annual rating, construction-phase assessments), wired in container.ts. */
export function createEvaluationFollowUp(db: Db, deps: { calendar: CalendarService; notifications: NotificationService; documents: DocumentsService }): FollowUpServices {
  const objections = new ObjectionService(db, deps.calendar, deps.notifications);
  const rectifications = new RectificationService(db, deps.notifications);
  const annual = new AnnualRatingService(db);
  return { objections, rectifications, annual, annualReport: new AnnualReportService(annual, objections, rectifications, deps.documents), assessments: new AssessmentService(db, deps.notifications) };
}
