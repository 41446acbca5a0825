/**
 * The audit trail's last-resort reporting path: a process warning. It is used when no
 * `onDeadLetter` callback is given, when that callback throws, and when a sink's `flush`
 * or `close` fails — never an `'error'` event, a thrown error or an unhandled rejection.
 */

/** Warning codes, so a `process.on('warning')` handler can pick them out. */
export type AuditWarningCode =
  'CLIENTELE_AUDIT_DEAD_LETTER' | 'CLIENTELE_AUDIT_CALLBACK_FAILED' | 'CLIENTELE_AUDIT_SINK_FAILED';

/** Emits a process warning of type `ClienteleAuditWarning`. `message` must hold no secret. */
export function warn(code: AuditWarningCode, message: string, error?: unknown): void {
  const reason = describe(error);
  process.emitWarning(reason === undefined ? message : `${message}: ${reason}`, {
    type: 'ClienteleAuditWarning',
    code,
  });
}

/**
 * A one-line description of a failure. Errors' messages are used as they are: the
 * library's own never contain secrets, and the HTTP sink's never contain its URL.
 */
function describe(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : Object.prototype.toString.call(error);
}
