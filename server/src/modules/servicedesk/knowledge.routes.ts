import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { announcementSchema, articlePatchSchema, articleSchema, idParamsSchema, kbSearchSchema, newAnnouncementSchema, newArticleSchema } from './servicedesk.schemas.js';
import type { KnowledgeService } from './knowledge.service.js';

const tags = ['servicedesk'];

export function registerKnowledgeRoutes(app: App, service: KnowledgeService): void {
  app.get('/api/kb/articles', { config: { permission: 'kb:read' }, schema: { tags, summary: 'Knowledge base (知识库): Chinese full-text search, title hits first', querystring: kbSearchSchema, response: { 200: z.object({ items: z.array(articleSchema), total: z.number() }) } } },
    async (req) => service.search(req.ctx, req.query));
  app.post('/api/kb/articles', { config: { permission: 'kb:write' }, schema: { tags, summary: 'Write an article', body: newArticleSchema, response: { 201: articleSchema } } },
    async (req, reply) => reply.status(201).send(await service.createArticle(req.ctx, req.body)));
  app.get('/api/kb/articles/:id', { config: { permission: 'kb:read' }, schema: { tags, summary: 'One article', params: idParamsSchema, response: { 200: articleSchema } } },
    async (req) => service.getArticle(req.ctx, req.params.id));
  app.patch('/api/kb/articles/:id', { config: { permission: 'kb:write' }, schema: { tags, summary: 'Edit an article (a new version)', params: idParamsSchema, body: articlePatchSchema, response: { 200: articleSchema } } },
    async (req) => service.updateArticle(req.ctx, req.params.id, req.body));
  app.get('/api/announcements', { config: { permission: 'ticket:read' }, schema: { tags, summary: 'Announcements (公告) valid now for the caller; all with read counts for writers (all=true)', querystring: z.strictObject({ all: z.enum(['true', 'false']).optional() }), response: { 200: z.object({ items: z.array(announcementSchema) }) } } },
    async (req) => ({ items: await service.announcements(req.ctx, { all: req.query.all === 'true' }) }));
  app.post('/api/announcements', { config: { permission: 'announcement:write' }, schema: { tags, summary: 'Publish an announcement with audience and validity', body: newAnnouncementSchema, response: { 201: announcementSchema } } },
    async (req, reply) => reply.status(201).send(await service.createAnnouncement(req.ctx, req.body)));
  app.post('/api/announcements/:id/read', { config: { permission: 'ticket:read' }, schema: { tags, summary: 'Read receipt (已读)', params: idParamsSchema, response: { 204: z.null() } } },
    async (req, reply) => { await service.markRead(req.ctx, req.params.id); return reply.status(204).send(null); });
  app.get('/api/dictionary', { config: { permission: 'ticket:read' }, schema: { tags, summary: 'Data dictionary (数据字典): the code tables the platform uses', response: { 200: z.object({ items: z.array(z.object({ name: z.string(), label: z.string(), source: z.enum(['servicedesk', 'ingestion']), values: z.array(z.object({ code: z.string(), label: z.string() })) })) }) } } },
    async (req) => ({ items: await service.dictionary(req.ctx) }));
}
