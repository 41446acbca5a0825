import { mkdtemp, mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AuditTrail,
  InvalidArgumentError,
  ndjsonFileSink,
  type AuditEvent,
  type AuditSink,
} from '../../src/index.js';
import { deferred } from './helpers.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clientele-audit-'));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function lines(path: string): Promise<AuditEvent[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as AuditEvent);
}

describe('ndjsonFileSink', () => {
  it('appends one JSON line per event, in order, readable after flush', async () => {
    const path = join(dir, 'audit.ndjson');
    const audit = new AuditTrail({ sinks: [ndjsonFileSink(path)], batchSize: 3 });
    const recorded = Array.from({ length: 7 }, (_, i) =>
      audit.record({ type: i % 2 ? 'fapi' : 'sapi', description: `op ${i}`, client_id: 'abc' }),
    );
    await audit.flush();
    expect(await lines(path)).toEqual(recorded);
    await audit.close();
  });

  it('appends to an existing file rather than replacing it', async () => {
    const path = join(dir, 'audit.ndjson');
    await writeFile(path, '{"earlier":true}\n');
    const audit = new AuditTrail({ sinks: [ndjsonFileSink(path)] });
    const event = audit.record({ type: 'sapi', description: 'later' });
    await audit.close();
    expect(await readFile(path, 'utf8')).toBe(`{"earlier":true}\n${JSON.stringify(event)}\n`);
  });

  it('creates the file readable by its owner only', async () => {
    const path = join(dir, 'private.ndjson');
    const audit = new AuditTrail({ sinks: [ndjsonFileSink(path)] });
    audit.record({ type: 'sapi', description: 'x' });
    await audit.close();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('retries when the file cannot be opened yet, and writes each event once', async () => {
    const path = join(dir, 'later', 'audit.ndjson');
    const inner = ndjsonFileSink(path);
    const firstFailure = deferred();
    let failures = 0;
    const watched: AuditSink = {
      async write(batch) {
        try {
          await inner.write(batch);
        } catch (error) {
          failures += 1;
          firstFailure.resolve();
          throw error;
        }
      },
      flush: () => inner.flush!(),
      close: () => inner.close!(),
    };
    const audit = new AuditTrail({
      sinks: [watched],
      retry: { attempts: 50, baseDelayMs: 2, maxDelayMs: 10 },
    });
    const first = audit.record({ type: 'sapi', description: 'one' });
    await firstFailure.promise;
    const second = audit.record({ type: 'sapi', description: 'two' });
    await mkdir(join(dir, 'later'));
    await audit.close();
    expect(failures).toBeGreaterThan(0);
    expect(await lines(path)).toEqual([first, second]);
  });

  it('resumes a write that failed part-way from the first unwritten byte', async () => {
    const path = join(dir, 'audit.ndjson');
    const writes = await tornWrites(path);
    const audit = new AuditTrail({
      sinks: [ndjsonFileSink(path)],
      retry: { attempts: 3, baseDelayMs: 1 },
    });
    const recorded = [
      audit.record({ type: 'sapi', description: 'first' }),
      audit.record({ type: 'sapi', description: 'second' }),
    ];
    await audit.close();
    expect(writes.calls).toBe(3); // half a batch, a failure, the other half
    expect(await lines(path)).toEqual(recorded);
  });

  it('starts on a new line after a torn batch was dead-lettered', async () => {
    const path = join(dir, 'audit.ndjson');
    await tornWrites(path);
    const lost: AuditEvent[] = [];
    const audit = new AuditTrail({
      sinks: [ndjsonFileSink(path)],
      retry: { attempts: 1 },
      onDeadLetter: (events) => lost.push(...events),
    });
    const torn = audit.record({ type: 'sapi', description: 'torn' });
    await audit.flush();
    const next = audit.record({ type: 'sapi', description: 'next' });
    await audit.close();
    expect(lost).toEqual([torn]);
    const text = await readFile(path, 'utf8');
    const [tornLine, nextLine, end] = text.split('\n');
    expect(JSON.stringify(torn).startsWith(tornLine!)).toBe(true);
    expect(nextLine).toBe(JSON.stringify(next));
    expect(end).toBe('');
  });

  it('closes its file on close and reopens it if written to again', async () => {
    const path = join(dir, 'audit.ndjson');
    const sink = ndjsonFileSink(path);
    const audit = new AuditTrail({ sinks: [sink] });
    const a = audit.record({ type: 'sapi', description: 'a' });
    await audit.close();
    await expect(sink.close!()).resolves.toBeUndefined(); // idempotent
    const b = new AuditTrail().record({ type: 'sapi', description: 'b' });
    await sink.write([b]);
    await sink.close!();
    expect(await lines(path)).toEqual([a, b]);
  });

  it('rejects a path or mode of the wrong shape', () => {
    expect(() => ndjsonFileSink('')).toThrow(InvalidArgumentError);
    expect(() => ndjsonFileSink(join(dir, 'x'), { mode: -1 })).toThrow(/mode must be a file mode/);
  });

  it('carries its types filter', () => {
    expect(ndjsonFileSink(join(dir, 'x'), { types: ['f*'] }).types).toEqual(['f*']);
    expect('types' in ndjsonFileSink(join(dir, 'x'))).toBe(false);
  });
});

/**
 * Makes FileHandle#write write only half of what it is asked on its first call and fail on
 * its second, as a full disk or an I/O error part-way through a write would.
 */
async function tornWrites(path: string): Promise<{ calls: number }> {
  const probe = await open(path, 'a');
  const proto = Object.getPrototypeOf(probe) as {
    write: (buffer: Buffer, offset: number, length: number) => Promise<{ bytesWritten: number }>;
  };
  await probe.close();
  const original = proto.write;
  const state = { calls: 0 };
  vi.spyOn(proto, 'write').mockImplementation(async function (
    this: unknown,
    buffer: Buffer,
    offset: number,
    length: number,
  ) {
    state.calls += 1;
    if (state.calls === 1) return original.call(this, buffer, offset, Math.floor(length / 2));
    if (state.calls === 2) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    return original.call(this, buffer, offset, length);
  });
  return state;
}
