/**
 * `--format markdown`: a pull-request comment (GitHub-flavoured Markdown). A hidden
 * marker first, so a workflow can find and update its own comment; a heading with the
 * totals; a caution block listing the destructive changes; then one table per changed
 * object.
 *
 * Everything that comes from the tenants (names, URLs, values) is HTML-escaped inside
 * `<code>` elements, with `|` escaped too, so a tenant file cannot add links, mentions,
 * images or table cells to the comment, or end the code early.
 *
 * @module
 */
import type { TenantChange, TenantDiff } from '../../diff/types.js';
import { printable } from '../text.js';
import {
  byObject,
  notCompared,
  objectTitle,
  shortValue,
  summaryText,
  TYPE_NOUNS,
  whatChanged,
} from './describe.js';

/** The first line of every comment: workflows look for it to update the comment in place. */
export const MARKDOWN_MARKER = '<!-- clientele-diff -->';

const KIND = { added: '➕ added', removed: '➖ removed', changed: '✏️ changed' } as const;

/** Renders the Markdown report. */
export function formatDiffMarkdown(diff: TenantDiff): string {
  const lines = [
    MARKDOWN_MARKER,
    `### clientele diff: ${summaryText(diff)}`,
    '',
    `${code(diff.before.source)} → ${code(diff.after.source)}`,
    '',
  ];
  const destructive = diff.changes.filter((change) => change.severity === 'destructive');
  if (destructive.length > 0) {
    lines.push('> [!CAUTION]');
    lines.push(
      `> ${destructive.length} destructive ${destructive.length === 1 ? 'change' : 'changes'}:`,
    );
    for (const change of destructive) {
      lines.push(
        `> - ${code(objectTitle(change.object))}: ${code(whatChanged(change))} ${change.kind}: ${escapeText(change.reason ?? '')}`,
      );
    }
    lines.push('');
  }
  for (const group of byObject(diff.changes)) {
    const noun = TYPE_NOUNS[group.object.type][0];
    const title = objectTitle(group.object).slice(noun.length + 1);
    lines.push(`#### ${escapeText(noun)} ${code(title)}`, '');
    lines.push('| Change | Path | Before | After | |', '|---|---|---|---|---|');
    for (const change of group.changes) lines.push(row(change));
    lines.push('');
  }
  const skipped = notCompared(diff);
  if (skipped !== undefined)
    lines.push(`_Not compared: ${escapeText(skipped)} (a side has no list of them)._`, '');
  return `${lines.join('\n')}\n`;
}

function row(change: TenantChange): string {
  const whole = change.path === '';
  const cells = [
    KIND[change.kind],
    whole ? `_the ${escapeText(TYPE_NOUNS[change.object.type][0])}_` : code(change.path),
    whole || change.before === undefined ? '' : code(shortValue(change.before)),
    whole || change.after === undefined ? '' : code(shortValue(change.after)),
    change.severity === 'destructive' ? `**destructive**: ${escapeText(change.reason ?? '')}` : '',
  ];
  return `| ${cells.join(' | ')} |`;
}

/** Text from a tenant as inline code that renders as written. */
function code(text: string): string {
  return `<code>${escapeText(text)}</code>`;
}

/** HTML-escaped, `|` and Markdown's inline syntax neutralised, controls shown as escapes. */
function escapeText(text: string): string {
  return printable(text).replace(/[&<>"'|`*_[\]\\~@#!]/g, (char) => `&#${char.charCodeAt(0)};`);
}
