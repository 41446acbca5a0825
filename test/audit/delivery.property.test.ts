import fc from 'fast-check';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_EVENT_TYPES,
  AuditTrail,
  type AuditEvent,
  type AuditEventType,
  type AuditSink,
} from '../../src/index.js';
import { minimatch } from 'minimatch';

const TYPES = Object.keys(AUDIT_EVENT_TYPES) as AuditEventType[];
const ATTEMPTS = 4;

/** Events recorded in bursts; the trail may deliver between bursts. */
const bursts = fc.array(fc.array(fc.constantFrom(...TYPES), { maxLength: 12 }), { maxLength: 8 });
const filters = fc.option(fc.subarray(['f*', 's*', 'sapi', 'fapi', '*cft', '?', 's{lo,coa}']), {
  nil: undefined,
});

/**
 * A sink that fails each new batch `failures[i]` times before taking it (0 when the list
 * runs out), and logs, per batch, whether it was written or dead-lettered.
 */
function flakySink(failures: readonly number[], types: string[] | undefined) {
  const outcome: { how: 'written' | 'dead'; events: readonly AuditEvent[] }[] = [];
  let current: readonly AuditEvent[] | undefined;
  let batchIndex = -1;
  let failuresLeft = 0;
  const sink: AuditSink = {
    ...(types === undefined ? {} : { types }),
    async write(batch) {
      if (batch !== current) {
        current = batch;
        batchIndex += 1;
        failuresLeft = failures[batchIndex] ?? 0;
      }
      await Promise.resolve();
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('flaky');
      }
      outcome.push({ how: 'written', events: batch });
    },
  };
  return { sink, outcome };
}

async function run(
  recordedBursts: AuditEventType[][],
  sinks: { failures: number[]; types: string[] | undefined }[],
  batchSize: number,
) {
  const flaky = sinks.map(({ failures, types }) => flakySink(failures, types));
  const audit = new AuditTrail({
    sinks: flaky.map((f) => f.sink),
    batchSize,
    retry: { attempts: ATTEMPTS, baseDelayMs: 0, maxDelayMs: 0 },
    onDeadLetter: (events, _error, sink) => {
      flaky.find((f) => f.sink === sink)?.outcome.push({ how: 'dead', events });
    },
  });
  const recorded: AuditEvent[] = [];
  let n = 0;
  for (const burst of recordedBursts) {
    for (const type of burst) recorded.push(audit.record({ type, description: `#${n++}` }));
    await nextTurn();
  }
  await audit.close();
  return { recorded, flaky };
}

function wanted(recorded: AuditEvent[], types: string[] | undefined): AuditEvent[] {
  if (types === undefined) return recorded;
  return recorded.filter((event) => types.some((glob) => minimatch(event.type, glob)));
}

describe('delivery properties', () => {
  it('delivers exactly the recorded sequence, per sink after filtering, when failures eventually stop', async () => {
    await fc.assert(
      fc.asyncProperty(
        bursts,
        fc.array(
          fc.record({
            failures: fc.array(fc.nat({ max: ATTEMPTS - 1 }), { maxLength: 20 }),
            types: filters,
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.integer({ min: 1, max: 10 }),
        async (recordedBursts, sinks, batchSize) => {
          const { recorded, flaky } = await run(recordedBursts, sinks, batchSize);
          sinks.forEach(({ types }, i) => {
            const outcome = flaky[i]!.outcome;
            expect(outcome.every((o) => o.how === 'written')).toBe(true);
            expect(outcome.flatMap((o) => o.events)).toEqual(wanted(recorded, types));
            expect(outcome.every((o) => o.events.length >= 1 && o.events.length <= batchSize)).toBe(
              true,
            );
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('accounts for every event exactly once, written or dead-lettered, in order, whatever the failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        bursts,
        fc.array(fc.nat({ max: ATTEMPTS + 2 }), { maxLength: 20 }),
        filters,
        fc.integer({ min: 1, max: 10 }),
        async (recordedBursts, failures, types, batchSize) => {
          const { recorded, flaky } = await run(recordedBursts, [{ failures, types }], batchSize);
          const outcome = flaky[0]!.outcome;
          expect(outcome.flatMap((o) => o.events)).toEqual(wanted(recorded, types));
          // A batch is dead-lettered exactly when it failed on every attempt.
          outcome.forEach((o, i) => {
            expect(o.how).toBe((failures[i] ?? 0) >= ATTEMPTS ? 'dead' : 'written');
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
