/**
 * Words for changes, shared by every output of `clientele diff`: how an object and a
 * change are named, values shortened to one line.
 *
 * @module
 */
import { labelOf } from '../../client/messages.js';
import type { JsonValue } from '../../client/settings.js';
import {
  DIFF_OBJECT_TYPES,
  type DiffObject,
  type DiffObjectType,
  type TenantChange,
  type TenantDiff,
} from '../../diff/types.js';

/** How each object type is called in reports, singular and plural. */
export const TYPE_NOUNS: Readonly<Record<DiffObjectType, readonly [string, string]>> = {
  client: ['client', 'clients'],
  api: ['API', 'APIs'],
  connection: ['connection', 'connections'],
  grant: ['client grant', 'client grants'],
};

/** `client Storefront`, `API Orders API (https://api.example.com/orders)`. */
export function objectTitle(object: DiffObject): string {
  const noun = TYPE_NOUNS[object.type][0];
  return object.name === object.key
    ? `${noun} ${object.key}`
    : `${noun} ${object.name} (${object.key})`;
}

/** `callbacks[1]`, or `the client` for the whole object. */
export function whatChanged(change: TenantChange): string {
  return change.path === '' ? `the ${TYPE_NOUNS[change.object.type][0]}` : labelOf(change.path);
}

/** The most characters of a value shown on one line. */
const MAX_SHOWN = 120;

/** A value as compact JSON on one line, shortened past {@link MAX_SHOWN} characters. */
export function shortValue(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  const json = JSON.stringify(value);
  return json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN - 1)}…` : json;
}

/**
 * One sentence for a change, naming its object: `client Storefront: callbacks[1]
 * "https://a.example.com/cb" removed (destructive: logins that …)`.
 */
export function changeSentence(change: TenantChange): string {
  const title = objectTitle(change.object);
  let text: string;
  if (change.path === '') {
    text = `${title} ${change.kind}`;
  } else if (change.kind === 'changed') {
    text = `${title}: ${whatChanged(change)} changed from ${shortValue(change.before)} to ${shortValue(change.after)}`;
  } else {
    const value = change.kind === 'added' ? change.after : change.before;
    text = `${title}: ${whatChanged(change)} ${shortValue(value)} ${change.kind}`;
  }
  return change.reason === undefined ? text : `${text} (destructive: ${change.reason})`;
}

/** `3 changes in 2 objects, 1 destructive` or `no changes`. */
export function summaryText(diff: TenantDiff): string {
  const { changes, objects, destructive } = diff.summary;
  if (changes === 0) return 'no changes';
  return `${plural(changes, 'change')} in ${plural(objects, 'object')}, ${destructive} destructive`;
}

/** `APIs and client grants`: the types not compared, or `undefined` when all were. */
export function notCompared(diff: TenantDiff): string | undefined {
  const missing = DIFF_OBJECT_TYPES.filter((type) => !diff.compared.includes(type));
  if (missing.length === 0) return undefined;
  const nouns = missing.map((type) => TYPE_NOUNS[type][1]);
  return nouns.length === 1
    ? nouns[0]
    : `${nouns.slice(0, -1).join(', ')} and ${nouns[nouns.length - 1]}`;
}

/** The changes grouped by object, in report order. */
export function byObject(
  changes: readonly TenantChange[],
): { object: DiffObject; changes: TenantChange[] }[] {
  const groups: { object: DiffObject; changes: TenantChange[] }[] = [];
  for (const change of changes) {
    const last = groups[groups.length - 1];
    if (last && last.object.type === change.object.type && last.object.key === change.object.key) {
      last.changes.push(change);
    } else {
      groups.push({ object: change.object, changes: [change] });
    }
  }
  return groups;
}

/** `1 change`, `2 changes`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
