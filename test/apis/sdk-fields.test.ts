import { describe, expect, it } from 'vitest';
import { committed, sdkFields } from '../support/sdk-fields.js';
import {
  GRANT_DEFAULT_FOR,
  GRANT_ORGANIZATION_USAGES,
  GRANT_SUBJECT_TYPES,
} from '../../src/apis/grant.js';
import { GRANT_FIELD_NAMES } from '../../src/apis/validate-grant.js';

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
