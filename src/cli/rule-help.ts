/**
 * What each rule of `clientele check` means, for the outputs that describe their rules
 * (SARIF's `tool.driver.rules`): the lint rules of `LINT_RULES`, the rules of the CLI
 * itself (references between entries, keyword markers, missing files) and the codes of
 * validation issues (what Auth0's Management API would refuse).
 *
 * @module
 */
import { LINT_RULES } from '../client/lint.js';
import type { CheckSeverity } from './types.js';

/** One rule as the reports describe it. */
export interface RuleHelp {
  /** The rule id findings carry (`wildcard-url`, `unknown-client`, `invalid_type`). */
  readonly id: string;
  /** The severity its findings have (validation issues are always errors). */
  readonly severity: CheckSeverity;
  /** One sentence: what the rule looks for and why it matters. */
  readonly description: string;
  /** Where the rule comes from: an RFC section or an Auth0 document, when there is one. */
  readonly helpUri?: string;
}

const DEPLOY_CLI = 'https://auth0.com/docs/deploy-monitor/deploy-cli-tool';
const THIRD_PARTY =
  'https://auth0.com/docs/get-started/applications/third-party-applications/security-controls';

/** The rules `clientele check` adds to lint and validation (see check.ts and the checkers). */
const CLI_RULES: readonly RuleHelp[] = [
  {
    id: 'unresolved-keyword',
    severity: 'error',
    description:
      'A ##KEY## or @@KEY@@ marker is still in a value, so the file checked is not what the Deploy CLI would deploy; pass its value with --keywords <file.json>.',
    helpUri: `${DEPLOY_CLI}/keyword-replacement`,
  },
  {
    id: 'duplicate-client-name',
    severity: 'error',
    description:
      'Two clients of one export share a name; the Deploy CLI identifies clients by name, so one would overwrite the other.',
    helpUri: DEPLOY_CLI,
  },
  {
    id: 'duplicate-api-identifier',
    severity: 'error',
    description:
      'Two APIs of one export share an identifier; the Deploy CLI identifies APIs by identifier, so one would overwrite the other.',
    helpUri: DEPLOY_CLI,
  },
  {
    id: 'duplicate-connection-name',
    severity: 'error',
    description: 'Two connections share a name (whatever its case); names are unique per tenant.',
  },
  {
    id: 'duplicate-client-grant',
    severity: 'error',
    description: 'A client has two grants for one API; a client has one grant per API.',
  },
  {
    id: 'unknown-client',
    severity: 'error',
    description:
      'A connection or client grant names a client that is not in the export (by name or client_id).',
  },
  {
    id: 'unknown-api',
    severity: 'error',
    description:
      'A client grant names an audience that is not the identifier of an API of the export.',
  },
  {
    id: 'system-api',
    severity: 'error',
    description:
      "An API entry names Auth0's Management API (by name or identifier), a system API that cannot be configured: the Deploy CLI and Auth0 refuse it.",
    helpUri: DEPLOY_CLI,
  },
  {
    id: 'third-party-needs-grant',
    severity: 'error',
    description:
      "A third-party client has no client grant in the export, nor is there a default grant for third-party clients: in strict mode it reaches no API, whatever the API's access policy. An error on a strict client, a warning on a permissive one.",
    helpUri: `${THIRD_PARTY}#explicit-api-authorization`,
  },
  {
    id: 'third-party-system-api',
    severity: 'error',
    description:
      'A grant gives a third-party client an Auth0 system API (the Management API): strict third-party clients cannot be granted one. An error on a strict client, a warning on a permissive one.',
    helpUri: `${THIRD_PARTY}#explicit-api-authorization`,
  },
  {
    id: 'third-party-any-organization',
    severity: 'error',
    description:
      'A grant of a third-party client allows any organization: strict third-party clients need an explicit grant per organization. An error on a strict client, a warning on a permissive one.',
    helpUri: `${THIRD_PARTY}#organizations`,
  },
  {
    id: 'missing-file',
    severity: 'error',
    description:
      'A file the entry names (a custom login page, an email template, a database script) cannot be read, so the Deploy CLI would fail or deploy it empty.',
  },
];

/** Validation issue codes: Auth0's Management API would refuse the value. */
const ISSUE_TEXT: Readonly<Record<string, string>> = {
  invalid_type: 'has the wrong type',
  required: 'is required and missing',
  unknown_property: 'is not a field Auth0 knows',
  invalid_value: 'is not one of the values Auth0 accepts',
  too_many_items: 'holds more items than Auth0 allows',
  too_long: 'is longer than Auth0 allows',
  too_short: 'is shorter than Auth0 allows',
  too_large: 'is larger than Auth0 allows',
  too_small: 'is smaller than Auth0 allows',
  too_many_properties: 'holds more keys than Auth0 allows',
  duplicate: 'repeats a value that must be unique',
  unknown_scope: 'names a scope the API does not define',
  unknown_strategy: 'names a connection strategy Auth0 does not know',
  unknown_addon: 'names an addon Auth0 does not know',
  reserved: 'uses a reserved name',
  read_only: 'is read-only and cannot be set',
  out_of_range: 'is out of the range Auth0 allows',
  mutually_exclusive: 'is set together with a field it excludes',
  invalid_format: 'is not in the format Auth0 expects',
  invalid_characters: 'holds characters Auth0 refuses',
  invalid_url_pattern: 'is not a valid URL pattern for its list',
  blank: 'is blank',
  invalid_uri: 'is not a URL in the format Auth0 expects for this field',
  not_for_strategy: "is a field the connection's strategy does not have",
  conflict: 'is set together with a setting Auth0 refuses it with',
  no_active_identifier: 'leaves the database connection without an active identifier',
  immutable: 'changes a value Auth0 takes only when the object is created',
  grant_not_allowed: 'grants an API to a client type that cannot hold client grants',
};

const BY_ID: ReadonlyMap<string, RuleHelp> = new Map(
  [
    ...LINT_RULES.map((rule) => ({
      id: rule.id,
      severity: rule.severity,
      description: rule.description,
      ...withUri(rule.see),
    })),
    ...CLI_RULES,
  ].map((rule) => [rule.id, rule]),
);

/**
 * The help of a rule id as findings carry it. An id that is neither a lint rule nor a CLI
 * rule is a validation issue code (an error).
 */
export function ruleHelp(id: string): RuleHelp {
  const known = BY_ID.get(id);
  if (known) return known;
  const text = ISSUE_TEXT[id] ?? `fails validation (${id})`;
  return {
    id,
    severity: 'error',
    description: `Auth0's Management API would refuse this entry: the value at the finding's pointer ${text}.`,
    helpUri: 'https://auth0.com/docs/api/management/v2',
  };
}

/** The first URL of a lint rule's `see`, which may add a note after it. */
function withUri(see: string): { helpUri?: string } {
  const url = /^https:\/\/\S+/.exec(see)?.[0];
  return url === undefined ? {} : { helpUri: url };
}
