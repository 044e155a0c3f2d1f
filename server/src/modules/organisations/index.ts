/**
 * Organisations (组织机构): management unit, supervision provider, cloud providers, user units (agencies with
 * sub-units) and external data users, as a tree with ancestor paths. Another organisation's record answers 404.
 */
export { OrganisationService, type OrgSummary } from './organisations.service.js';
export { registerOrganisationRoutes } from './organisations.routes.js';
export { inScope, manages, scopeFor } from './organisations.policy.js';
export { likePattern } from './organisations.repository.js';
export { orgKindSchema, pageParam, pageSizeParam, type NewOrganisation, type Organisation } from './organisations.schemas.js';
