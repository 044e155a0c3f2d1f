import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { listStoredBatches, type StoredBatch } from '../ingestion/index.js';

/** Stored batches read per transaction. */
const PAGE = 200;

/**
 * The cursor-import loop of the pushed interface tables this module reads (安全漏洞扫描数据, 安全补丁安装数据,
 * 安全预警监测数据): the stored batches of `table` after that table's cursor (`security_ingest_cursor`), a page at a
 * time, each page in one transaction under the advisory lock `lock` (two workers never import one batch twice).
 * `each` handles one batch inside the page's transaction and the cursor moves past it in the same transaction, so a
 * failure rolls back the page's batches and their cursor moves together. Answers how many batches were imported.
 */
export async function importAfterCursor(
  db: Db,
  ctx: RequestContext,
  opts: { table: string; lock: string; pageSize?: number },
  each: (trx: Tx, batch: StoredBatch) => Promise<void>,
): Promise<number> {
  const limit = opts.pageSize ?? PAGE;
  let batches = 0;
  for (;;) {
    const more = await withTx(db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${opts.lock}))`.execute(trx);
      const cursor = await trx.selectFrom('securityIngestCursor').select('lastBatchId').where('tableName', '=', opts.table).executeTakeFirst();
      const page = await listStoredBatches(trx, { afterId: cursor ? String(cursor.lastBatchId) : '0', tables: [opts.table], limit });
      for (const batch of page) {
        await each(trx, batch);
        await trx
          .insertInto('securityIngestCursor')
          .values({ tableName: opts.table, lastBatchId: batch.id })
          .onConflict((oc) => oc.column('tableName').doUpdateSet({ lastBatchId: batch.id }))
          .execute();
        batches++;
      }
      return page.length === limit;
    });
    if (!more) break;
  }
  return batches;
}
