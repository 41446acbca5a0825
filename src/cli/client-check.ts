/**
 * Validates and lints one client object, including one that fails validation.
 *
 * A client that fails validation is still linted, on a best-effort copy: every value
 * an issue points at is taken out (the entry of a URL list, a nested setting, or the
 * whole property), the copy is validated again (up to {@link MAX_ROUNDS} times), and
 * the copy that validates is linted. Lint findings are reported at the pointers of the
 * original object (list indices are mapped back), and findings about a property that
 * had to be taken out are dropped, because they would describe a default, not the file.
 * A client without a usable `app_type`, or that is not an object, is not linted: almost
 * every rule depends on the type.
 *
 * @module
 */
import type { Issue } from '../errors.js';
import { isRecord, pointerTokens, toPointer } from './pointer.js';
import type { CheckSeverity } from './types.js';

/** A finding before it is attributed to a file and a client. */
export interface ClientFinding {
  /** Issue code or lint rule. */
  rule: string;
  /** How serious it is. */
  severity: CheckSeverity;
  /** JSON pointer into the client. */
  path: string;
  /** What is wrong. */
  message: string;
}

/**
 * The two library functions the check needs, as in the public API contract
 * (`validateClientSettings` and `lintClient`); injectable for tests.
 */
export interface ClientChecker {
  /** Validates full (not partial) client settings. */
  validate(input: unknown): { ok: true; value: unknown } | { ok: false; issues: readonly Issue[] };
  /** Lints settings that `validate` returned. */
  lint(settings: unknown): readonly ClientFinding[];
}

/** Fields that Auth0 also accepts as one comma-separated string. */
const COMMA_LISTS = ['callbacks', 'allowed_logout_urls', 'allowed_origins', 'web_origins'];

/** How many times a failing copy is pruned and validated again before giving up. */
export const MAX_ROUNDS = 4;

/** Validation issues (as `error` findings, rule = issue code) followed by lint findings. */
export function checkClientSettings(raw: unknown, checker: ClientChecker): ClientFinding[] {
  const first = checker.validate(raw);
  if (first.ok) return [...checker.lint(first.value)];
  const findings: ClientFinding[] = first.issues.map((issue) => ({
    rule: issue.code,
    severity: 'error',
    path: issue.path,
    message: issue.message,
  }));
  const pruned = pruneUntilValid(raw, first.issues, checker);
  if (pruned === undefined) return findings;
  for (const finding of checker.lint(pruned.value)) {
    const path = pruned.originalPath(finding.path);
    if (!pruned.isRemoved(path)) findings.push({ ...finding, path });
  }
  return findings;
}

interface PrunedCopy {
  value: unknown;
  originalPath(path: string): string;
  isRemoved(path: string): boolean;
}

function pruneUntilValid(
  raw: unknown,
  firstIssues: readonly Issue[],
  checker: ClientChecker,
): PrunedCopy | undefined {
  if (!isRecord(raw)) return undefined;
  const copy: Record<string, unknown> = structuredClone(raw);
  for (const field of COMMA_LISTS) {
    const value = copy[field];
    if (typeof value === 'string') {
      copy[field] = value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
    }
  }
  // For each top-level list, the original index of every entry still in the copy.
  const origins = new Map<string, number[]>();
  const removed = new Set<string>();
  const originalIndex = (key: string, index: number): number => origins.get(key)?.[index] ?? index;

  let issues = firstIssues;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const dropFromList = new Map<string, Set<number>>();
    for (const issue of issues) {
      const [key, ...rest] = pointerTokens(issue.path);
      if (key === undefined || key === 'app_type') return undefined;
      const value = copy[key];
      if (key === 'name') {
        copy[key] = 'unnamed';
        removed.add('/name');
      } else if (Array.isArray(value) && rest.length > 0 && isIndex(rest[0], value.length)) {
        const index = Number(rest[0]);
        let drops = dropFromList.get(key);
        if (!drops) dropFromList.set(key, (drops = new Set()));
        drops.add(index);
      } else if (isRecord(value) && rest.length > 0 && deleteNested(value, rest)) {
        removed.add(toPointer([key, ...rest]));
      } else {
        Reflect.deleteProperty(copy, key);
        removed.add(toPointer([key]));
      }
    }
    for (const [key, drops] of dropFromList) {
      const list = copy[key] as unknown[];
      const map = origins.get(key) ?? list.map((_, index) => index);
      for (const index of [...drops].sort((a, b) => b - a)) {
        list.splice(index, 1);
        map.splice(index, 1);
      }
      origins.set(key, map);
    }
    const again = checker.validate(copy);
    if (again.ok) {
      return {
        value: again.value,
        originalPath(path) {
          const tokens = pointerTokens(path);
          const [key, index, ...rest] = tokens;
          if (
            key === undefined ||
            index === undefined ||
            !origins.has(key) ||
            !/^\d+$/.test(index)
          ) {
            return path;
          }
          return toPointer([key, originalIndex(key, Number(index)), ...rest]);
        },
        isRemoved(path) {
          for (const gone of removed) {
            if (path === gone || path.startsWith(`${gone}/`)) return true;
          }
          return false;
        },
      };
    }
    issues = again.issues;
  }
  return undefined;
}

function isIndex(token: string | undefined, length: number): boolean {
  return token !== undefined && /^(0|[1-9]\d*)$/.test(token) && Number(token) < length;
}

/** Deletes the value at `tokens` inside `target`; false when there is nothing there. */
function deleteNested(target: Record<string, unknown>, tokens: readonly string[]): boolean {
  let node: unknown = target;
  for (const token of tokens.slice(0, -1)) {
    if (!isRecord(node)) return false;
    node = node[token];
  }
  const last = tokens[tokens.length - 1];
  if (!isRecord(node) || last === undefined || !Object.hasOwn(node, last)) return false;
  Reflect.deleteProperty(node, last);
  return true;
}
