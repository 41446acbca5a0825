/**
 * Finds a client's grant for an API, and the API's token settings, straight from the
 * stored `apis` and `grants` collections (one pass over each; both are small).
 */
import type { Store } from '../storage/store.js';
import type { SigningAlgorithm } from '../tokens/algorithms.js';
import type { GrantResolver } from './tokens.js';

interface StoredApi {
  identifier: string;
  token_lifetime?: number;
  signing_alg?: SigningAlgorithm;
}

interface StoredGrant {
  client_id: string;
  audience: string;
  scope: string[];
}

const DEFAULT_TOKEN_LIFETIME = 86_400;

/** A {@link GrantResolver} over the store. @internal */
export function storedGrantResolver(store: Store): GrantResolver {
  return async (clientId, audience) => {
    const grant = (await store.list<StoredGrant>('grants')).find(
      (record) => record.value.client_id === clientId && record.value.audience === audience,
    );
    if (!grant) return undefined;
    const api = (await store.list<StoredApi>('apis')).find(
      (record) => record.value.identifier === audience,
    );
    if (!api) return undefined;
    return {
      identifier: api.value.identifier,
      tokenLifetime: api.value.token_lifetime ?? DEFAULT_TOKEN_LIFETIME,
      signingAlg: api.value.signing_alg ?? 'RS256',
      scope: grant.value.scope,
    };
  };
}
