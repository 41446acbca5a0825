/** The Management API, called with the signed-in user's access token. */
import { currentToken, forgetToken } from './auth.js';
import type { ConsoleConfig } from './config.js';

/** A Management API error: Auth0's `{ statusCode, error, message, errorCode }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Thrown when there is no valid token: the caller signs in again. */
export class SignedOut extends Error {
  constructor() {
    super('signed out');
    this.name = 'SignedOut';
  }
}

/** A client as the Management API returns it (the fields the console reads). */
export interface ClientJson {
  client_id: string;
  name: string;
  description?: string;
  app_type?: string;
  client_secret?: string;
  token_endpoint_auth_method?: string | null;
  callbacks?: string[];
  allowed_logout_urls?: string[];
  allowed_origins?: string[];
  web_origins?: string[];
  jwt_configuration?: { lifetime_in_seconds?: number; alg?: string };
  sso?: boolean;
  addons?: Record<string, unknown>;
  [field: string]: unknown;
}

/** A connection (the fields the console reads). */
export interface ConnectionJson {
  id: string;
  name: string;
  strategy: string;
  enabled_clients?: string[];
}

/** An audit event from `/logs`. */
export interface LogJson {
  log_id: string;
  date: string;
  type: string;
  description?: string;
  client_id?: string;
  client_name?: string;
}

/** Calls the Management API; JSON in, JSON out. */
export async function api<T>(
  config: ConsoleConfig,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const token = currentToken();
  if (!token) throw new SignedOut();
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(new URL(path, config.managementApi), {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (response.status === 401) {
    forgetToken();
    throw new SignedOut();
  }
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? String(body.message)
        : `The Management API answered ${response.status}.`;
    throw new ApiError(response.status, message);
  }
  return body as T;
}

/** Validation issues and lint findings of settings, from the console's own `/check`. */
export interface SettingsCheck {
  issues: { path: string; code: string; message: string }[];
  findings: {
    rule: string;
    severity: 'error' | 'warning' | 'info';
    path: string;
    message: string;
  }[];
}

/** Asks the console server to validate and lint settings (nothing is stored). */
export async function checkSettings(
  config: ConsoleConfig,
  settings: Record<string, unknown>,
): Promise<SettingsCheck> {
  const response = await fetch(`${config.basePath}/check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ settings }),
  });
  if (!response.ok) throw new ApiError(response.status, 'The settings could not be checked.');
  return (await response.json()) as SettingsCheck;
}
