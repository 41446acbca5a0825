/**
 * Unit-testing an Auth0 tenant configuration with clientele, as you would in the
 * repository that holds your Deploy CLI export. Copy this file next to your
 * `tenant.yaml`, then `npm install --save-dev clientele js-yaml vitest` and `npx vitest`.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  createAllowList,
  lintClient,
  validateClientSettings,
  type ClientSettings,
} from 'clientele';

interface DeployCliExport {
  clients: unknown[];
  connections?: { name: string; enabled_clients?: string[] }[];
  /** Database connections: the Deploy CLI keeps them apart from the others. */
  databases?: { name: string; enabled_clients?: string[] }[];
  clientGrants?: { client_id: string; audience: string }[];
  resourceServers?: { identifier: string }[];
}

const tenant = load(
  readFileSync(new URL('./tenant.yaml', import.meta.url), 'utf8'),
) as DeployCliExport;

/** Every client, validated: the test fails here, with every issue, if one is invalid. */
const clients: ClientSettings[] = tenant.clients.map((raw, index) => {
  const result = validateClientSettings(raw);
  if (!result.ok) {
    const issues = result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n');
    throw new Error(`client #${index + 1} is invalid:\n${issues}`);
  }
  return result.value;
});

function client(name: string): ClientSettings {
  const found = clients.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no client named ${name}`);
  return found;
}

describe.each(clients.map((settings) => [settings.name, settings] as const))(
  '%s',
  (_, settings) => {
    it('has no lint errors', () => {
      const errors = lintClient(settings).filter((finding) => finding.severity === 'error');
      expect(errors).toEqual([]);
    });

    it('sends tokens only to https, loopback or app-scheme callbacks', () => {
      for (const url of settings.callbacks ?? []) {
        const { protocol, hostname } = new URL(url);
        if (protocol === 'http:') {
          const loopback = ['127.0.0.1', '[::1]'].includes(hostname) || hostname === 'localhost';
          expect(loopback, `${settings.name}: ${url}`).toBe(true);
        }
      }
    });
  },
);

describe('the storefront', () => {
  const callbacks = createAllowList('callback', client('Acme Storefront').callbacks ?? []);

  it('accepts its own callback and pull-request previews', () => {
    expect(callbacks.allows('https://shop.acme-shop.com/callback')).toBe(true);
    expect(callbacks.allows('https://pr-1234.preview.acme-shop.com/callback')).toBe(true);
  });

  it('rejects look-alikes of the preview wildcard', () => {
    expect(callbacks.allows('https://a.b.preview.acme-shop.com/callback')).toBe(false);
    expect(callbacks.allows('https://preview.acme-shop.com.evil.example/callback')).toBe(false);
    expect(callbacks.allows('https://pr-1.preview.acme-shop.com/callback?next=/admin')).toBe(false);
    expect(callbacks.allows('http://shop.acme-shop.com/callback')).toBe(false);
  });

  it('is a public client without a secret', () => {
    expect(client('Acme Storefront').token_endpoint_auth_method).toBe('none');
  });
});

describe('machine-to-machine clients', () => {
  const workers = clients.filter((settings) => settings.app_type === 'non_interactive');

  it('only use the client-credentials grant, with a secret', () => {
    expect(workers.length).toBeGreaterThan(0);
    for (const worker of workers) {
      expect(worker.grant_types).toEqual(['client_credentials']);
      expect(worker.token_endpoint_auth_method).not.toBe('none');
    }
  });

  it('each have a client grant for an API that exists', () => {
    const apis = new Set(tenant.resourceServers?.map((api) => api.identifier));
    for (const worker of workers) {
      const grants = tenant.clientGrants?.filter((grant) => grant.client_id === worker.name) ?? [];
      expect(grants.length, worker.name).toBeGreaterThan(0);
      for (const grant of grants) expect(apis.has(grant.audience), grant.audience).toBe(true);
    }
  });
});

it('enables connections only for clients that exist', () => {
  const names = new Set(clients.map((settings) => settings.name));
  for (const connection of [...(tenant.databases ?? []), ...(tenant.connections ?? [])]) {
    for (const name of connection.enabled_clients ?? []) {
      expect(names.has(name), `${connection.name} → ${name}`).toBe(true);
    }
  }
});
