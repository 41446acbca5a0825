/**
 * What Auth0 refuses in a connection depending on its strategy, as a table of rules: the
 * options an enterprise strategy requires, the fields only some strategies have, the
 * shape of a database connection's options (`option-schemas.ts`), and the rules of
 * flexible identifiers and password policies. A create is checked whole; a patch (Auth0's
 * PATCH replaces `options` whole) is checked against the stored strategy, for what it
 * gives. {@link storedConnectionIssues} holds the rules that compare a patch with the
 * stored connection. See docs/client-settings.md, "What Auth0 refuses".
 *
 * @see https://auth0.com/docs/api/management/v2/connections/post-connections
 * @see https://auth0.com/docs/authenticate/database-connections/flexible-identifiers-and-attributes
 * @internal
 */
import type * as AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';
import { lazyModule } from '../lib/lazy-module.js';
import { labelOf } from '../client/messages.js';
import { schemaIssues } from '../client/schema-issues.js';
import type { Issue } from '../errors.js';
import { OPTION_SCHEMAS } from './option-schemas.js';

type Json = Record<string, unknown>;

/**
 * Options an enterprise strategy requires, each entry a set of alternatives (one of them
 * must be given). From the SDK's `CreateConnectionRequestContent<Strategy>` (`options`
 * members it requires) and, for Okta, Auth0's "domain or issuer".
 */
export const REQUIRED_OPTIONS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  okta: [['client_id'], ['domain', 'issuer']],
  oidc: [['client_id']],
  waad: [['client_id']],
  'google-apps': [['client_id']],
  pingfederate: [['pingFederateBaseUrl']],
};

/**
 * Top-level connection fields that only some strategies have (the SDK declares them on
 * those strategies' create types only).
 */
export const STRATEGY_ONLY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  cross_app_access_requesting_app: ['oidc', 'okta'],
  cross_app_access_resource_app: ['oidc', 'samlp'],
};

/** The legacy password policy fields that `password_options` replaces. */
const LEGACY_PASSWORD_FIELDS = [
  'passwordPolicy',
  'password_complexity_options',
  'password_history',
  'password_no_personal_info',
  'password_dictionary',
] as const;

/** The identifier attributes of flexible identifiers. */
const IDENTIFIERS = ['email', 'phone_number', 'username'] as const;

/** One rule of the table: where it applies, where it comes from, and its check. */
interface StrategyRule {
  /** Strategies it applies to (`*` for all). */
  readonly strategies: readonly string[] | '*';
  /** Where Auth0's rule is written down. */
  readonly source: string;
  /** The issues of `connection` (a create, or a patch's given fields). */
  readonly check: (connection: Json, options: Json | undefined, strategy: string) => Issue[];
}

const record = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;

const given = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** ajv, loaded on first use (see lib/lazy-module.ts). */
const ajvModule = lazyModule<typeof AjvModule>('ajv');

/** Compiled on first use, so importing the library compiles nothing more. */
const validators = new Map<string, ValidateFunction>();
function optionsValidator(strategy: string): ValidateFunction | undefined {
  const schema = OPTION_SCHEMAS[strategy];
  if (!schema) return undefined;
  let validate = validators.get(strategy);
  if (!validate) {
    const ajv = new (ajvModule().Ajv)({ allErrors: true, verbose: true, allowUnionTypes: true });
    validate = ajv.compile({ type: 'object', properties: { options: schema } });
    validators.set(strategy, validate);
  }
  return validate;
}

/** The rules, in the order their issues are reported. */
export const STRATEGY_RULES = {
  'options-shape': {
    strategies: Object.keys(OPTION_SCHEMAS),
    source: "SDK: ConnectionOptionsAuth0's closed parts (option-schemas.ts)",
    check: (_connection, options, strategy) => {
      const validate = optionsValidator(strategy);
      if (!validate || !options || validate({ options })) return [];
      return schemaIssues(validate.errors ?? []);
    },
  },
  'required-options': {
    strategies: Object.keys(REQUIRED_OPTIONS),
    source: "SDK: CreateConnectionRequestContent<Strategy>.options' required members",
    check: (_connection, options, strategy) =>
      (REQUIRED_OPTIONS[strategy] ?? []).flatMap((alternatives) => {
        if (alternatives.some((name) => given(options?.[name]))) return [];
        const [first = ''] = alternatives;
        const which = alternatives.map((name) => `options.${name}`).join(' or ');
        return [
          {
            path: `/options/${first}`,
            code: 'required',
            message: `options.${first} is required: ${strategy} connections need ${which} (Auth0: "Missing required property: ${first}")`,
          },
        ];
      }),
  },
  'strategy-only-fields': {
    strategies: '*',
    source: 'SDK: the create types of the strategies that declare the field',
    check: (connection, _options, strategy) =>
      Object.entries(STRATEGY_ONLY_FIELDS).flatMap(([field, strategies]) =>
        connection[field] === undefined || strategies.includes(strategy)
          ? []
          : [
              {
                path: `/${field}`,
                code: 'not_for_strategy',
                message: `${field} is only for ${strategies.join(' and ')} connections, not ${strategy}; remove it (Auth0: "Additional properties not allowed: ${field}")`,
              },
            ],
      ),
  },
  'attributes-exclusive': {
    strategies: ['auth0'],
    source:
      'Deploy CLI databases handler: "attributes" cannot be used with "requires_username" or "validation"',
    check: (_connection, options) => {
      if (!record(options?.['attributes'])) return [];
      return (['requires_username', 'validation'] as const).flatMap((field) =>
        options?.[field] === undefined || options[field] === null || options[field] === false
          ? []
          : [
              {
                path: `/options/${field}`,
                code: 'conflict',
                message: `options.${field} cannot be used with options.attributes: flexible identifiers replace it; remove one of them`,
              },
            ],
      );
    },
  },
  'active-identifier': {
    strategies: ['auth0'],
    source: 'Deploy CLI databases handler: at least one identifier must be active',
    check: (_connection, options) => {
      const attributes = record(options?.['attributes']);
      if (!attributes) return [];
      const active = IDENTIFIERS.some(
        (name) => record(record(attributes[name])?.['identifier'])?.['active'] === true,
      );
      return active
        ? []
        : [
            {
              path: '/options/attributes',
              code: 'no_active_identifier',
              message:
                'options.attributes needs at least one active identifier: set email.identifier.active, username.identifier.active or phone_number.identifier.active to true',
            },
          ];
    },
  },
  'unique-email-identifier': {
    strategies: ['auth0'],
    source: 'Deploy CLI databases handler: non-unique emails cannot be active identifiers',
    check: (_connection, options) => {
      const email = record(record(options?.['attributes'])?.['email']);
      if (email?.['unique'] !== false || record(email['identifier'])?.['active'] !== true) {
        return [];
      }
      return [
        {
          path: '/options/attributes/email/identifier/active',
          code: 'conflict',
          message:
            'options.attributes.email.identifier.active cannot be true when email.unique is false: a non-unique email cannot identify a user',
        },
      ];
    },
  },
  'profile-required-at-signup': {
    strategies: ['auth0'],
    source:
      'Auth0 flexible identifiers: an attribute required on the profile is required at signup',
    check: (_connection, options) => {
      const attributes = record(options?.['attributes']);
      if (!attributes) return [];
      return IDENTIFIERS.flatMap((name) => {
        const attribute = record(attributes[name]);
        const status = record(attribute?.['signup'])?.['status'];
        if (attribute?.['profile_required'] !== true || status === undefined) return [];
        if (status === 'required') return [];
        return [
          {
            path: `/options/attributes/${name}/profile_required`,
            code: 'conflict',
            message: `${labelOf(`/options/attributes/${name}/profile_required`)} can only be true when ${name}.signup.status is required (got ${JSON.stringify(status)})`,
          },
        ];
      });
    },
  },
  'password-policy-exclusive': {
    strategies: ['auth0'],
    source:
      'Deploy CLI databases handler: legacy password policy fields and "password_options" cannot be used together',
    check: (_connection, options) => {
      if (!record(options?.['password_options'])) return [];
      return LEGACY_PASSWORD_FIELDS.filter((field) => options?.[field] !== undefined).map(
        (field) => ({
          path: `/options/${field}`,
          code: 'conflict',
          message: `options.${field} cannot be used with options.password_options: migrate it to password_options and remove it`,
        }),
      );
    },
  },
  'three-of-four': {
    strategies: ['auth0'],
    source: 'Deploy CLI databases handler: "three_of_four" needs all four character types',
    check: (_connection, options) => {
      const complexity = record(record(options?.['password_options'])?.['complexity']);
      if (complexity?.['character_type_rule'] !== 'three_of_four') return [];
      const types = Array.isArray(complexity['character_types'])
        ? complexity['character_types']
        : [];
      const all = ['uppercase', 'lowercase', 'number', 'special'].every((type) =>
        types.includes(type),
      );
      return all
        ? []
        : [
            {
              path: '/options/password_options/complexity/character_type_rule',
              code: 'conflict',
              message:
                'options.password_options.complexity.character_type_rule can only be three_of_four when character_types lists uppercase, lowercase, number and special',
            },
          ];
    },
  },
  'signup-block-needs-optional-api': {
    strategies: ['auth0'],
    source: 'Deploy CLI databases handler: "signup_behavior" block needs "api_behavior" optional',
    check: (_connection, options) => {
      const password = record(record(options?.['authentication_methods'])?.['password']);
      if (password?.['signup_behavior'] !== 'block' || password['api_behavior'] === 'optional') {
        return [];
      }
      return [
        {
          path: '/options/authentication_methods/password/api_behavior',
          code: 'conflict',
          message:
            'options.authentication_methods.password.api_behavior must be optional when signup_behavior is block',
        },
      ];
    },
  },
} as const satisfies Readonly<Record<string, StrategyRule>>;

/**
 * The issues of a connection under its strategy's rules. For a patch (`patch: true`),
 * only what the patch gives is checked, against the stored strategy.
 */
export function strategyIssues(strategy: string, connection: Json, patch = false): Issue[] {
  const options = record(connection['options']);
  if (patch && options === undefined) {
    return STRATEGY_RULES['strategy-only-fields'].check(connection, undefined, strategy);
  }
  return Object.values<StrategyRule>(STRATEGY_RULES).flatMap((rule) =>
    rule.strategies === '*' || rule.strategies.includes(strategy)
      ? rule.check(connection, options, strategy)
      : [],
  );
}

/**
 * Rules that compare a patch with the stored connection: Auth0 takes
 * `options.attributes.email.unique` only when the connection is created (the Terraform
 * provider refuses a change of it before calling Auth0).
 */
export function storedConnectionIssues(stored: Json, patch: Json): Issue[] {
  const before = record(record(record(stored['options'])?.['attributes'])?.['email'])?.['unique'];
  const after = record(record(record(patch['options'])?.['attributes'])?.['email'])?.['unique'];
  if (typeof before !== 'boolean' || typeof after !== 'boolean' || before === after) return [];
  return [
    {
      path: '/options/attributes/email/unique',
      code: 'immutable',
      message: `options.attributes.email.unique cannot be changed after the connection is created (it is ${before}); create a new connection to change it`,
    },
  ];
}
