/**
 * Revoking a registration access token that was presented for the wrong client (RFC 7592
 * §2.1: "If the registration access token used to make this request is not valid for
 * this client, the authorization server [...] SHOULD revoke the token"). The token's hash
 * finds its client through the `registration_tokens` index; the registration record then
 * loses its hash, and the index entry goes, in one commit.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.1
 */
import { ConflictError, NotFoundError } from '../errors.js';
import {
  hashRegistrationAccessToken,
  REGISTRATION_COLLECTION,
  REGISTRATION_TOKEN_COLLECTION,
  type RegistrationRecord,
  type RegistrationTokenIndex,
} from '../registration/record.js';
import type { Store, WriteOperation } from '../storage/store.js';

/** Attempts when the records change between the read and the write. */
const ATTEMPTS = 3;

/**
 * Revokes `token` when it is the live registration access token of a client other than
 * `presentedFor`. Returns the id of the client whose token was revoked, or undefined when
 * the token belongs to no registration (or to `presentedFor` itself).
 *
 * @param store - the tenant's store
 * @param token - what the caller presented; anything
 * @param presentedFor - the client id of the request path; anything
 * @param now - seconds since the epoch, recorded as `token_revoked_at`
 * @internal
 */
export async function revokeMisusedToken(
  store: Store,
  token: unknown,
  presentedFor: unknown,
  now: number,
): Promise<string | undefined> {
  if (typeof token !== 'string' || token === '') return undefined;
  const hash = hashRegistrationAccessToken(token);
  for (let attempt = 1; ; attempt += 1) {
    const index = await store.get<RegistrationTokenIndex>(REGISTRATION_TOKEN_COLLECTION, hash);
    const owner = index?.value.client_id;
    if (!index || typeof owner !== 'string' || owner === presentedFor) return undefined;
    const registration = await store.get<RegistrationRecord>(REGISTRATION_COLLECTION, owner);
    const operations: WriteOperation[] = [
      {
        op: 'delete',
        collection: REGISTRATION_TOKEN_COLLECTION,
        id: hash,
        expectedVersion: index.version,
      },
    ];
    const live = registration?.value.token_hash === hash;
    if (registration && live) {
      operations.push({
        op: 'replace',
        collection: REGISTRATION_COLLECTION,
        id: owner,
        value: { ...registration.value, token_hash: '', token_revoked_at: now },
        expectedVersion: registration.version,
      });
    }
    try {
      await store.commit(operations);
      return live ? owner : undefined;
    } catch (error) {
      const raced = error instanceof ConflictError || error instanceof NotFoundError;
      if (!raced || attempt >= ATTEMPTS) throw error;
    }
  }
}
