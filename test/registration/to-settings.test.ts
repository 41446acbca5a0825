import { describe, expect, it } from 'vitest';
import { validateClientSettings } from '../../src/index.js';
import type { RegistrationMetadata } from '../../src/registration/metadata.js';
import { REGISTRATION_METADATA } from '../../src/registration/metadata.js';
import { appTypeFor, settingsProblems, toClientInput } from '../../src/registration/to-settings.js';

const base: RegistrationMetadata = {
  redirect_uris: ['https://app.example.com/cb'],
  client_name: 'Photo Printer',
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['authorization_code'],
  response_types: ['code'],
  application_type: 'web',
};

describe('appTypeFor', () => {
  it.each([
    [{ application_type: 'native' }, 'native'],
    [{ application_type: 'native', token_endpoint_auth_method: 'client_secret_post' }, 'native'],
    [{ token_endpoint_auth_method: 'none' }, 'spa'],
    [{ token_endpoint_auth_method: 'client_secret_basic' }, 'regular_web'],
    [{ token_endpoint_auth_method: 'client_secret_post' }, 'regular_web'],
    [{ grant_types: ['client_credentials'] }, 'non_interactive'],
    [{ grant_types: ['authorization_code', 'client_credentials'] }, 'regular_web'],
    [{ grant_types: ['refresh_token', 'client_credentials'] }, 'regular_web'],
  ] as const)('%j → %s', (change, appType) => {
    expect(appTypeFor({ ...base, ...change } as RegistrationMetadata)).toBe(appType);
  });
});

describe('toClientInput', () => {
  it('maps metadata to Auth0 settings of a third-party client', () => {
    const input = toClientInput({
      ...base,
      post_logout_redirect_uris: ['https://app.example.com/bye'],
      logo_uri: 'https://app.example.com/logo.png',
      client_uri: 'https://app.example.com',
      contacts: ['ops@example.com'],
      scope: 'openid',
    });
    expect(input).toEqual({
      name: 'Photo Printer',
      app_type: 'regular_web',
      is_first_party: false,
      callbacks: ['https://app.example.com/cb'],
      allowed_logout_urls: ['https://app.example.com/bye'],
      logo_uri: 'https://app.example.com/logo.png',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
    });
    const result = validateClientSettings(input);
    expect(result.ok).toBe(true);
  });

  it('produces valid settings for every app type', () => {
    const cases: Partial<RegistrationMetadata>[] = [
      {
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['com.example.app:/cb'],
      },
      { token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] },
      { grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
      { grant_types: ['authorization_code', 'implicit'], response_types: ['code id_token'] },
    ];
    for (const change of cases) {
      const result = validateClientSettings(toClientInput({ ...base, ...change }));
      expect(result.ok, JSON.stringify(change)).toBe(true);
    }
  });

  it('copies arrays, so the settings never share them with the metadata', () => {
    const metadata = { ...base };
    const input = toClientInput(metadata);
    expect(input.callbacks).toEqual(metadata.redirect_uris);
    expect(input.callbacks).not.toBe(metadata.redirect_uris);
  });

  it('maps exactly the fields the table says, and keeps the others for the record', () => {
    const mapped = Object.entries(REGISTRATION_METADATA)
      .filter(([, spec]) => spec.setting !== undefined)
      .map(([field]) => field);
    expect(mapped).toEqual([
      'redirect_uris',
      'client_name',
      'token_endpoint_auth_method',
      'grant_types',
      'post_logout_redirect_uris',
      'logo_uri',
      'initiate_login_uri',
    ]);
  });
});

describe('settingsProblems', () => {
  it('reports a settings issue at the metadata field it came from', () => {
    expect(
      settingsProblems([
        { path: '/callbacks/2', code: 'invalid_url', message: 'callbacks[2] is bad' },
        { path: '/name', code: 'too_long', message: 'name is too long' },
        { path: '/allowed_logout_urls/0', code: 'x', message: 'bad' },
        { path: '/jwt_configuration/alg', code: 'x', message: 'HS256 needs a secret' },
        { path: '', code: 'x', message: 'broken' },
      ]),
    ).toEqual([
      {
        field: 'redirect_uris/2',
        error: 'invalid_redirect_uri',
        message: 'redirect_uris/2: callbacks[2] is bad',
      },
      {
        field: 'client_name',
        error: 'invalid_client_metadata',
        message: 'client_name: name is too long',
      },
      {
        field: 'post_logout_redirect_uris/0',
        error: 'invalid_client_metadata',
        message: 'post_logout_redirect_uris/0: bad',
      },
      {
        field: 'jwt_configuration/alg',
        error: 'invalid_client_metadata',
        message: 'jwt_configuration/alg: HS256 needs a secret',
      },
      {
        field: 'client settings',
        error: 'invalid_client_metadata',
        message: 'client settings: broken',
      },
    ]);
  });
});
