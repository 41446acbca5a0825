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
