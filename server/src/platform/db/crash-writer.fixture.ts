// Test fixture (run as a child process by embedded.int.test.ts): starts the embedded PostgreSQL on a data directory
// and commits rows one by one, printing each committed id, until it is killed.
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded.js';
import { createLogger } from '../logger.js';

const [dataDir, port] = process.argv.slice(2);
const embedded = await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port), logger: createLogger('silent') });
const client = new pg.Client({ connectionString: embedded.url });
await client.connect();
await client.query('create table if not exists crash_probe (id serial primary key, payload text not null)');
process.stdout.write('ready\n');
for (;;) {
  const r = await client.query<{ id: number }>('insert into crash_probe (payload) values ($1) returning id', ['x'.repeat(200)]);
  process.stdout.write(`committed ${r.rows[0]!.id}\n`);
}
