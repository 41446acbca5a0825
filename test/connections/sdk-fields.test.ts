import { describe, expect, it } from 'vitest';
import { sdkFields } from '../support/sdk-fields.js';
import { CONNECTION_FIELD_NAMES } from '../../src/connections/validate-connection.js';

describe("the connection fields against the auth0 SDK's declarations", () => {
  const sdk = sdkFields('connection');
  /**
   * Fields of real exports that the SDK's connection types do not declare: the Deploy
   * CLI's SCIM and directory-provisioning settings, and read-only fields of responses.
   */
  const EXPORT_ONLY = [
    'category',
    'directory_provisioning_configuration',
    'provisioning_ticket_url',
    'scim_configuration',
  ];

  it('accepts every field the SDK declares', () => {
    expect(sdk.size).toBeGreaterThan(10);
    expect([...sdk].filter((field) => !CONNECTION_FIELD_NAMES.includes(field))).toEqual([]);
  });

  it('holds no field the SDK does not declare, except the known export-only ones', () => {
    expect(CONNECTION_FIELD_NAMES.filter((field) => !sdk.has(field)).sort()).toEqual(EXPORT_ONLY);
  });
});
