import { z } from 'zod';
import { parseNetwork } from './network.js';

const uuid = z.uuid({ message: 'must be a UUID' });
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** An IP address or a CIDR block; normalised to `a.b.c.d/len` (host bits must be zero). */
export const networkSchema = z
  .string()
  .trim()
  .max(50, 'must be at most 50 characters')
  .transform((v, c) => {
    const n = parseNetwork(v);
    if ('error' in n) {
      c.addIssue({ code: 'custom', message: n.error });
      return z.NEVER;
    }
    return n.text;
  })
  .describe('sending address: an IP (10.1.2.3) or a CIDR block (10.1.0.0/16); the longest matching prefix wins');

export const sourceKindSchema = z.enum(['security_device', 'host']).describe('security_device → 安全设备日志 (securityDeviceLog); host → 主机日志 (hostLog)');

const deviceFields = {
  deviceName: text(100).nullable().optional().describe('设备名称 (security devices, required for them)'),
  serialNumber: text(100).nullable().optional().describe('设备序列号 (security devices, required for them)'),
  deviceType: text(100).nullable().optional().describe('设备类型 (security devices, required for them)'),
  cloudHostId: text(50).nullable().optional().describe('云主机 ID (hosts, required for them)'),
  hostName: text(100).nullable().optional().describe('主机名称 (hosts; default: the HOSTNAME of each message)'),
  osType: text(40).nullable().optional().describe('操作系统类型 (hosts, required for them)'),
};

type KindFields = { kind?: 'security_device' | 'host' } & { [K in keyof typeof deviceFields]?: string | null | undefined };

/** The fields a kind requires (the interface table's required device fields). */
export function missingKindFields(v: KindFields): string[] {
  const need = v.kind === 'security_device' ? (['deviceName', 'serialNumber', 'deviceType'] as const) : (['cloudHostId', 'osType'] as const);
  return need.filter((f) => !v[f]);
}

export const newSourceSchema = z
  .strictObject({
    network: networkSchema,
    providerOrgId: uuid.describe('the cloud provider (云服务商) the sender belongs to'),
    nodeId: uuid.describe('the cloud node, run by that provider'),
    kind: sourceKindSchema,
    ...deviceFields,
    description: z.string().trim().max(200, 'must be at most 200 characters').nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .superRefine((v, c) => {
    for (const f of missingKindFields(v)) c.addIssue({ code: 'custom', path: [f], message: `is required for a source of kind ${v.kind}` });
  });
export type NewSource = z.infer<typeof newSourceSchema>;

export const sourcePatchSchema = z.strictObject({
  network: networkSchema.optional(),
  providerOrgId: uuid.optional(),
  nodeId: uuid.optional(),
  kind: sourceKindSchema.optional(),
  ...deviceFields,
  description: z.string().trim().max(200, 'must be at most 200 characters').nullable().optional(),
  enabled: z.boolean().optional(),
});
export type SourcePatch = z.infer<typeof sourcePatchSchema>;

export const sourceIdParamsSchema = z.strictObject({ id: uuid });

export const sourceListQuerySchema = z.strictObject({
  providerOrgId: uuid.optional(),
  q: z.string().trim().min(1).max(100).optional().describe('network, device, host or description contains'),
});
export type SourceListQuery = z.infer<typeof sourceListQuerySchema>;

export const sourceSchema = z.object({
  id: z.string(),
  network: z.string(),
  providerOrgId: z.string(),
  providerName: z.string().nullable(),
  nodeId: z.string(),
  nodeName: z.string().nullable(),
  kind: sourceKindSchema,
  deviceName: z.string().nullable(),
  serialNumber: z.string().nullable(),
  deviceType: z.string().nullable(),
  cloudHostId: z.string().nullable(),
  hostName: z.string().nullable(),
  osType: z.string().nullable(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Source = z.infer<typeof sourceSchema>;

export const sourceListSchema = z.object({
  items: z.array(sourceSchema),
  abilities: z.object({ configure: z.boolean() }).describe('what the caller may do (ingest:config)'),
});

export const unknownSenderSchema = z.object({
  ip: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  count: z.number().int(),
  sample: z.string().describe('the last message received (first 500 characters)'),
});
export type UnknownSender = z.infer<typeof unknownSenderSchema>;

export const countersSchema = z.object({
  received: z.number().int().describe('messages received (datagrams and TCP frames)'),
  stored: z.number().int().describe('records accepted by the interface tables'),
  rejected: z.number().int().describe('records refused by the field validation of the interface table'),
  dropped: z.number().int().describe('messages lost: oversize frames, cut frames, buffer full, failed writes'),
  unmatched: z.number().int().describe('messages from senders that match no registered source'),
  disabled: z.number().int().describe('messages from sources that are switched off'),
  framingErrors: z.number().int(),
  udp: z.number().int(),
  tcp: z.number().int(),
  tcpConnections: z.number().int().describe('open TCP connections'),
  buffered: z.number().int().describe('mapped records waiting for the next flush'),
});
export type ReceiverCounters = z.infer<typeof countersSchema>;

export const statusSchema = z.object({
  running: z.boolean(),
  error: z.string().nullable().describe('why the receiver could not start (port taken …), when it is not running'),
  host: z.string().nullable(),
  udpPort: z.number().int().nullable(),
  tcpPort: z.number().int().nullable(),
  receiveBufferBytes: z.number().int().nullable().describe('UDP receive buffer obtained from the operating system'),
  startedAt: z.string().nullable(),
  lastFlushAt: z.string().nullable(),
  sources: z.number().int().describe('registered sources the receiver matches against'),
  counters: countersSchema,
  unknownSenders: z.array(unknownSenderSchema).describe('the last 100 unregistered senders, most recent first (ingest:config only)'),
  abilities: z.object({ configure: z.boolean() }),
});
export type ReceiverStatus = z.infer<typeof statusSchema>;
