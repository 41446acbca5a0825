/**
 * Authorization requests waiting for the embedding app's login, kept in the tenant's
 * store (collection `pending_authorizations`) so any instance sharing it can complete
 * them. The id is 128 random bits; a pending request is taken once.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '../../client/client.js';
import { NotFoundError } from '../../errors.js';
import type { ProviderContext } from './context.js';
import type { LoginReason } from '../../sessions/login-decision.js';
import type { PendingAuthorization } from './options.js';
import type { ResponseMode } from './served.js';

const COLLECTION = 'pending_authorizations';
const SWEEP_EVERY = 256;
let created = 0;

/** The stored pending request. */
export interface PendingRequest {
  readonly client_id: string;
  readonly redirect_uri: string;
  readonly state: string | null;
  readonly nonce: string | null;
  readonly code_challenge: string | null;
  readonly scope: readonly string[];
  readonly audience: string | null;
  readonly prompt: readonly string[];
  readonly login_hint: string | null;
  readonly expires_at: number;
  /** Who sent the authorization request, for the audit event of the login that ends it. */
  readonly ip?: string | null;
  readonly user_agent?: string | null;
  /** The login session the browser had at /authorize: renewed or replaced by the login. */
  readonly session_id?: string | null;
  /** The canonical response type (`code` when absent, as stored before it was kept). */
  readonly response_type?: string;
  /** How the response travels (`query` when absent). */
  readonly response_mode?: ResponseMode;
  /** The DPoP key the code is bound to (`dpop_jkt`, RFC 9449 §10); absent when unbound. */
  readonly dpop_jkt?: string;
}

/** Wall-clock NumericDate: a login is a person's time, not the tenant's token clock. */
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Stores `pending` and returns what the login sees. */
export async function createPending(
  context: ProviderContext,
  pending: PendingRequest,
  client: Client,
  reason: LoginReason,
): Promise<PendingAuthorization> {
  const id = randomBytes(16).toString('base64url');
  const expiresAt = nowSeconds() + context.config.loginTimeoutSeconds;
  await context.tenant.store.insert<PendingRequest>(COLLECTION, id, {
    ...pending,
    expires_at: expiresAt,
  });
  if (++created % SWEEP_EVERY === 0) await sweep(context);
  return Object.freeze({
    id,
    clientId: client.client_id,
    clientName: client.name,
    ...(client.external_metadata_type === 'cimd' && URL.canParse(client.external_client_id ?? '')
      ? { clientIdMetadataDocumentHost: new URL(client.external_client_id ?? '').host }
      : {}),
    scope: Object.freeze([...pending.scope]),
    audience: pending.audience ?? undefined,
    prompt: Object.freeze([...pending.prompt]),
    loginHint: pending.login_hint ?? undefined,
    expiresAt,
    reason,
  });
}

/** Takes a pending request once; undefined when unknown, taken or expired. */
export async function takePending(
  context: ProviderContext,
  id: unknown,
): Promise<PendingRequest | undefined> {
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(id)) return undefined;
  const record = await context.tenant.store.get<PendingRequest>(COLLECTION, id);
  if (!record) return undefined;
  try {
    await context.tenant.store.delete(COLLECTION, id, record.version);
  } catch (error) {
    if (error instanceof NotFoundError || (error as { code?: unknown }).code === 'conflict')
      return undefined;
    throw error;
  }
  return record.value.expires_at > nowSeconds() ? record.value : undefined;
}

async function sweep(context: ProviderContext): Promise<void> {
  const now = nowSeconds();
  for (const record of (await context.tenant.store.list<PendingRequest>(COLLECTION)).slice(
    0,
    1000,
  )) {
    if (record.value.expires_at > now) continue;
    await context.tenant.store.delete(COLLECTION, record.id).catch(() => undefined);
  }
}
