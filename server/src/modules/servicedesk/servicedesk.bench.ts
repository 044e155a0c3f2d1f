/**
 * Benchmark of the service desk on a scratch database: N tickets (default 200,000) of 200 units on 5 providers with
 * three history events each, 10 % of them open (20,000 at the default), opened over the last 90 days (open ones over
 * the last 12 hours, so clocks are running, warned and breached). Measured in the same run:
 *  - the SLA clock check (`checkClocks`: every open ticket's four clocks on the business calendar, escalation rows)
 *    first run (fires the steps) and a second run (steady state, nothing new), against a plain indexed read of the
 *    same open rows (baseline);
 *  - the provider queue (`listTickets` view=queue, page 1 of 20 by priority, with the clocks) under 10 concurrent
 *    users, p50/p95, against the plain indexed query of the same page over the same rows.
 *   npx tsx src/modules/servicedesk/servicedesk.bench.ts [tickets=200000]
 * Uses TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) to create and drop the scratch database.
 */
import pg from 'pg';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/logger.js';
import { createDatabase } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/context.js';
import { CalendarService } from '../calendar/index.js';
import { ServiceDeskService } from './servicedesk.service.js';

const n = Number(process.argv[2] ?? 200_000);
const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `zy_bench_tickets_${process.pid}`;
const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`create database ${name} encoding 'UTF8' template template0`);
await c.end();
const u = new URL(admin);
u.pathname = `/${name}`;
const url = u.toString();
const ms = (x: number) => `${x.toFixed(1)} ms`;
const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

try {
  await migrate(url, createLogger('warn'));
  const owner = new pg.Client({ connectionString: url });
  owner.on('error', () => undefined);
  await owner.connect();
  const t0 = performance.now();
  await owner.query(`insert into organisations (id, path, kind, name) select g, array[g], 'cloud_provider', '服务商' || n from (select gen_random_uuid() g, n from generate_series(1, 5) n) x`);
  await owner.query(`insert into organisations (id, path, kind, name) select g, array[g], 'user_unit', '单位' || n from (select gen_random_uuid() g, n from generate_series(1, 200) n) x`);
  await owner.query(`insert into cloud_nodes (code, name, cloud_type, provider_org_id)
                     select 'TN' || row_number() over (order by id), '节点' || row_number() over (order by id), 'service', id from organisations where kind = 'cloud_provider'`);
  const targets = JSON.stringify({ response: { minutes: 15, schedule: 'clock' }, onsite: { minutes: 120, schedule: 'clock' }, restore: { minutes: 480, schedule: 'clock' }, resolution: { minutes: 2880, schedule: 'clock' } });
  await owner.query(`
    with p as (select id, row_number() over (order by id) - 1 as i from organisations where kind = 'cloud_provider'),
         un as (select id, row_number() over (order by id) - 1 as i from organisations where kind = 'user_unit'),
         nd as (select id, provider_org_id from cloud_nodes)
    insert into sd_tickets (kind, title, status, impact, urgency, priority, channel, reporter_name, unit_id, provider_id, node_id, targets, schedule, opened_at,
                            responded_at, restored_at, resolved_at, closed_at, pauses, rating)
    select 'fault', '故障工单 ' || g,
           case when g % 10 = 0 then (array['new','assigned','in_progress','pending'])[g / 10 % 4 + 1] else 'closed' end,
           g % 3 + 1, (g / 3) % 3 + 1, least(4, g % 3 + (g / 3) % 3 + 1), (array['portal','phone','email','alert','outage','api'])[g % 6 + 1], '报告人', un.id, p.id, nd.id,
           $1::jsonb, 'clock', o.opened,
           case when g % 10 = 0 and g / 10 % 4 = 0 then null else o.opened + (g % 30) * interval '1 minute' end,
           case when g % 10 = 0 then null else o.opened + (g % 300) * interval '1 minute' end,
           case when g % 10 = 0 then null else o.opened + (g % 900) * interval '1 minute' end,
           case when g % 10 = 0 then null else o.opened + (g % 900 + 60) * interval '1 minute' end,
           case when g % 10 = 0 and g / 10 % 4 = 3 then jsonb_build_array(jsonb_build_object('from', o.opened + interval '5 minutes', 'to', null)) else '[]'::jsonb end,
           case when g % 10 <> 0 and g % 3 = 0 then g % 5 + 1 end
      from generate_series(1, ${n}) g
      cross join lateral (select case when g % 10 = 0 then now() - (g % 720) * interval '1 minute' else now() - (g % 129600) * interval '1 minute' end as opened) o
      join p on p.i = g % 5
      join un on un.i = g % 200
      join nd on nd.provider_org_id = p.id`, [targets]);
  await owner.query(`insert into sd_ticket_events (ticket_id, at, kind, to_status, actor_name)
                     select t.id, t.opened_at + k * interval '3 minutes', (array['created','claimed','comment'])[k + 1], t.status, '工程师'
                     from sd_tickets t cross join generate_series(0, 2) k`);
  await owner.query('analyze');
  const counts = (await owner.query(`select count(*)::int as tickets, count(*) filter (where status in ('new','assigned','in_progress','pending'))::int as open from sd_tickets`)).rows[0];
  const events = (await owner.query(`select count(*)::int as n from sd_ticket_events`)).rows[0].n;
  console.log(`setup: ${counts.tickets} tickets (${counts.open} open), ${events} history events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const database = createDatabase(url, 12);
  const desk = new ServiceDeskService(database.db, new CalendarService(database.db));

  // Baseline: the same open rows by a plain indexed read.
  const b0 = performance.now();
  await owner.query(`select id, targets, opened_at, responded_at, onsite_at, restored_at, resolved_at, closed_at, pauses from sd_tickets where status in ('new','assigned','in_progress','pending')`);
  const baseline = performance.now() - b0;
  const c1s = performance.now();
  const first = await desk.checkClocks(new Date());
  const c1 = performance.now() - c1s;
  const c2s = performance.now();
  const second = await desk.checkClocks(new Date());
  const c2 = performance.now() - c2s;
  console.log(`baseline: plain indexed read of the ${counts.open} open tickets: ${ms(baseline)}`);
  console.log(`clock check, first run (fires ${first.fired} escalation steps, ${first.breached} clocks breached): ${ms(c1)} (${(c1 / baseline).toFixed(1)}× baseline)`);
  console.log(`clock check, steady state (${second.fired} new steps): ${ms(c2)} (${(c2 / baseline).toFixed(1)}× baseline; goal < 2 s)`);

  const prov = (await owner.query(`select id from organisations where kind = 'cloud_provider' order by id limit 1`)).rows[0].id as string;
  const ctx: RequestContext = {
    actor: { kind: 'user', userId: null, tokenId: null, sessionId: null, username: 'bench', orgId: prov, orgKind: 'cloud_provider', permissions: new Set(['ticket:read', 'ticket:handle']), adminKinds: new Set(), scope: { all: false, roots: [prov] }, businessAccess: true },
    requestId: 'bench', ip: null, userAgent: null,
  };
  const plain = new pg.Pool({ connectionString: url, max: 10 });
  const run = async (fn: () => Promise<unknown>, perUser: number): Promise<number[]> => {
    const times: number[] = [];
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = 0; i < perUser; i++) {
        const s = performance.now();
        await fn();
        times.push(performance.now() - s);
      }
    }));
    return times;
  };
  await run(() => desk.listTickets(ctx, { view: 'queue', page: 1, pageSize: 20, sort: 'priority' }), 2);
  const single: number[] = [];
  for (let i = 0; i < 20; i++) {
    const s0 = performance.now();
    await desk.listTickets(ctx, { view: 'queue', page: 1, pageSize: 20, sort: 'priority' });
    single.push(performance.now() - s0);
  }
  console.log(`queue, one user alone × 20: p50 ${ms(pct(single, 50))}, p95 ${ms(pct(single, 95))}`);
  const base = await run(() => plain.query(`select * from sd_tickets where provider_id = $1 and status in ('new','assigned','in_progress','pending') order by priority, opened_at, id limit 20`, [prov]), 30);
  const queue = await run(() => desk.listTickets(ctx, { view: 'queue', page: 1, pageSize: 20, sort: 'priority' }), 30);
  console.log(`baseline: plain indexed queue query, 10 concurrent users × 30: p50 ${ms(pct(base, 50))}, p95 ${ms(pct(base, 95))}`);
  console.log(`queue (listTickets view=queue with clocks, RLS, count), 10 concurrent users × 30: p50 ${ms(pct(queue, 50))}, p95 ${ms(pct(queue, 95))} (${(pct(queue, 95) / pct(base, 95)).toFixed(1)}× baseline p95; goal < 150 ms)`);
  await plain.end();
  await database.close();
  await owner.end();
} finally {
  const d = new pg.Client({ connectionString: admin });
  await d.connect();
  if (process.env.ZY_BENCH_KEEP === '1') console.log(`kept database ${name} (ZY_BENCH_KEEP=1)`);
  else await d.query(`drop database if exists ${name} with (force)`);
  await d.end();
}
