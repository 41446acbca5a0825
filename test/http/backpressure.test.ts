/**
 * Backpressure through the HTTP layer: while the store-backed log is `maxPending` events
 * behind (its store is stalled), token requests wait at the door instead of adding events
 * to its queue; once the store answers again they are all served, and every event they
 * produced is kept. Nothing is timed: the test counts.
 */
import { describe, expect, it } from 'vitest';
import { createProvider } from '../../src/http/index.js';
import {
  MemoryStore,
  storeAuditSink,
  Tenant,
  type AuditEvent,
  type LogEntryInput,
  type StoreLogs,
} from '../../src/index.js';

const MAX_PENDING = 40;
const WORKERS = 6;
const REQUESTS = 300;

describe('backpressure from the store-backed log', () => {
  it('makes a burst wait while the log is full, then serves it all and keeps every event', async () => {
    const store = new MemoryStore();
    const inner = store.logs;
    let open!: () => void;
    let gate = new Promise<void>((resolve) => (open = resolve));
    const stalled: StoreLogs = {
      append: async (log: string, entries: readonly LogEntryInput[]) => {
        await gate;
        return inner.append(log, entries);
      },
      read: (log, query) => inner.read(log, query),
      count: (log, filter) => inner.count(log, filter),
      get: (log, id) => inner.get(log, id),
      trim: (log, retention) => inner.trim(log, retention),
    };
    Object.defineProperty(store, 'logs', { value: stalled });
    const logs = storeAuditSink(store);
    const dead: AuditEvent[] = [];
    const tenant = await Tenant.create({
      domain: 'id.example.com',
      store,
      auditSinks: [logs],
      audit: { maxPending: MAX_PENDING, onDeadLetter: (events) => dead.push(...events) },
    });
    const api = await tenant.apis.create({ identifier: 'https://api.example.com/', name: 'API' });
    const client = await tenant.clients.create({
      name: 'M2M',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
    });
    await tenant.apis.grant({ client_id: client.client_id, audience: api.identifier, scope: [] });
    const recorded: string[] = [];
    tenant.audit.on('event', (event) => recorded.push(event.log_id));
    const provider = createProvider(tenant);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: client.client_secret ?? '',
      audience: api.identifier,
    }).toString();

    let started = 0;
    let answered = 0;
    let highest = 0;
    const statuses: number[] = [];
    const worker = async () => {
      while (started < REQUESTS) {
        started += 1;
        const response = await provider(
          new Request('https://id.example.com/oauth/token', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body,
          }),
        );
        statuses.push(response.status);
        answered += 1;
        highest = Math.max(highest, tenant.audit.backlog.pending);
      }
    };
    const burst = Promise.all(Array.from({ length: WORKERS }, worker));

    // Let the burst run against the stalled store until it stops making progress (token
    // signing runs on the thread pool, so wait in real time, not in event-loop turns).
    for (let still = 0, before = -1; still < 10;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      still = answered === before && answered > 0 ? still + 1 : 0;
      before = answered;
    }
    expect(tenant.audit.full).toBe(true);
    expect(answered).toBeLessThan(REQUESTS);
    // The queue stopped at its bound (plus the requests already past the door).
    expect(tenant.audit.backlog.pending).toBeLessThanOrEqual(MAX_PENDING + WORKERS);
    expect(highest).toBeLessThanOrEqual(MAX_PENDING + WORKERS);

    open();
    gate = Promise.resolve();
    await burst;
    await tenant.audit.flush();
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(answered).toBe(REQUESTS);
    expect(dead).toEqual([]);
    const kept = (await logs.list()).map((event) => event.log_id);
    expect(recorded.length).toBeGreaterThanOrEqual(REQUESTS);
    expect(kept.slice(-recorded.length)).toEqual(recorded);
    await tenant.close();
  });
});
