/** The Danger Zone: "Delete Client", confirmed with "Yes, delete client". */
import { api, type ClientJson } from './api.js';
import type { ConsoleConfig } from './config.js';
import { h, notice, replace, uniqueId } from './dom.js';
import type { Navigate } from './navigation.js';

/** The Danger Zone section of a client's Settings. */
export function dangerZone(
  config: ConsoleConfig,
  client: ClientJson,
  navigate: Navigate,
): HTMLElement {
  const titleId = uniqueId('danger');
  return h(
    'section',
    { class: 'danger-zone', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, 'Danger Zone'),
    h('p', {}, 'Deleting a client cannot be undone: every app using it stops signing in.'),
    h(
      'button',
      { type: 'button', class: 'danger', onclick: () => confirmDelete(config, client, navigate) },
      'Delete Client',
    ),
  );
}

function confirmDelete(config: ConsoleConfig, client: ClientJson, navigate: Navigate): void {
  const titleId = uniqueId('delete-title');
  const status = h('div', {});
  const yes = h('button', { type: 'button', class: 'danger' }, 'Yes, delete client');
  const dialog = h(
    'dialog',
    { 'aria-labelledby': titleId },
    h('h2', { id: titleId }, 'Delete client?'),
    h(
      'p',
      {},
      'The client ',
      h('strong', {}, client.name),
      ' and its grants and connection links will be deleted.',
    ),
    status,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
      yes,
    ),
  );
  yes.addEventListener('click', () => {
    yes.disabled = true;
    void api(config, `clients/${encodeURIComponent(client.client_id)}`, { method: 'DELETE' }).then(
      () => {
        dialog.close();
        navigate('/clients');
      },
      (error: unknown) => {
        yes.disabled = false;
        replace(status, notice(error instanceof Error ? error.message : String(error), 'error'));
      },
    );
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
