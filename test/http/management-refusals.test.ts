/**
 * The Management API refuses what Auth0 refuses, one class of refusal per test, with
 * Auth0's error shape: 400 `{ statusCode, error, message: 'Payload validation error: …',
 * errorCode: 'invalid_body' }` naming each issue at its pointer. Nothing is stored.
 */
import { managementAudience } from 'clientele/http';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, managementFixture, type ManagementFixture } from './management-helpers.js';

let fixture: ManagementFixture;
let token: string;

beforeAll(async () => {
  fixture = await managementFixture();
  ({ token } = await fixture.m2m('Deployer', [
    'create:clients',
    'update:clients',
    'read:clients',
    'create:connections',
    'update:connections',
    'read:connections',
    'update:connections_options',
    'read:connections_options',
    'create:client_grants',
    'create:resource_servers',
    'update:resource_servers',
  ]));
});

/** Calls the API and expects Auth0's 400 naming every `pointers` entry. */
async function refused(
  method: string,
  path: string,
  body: unknown,
  pointers: string[],
): Promise<string> {
  const response = await fixture.call(method, path, token, body);
  expect(response.status).toBe(400);
  const error = await bodyOf<Record<string, unknown>>(response);
  expect(error).toEqual({
    statusCode: 400,
    error: 'Bad Request',
    message: expect.stringMatching(/^Payload validation error: /) as unknown,
    errorCode: 'invalid_body',
  });
  const message = String(error['message']);
  for (const pointer of pointers) expect(message).toContain(`(at ${pointer})`);
  return message;
}

async function accepted(
  method: string,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const response = await fixture.call(method, path, token, body);
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return bodyOf(response);
}

describe('the Management API answers 400 invalid_body for what Auth0 refuses', () => {
  it('structured settings given in part: POST and PATCH /clients', async () => {
    const message = await refused(
      'POST',
      '/clients',
      { name: 'Shop', refresh_token: { rotation_type: 'rotating' } },
      ['/refresh_token/expiration_type'],
    );
    expect(message).toContain('Missing required property: expiration_type');
    const client = await accepted('POST', '/clients', { name: 'Shop', app_type: 'spa' });
    await refused(
      'PATCH',
      `/clients/${String(client['client_id'])}`,
      { default_organization: { flows: ['client_credentials'] } },
      ['/default_organization/organization_id'],
    );
    const patched = await accepted('PATCH', `/clients/${String(client['client_id'])}`, {
      refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring' },
    });
    expect(patched['refresh_token']).toEqual({
      rotation_type: 'rotating',
      expiration_type: 'expiring',
    });
  });

  it('unknown or misspelt nested fields', async () => {
    const message = await refused(
      'POST',
      '/clients',
      {
        name: 'Shop',
        jwt_configuration: { lifetime_in_second: 60 },
        native_social_login: { apple: { enable: true } },
      },
      ['/jwt_configuration/lifetime_in_second', '/native_social_login/apple/enable'],
    );
    expect(message).toContain('did you mean lifetime_in_seconds?');
    // Where Auth0 passes objects through, so does the API.
    await accepted('POST', '/clients', {
      name: 'Passes',
      client_metadata: { team: 'shop' },
      addons: { samlp: { audience: 'urn:shop', logout: { slo_enabled: true } } },
      mobile: { ios: { team_id: 'T', app_bundle_identifier: 'com.example', future: 1 } },
    });
  });

  it('URL fields: initiate_login_uri and logo_uri, on POST and PATCH /clients', async () => {
    await refused(
      'POST',
      '/clients',
      { name: 'Shop', initiate_login_uri: 'http://shop.example.com/login' },
      ['/initiate_login_uri'],
    );
    const client = await accepted('POST', '/clients', {
      name: 'Shop',
      initiate_login_uri: 'https://shop.example.com/login',
      logo_uri: 'https://cdn.example.com/logo.png',
    });
    await refused(
      'PATCH',
      `/clients/${String(client['client_id'])}`,
      { logo_uri: 'javascript:alert(1)' },
      ['/logo_uri'],
    );
  });

  it('connection options by strategy, and a PATCH that depends on the stored connection', async () => {
    await refused(
      'POST',
      '/connections',
      { name: 'okta', strategy: 'okta', options: { client_id: 'c' } },
      ['/options/domain'],
    );
    await refused(
      'POST',
      '/connections',
      {
        name: 'users',
        strategy: 'auth0',
        options: {
          attributes: { email: { identifier: { active: true } } },
          requires_username: true,
        },
      },
      ['/options/requires_username'],
    );
    const connection = await accepted('POST', '/connections', {
      name: 'members',
      strategy: 'auth0',
      options: { attributes: { email: { identifier: { active: true }, unique: true } } },
    });
    await refused(
      'PATCH',
      `/connections/${String(connection['id'])}`,
      {
        options: {
          attributes: {
            email: { identifier: { active: false }, unique: false },
            username: { identifier: { active: true } },
          },
        },
      },
      ['/options/attributes/email/unique'],
    );
  });

  it('cross-object rules: a client grant for an express_configuration client', async () => {
    await accepted('POST', '/resource-servers', {
      name: 'Orders',
      identifier: 'https://api.example.com/orders',
    });
    const express = await accepted('POST', '/clients', {
      name: 'Okta Express',
      app_type: 'express_configuration',
    });
    await refused(
      'POST',
      '/client-grants',
      { client_id: express['client_id'], audience: 'https://api.example.com/orders', scope: [] },
      ['/client_id'],
    );
  });

  it("changes to Auth0's system API are refused (403, as before)", async () => {
    const response = await fixture.call(
      'PATCH',
      `/resource-servers/${encodeURIComponent(managementAudience(fixture.tenant))}`,
      token,
      { name: 'Renamed' },
    );
    expect(response.status).toBe(403);
    expect(await bodyOf(response)).toMatchObject({ errorCode: 'operation_not_supported' });
  });
});
