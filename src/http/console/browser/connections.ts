/** The Connections tab: one switch per connection, enabling it for this client. */
import { api, type ClientJson, type ConnectionJson } from './api.js';
import type { ConsoleConfig } from './config.js';
import { h, notice, replace } from './dom.js';

/** Draws a switch per connection of the tenant. */
export async function showConnections(
  config: ConsoleConfig,
  client: ClientJson,
  panel: HTMLElement,
): Promise<void> {
  const status = h('div', { 'aria-live': 'polite' });
  const connections = await api<ConnectionJson[]>(config, 'connections?per_page=100');
  const switches = await Promise.all(
    connections.map(async (connection) => {
      const enabled = await isEnabled(config, connection, client.client_id);
      const button = h(
        'button',
        { type: 'button', role: 'switch', 'aria-checked': String(enabled) },
        connection.name,
      );
      button.addEventListener('click', () => {
        const on = button.getAttribute('aria-checked') !== 'true';
        button.disabled = true;
        void api(config, `connections/${encodeURIComponent(connection.id)}/clients`, {
          method: 'PATCH',
          body: [{ client_id: client.client_id, status: on }],
        })
          .then(() => {
            button.setAttribute('aria-checked', String(on));
            replace(
              status,
              notice(`${connection.name} ${on ? 'enabled' : 'disabled'} for ${client.name}.`),
            );
          })
          .catch((error: unknown) =>
            replace(
              status,
              notice(error instanceof Error ? error.message : String(error), 'error'),
            ),
          )
          .finally(() => {
            button.disabled = false;
          });
      });
      return button;
    }),
  );
  replace(
    panel,
    h(
      'div',
      { class: 'panel' },
      h('h2', {}, 'Connections'),
      h(
        'p',
        { class: 'subtitle' },
        'Users sign in to this client through the connections switched on.',
      ),
      status,
      switches.length === 0
        ? h('p', {}, 'This tenant has no connections yet.')
        : h('div', { class: 'switches', role: 'group', 'aria-label': 'Connections' }, ...switches),
    ),
  );
}

async function isEnabled(
  config: ConsoleConfig,
  connection: ConnectionJson,
  clientId: string,
): Promise<boolean> {
  if (connection.enabled_clients) return connection.enabled_clients.includes(clientId);
  const page = await api<{ clients: { client_id: string }[] }>(
    config,
    `connections/${encodeURIComponent(connection.id)}/clients?take=100`,
  );
  return page.clients.some((entry) => entry.client_id === clientId);
}
