/**
 * The committed list of the auth0 SDK's declarations (test/fixtures/auth0-sdk-fields.json,
 * written by scripts/auth0-sdk-fields.js). test/client/sdk-fields.test.ts checks that it is
 * what the installed auth0 package declares; the field tests of clients, grants and
 * connections compare the library's tables with it.
 */
import { readFileSync } from 'node:fs';
import type { SchemaObject } from 'ajv';
import { objectRuleOf } from '../../src/client/object-rule.js';

/** The shape of the committed file. */
export interface SdkFields {
  sdk: string;
  fields: Record<string, Record<string, string[]>>;
  enums: Record<string, string[]>;
  connectionStrategies: string[];
  clientObjects: Record<string, SdkShape>;
  connectionOptions: Record<string, SdkShape>;
}

/** The SDK's shape of a value (see `extractClientObjects` in scripts/auth0-sdk-fields.js). */
export type SdkShape =
  | { type: 'string' | 'number' | 'boolean' | 'unknown' }
  | { type: 'enum'; values: string[] }
  | { type: 'array'; items: SdkShape }
  | { type: 'object'; open: boolean; required: string[]; members: Record<string, SdkShape> };

/** The committed list. */
export const committed = JSON.parse(
  readFileSync(new URL('../fixtures/auth0-sdk-fields.json', import.meta.url), 'utf8'),
) as SdkFields;

/** Every field name the SDK declares for `kind` (`client`, `grant`, `connection`, …). */
export const sdkFields = (kind: string): Set<string> =>
  new Set(Object.values(committed.fields[kind] ?? {}).flat());

/** Where a table departs from the SDK's shape. */
export interface Mismatch {
  at: string;
  what: string;
}

/** Departures a table names, by schema path (`/field/member`, `[]` for items). */
export type Departures = Record<string, { extraRefused?: boolean; extraMembers?: string[] }>;

/**
 * Compares one schema of an object table (`src/client/object-rule.ts`) with the SDK's
 * shape, recursively, and collects where they differ beyond the named departures.
 */
export function compareShape(
  schema: SchemaObject,
  shape: SdkShape,
  at: string,
  departures: Departures,
  out: Mismatch[],
): void {
  if (shape.type === 'array') {
    const items = schema['items'] as SchemaObject | undefined;
    if (items) compareShape(items, shape.items, `${at}[]`, departures, out);
    return;
  }
  if (shape.type !== 'object') return;
  const rule = objectRuleOf(schema);
  if (!rule) {
    out.push({ at, what: 'is not an object of the table' });
    return;
  }
  const departure = departures[at] ?? {};
  const extraRefused = departure.extraRefused ?? !shape.open;
  if (rule.extraRefused !== extraRefused)
    out.push({ at, what: `extraRefused ${rule.extraRefused}` });
  if ([...rule.required].sort().join() !== [...shape.required].sort().join()) {
    out.push({ at, what: `required ${rule.required.join()} (SDK: ${shape.required.join()})` });
  }
  const members = Object.keys(rule.members);
  const missing = Object.keys(shape.members).filter((name) => !members.includes(name));
  const extra = members.filter(
    (name) => !(name in shape.members) && !(departure.extraMembers ?? []).includes(name),
  );
  if (missing.length > 0) out.push({ at, what: `lacks ${missing.join()}` });
  if (extra.length > 0) out.push({ at, what: `has ${extra.join()} the SDK does not declare` });
  for (const [name, member] of Object.entries(shape.members)) {
    const own = rule.members[name];
    if (own) compareShape(own, member, `${at}/${name}`, departures, out);
  }
}
