/**
 * Partitions of the interface tables (per Beijing day or month of received_at). They are created by the security-definer
 * function zy_ingest_ensure_partition() — outside the transaction that writes the data, so a batch never holds the DDL
 * lock — and their names are cached in memory, so the hot path costs no query.
 */
import type pg from 'pg';
import { INTERFACE_TABLES } from './interface-tables.js';
import { SHANGHAI_OFFSET_MS } from './formats.js';

/** `YYYYMMDD` (day) or `YYYYMM` (month) of an instant in Beijing time: the partition suffix. */
export function partitionSuffix(unit: 'day' | 'month', at: number): string {
  const iso = new Date(at + SHANGHAI_OFFSET_MS).toISOString();
  return unit === 'day' ? `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}` : `${iso.slice(0, 4)}${iso.slice(5, 7)}`;
}

export class PartitionCache {
  private readonly known = new Map<string, string>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly pool: pg.Pool) {}

  /** The partition of `table` (interface table name) that holds the instant `at`, created when missing. */
  async ensure(table: string, unit: 'day' | 'month', at: number): Promise<string> {
    const key = `${table}|${partitionSuffix(unit, at)}`;
    const hit = this.known.get(key);
    if (hit !== undefined) return hit;
    let p = this.pending.get(key);
    if (p === undefined) {
      p = this.pool
        .query<{ part: string }>('select zy_ingest_ensure_partition($1, $2) as part', [table, new Date(at).toISOString()])
        .then((r) => {
          const part = r.rows[0]!.part;
          this.known.set(key, part);
          return part;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  /** Forgets every cached partition of a table (after one was dropped under us). */
  forget(table: string): void {
    for (const k of this.known.keys()) if (k.startsWith(`${table}|`)) this.known.delete(k);
  }
}

/** Creates today's and tomorrow's partitions (Beijing time) of every interface table; returns their names. Idempotent. */
export async function ensureUpcomingPartitions(cache: PartitionCache, now = Date.now()): Promise<string[]> {
  const names: string[] = [];
  for (const t of INTERFACE_TABLES) {
    for (const at of [now, now + 86_400_000]) names.push(await cache.ensure(t.name, t.partitionUnit, at));
  }
  return [...new Set(names)];
}
