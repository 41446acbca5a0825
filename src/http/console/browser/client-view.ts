/** One client: its header, the four tabs and the Danger Zone. */
import { api, type ClientJson } from './api.js';
import { appTypeLabel } from './app-types.js';
import { showAddons } from './addons.js';
import type { ConsoleConfig } from './config.js';
import { showConnections } from './connections.js';
import { dangerZone } from './danger-zone.js';
import { h, mainRegion, replace } from './dom.js';
import type { Navigate } from './navigation.js';
import { showQuickStart } from './quick-start.js';
import { showSettings } from './settings.js';
import { tabs } from './tabs.js';

/** Fetches a client without its secret (the secret is fetched only when revealed). */
export function fetchClient(config: ConsoleConfig, clientId: string): Promise<ClientJson> {
  return api<ClientJson>(
    config,
    `clients/${encodeURIComponent(clientId)}?fields=client_secret&include_fields=false`,
  );
}

/** Draws the client view with `tab` open. */
export async function showClient(
  config: ConsoleConfig,
  navigate: Navigate,
  clientId: string,
  tab: string,
): Promise<void> {
  const main = mainRegion();
  let client = await fetchClient(config, clientId);
  const heading = h('h1', {}, client.name);
  const subtitle = h('p', { class: 'subtitle' });
  const refreshHeader = (): void => {
    heading.textContent = client.name;
    replace(
      subtitle,
      appTypeLabel(client.app_type),
      ' · Client ID ',
      h('span', { class: 'mono' }, client.client_id),
    );
  };
  refreshHeader();
  const onSaved = (saved: ClientJson): void => {
    client = saved;
    refreshHeader();
  };
  replace(
    main,
    h(
      'p',
      {},
      h(
        'a',
        {
          href: `${config.basePath}/clients`,
          onclick: (event: Event) => {
            event.preventDefault();
            navigate('/clients');
          },
        },
        '← Clients',
      ),
    ),
    heading,
    subtitle,
    tabs(
      [
        {
          name: 'Quick Start',
          slug: 'quickstart',
          render: (panel) => showQuickStart(config, client, panel),
        },
        {
          name: 'Settings',
          slug: 'settings',
          render: (panel) => {
            showSettings(config, client, panel, onSaved);
            panel.append(dangerZone(config, client, navigate));
          },
        },
        {
          name: 'Addons',
          slug: 'addons',
          render: (panel) => showAddons(config, () => client, panel, onSaved),
        },
        {
          name: 'Connections',
          slug: 'connections',
          render: (panel) => showConnections(config, client, panel),
        },
      ],
      tab,
      (slug) =>
        history.replaceState(null, '', `${config.basePath}/clients/${client.client_id}/${slug}`),
    ),
  );
}
