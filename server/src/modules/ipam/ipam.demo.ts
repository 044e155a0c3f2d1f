import { sql } from 'kysely';
import { systemContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import { addressText, cidrRange, formatCidr, parseCidr } from './ip.js';
import type { IpamService } from './ipam.service.js';

/**
 * The demo city's address plan (idempotent: does nothing once any pool exists). Per active node with a 电子政务外网区
 * /16: a business pool (the /18 at .64.0, gateway .1, .2–.9 reserved), a management /24 (at .252.0), an IPv6 business
 * /48 (2001:db8:n::/48, documentation prefix) and the 互联网区 block as an internet pool. The simulator's hosts use the
 * low addresses of the /16 and devices the upper half, outside these pools, so the demo shows no false conflicts.
 * On the first node, three requests of registered systems: two approved (8 addresses; a /28), one pending with its
 * review deadline running. Call after the directory and systems are loaded: `seedIpamDemo(db, container.ipam)`.
 */
export async function seedIpamDemo(db: Db, ipam: IpamService): Promise<{ pools: number; requests: number }> {
  const ctx = systemContext('demo:ipam');
  const zones = await withTx(db, ctx, async (trx) => {
    const existing = await sql<{ n: string }>`select count(*) as n from ipam_pools`.execute(trx);
    if (Number(existing.rows[0]!.n) > 0) return null;
    return (
      await sql<{ id: string; nodeId: string; nodeName: string; zoneType: string; cidrs: string[] }>`
        select z.id, z.node_id, n.name as node_name, z.zone_type, z.cidrs from network_zones z join cloud_nodes n on n.id = z.node_id
        where z.status = 'active' and n.status = 'active' order by n.code, z.zone_type`.execute(trx)
    ).rows;
  });
  if (!zones) return { pools: 0, requests: 0 };
  let pools = 0;
  const nodeOrder: string[] = [];
  for (const z of zones) {
    if (!nodeOrder.includes(z.nodeId)) nodeOrder.push(z.nodeId);
    const first = z.cidrs[0] ? parseCidr(z.cidrs[0], false) : null;
    if (!first || first.family !== 4) continue;
    const base = cidrRange(first).first;
    const add = async (name: string, cidr: string, purpose: 'business' | 'management' | 'internet', gateway: bigint | null, reserved: Array<{ from: string; to?: string; note?: string }> = []) => {
      await ipam.createPool(ctx, { nodeId: z.nodeId, zoneId: z.id, name, cidr, purpose, gateway: gateway === null ? null : addressText(4, gateway), reserved });
      pools++;
    };
    if (z.zoneType === 'gov_extranet' && first.prefix <= 16) {
      const biz = base + 0x4000n;
      await add('业务地址池', formatCidr({ family: 4, base: biz, prefix: 18 }), 'business', biz + 1n, [{ from: addressText(4, biz + 2n), to: addressText(4, biz + 9n), note: '网络设备' }]);
      const mgmt = base + 0xfc00n;
      await add('管理地址池', formatCidr({ family: 4, base: mgmt, prefix: 24 }), 'management', mgmt + 1n);
      const n = nodeOrder.indexOf(z.nodeId) + 1;
      await ipam.createPool(ctx, { nodeId: z.nodeId, zoneId: z.id, name: 'IPv6 业务地址池', cidr: `2001:db8:${n.toString(16)}::/48`, purpose: 'business', gateway: `2001:db8:${n.toString(16)}::1` });
      pools++;
    } else if (z.zoneType === 'internet' && first.prefix <= 30) {
      await add('互联网地址池', formatCidr(first), 'internet', base + 1n);
    }
  }
  const firstNode = nodeOrder[0];
  if (!firstNode) return { pools, requests: 0 };
  const systems = await withTx(db, ctx, async (trx) =>
    (await sql<{ id: string; unitId: string }>`select id, unit_id from information_systems where node_id = ${firstNode} and status = 'active' order by system_no limit 3`.execute(trx)).rows,
  );
  const plans = [
    { addressCount: 8, prefixLength: null, reason: '新增应用服务器 8 台', approve: true },
    { addressCount: null, prefixLength: 28, reason: '容器平台业务网段', approve: true },
    { addressCount: 4, prefixLength: null, reason: '扩容数据库节点', approve: false },
  ];
  let requests = 0;
  for (const [i, s] of systems.entries()) {
    const p = plans[i]!;
    const id = await withTx(db, ctx, async (trx) => {
      const due = (await ipam.reviewDeadline(trx, new Date())).toISOString();
      return (
        await sql<{ id: string }>`
          insert into ipam_requests (requester_org_id, requester_kind, system_id, node_id, family, purpose, address_count, prefix_length, reason, due_at)
          values (${s.unitId}, 'unit', ${s.id}, ${firstNode}, 4, 'business', ${p.addressCount}, ${p.prefixLength}, ${p.reason}, ${due}) returning id`.execute(trx)
      ).rows[0]!.id;
    });
    requests++;
    if (p.approve) await ipam.approve(ctx, id, { note: '演示数据' });
  }
  return { pools, requests };
}
