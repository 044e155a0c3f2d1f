import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.js';

/** Settings keys this module owns in `system_settings`. */
export type SettingKey = 'ldap';

export interface SettingRow {
  value: unknown;
  updatedAt: Date;
  updatedBy: string | null;
}

export async function findSetting(trx: Tx, key: SettingKey, opts: { forUpdate?: boolean } = {}): Promise<SettingRow | undefined> {
  let q = trx.selectFrom('systemSettings').select(['value', 'updatedAt', 'updatedBy']).where('key', '=', key);
  if (opts.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? { value: row.value, updatedAt: row.updatedAt as Date, updatedBy: row.updatedBy } : undefined;
}

export async function saveSetting(trx: Tx, key: SettingKey, value: unknown, updatedBy: string | null): Promise<Date> {
  const json = sql<string>`${JSON.stringify(value)}::jsonb`;
  const row = await trx
    .insertInto('systemSettings')
    .values({ key, value: json, updatedBy, updatedAt: sql`now()` })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updatedBy, updatedAt: sql`now()` }))
    .returning('updatedAt')
    .executeTakeFirstOrThrow();
  return row.updatedAt as Date;
}
