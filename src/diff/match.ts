/**
 * Pairs the objects of two sides as the Deploy CLI pairs what it deploys with what the
 * tenant holds (its `calculateChanges`): identifier by identifier, in the handler's order,
 * each after-side object takes the first unpaired before-side object with the same value;
 * what stays unpaired is added (after side) or removed (before side).
 *
 * | objects | identifiers, in order (Deploy CLI handler) |
 * |---|---|
 * | clients | `client_id`, then `name`; CIMD clients: `client_id`, then `external_client_id` |
 * | APIs | `id`, then `identifier` |
 * | connections and databases | `id`, then `name` |
 * | client grants | `id`, then client + `audience` + `subject_type`, then client + `audience`, then `default_for` + `audience` |
 *
 * @see https://github.com/auth0/auth0-deploy-cli/blob/master/src/tools/calculateChanges.ts
 * @module
 */
import type { DiffEntry } from './entries.js';

/** The outcome of pairing two lists of one kind. */
export interface Pairing {
  /** Objects on both sides, in after-side order. */
  paired: { before: DiffEntry; after: DiffEntry }[];
  /** Objects only on the before side, in before-side order. */
  removed: DiffEntry[];
  /** Objects only on the after side, in after-side order. */
  added: DiffEntry[];
}

/** Pairs `before` with `after` by their match keys (see the module comment). */
export function pairEntries(before: readonly DiffEntry[], after: readonly DiffEntry[]): Pairing {
  const unpairedBefore = new Set(before);
  const partnerOf = new Map<DiffEntry, DiffEntry>();
  let identifiers = 0;
  for (const entry of [...before, ...after]) {
    identifiers = Math.max(identifiers, entry.matchKeys.length);
  }
  for (let identifier = 0; identifier < identifiers; identifier++) {
    // Unpaired before-side objects per key value, in order: the CLI's `find` takes the first.
    const byKey = new Map<string, DiffEntry[]>();
    for (const entry of unpairedBefore) {
      const key = entry.matchKeys[identifier];
      if (key === undefined) continue;
      const queue = byKey.get(key);
      if (queue) queue.push(entry);
      else byKey.set(key, [entry]);
    }
    for (const entry of after) {
      if (partnerOf.has(entry)) continue;
      const key = entry.matchKeys[identifier];
      const partner = key === undefined ? undefined : byKey.get(key)?.shift();
      if (partner === undefined) continue;
      partnerOf.set(entry, partner);
      unpairedBefore.delete(partner);
    }
  }
  const paired: Pairing['paired'] = [];
  const added: DiffEntry[] = [];
  for (const entry of after) {
    const partner = partnerOf.get(entry);
    if (partner === undefined) added.push(entry);
    else paired.push({ before: partner, after: entry });
  }
  return { paired, removed: before.filter((entry) => unpairedBefore.has(entry)), added };
}
