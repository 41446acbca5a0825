/**
 * Auth0's `null`: on an optional field it means "remove" in a PATCH and "absent" on
 * create (Auth0 accepts `null` on more fields than its SDK marks nullable, so the rule is
 * general). Validation takes the `null`s out before the schema runs, so a `null` is never
 * a type error on an optional field, and gives them back to a partial value, where they
 * tell the update to remove the field. `name` is required: its `null` stays, and the
 * schema reports it once.
 *
 * Members where `null` also means "remove": each key of `client_metadata`, each addon,
 * and each member of `jwt_configuration` (which then gets its default again).
 */
import { ADDON_NAMES } from './field-values.js';
import { fieldSpec } from './fields.js';
import { CLIENT_OBJECT_FIELDS, objectRuleOf } from './object-fields.js';

/** Objects whose members may be `null` (removed) too. */
const NULLABLE_MEMBERS = ['client_metadata', 'addons', 'jwt_configuration'] as const;

/**
 * The members whose `null` means "remove", by parent: any key of `client_metadata`, the
 * addons and `jwt_configuration`'s own members. A `null` on another member stays for the
 * schema to report (`jwt_configuration.lifetime_in_second: null` is a misspelling).
 */
const REMOVABLE: Record<(typeof NULLABLE_MEMBERS)[number], ReadonlySet<string> | undefined> = {
  client_metadata: undefined,
  addons: new Set(ADDON_NAMES),
  jwt_configuration: new Set(
    Object.keys(objectRuleOf(CLIENT_OBJECT_FIELDS.jwt_configuration)?.members ?? {}),
  ),
};

/** Where `null`s were taken out: top-level fields, and members by parent field. */
export interface TakenNulls {
  /** Top-level fields that were `null`. */
  readonly fields: string[];
  /** Members that were `null`, by parent field. */
  readonly members: Partial<Record<(typeof NULLABLE_MEMBERS)[number], string[]>>;
}

/**
 * Takes the `null`s that mean "remove" out of `settings` (validation's private copy),
 * in place, and says where they were. Unknown fields keep their `null` (the schema
 * reports the field), and so does `name`.
 */
export function takeNulls(settings: Record<string, unknown>): TakenNulls {
  const taken: TakenNulls = { fields: [], members: {} };
  for (const key of Object.keys(settings)) {
    if (settings[key] !== null || key === 'name' || fieldSpec(key) === undefined) continue;
    Reflect.deleteProperty(settings, key);
    taken.fields.push(key);
  }
  for (const parent of NULLABLE_MEMBERS) {
    const value = settings[parent];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const record = value as Record<string, unknown>;
    const removable = REMOVABLE[parent];
    for (const key of Object.keys(record)) {
      if (record[key] !== null || (removable !== undefined && !removable.has(key))) continue;
      Reflect.deleteProperty(record, key);
      (taken.members[parent] ??= []).push(key);
    }
  }
  return taken;
}

/** Puts the `null`s back into a partial value, where they mean "remove". */
export function restoreNulls(value: Record<string, unknown>, taken: TakenNulls): void {
  for (const field of taken.fields) value[field] = null;
  for (const parent of NULLABLE_MEMBERS) {
    const keys = taken.members[parent];
    const record = value[parent];
    if (!keys || typeof record !== 'object' || record === null) continue;
    for (const key of keys) (record as Record<string, unknown>)[key] = null;
  }
}
