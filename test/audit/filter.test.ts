import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES, AuditTrail, memorySink, type AuditEventType } from '../../src/index.js';

const ALL = Object.keys(AUDIT_EVENT_TYPES) as AuditEventType[];

async function deliveredTypes(types: string[] | undefined): Promise<string[]> {
  const sink = memorySink(types === undefined ? {} : { types });
  const audit = new AuditTrail({ sinks: [sink] });
  for (const type of ALL) audit.record({ type, description: type });
  await audit.flush();
  return sink.events.map((event) => event.type);
}

describe('sink types filter', () => {
  it('passes every type when absent', async () => {
    expect(await deliveredTypes(undefined)).toEqual(ALL);
  });

  it("passes types matching any glob of ['f*', 'sapi'], in recording order", async () => {
    expect(await deliveredTypes(['f*', 'sapi'])).toEqual(
      ALL.filter((type) => type.startsWith('f') || type === 'sapi'),
    );
  });

  it('matches whole codes: "s" is only Success Login, "s*" every success', async () => {
    expect(await deliveredTypes(['s'])).toEqual(['s']);
    expect(await deliveredTypes(['s*'])).toEqual(ALL.filter((type) => type.startsWith('s')));
  });

  it('understands character classes and alternatives', async () => {
    expect(await deliveredTypes(['[sf]eccft'])).toEqual(['seccft', 'feccft']);
    expect(await deliveredTypes(['{slo,flo}'])).toEqual(['slo', 'flo']);
  });

  it('passes nothing for an empty list', async () => {
    expect(await deliveredTypes([])).toEqual([]);
  });

  it('filters each sink separately', async () => {
    const failures = memorySink({ types: ['f*'] });
    const everything = memorySink();
    const audit = new AuditTrail({ sinks: [failures, everything] });
    audit.record({ type: 'sapi', description: 'ok' });
    audit.record({ type: 'fapi', description: 'bad' });
    await audit.flush();
    expect(failures.events.map((e) => e.type)).toEqual(['fapi']);
    expect(everything.events.map((e) => e.type)).toEqual(['sapi', 'fapi']);
  });

  it('is fixed when the trail is built: later edits to the options array change nothing', async () => {
    const types = ['sapi'];
    const sink = memorySink({ types });
    types.push('fapi');
    const audit = new AuditTrail({ sinks: [sink] });
    audit.record({ type: 'fapi', description: 'x' });
    await audit.flush();
    expect(sink.events).toEqual([]);
  });
});
