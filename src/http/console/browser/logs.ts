/** The Logs view: the audit trail, newest first. */
import { api, type LogJson } from './api.js';
import type { ConsoleConfig } from './config.js';
import { h, mainRegion, replace } from './dom.js';

/** Draws the newest 100 audit events. */
export async function showLogs(config: ConsoleConfig): Promise<void> {
  const events = await api<LogJson[]>(config, 'logs?per_page=100&page=0&sort=date:-1');
  const newestFirst = [...events].sort((a, b) => b.date.localeCompare(a.date));
  replace(
    mainRegion(),
    h('h1', {}, 'Logs'),
    h('p', { class: 'subtitle' }, 'Changes and sign-ins of this tenant, newest first.'),
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, 'Audit events'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Type', 'Description', 'Client', 'Date'].map((title) =>
            h('th', { scope: 'col' }, title),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...newestFirst.map((event) =>
          h(
            'tr',
            {},
            h('td', { class: 'mono' }, event.type),
            h('td', {}, event.description ?? ''),
            h('td', {}, event.client_name ?? event.client_id ?? ''),
            h(
              'td',
              {},
              h(
                'time',
                { datetime: event.date },
                new Date(event.date).toLocaleString('en-GB', { timeZone: 'UTC' }),
                ' UTC',
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
