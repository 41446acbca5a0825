/**
 * What the entries of an export may refer to: its clients (by name, as the Deploy CLI
 * writes them, or by `client_id`, as this library's files do) and its APIs (by
 * `identifier`), with a "did you mean" for a reference that is off by a typo.
 *
 * @module
 */
import { quote } from '../client/messages.js';
import { closestName } from '../lib/closest-name.js';
import { isRecord } from './pointer.js';
import type { LoadedEntry } from './types.js';

/** The clients of an export by every string a reference may use: name or `client_id`. */
export interface ClientReferences {
  /** Name or `client_id` → the 1-based position of the first client that has it. */
  readonly byReference: ReadonlyMap<string, number>;
  /** The clients' names, for hints. */
  readonly names: readonly string[];
  /** The 1-based position of a client → its `app_type`, when it has one. */
  readonly appTypes: ReadonlyMap<number, string>;
}

/** Indexes the clients of an export by name and by `client_id` (first client wins). */
export function clientReferences(clients: readonly LoadedEntry[]): ClientReferences {
  const byReference = new Map<string, number>();
  const names: string[] = [];
  const appTypes = new Map<number, string>();
  for (const client of clients) {
    if (!isRecord(client.raw)) continue;
    const { name, client_id: clientId, app_type: appType } = client.raw;
    if (typeof appType === 'string') appTypes.set(client.position, appType);
    if (typeof name === 'string' && name !== '') {
      names.push(name);
      if (!byReference.has(name)) byReference.set(name, client.position);
    }
    if (typeof clientId === 'string' && clientId !== '' && !byReference.has(clientId)) {
      byReference.set(clientId, client.position);
    }
  }
  return { byReference, names, appTypes };
}

/** One API of an export, as client grants refer to it. */
export interface KnownApi {
  /** The scope values it defines; undefined when its `scopes` is not a list. */
  scopes?: readonly string[];
}

/** The APIs of an export by `identifier` (first API wins). */
export function apiReferences(apis: readonly LoadedEntry[]): ReadonlyMap<string, KnownApi> {
  const byIdentifier = new Map<string, KnownApi>();
  for (const api of apis) {
    if (!isRecord(api.raw)) continue;
    const { identifier, scopes } = api.raw;
    if (typeof identifier !== 'string' || byIdentifier.has(identifier)) continue;
    if (scopes === undefined) {
      byIdentifier.set(identifier, { scopes: [] });
    } else if (Array.isArray(scopes)) {
      const values = scopes
        .map((scope: unknown) => (isRecord(scope) ? scope['value'] : undefined))
        .filter((value): value is string => typeof value === 'string');
      byIdentifier.set(identifier, { scopes: values });
    } else {
      byIdentifier.set(identifier, {});
    }
  }
  return byIdentifier;
}

/**
 * `; did you mean "X"?` for the candidate within two edits of `value` (ignoring case), or
 * `otherwise` when there is none.
 */
export function didYouMean(value: string, candidates: Iterable<string>, otherwise: string): string {
  const byLowerCase = new Map<string, string>();
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (!byLowerCase.has(lower)) byLowerCase.set(lower, candidate);
  }
  const closest = closestName(value, [...byLowerCase.keys()]);
  const original = closest === undefined ? undefined : byLowerCase.get(closest);
  return original === undefined ? otherwise : `; did you mean ${quote(original)}?`;
}
