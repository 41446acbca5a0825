import fc from 'fast-check';
import type { SchemaObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  committed,
  compareShape,
  type Departures,
  type Mismatch,
  type SdkShape,
} from '../support/sdk-fields.js';
import { validateClientSettings } from '../../src/client/validate.js';
import { CLIENT_OBJECT_FIELDS, objectRuleOf } from '../../src/client/object-fields.js';

/** Object fields the table leaves to another rule: read-only, or a map with its own limits. */
const NOT_IN_TABLE = ['signing_keys', 'client_metadata'];

/**
 * Where the table departs from the SDK's shapes, and why (each is also commented in
 * src/client/object-fields.ts). Pointers are schema paths: `/field/member`, `[]` for items.
 */
const DEPARTURES: Departures = {
  // The issue's recorded refusal (lifetime_in_second) and Terraform's fixed block.
  '/jwt_configuration': { extraRefused: true },
  // The Deploy CLI's schema passes other members through.
  '/session_transfer': { extraRefused: false },
  // One credential shape for every method: the members of every SDK variant, and
  // Auth0's certificate thumbprint.
  '/client_authentication_methods/private_key_jwt/credentials[]': {
    extraMembers: ['subject_dn', 'thumbprint_sha256'],
  },
  '/client_authentication_methods/tls_client_auth/credentials[]': {
    extraMembers: ['alg', 'expires_at', 'kid', 'parse_expiry_from_cert', 'thumbprint_sha256'],
  },
  '/client_authentication_methods/self_signed_tls_client_auth/credentials[]': {
    extraMembers: [
      'alg',
      'expires_at',
      'kid',
      'parse_expiry_from_cert',
      'subject_dn',
      'thumbprint_sha256',
    ],
  },
  '/signed_request_object/credentials[]': { extraMembers: ['subject_dn', 'thumbprint_sha256'] },
  '/token_vault_privileged_access/credentials[]': {
    extraMembers: ['subject_dn', 'thumbprint_sha256'],
  },
};

const table = CLIENT_OBJECT_FIELDS as Record<string, SchemaObject>;
const sdkObjects = Object.entries(committed.clientObjects).filter(
  ([field]) => !NOT_IN_TABLE.includes(field),
);

describe("the object table against the auth0 SDK's shapes", () => {
  it('has a row for every object-valued field of the SDK, and no other', () => {
    expect(Object.keys(table).sort()).toEqual(sdkObjects.map(([field]) => field).sort());
  });

  it('requires and refuses what the SDK does, except the departures it names', () => {
    const out: Mismatch[] = [];
    for (const [field, shape] of sdkObjects) {
      compareShape(table[field]!, shape, `/${field}`, DEPARTURES, out);
    }
    expect(out).toEqual([]);
  });
});

/** Every object schema of the table with its schema path, depth first. */
function objectsOf(schema: SchemaObject, at: string): [string, SchemaObject][] {
  const found: [string, SchemaObject][] = [];
  const rule = objectRuleOf(schema);
  if (rule) {
    found.push([at, schema]);
    for (const [name, member] of Object.entries(rule.members)) {
      found.push(...objectsOf(member, `${at}/${name}`));
    }
  }
  const items = schema['items'] as SchemaObject | undefined;
  if (items && typeof items === 'object') found.push(...objectsOf(items, `${at}/0`));
  return found;
}

/** A value every member's schema accepts (the smallest: no optional member). */
function minimal(schema: SchemaObject): unknown {
  const rule = objectRuleOf(schema);
  if (rule) {
    return Object.fromEntries(rule.required.map((name) => [name, minimal(rule.members[name]!)]));
  }
  const type = Array.isArray(schema['type']) ? schema['type'][0] : schema['type'];
  if (Array.isArray(schema['enum'])) return schema['enum'][0];
  switch (type) {
    case 'string':
      return 'x';
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return 60;
    case 'array':
      return [minimal((schema['items'] as SchemaObject | undefined) ?? {})];
    default:
      return {};
  }
}

/** A client holding `value` at the schema path `at` (`/0` steps into arrays). */
function clientWith(at: string, value: unknown): Record<string, unknown> {
  const steps = at.split('/').slice(1);
  const [field] = steps;
  const root = minimal(table[field!]!);
  let holder: unknown = root;
  let schema: SchemaObject = table[field!]!;
  // Walk down, filling in each level with its smallest value.
  for (const step of steps.slice(1)) {
    const next =
      step === '0'
        ? ((schema['items'] as SchemaObject | undefined) ?? {})
        : (objectRuleOf(schema)?.members[step] ?? {});
    const container = holder as Record<string, unknown> | unknown[];
    if (Array.isArray(container)) {
      container[0] ??= minimal(next);
      holder = container[0];
    } else {
      container[step] ??= minimal(next);
      holder = container[step];
    }
    schema = next;
  }
  const parentSteps = steps.slice(1);
  if (parentSteps.length === 0) return { name: 'Client', [field!]: value };
  // Replace the innermost value with the one given.
  let parent: Record<string, unknown> | unknown[] = root as Record<string, unknown>;
  for (const step of parentSteps.slice(0, -1)) {
    parent = (Array.isArray(parent) ? parent[0] : parent[step]) as Record<string, unknown>;
  }
  const last = parentSteps[parentSteps.length - 1]!;
  if (Array.isArray(parent)) parent[0] = value;
  else parent[last] = value;
  return { name: 'Client', [field!]: root };
}

const objectRules = Object.entries(table).flatMap(([field, schema]) =>
  objectsOf(schema, `/${field}`),
);

describe('each object rule: the smallest refused body beside the closest accepted one', () => {
  const pointer = (at: string) => at;
  for (const [at, schema] of objectRules) {
    const rule = objectRuleOf(schema)!;
    for (const member of rule.required) {
      it(`${at} needs ${member}`, () => {
        const complete = minimal(schema) as Record<string, unknown>;
        const { [member]: _dropped, ...partial } = complete;
        for (const mode of [{}, { partial: true }]) {
          expect(validateClientSettings(clientWith(at, complete), mode).ok).toBe(true);
          const refused = validateClientSettings(clientWith(at, partial), mode);
          expect(refused.ok).toBe(false);
          if (!refused.ok) {
            expect(refused.issues).toEqual([
              expect.objectContaining({ path: `${pointer(at)}/${member}`, code: 'required' }),
            ]);
            expect(refused.issues[0]!.message).toContain(`Missing required property: ${member}`);
          }
        }
      });
    }
    it(`${at} ${rule.extraRefused ? 'refuses' : 'passes'} a member it does not declare`, () => {
      const complete = minimal(schema) as Record<string, unknown>;
      const result = validateClientSettings(clientWith(at, { ...complete, zz_unknown: true }));
      if (!rule.extraRefused) {
        expect(result.ok).toBe(true);
        return;
      }
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.issues).toEqual([
          expect.objectContaining({
            path: `${at}/zz_unknown`,
            code: at === '/addons' ? 'unknown_addon' : 'unknown_property',
          }),
        ]);
      }
    });
  }
});

/** An arbitrary value of an SDK shape: required members always, optional ones sometimes. */
function arbitraryOf(shape: SdkShape): fc.Arbitrary<unknown> | undefined {
  switch (shape.type) {
    case 'string':
      return fc.string({ maxLength: 20 });
    case 'number':
      return fc.integer({ min: 1, max: 36_000 });
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...shape.values);
    case 'array': {
      const items = arbitraryOf(shape.items);
      return items ? fc.array(items, { maxLength: 3 }) : undefined;
    }
    case 'object': {
      const entries = Object.entries(shape.members).flatMap(([name, member]) => {
        const arbitrary = arbitraryOf(member);
        return arbitrary ? [[name, arbitrary] as const] : [];
      });
      return fc.record(Object.fromEntries(entries), {
        requiredKeys: shape.required.filter((name) => entries.some(([key]) => key === name)),
      });
    }
    default:
      return undefined;
  }
}

describe('objects built only from SDK-typed members', () => {
  for (const [field, shape] of sdkObjects) {
    it(`${field}: any fully specified value is accepted, in a create and in a patch`, () => {
      const arbitrary = arbitraryOf(shape)!;
      fc.assert(
        fc.property(arbitrary, (value) => {
          const full = validateClientSettings({ name: 'Client', [field]: value });
          const patch = validateClientSettings({ [field]: value }, { partial: true });
          expect(full.ok ? [] : full.issues).toEqual([]);
          expect(patch.ok ? [] : patch.issues).toEqual([]);
        }),
        { numRuns: 50 },
      );
    });
  }
});
