/**
 * The committed list of the auth0 SDK's declarations (test/fixtures/auth0-sdk-fields.json,
 * written by scripts/auth0-sdk-fields.js). test/client/sdk-fields.test.ts checks that it is
 * what the installed auth0 package declares; the field tests of clients, grants and
 * connections compare the library's tables with it.
 */
import { readFileSync } from 'node:fs';

/** The shape of the committed file. */
export interface SdkFields {
  sdk: string;
  fields: Record<string, Record<string, string[]>>;
  enums: Record<string, string[]>;
  connectionStrategies: string[];
  clientObjects: Record<string, SdkShape>;
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
