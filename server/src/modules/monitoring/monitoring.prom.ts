/**
 * Platform self-monitoring: `/metrics` in the Prometheus text format (0.0.4), protected by a bearer token
 * (ZHENGYUN_METRICS_TOKEN; without one the endpoint answers 404 — fail closed). Figures: HTTP request latency
 * histograms per method, route and status class; records accepted per interface table (stored batches) and records the
 * metric store refused; job queue depth and the age of the oldest waiting job per queue; syslog received and dropped;
 * database pool use; alert evaluation cycles and their duration.
 */
import { timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { sm3Hex } from '../../platform/crypto/sm.js';
import type { App } from '../../platform/http/server.js';
import type { MonitoringService } from './monitoring.service.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`).join(',')}}`;

export class PlatformMetrics {
  private readonly http = new Map<string, { l: Record<string, string>; h: Histogram }>();
  private readonly accepted = new Map<string, number>();
  readonly evaluation = { cycles: 0, lastSeconds: 0, totalSeconds: 0 };

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    const l = { method, route, status: `${Math.floor(status / 100)}xx` };
    const key = `${l.method} ${l.route} ${l.status}`;
    let e = this.http.get(key);
    if (!e) this.http.set(key, (e = { l, h: { counts: BUCKETS.map(() => 0), sum: 0, count: 0 } }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) e.h.counts[i]!++;
    e.h.sum += seconds;
    e.h.count++;
  }

  observeStored(table: string, accepted: number): void {
    this.accepted.set(table, (this.accepted.get(table) ?? 0) + accepted);
  }

  observeEvaluation(ms: number): void {
    this.evaluation.cycles++;
    this.evaluation.lastSeconds = ms / 1000;
    this.evaluation.totalSeconds += ms / 1000;
  }

  /** The text exposition of everything held in memory plus the figures read now. */
  render(extra: { pool: pg.Pool; jobs: Array<{ name: string; waiting: number; active: number; oldestSeconds: number | null }>; syslog: { received: number; dropped: number } | null; store: { series: number; openAlerts: number; batches: number; refused: number } }): string {
    const out: string[] = [];
    const head = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    head('zhengyun_http_request_duration_seconds', 'histogram', 'HTTP request latency by method, route and status class');
    for (const { l, h } of this.http.values()) {
      BUCKETS.forEach((b, i) => out.push(`zhengyun_http_request_duration_seconds_bucket${labels({ ...l, le: String(b) })} ${h.counts[i]}`));
      out.push(`zhengyun_http_request_duration_seconds_bucket${labels({ ...l, le: '+Inf' })} ${h.count}`);
      out.push(`zhengyun_http_request_duration_seconds_sum${labels(l)} ${h.sum}`, `zhengyun_http_request_duration_seconds_count${labels(l)} ${h.count}`);
    }
    head('zhengyun_ingest_records_accepted_total', 'counter', 'Records stored per interface table since start');
    for (const [t, n] of this.accepted) out.push(`zhengyun_ingest_records_accepted_total${labels({ table: t })} ${n}`);
    head('zhengyun_monitoring_refused_points_total', 'counter', 'Monitoring records refused by the metric store (future, too old, over 100%, unnamed)');
    out.push(`zhengyun_monitoring_refused_points_total ${extra.store.refused}`);
    head('zhengyun_monitoring_batches_total', 'counter', 'Monitoring batches processed into the metric store');
    out.push(`zhengyun_monitoring_batches_total ${extra.store.batches}`);
    head('zhengyun_monitoring_series', 'gauge', 'Monitored objects (hosts, system egress, sensors)');
    out.push(`zhengyun_monitoring_series ${extra.store.series}`);
    head('zhengyun_monitoring_open_alerts', 'gauge', 'Alerts firing or acknowledged');
    out.push(`zhengyun_monitoring_open_alerts ${extra.store.openAlerts}`);
    head('zhengyun_job_queue_depth', 'gauge', 'Jobs waiting (created or retry) per queue');
    for (const j of extra.jobs) out.push(`zhengyun_job_queue_depth${labels({ queue: j.name })} ${j.waiting}`);
    head('zhengyun_job_queue_active', 'gauge', 'Jobs running per queue');
    for (const j of extra.jobs) out.push(`zhengyun_job_queue_active${labels({ queue: j.name })} ${j.active}`);
    head('zhengyun_job_queue_lag_seconds', 'gauge', 'Age of the oldest waiting job per queue');
    for (const j of extra.jobs) if (j.oldestSeconds !== null) out.push(`zhengyun_job_queue_lag_seconds${labels({ queue: j.name })} ${j.oldestSeconds}`);
    if (extra.syslog) {
      head('zhengyun_syslog_received_total', 'counter', 'Syslog messages received');
      out.push(`zhengyun_syslog_received_total ${extra.syslog.received}`);
      head('zhengyun_syslog_dropped_total', 'counter', 'Syslog messages dropped');
      out.push(`zhengyun_syslog_dropped_total ${extra.syslog.dropped}`);
    }
    head('zhengyun_db_pool_connections', 'gauge', 'Database pool connections by state');
    out.push(`zhengyun_db_pool_connections{state="total"} ${extra.pool.totalCount}`, `zhengyun_db_pool_connections{state="idle"} ${extra.pool.idleCount}`, `zhengyun_db_pool_connections{state="waiting"} ${extra.pool.waitingCount}`);
    head('zhengyun_alert_evaluation_cycles_total', 'counter', 'Alert evaluation cycles run by this process');
    out.push(`zhengyun_alert_evaluation_cycles_total ${this.evaluation.cycles}`);
    head('zhengyun_alert_evaluation_seconds', 'gauge', 'Duration of the last alert evaluation cycle');
    out.push(`zhengyun_alert_evaluation_seconds ${this.evaluation.lastSeconds}`);
    return `${out.join('\n')}\n`;
  }
}

/** Registers the latency hook and GET /metrics (bearer token; 404 without a configured token). */
export function registerMetricsEndpoint(app: App, o: { metrics: PlatformMetrics; pool: pg.Pool; token: string | undefined; service: MonitoringService; syslog: () => { received: number; dropped: number } | null }): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    o.metrics.observeHttp(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  const expected = o.token ? Buffer.from(sm3Hex(Buffer.from(o.token)), 'hex') : null;
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const auth = request.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? Buffer.from(sm3Hex(Buffer.from(auth.slice(7))), 'hex') : null;
    if (!expected) return reply.code(404).send({ code: 'monitoring.metrics_disabled', message: 'No metrics token is configured (ZHENGYUN_METRICS_TOKEN)', details: null, requestId: request.id });
    if (!given || !timingSafeEqual(given, expected)) return reply.code(401).header('www-authenticate', 'Bearer').send({ code: 'monitoring.metrics_token', message: 'A valid bearer token is required', details: null, requestId: request.id });
    const jobs = await o.pool
      .query<{ name: string; waiting: string; active: string; oldest: string | null }>(
        `select name, count(*) filter (where state in ('created','retry')) as waiting, count(*) filter (where state = 'active') as active,
                extract(epoch from now() - min(created_on) filter (where state in ('created','retry'))) as oldest
         from pgboss.job group by name order by name`,
      )
      .then((r) => r.rows.map((x) => ({ name: x.name, waiting: Number(x.waiting), active: Number(x.active), oldestSeconds: x.oldest === null ? null : Math.round(Number(x.oldest)) })))
      .catch(() => []);
    const text = o.metrics.render({ pool: o.pool, jobs, syslog: o.syslog(), store: await o.service.stats() });
    return reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').header('cache-control', 'no-store').send(text);
  });
}
