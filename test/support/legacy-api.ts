import { validateApiInput, type Store } from 'clientele';

/**
 * Stores an API record at `identifier` under `name` as an earlier release could leave one
 * (it let anyone create the Management API's identifier under a name of their own, which
 * `tenant.apis.create` refuses now), through the store, with the id `api_theirs`.
 */
export async function seedLegacyApi(store: Store, identifier: string, name: string) {
  const theirs = validateApiInput({ identifier, name, scopes: [] });
  if (!theirs.ok) throw new Error('the seed API is invalid');
  await store.commit([
    {
      op: 'insert',
      collection: 'apis',
      id: 'api_theirs',
      value: { id: 'api_theirs', ...theirs.value },
    },
  ]);
}
