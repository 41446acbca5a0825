/**
 * The changes of `clientele diff` as annotations, for the CI formats `clientele check`
 * writes (`--format sarif`, `--format github`): one per change, at its file and line,
 * rule `destructive-change` (level `error`) or `tenant-change` (level `note`).
 *
 * @module
 */
import type { Annotation } from '../annotation.js';
import type { RuleHelp } from '../rule-help.js';
import type { TenantChange } from '../../diff/types.js';
import { changeSentence } from './describe.js';

/** The rules of `clientele diff`, as SARIF describes them. */
const DIFF_RULES: Readonly<Record<string, RuleHelp>> = {
  'destructive-change': {
    id: 'destructive-change',
    severity: 'error',
    description:
      'A change that takes away something that works: a deleted client, connection or API, a callback, logout URL or origin removed, a grant deleted or narrowed, a connection disabled for a client, a signing algorithm or authentication method changed.',
    helpUri: 'https://auth0.com/docs/deploy-monitor/deploy-cli-tool',
  },
  'tenant-change': {
    id: 'tenant-change',
    severity: 'info',
    description:
      'A change to a client, API, connection or client grant that deploying the export makes (or that was made in the tenant since the export).',
    helpUri: 'https://auth0.com/docs/deploy-monitor/deploy-cli-tool',
  },
};

/** The help of a rule of `clientele diff`. */
export function diffRuleHelp(id: string): RuleHelp {
  return DIFF_RULES[id] ?? { id, severity: 'info', description: id };
}

/**
 * One annotation per change. A change without a file (both sides live or in memory) is
 * reported at `fallback`, the before side's path.
 */
export function changeAnnotations(
  changes: readonly TenantChange[],
  fallback: string,
): Annotation[] {
  return changes.map((change) => {
    const destructive = change.severity === 'destructive';
    const { location } = change;
    return {
      rule: destructive ? 'destructive-change' : 'tenant-change',
      level: destructive ? 'error' : 'note',
      message: changeSentence(change),
      file: location?.file ?? fallback,
      ...(location?.line === undefined ? {} : { line: location.line }),
      ...(location?.column === undefined ? {} : { column: location.column }),
      subject: `${change.object.type}:${change.object.key}${change.path}#${change.kind}`,
    };
  });
}
