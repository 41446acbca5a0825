/**
 * `POST {basePath}/check`: validates and lints client settings for the console's Settings
 * form, so issues and findings appear at their fields before anything is saved. Pure: it
 * reads nothing from and writes nothing to the tenant.
 *
 * @module
 * @internal
 */
import type { Issue } from '../../errors.js';
import { lintClient, type Finding } from '../../client/lint.js';
import type { ClientSettings } from '../../client/settings.js';
import { validateClientSettings } from '../../client/validate.js';

/** What the Settings form gets back. */
export interface SettingsCheck {
  /** Validation issues: the Management API would refuse the settings. */
  readonly issues: readonly Issue[];
  /** Lint findings of the settings as written (errors are refused by the tenant too). */
  readonly findings: readonly Finding[];
}

/** Largest body accepted: a client with every list full is far below it. */
const MAX_BODY_BYTES = 256 * 1024;

/** Reads `{ settings: object }` from a JSON request body of at most 256 KiB. */
export async function readCheckBody(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; error: object }> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return failure('the body is larger than 256 KiB');
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return failure('the body is larger than 256 KiB');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return failure('the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || !('settings' in body)) {
    return failure('the body must be an object with "settings"');
  }
  return { ok: true, value: body.settings };
}

/** Validates full client settings and lints them as written. */
export function checkSettings(settings: unknown): SettingsCheck {
  const result = validateClientSettings(settings);
  const issues = result.ok ? [] : result.issues;
  const taken = new Set(issues.map((issue) => issue.path));
  const findings =
    typeof settings === 'object' && settings !== null && !Array.isArray(settings)
      ? lintClient(settings as ClientSettings).filter((finding) => !taken.has(finding.path))
      : [];
  return { issues, findings };
}

function failure(message: string): { ok: false; error: object } {
  return { ok: false, error: { statusCode: 400, error: 'Bad Request', message } };
}
