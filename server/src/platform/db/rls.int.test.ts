/**
 * Row-level security across every table: each business table has its policies enabled and forced, and every policy
 * evaluates the actor's switches (zhengyun.business_access, zhengyun.scope_all) once per statement — `(SELECT
 * zy_business_access())` — never per row (0100_rls_initplan.sql; docs/decisions.md).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../test/harness.js';
import { migrate } from './migrate.js';
import { createLogger } from '../logger.js';

const PER_ROW = String.raw`(?<!SELECT )zy_(business_access|scope_all)\(\)|current_setting\('zhengyun\.(business_access|scope_all)'`;

describe('row-level security policies', () => {
  let owner: pg.Client;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    owner = new pg.Client({ connectionString: scratch.url });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await scratch.drop();
  });

  it('no policy tests the actor switches per row; a policy added later in the old form is rewritten (the migrator runs the rewrite after each run)', async () => {
    const perRow = async () =>
      (
        await owner.query<{ table: string; policy: string }>(
          `select polrelid::regclass::text as table, polname as policy from pg_policy
            where coalesce(pg_get_expr(polqual, polrelid), '') || ' ' || coalesce(pg_get_expr(polwithcheck, polrelid), '') ~ $1`,
          [PER_ROW],
        )
      ).rows;
    expect(await perRow()).toEqual([]);
    const wrapped = (await owner.query<{ n: number }>(`select count(*)::int as n from pg_policy where pg_get_expr(polqual, polrelid) like '%SELECT zy_business_access()%'`)).rows[0]!.n;
    expect(wrapped).toBeGreaterThan(50);

    // A late migration written the old way (as if applied after 0100) is rewritten by the migrator's closing step.
    await owner.query(`create table zz_rls_probe (id int, unit_id uuid); alter table zz_rls_probe enable row level security;
      create policy zz_rls_probe_scope on zz_rls_probe using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on' and (zy_scope_all() or unit_id is null))
        with check (zy_business_access())`);
    expect((await perRow()).map((r) => r.policy)).toEqual(['zz_rls_probe_scope']);
    expect((await owner.query<{ n: number }>('select zy_rls_initplan_policies() as n')).rows[0]!.n).toBe(1);
    expect(await perRow()).toEqual([]);
    // Same meaning: without the switch no row, with it the row.
    await owner.query(`insert into zz_rls_probe values (1, null); grant select on zz_rls_probe to zhengyun_app`);
    await owner.query('begin');
    await owner.query('set local role zhengyun_app');
    expect((await owner.query('select id from zz_rls_probe')).rows).toEqual([]);
    await owner.query(`select set_config('zhengyun.business_access', 'on', true)`);
    expect((await owner.query('select id from zz_rls_probe')).rows).toEqual([{ id: 1 }]);
    await owner.query('rollback');
    // Idempotent: nothing left to rewrite, and migrate() on an up-to-date database changes nothing.
    expect((await owner.query<{ n: number }>('select zy_rls_initplan_policies() as n')).rows[0]!.n).toBe(0);
    expect(await migrate(scratch.url, createLogger('silent'))).toEqual([]);
  });
});
