/** A sink that appends events to a file as newline-delimited JSON. */
import { open, type FileHandle } from 'node:fs/promises';
import { InvalidArgumentError } from '../../errors.js';
import type { AuditEvent, AuditSink } from '../event.js';
import { typesOf, type AuditSinkOptions } from './options.js';

/** Options of {@link ndjsonFileSink}. */
export interface NdjsonFileSinkOptions extends AuditSinkOptions {
  /**
   * Permissions of the file when the sink creates it. Default `0o600`: audit logs name
   * clients and IP addresses.
   */
  mode?: number;
}

/** A batch being written, kept so that a retry of the same batch resumes where it stopped. */
interface PendingWrite {
  readonly batch: readonly AuditEvent[];
  readonly data: Buffer;
  offset: number;
}

const NEWLINE = 0x0a;

/**
 * Creates a sink that appends one JSON line per event to `path` (opened in append mode on
 * the first write, created if missing). `flush()` fsyncs the file; `close()` closes it.
 *
 * A write that fails part-way is resumed from the first unwritten byte when the trail
 * retries the batch, so a line is never written twice. If the batch is dead-lettered
 * instead, the next write starts on a new line, leaving the torn line on a line of its
 * own for readers to skip.
 *
 * @param path - the file to append to
 * @throws {@link InvalidArgumentError} when `path` is not a non-empty string.
 * @example
 * ```ts
 * const audit = new AuditTrail({ sinks: [ndjsonFileSink('/var/log/clientele/audit.ndjson')] });
 * audit.record({ type: 'sapi', description: 'Rotate a client secret', client_id: 'abc' });
 * await audit.flush(); // written and fsynced
 * ```
 */
export function ndjsonFileSink(path: string, options: NdjsonFileSinkOptions = {}): AuditSink {
  if (typeof path !== 'string' || path === '') {
    throw new InvalidArgumentError('/path', 'path must be a non-empty file path');
  }
  const { mode = 0o600 } = options;
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw new InvalidArgumentError('/options/mode', 'mode must be a file mode such as 0o600');
  }
  let handle: Promise<FileHandle> | undefined;
  let pending: PendingWrite | undefined;

  const file = (): Promise<FileHandle> => {
    handle ??= open(path, 'a', mode).catch((error: unknown) => {
      handle = undefined;
      throw error;
    });
    return handle;
  };

  /** Drops a handle that failed, so the next attempt reopens the file. */
  const discard = async (): Promise<void> => {
    const failed = handle;
    handle = undefined;
    await failed?.then((h) => h.close()).catch(() => undefined);
  };

  return {
    ...typesOf(options),

    async write(batch) {
      if (pending?.batch !== batch) pending = prepare(batch, pending);
      const job = pending;
      try {
        const fh = await file();
        while (job.offset < job.data.length) {
          const { bytesWritten } = await fh.write(
            job.data,
            job.offset,
            job.data.length - job.offset,
          );
          job.offset += bytesWritten;
        }
      } catch (error) {
        await discard();
        throw error;
      }
      pending = undefined;
    },

    async flush() {
      if (handle !== undefined) await (await handle).sync();
    },

    async close() {
      const current = handle;
      handle = undefined;
      if (current !== undefined) await (await current).close();
    },
  };
}

/** Serialises `batch`, starting with a newline when an abandoned write left a torn line. */
function prepare(batch: readonly AuditEvent[], abandoned: PendingWrite | undefined): PendingWrite {
  const torn =
    abandoned !== undefined &&
    abandoned.offset > 0 &&
    abandoned.data[abandoned.offset - 1] !== NEWLINE;
  let text = torn ? '\n' : '';
  for (const event of batch) text += `${JSON.stringify(event)}\n`;
  return { batch, data: Buffer.from(text, 'utf8'), offset: 0 };
}
