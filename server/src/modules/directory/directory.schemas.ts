import { z } from 'zod';

/** 云类型: 服务云, 办公云, 备份节点, 健康云, 教育云. */
export const cloudTypeSchema = z.enum(['service', 'office', 'backup', 'health', 'education']);

export const cloudNodeSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  cloudType: cloudTypeSchema,
  site: z.string().nullable(),
  provider: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  description: z.string().nullable(),
  status: z.enum(['active', 'retired']),
});

export type CloudNode = z.infer<typeof cloudNodeSchema>;

export const newCloudNodeSchema = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9_-]{2,30}$/, '2–30 letters, digits, _ or -'),
  name: z.string().min(1).max(50),
  cloudType: cloudTypeSchema,
  site: z.string().max(50).nullable().optional(),
  providerOrgId: z.uuid().nullable().optional(),
  description: z.string().max(500).nullable().optional(),
});
export type NewCloudNode = z.infer<typeof newCloudNodeSchema>;
