import { describe, expect, it } from 'vitest';
import { committed, sdkFields } from '../support/sdk-fields.js';
import { extractSdkFields, sdkTypesDirectory } from '../../scripts/auth0-sdk-fields.js';
import { APP_TYPE_VALUES } from '../../src/client/app-types.js';
import {
  ADDON_NAMES,
  CLIENT_ENUMS,
  CLIENT_FIELD_NAMES,
  JWT_ALGORITHMS,
  fieldSpec,
} from '../../src/client/fields.js';

/**
 * Fields of real Auth0 exports that the SDK does not declare: the deprecated spelling of
 * cross_origin_authentication and internal fields of old exports. Nothing else may be in
 * the table without being in the SDK.
 */
const EXPORT_ONLY = [
  'cross_origin_auth',
  'callback_url_template',
  'owners',
  'encrypted',
  'config_route',
];

const sdkClientFields = sdkFields('client');
const directory = sdkTypesDirectory();

describe("the client field table against the auth0 SDK's declarations", () => {
  it.skipIf(directory === undefined)(
    'the committed list is what the installed SDK declares (else run node scripts/auth0-sdk-fields.js)',
    () => {
      expect(extractSdkFields(directory!)).toEqual(committed);
    },
  );

  it('lists a real number of fields for each interface', () => {
    for (const name of ['Client', 'CreateClientRequestContent', 'UpdateClientRequestContent']) {
      expect(committed.fields['client']![name]!.length).toBeGreaterThan(50);
    }
  });

  it('has a row for every field of Client, CreateClientRequestContent and UpdateClientRequestContent', () => {
    const missing = [...sdkClientFields].filter((field) => fieldSpec(field) === undefined);
    expect(missing).toEqual([]);
  });

  it('holds no field the SDK does not declare, except the known export-only ones', () => {
    const extra = CLIENT_FIELD_NAMES.filter((field) => !sdkClientFields.has(field));
    expect(extra.sort()).toEqual([...EXPORT_ONLY].sort());
  });

  it('uses the SDK enums', () => {
    const { enums } = committed;
    expect(CLIENT_ENUMS.compliance_level).toEqual(enums['ClientComplianceLevelEnum']);
    expect(CLIENT_ENUMS.token_endpoint_auth_method).toEqual(
      enums['ClientTokenEndpointAuthMethodEnum'],
    );
    expect(CLIENT_ENUMS.organization_usage).toEqual(enums['ClientOrganizationUsageEnum']);
    expect(CLIENT_ENUMS.organization_require_behavior).toEqual(
      enums['ClientOrganizationRequireBehaviorEnum'],
    );
    expect(CLIENT_ENUMS.organization_discovery_methods).toEqual(
      enums['ClientOrganizationDiscoveryEnum'],
    );
    expect(CLIENT_ENUMS.third_party_security_mode).toEqual(
      enums['ClientThirdPartySecurityModeEnum'],
    );
    expect(CLIENT_ENUMS.redirection_policy).toEqual(enums['ClientRedirectionPolicyEnum']);
    expect(CLIENT_ENUMS.external_metadata_type).toEqual(enums['ClientExternalMetadataTypeEnum']);
    expect(CLIENT_ENUMS.external_metadata_created_by).toEqual(
      enums['ClientExternalMetadataCreatedByEnum'],
    );
    expect([...JWT_ALGORITHMS].sort()).toEqual([...enums['SigningAlgorithmEnum']!].sort());
    expect(APP_TYPE_VALUES).toEqual(expect.arrayContaining(enums['ClientAppTypeEnum']!));
  });

  it('knows every addon and client authentication method of the SDK', () => {
    expect([...ADDON_NAMES].sort()).toEqual(committed.fields['addon']!['ClientAddons']);
    const methods = Object.keys(
      (fieldSpec('client_authentication_methods')!.schema as { properties: object }).properties,
    ).sort();
    for (const declared of Object.values(committed.fields['clientAuthentication']!)) {
      expect(methods).toEqual(declared);
    }
  });
});
