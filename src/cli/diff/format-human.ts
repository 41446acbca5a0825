/**
 * The human output of `clientele diff`: the two sides, then one heading per changed
 * object and one line per change (`+` added, `-` removed, `~` changed) with its values and
 * `file:line`, a destructive change's reason below it, and a summary line.
 *
 * ```text
 * main/tenant.yaml -> tenant.yaml
 *
 * client Storefront
 *   - callbacks[1]  "https://old.example.com/cb"  tenant.yaml:14
 *       destructive: logins that redirect to this callback URL are refused
 *   ~ description  "Shop" -> "Web shop"  tenant.yaml:12
 * client grant Worker -> https://api.example.com/orders
 *   - scope[1]  "write:orders"  tenant.yaml:60
 *       destructive: the grant is narrowed: token requests for this scope fail
 *
 * 3 changes in 2 objects, 2 destructive
 * ```
 *
 * Text from the tenants is printed with control and bidi characters escaped, as
 * `clientele check` prints it.
 *
 * @module
 */
import type { Palette } from '../ansi.js';
import { printable } from '../text.js';
import type { TenantChange, TenantDiff } from '../../diff/types.js';
import {
  byObject,
  notCompared,
  objectTitle,
  shortValue,
  summaryText,
  whatChanged,
} from './describe.js';

const MARK = { added: '+', removed: '-', changed: '~' } as const;

/** Renders the human output. */
export function formatDiffHuman(diff: TenantDiff, colours: Palette): string {
  const lines = [colours.bold(printable(`${diff.before.source} -> ${diff.after.source}`)), ''];
  for (const group of byObject(diff.changes)) {
    lines.push(colours.bold(printable(objectTitle(group.object))));
    for (const change of group.changes) {
      lines.push(`  ${changeLine(change, colours)}`);
      if (change.reason !== undefined) {
        lines.push(`      ${colours.red(`destructive: ${printable(change.reason)}`)}`);
      }
    }
  }
  if (diff.changes.length > 0) lines.push('');
  const skipped = notCompared(diff);
  if (skipped !== undefined) {
    lines.push(colours.dim(`not compared: ${skipped} (a side has no list of them)`));
  }
  const summary = summaryText(diff);
  lines.push(
    diff.summary.destructive > 0
      ? colours.red(summary)
      : diff.summary.changes > 0
        ? colours.yellow(summary)
        : colours.green(summary),
  );
  return `${lines.join('\n')}\n`;
}

function changeLine(change: TenantChange, colours: Palette): string {
  const paint =
    change.kind === 'added'
      ? colours.green
      : change.kind === 'removed'
        ? colours.red
        : colours.yellow;
  const what = change.path === '' ? change.kind : whatChanged(change);
  const value =
    change.path === ''
      ? ''
      : change.kind === 'changed'
        ? `${shortValue(change.before)} -> ${shortValue(change.after)}`
        : shortValue(change.kind === 'added' ? change.after : change.before);
  const where = change.location
    ? colours.dim(
        change.location.line === undefined
          ? change.location.file
          : `${change.location.file}:${change.location.line}`,
      )
    : '';
  return [paint(`${MARK[change.kind]} ${printable(what)}`), printable(value), where]
    .filter((part) => part !== '')
    .join('  ');
}
