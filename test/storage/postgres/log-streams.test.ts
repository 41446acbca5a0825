/**
 * Log streams on PostgresStore, two instances on one schema: the stream's secret is sealed
 * in the table, and the instance that did not create the stream learns of it through the
 * change feed and delivers the events it records itself, with the secret; a suspension
 * written by one instance is honoured by the other.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Tenant, memorySink } from 'clientele';
import { PostgresStore } from 'clientele/postgres';
import { jsonLines, receivedIds, startReceiver } from '../../log-streams/receiver.js';
import { AVAILABLE, RUN, dropRunSchemas, newPool } from './database.js';

describe.skipIf(!AVAILABLE)('log streams on PostgresStore', () => {
  const admin = newPool(2);
  const pools = [newPool(4), newPool(4)];
  afterAll(async () => {
    await dropRunSchemas(admin);
    await Promise.all([admin, ...pools].map((pool) => pool.end()));
  });

  it('are delivered by every instance, the secret sealed in the table', async () => {
    const receiver = await startReceiver();
    const schema = `${RUN}_log_streams`;
    const secretsKey = [{ id: 'pg1', key: randomBytes(32) }];
    const options = {
      domain: 'auth.example.com',
      secretsKey,
      logStreams: { batchMaxWaitMs: 5, retryBaseDelayMs: 1, onDeadLetter: () => undefined },
    };
    const [one, two] = pools.map((pool) => new PostgresStore({ pool, schema }));
    const first = await Tenant.create({ ...options, store: one! });
    const sink = memorySink();
    const second = await Tenant.create({ ...options, store: two!, auditSinks: [sink] });
    const stream = await first.logStreams.create({
      type: 'http',
      sink: { httpEndpoint: `${receiver.origin}/in`, httpAuthorization: 'Bearer pg-stream-secret' },
    });
    const rows = await admin.query<{ value: string }>(
      `SELECT value::text AS value FROM "${schema}".clientele_records WHERE collection = 'log_streams'`,
    );
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.value).not.toContain('pg-stream-secret');
    expect(rows.rows[0]!.value).toMatch(/"httpAuthorization":"enc:v1:pg1:/);

    // The second instance hears of the stream through pg_notify, then delivers its own events.
    for (let waited = 0; second.logStreams.health().length === 0 && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await second.clients.create({ name: 'From the second', app_type: 'regular_web' });
    await second.audit.flush();
    const fromSecond = sink.events.map((event) => event.log_id);
    expect(receivedIds(receiver)).toEqual(expect.arrayContaining(fromSecond));
    const mine = receiver.accepted.filter((request) =>
      jsonLines(request.body).some((record) => fromSecond.includes(record.log_id)),
    );
    expect(
      mine.every((request) => request.headers.authorization === 'Bearer pg-stream-secret'),
    ).toBe(true);

    // A pause written by the first instance stops the second one's deliveries.
    await first.logStreams.pause(stream.id);
    for (
      let waited = 0;
      second.logStreams.health()[0]?.status !== 'paused' && waited < 10_000;
      waited += 20
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const before = receiver.accepted.length;
    await second.clients.create({ name: 'While paused', app_type: 'regular_web' });
    await second.audit.flush();
    expect(receiver.accepted).toHaveLength(before);
    expect(second.logStreams.health()[0]).toMatchObject({ status: 'paused', pending: 1 });

    await first.close();
    await second.close();
    await receiver.close();
  });
});
