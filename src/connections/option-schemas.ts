/**
 * The object table of connection `options`, by strategy: which nested objects Auth0
 * refuses undeclared members in and which members it requires together. Most of a
 * connection's options pass through (the SDK's `ConnectionOptions…` interfaces are open,
 * and each strategy has its own), but some nested objects are closed. The reference is the
 * `auth0` SDK's declarations, named per object below;
 * `test/connections/strategy-rules.test.ts` compares the table with the SDK's shape of
 * `ConnectionOptionsAuth0` (`connectionOptions` in test/fixtures/auth0-sdk-fields.json).
 *
 * | strategy | object | rule (SDK interface) |
 * | --- | --- | --- |
 * | `auth0` | `options` | open (`ConnectionOptionsAuth0`) |
 * | `auth0` | `options.attributes` and everything in it | closed (`ConnectionAttributes`, `EmailAttribute`, `PhoneAttribute`, `UsernameAttribute`, their `identifier`, `signup`, `validation`) |
 * | `auth0` | `options.validation`, `options.validation.username` | closed; `username` needs `min` and `max` (`ConnectionValidationOptions`, `ConnectionUsernameValidationOptions`) |
 * | `auth0` | `options.password_history`, `password_dictionary`, `password_no_personal_info` | need `enable` (`ConnectionPasswordHistoryOptions`, …) |
 * | `auth0` | `options.mfa` | closed (`ConnectionMfa`) |
 * | every other strategy | `options` | open: passed through |
 *
 * @see https://auth0.com/docs/api/management/v2/connections/post-connections
 * @see https://auth0.com/docs/authenticate/database-connections/flexible-identifiers-and-attributes
 */
import type { SchemaObject } from 'ajv';
import { boolean, closed, listOf, nullOr, number, open, string } from '../client/object-rule.js';

const signup = closed({ status: string, verification: closed({ active: boolean }) });

/** `options.attributes` of a database connection (flexible identifiers). */
export const ATTRIBUTES = closed({
  email: closed({
    identifier: closed({ active: boolean, default_method: string }),
    unique: boolean,
    profile_required: boolean,
    verification_method: string,
    signup,
  }),
  phone_number: closed({
    identifier: closed({ active: boolean, default_method: string }),
    profile_required: boolean,
    signup,
  }),
  username: closed({
    identifier: closed({ active: boolean }),
    profile_required: boolean,
    signup: closed({ status: string }),
    validation: closed({
      min_length: number,
      max_length: number,
      allowed_types: closed({ email: boolean, phone_number: boolean }),
    }),
  }),
});

/** The options of a database (`auth0`) connection: open, with closed parts. */
const DATABASE_OPTIONS = open({
  attributes: ATTRIBUTES,
  validation: nullOr(
    closed({ username: nullOr(closed({ min: number, max: number }, ['min', 'max'])) }),
  ),
  password_history: nullOr(closed({ enable: boolean, size: number }, ['enable'])),
  password_dictionary: nullOr(closed({ enable: boolean, dictionary: listOf(string) }, ['enable'])),
  password_no_personal_info: nullOr(closed({ enable: boolean }, ['enable'])),
  mfa: closed({ active: boolean, return_enroll_settings: boolean }),
});

/** The schema of `options` per strategy; strategies not listed pass options through. */
export const OPTION_SCHEMAS: Readonly<Record<string, SchemaObject>> = {
  auth0: DATABASE_OPTIONS,
};
