/**
 * Data quality (数据质量): per cloud provider × node × interface table × day, completeness (expected vs received),
 * timeliness (on time / accepted) and validity (accepted / all pushed), scored against the 95% completeness target.
 * `QualityService.computeDay` stores a day's rows (the `quality.compute` job: today and yesterday, every 15 minutes);
 * routes under /api/data-quality. Definitions: docs/data-quality.md.
 */
export { QualityService, type ComputeOptions, type ComputeResult } from './quality.service.js';
export { registerQualityRoutes } from './quality.routes.js';
export { registerQualityJobs } from './quality.jobs.js';
export { COMPLETENESS_TARGET, figuresOf, methodOf, type CompletenessMethod, type QualityFigures } from './quality.rules.js';
