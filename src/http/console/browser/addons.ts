/** The Addons tab: one switch per addon the library knows. */
import { api, type ClientJson } from './api.js';
import type { ConsoleConfig } from './config.js';
import { h, notice, replace } from './dom.js';

/** Draws the addon switches; each toggle is saved at once. */
export function showAddons(
  config: ConsoleConfig,
  current: () => ClientJson,
  panel: HTMLElement,
  onSaved: (client: ClientJson) => void,
): void {
  const status = h('div', { 'aria-live': 'polite' });
  const switches = config.addons.map((addon) => {
    const button = h(
      'button',
      {
        type: 'button',
        role: 'switch',
        'aria-checked': String(current().addons?.[addon] !== undefined),
      },
      addon,
    );
    button.addEventListener('click', () => {
      const on = button.getAttribute('aria-checked') !== 'true';
      button.disabled = true;
      // Addons merge member by member on PATCH; null switches one off (Auth0's PATCH).
      const addons = { [addon]: on ? {} : null };
      void api<ClientJson>(config, `clients/${encodeURIComponent(current().client_id)}`, {
        method: 'PATCH',
        body: { addons },
      })
        .then((saved) => {
          onSaved(saved);
          button.setAttribute('aria-checked', String(saved.addons?.[addon] !== undefined));
          replace(status, notice(`${addon} ${on ? 'enabled' : 'disabled'}.`));
        })
        .catch((error: unknown) =>
          replace(status, notice(error instanceof Error ? error.message : String(error), 'error')),
        )
        .finally(() => {
          button.disabled = false;
        });
    });
    return button;
  });
  replace(
    panel,
    h(
      'div',
      { class: 'panel' },
      h('h2', {}, 'Addons'),
      h('p', { class: 'subtitle' }, 'Switch an addon on to add its settings to this client.'),
      status,
      h('div', { class: 'switches', role: 'group', 'aria-label': 'Addons' }, ...switches),
    ),
  );
}
