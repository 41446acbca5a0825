/** The Clients list and the "Create Client" dialog. */
import { api, type ClientJson } from './api.js';
import { appTypeLabel, CLIENT_TYPES } from './app-types.js';
import type { ConsoleConfig } from './config.js';
import { h, mainRegion, notice, replace, uniqueId } from './dom.js';
import type { Navigate } from './navigation.js';

const PER_PAGE = 50;

/** Draws the Clients list. */
export async function showClients(config: ConsoleConfig, navigate: Navigate): Promise<void> {
  const main = mainRegion();
  const page = await api<{ clients: ClientJson[]; total: number }>(
    config,
    `clients?include_totals=true&per_page=${PER_PAGE}&page=0&fields=client_id,name,app_type&include_fields=true`,
  );
  const rows = page.clients.map((client) =>
    h(
      'tr',
      {
        'data-filter':
          `${client.name} ${appTypeLabel(client.app_type)} ${client.client_id}`.toLowerCase(),
      },
      h(
        'td',
        {},
        h(
          'a',
          {
            href: `${config.basePath}/clients/${client.client_id}`,
            onclick: (event: Event) => {
              event.preventDefault();
              navigate(`/clients/${client.client_id}`);
            },
          },
          client.name,
        ),
      ),
      h('td', {}, appTypeLabel(client.app_type)),
      h('td', { class: 'mono' }, client.client_id),
    ),
  );
  const filterId = uniqueId('filter');
  const shown = h('p', { class: 'subtitle', role: 'status' });
  const filter = h('input', {
    id: filterId,
    type: 'search',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const applyFilter = (): void => {
    const words = filter.value
      .toLowerCase()
      .split(/\s+/)
      .filter((word) => word !== '');
    let count = 0;
    for (const row of rows) {
      const text = row.dataset['filter'] ?? '';
      row.hidden = !words.every((word) => text.includes(word));
      if (!row.hidden) count += 1;
    }
    replace(shown, words.length === 0 ? '' : `${count} of ${rows.length} shown`);
  };
  filter.addEventListener('input', applyFilter);
  const create = h(
    'button',
    { class: 'primary', type: 'button', onclick: () => openCreateDialog(config, navigate) },
    'Create Client',
  );
  replace(
    main,
    h(
      'div',
      { class: 'toolbar' },
      h(
        'div',
        {},
        h('h1', {}, 'Clients'),
        h('p', { class: 'subtitle' }, `${page.total} in ${config.domain}`),
      ),
      create,
    ),
    h('div', { class: 'filter' }, h('label', { for: filterId }, 'Filter clients'), filter, shown),
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, 'Clients of this tenant'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Name'),
          h('th', { scope: 'col' }, 'Type'),
          h('th', { scope: 'col' }, 'Client ID'),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
    page.total > PER_PAGE ? h('p', { class: 'subtitle' }, `Showing the first ${PER_PAGE}.`) : null,
  );
}

/** The "Create Client" dialog: a name and one of the four client types. */
function openCreateDialog(config: ConsoleConfig, navigate: Navigate): void {
  const titleId = uniqueId('create-title');
  const nameId = uniqueId('create-name');
  const name = h('input', {
    id: nameId,
    type: 'text',
    name: 'name',
    required: true,
    maxlength: 255,
    autocomplete: 'off',
  });
  const choices = CLIENT_TYPES.map((type, index) => {
    const id = uniqueId('create-type');
    return h(
      'label',
      { class: 'check', for: id },
      h('input', { id, type: 'radio', name: 'app_type', value: type.value, checked: index === 0 }),
      type.label,
    );
  });
  const status = h('div', {});
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: titleId }, 'Create Client'),
    h('div', { class: 'field' }, h('label', { for: nameId }, 'Name'), name),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Choose a client type'),
      h('div', { class: 'choices' }, ...choices),
    ),
    status,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', value: 'cancel', onclick: () => dialog.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary' }, 'Create'),
    ),
  );
  const dialog = h('dialog', { 'aria-labelledby': titleId }, form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const appType = new FormData(form).get('app_type');
    if (name.value.trim() === '') {
      name.setAttribute('aria-invalid', 'true');
      replace(status, notice('Name is required.', 'error'));
      name.focus();
      return;
    }
    void api<ClientJson>(config, 'clients', {
      method: 'POST',
      body: { name: name.value.trim(), app_type: appType },
    }).then(
      (client) => {
        dialog.close();
        navigate(`/clients/${client.client_id}/quickstart`);
      },
      (error: unknown) =>
        replace(status, notice(error instanceof Error ? error.message : String(error), 'error')),
    );
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  name.focus();
}
