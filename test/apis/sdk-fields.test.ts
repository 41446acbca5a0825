import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GRANT_DEFAULT_FOR,
  GRANT_ORGANIZATION_USAGES,
  GRANT_SUBJECT_TYPES,
} from '../../src/apis/grant.js';
import { GRANT_FIELD_NAMES } from '../../src/apis/validate-grant.js';

interface SdkFields {
  fields: Record<string, Record<string, string[]>>;
  enums: Record<string, string[]>;
}

// The committed list of the SDK's declarations; test/client/sdk-fields.test.ts checks that
// it is what the installed auth0 package declares.
const committed = JSON.parse(
  readFileSync(new URL('../fixtures/auth0-sdk-fields.json', import.meta.url), 'utf8'),
) as SdkFields;

const sdkFields = (kind: string) => new Set(Object.values(committed.fields[kind] ?? {}).flat());

describe("the client grant fields against the auth0 SDK's declarations", () => {
  const sdk = sdkFields('grant');

  it('lists ClientGrantResponseContent and the create and update request types', () => {
    expect(Object.keys(committed.fields['grant'] ?? {})).toEqual([
      'ClientGrantResponseContent',
      'CreateClientGrantRequestContent',
      'UpdateClientGrantRequestContent',
    ]);
    expect(sdk.size).toBeGreaterThan(8);
  });

  it('accepts every field the SDK declares, and no other', () => {
    expect([...sdk].filter((field) => !GRANT_FIELD_NAMES.includes(field))).toEqual([]);
    expect(GRANT_FIELD_NAMES.filter((field) => !sdk.has(field))).toEqual([]);
  });

  it('uses the SDK enums', () => {
    expect([...GRANT_DEFAULT_FOR]).toEqual(committed.enums['ClientGrantDefaultForEnum']);
    expect([...GRANT_SUBJECT_TYPES]).toEqual(committed.enums['ClientGrantSubjectTypeEnum']);
    expect([...GRANT_ORGANIZATION_USAGES]).toEqual(
      committed.enums['ClientGrantOrganizationUsageEnum'],
    );
  });
});
