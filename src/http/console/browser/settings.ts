/**
 * The Settings tab. Validation issues and lint findings are shown at the field their JSON
 * pointer names; nothing is saved while a validation issue (or a lint error, which the
 * tenant refuses too) remains.
 */
import { api, checkSettings, type ClientJson, type SettingsCheck } from './api.js';
import { CLIENT_TYPES } from './app-types.js';
import type { ConsoleConfig } from './config.js';
import { copyButton, h, notice, replace, uniqueId } from './dom.js';

/** The Management API's fields that validation does not take back as input. */
const READ_ONLY = new Set([
  'client_id',
  'client_secret',
  'tenant',
  'global',
  'signing_keys',
  'callback_url_template',
]);

const AUTH_METHODS = [
  { value: 'none', label: 'None' },
  { value: 'client_secret_post', label: 'Post' },
  { value: 'client_secret_basic', label: 'Basic' },
] as const;

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

interface Field {
  /** The first token of the JSON pointers that belong to this field. */
  readonly pointer: string;
  readonly control: Control;
  readonly problems: HTMLUListElement;
}

function splitList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** Draws the Settings form for `client` into `panel`. */
export function showSettings(
  config: ConsoleConfig,
  client: ClientJson,
  panel: HTMLElement,
  onSaved: (client: ClientJson) => void,
): void {
  const fields: Field[] = [];
  const status = h('div', { 'aria-live': 'polite' });

  const copied = h('p', { class: 'visually-hidden', role: 'status' });
  const field = (
    label: string,
    control: Control,
    options: { pointer?: string; hint?: string; copy?: HTMLButtonElement } = {},
  ): HTMLElement => {
    const id = uniqueId('setting');
    control.id = id;
    const problems = h('ul', { class: 'problems', id: `${id}-problems` });
    const hint = options.hint ? h('span', { class: 'hint', id: `${id}-hint` }, options.hint) : null;
    control.setAttribute(
      'aria-describedby',
      [hint ? `${id}-hint` : '', `${id}-problems`].join(' ').trim(),
    );
    if (options.pointer) fields.push({ pointer: options.pointer, control, problems });
    const input = options.copy ? h('div', { class: 'copy-row' }, control, options.copy) : control;
    return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint, problems);
  };
  const text = (
    value: string | undefined,
    attributes: Record<string, string | boolean> = {},
  ): HTMLInputElement => h('input', { type: 'text', value: value ?? '', ...attributes });
  const list = (values: readonly string[] | undefined): HTMLTextAreaElement => {
    const area = h('textarea', { rows: 3, spellcheck: 'false' });
    area.value = (values ?? []).join(', ');
    return area;
  };
  const select = (
    options: readonly { value: string; label: string }[],
    current: string | null | undefined,
  ): HTMLSelectElement => {
    const element = h('select', {});
    const all = [...options];
    if (current && !all.some((option) => option.value === current))
      all.push({ value: current, label: current });
    if (current === null || current === undefined) all.unshift({ value: '', label: '(not set)' });
    for (const option of all) {
      element.append(
        h(
          'option',
          { value: option.value, selected: option.value === (current ?? '') },
          option.label,
        ),
      );
    }
    return element;
  };

  const name = text(client.name, { required: true, maxlength: '255' });
  const description = h('textarea', { rows: 2, maxlength: 140 });
  description.value = client.description ?? '';
  const appType = select(CLIENT_TYPES, client.app_type);
  const authMethod = select(AUTH_METHODS, client.token_endpoint_auth_method);
  const callbacks = list(client.callbacks);
  const logoutUrls = list(client.allowed_logout_urls);
  const origins = list(client.allowed_origins);
  const lifetime = h('input', { type: 'number', min: 1, max: 2592000, step: 1 });
  lifetime.value = String(client.jwt_configuration?.lifetime_in_seconds ?? 36000);
  const sso = h('input', { type: 'checkbox', checked: client.sso === true });
  const ssoId = uniqueId('setting');
  sso.id = ssoId;

  const domain = text(config.domain, { readonly: true });
  const clientId = text(client.client_id, { readonly: true, class: 'mono' });
  const secretId = uniqueId('secret');
  const secret = h('input', {
    id: secretId,
    type: 'password',
    readonly: true,
    value: '••••••••••••••••',
    autocomplete: 'off',
  });
  const reveal = h('input', { type: 'checkbox' });
  const revealId = uniqueId('reveal');
  reveal.id = revealId;
  let revealed: string | undefined;
  const copySecret = copyButton('Copy Client Secret', () => revealed, copied, secret);
  copySecret.disabled = true;
  reveal.addEventListener('change', () => {
    if (!reveal.checked) {
      secret.type = 'password';
      secret.value = '••••••••••••••••';
      revealed = undefined;
      copySecret.disabled = true;
      return;
    }
    void api<ClientJson>(
      config,
      `clients/${encodeURIComponent(client.client_id)}?fields=client_secret&include_fields=true`,
    ).then(
      (withSecret) => {
        secret.type = 'text';
        revealed = withSecret.client_secret;
        secret.value = revealed ?? '(this client has no secret)';
        copySecret.disabled = revealed === undefined;
      },
      (error: unknown) => {
        reveal.checked = false;
        replace(status, notice(error instanceof Error ? error.message : String(error), 'error'));
      },
    );
  });

  const showProblems = (check: SettingsCheck): void => {
    for (const item of fields) {
      item.problems.replaceChildren();
      item.control.removeAttribute('aria-invalid');
    }
    const unplaced: HTMLElement[] = [];
    const place = (path: string, severity: string, message: string): void => {
      const target = fields.find(
        (item) => path === item.pointer || path.startsWith(`${item.pointer}/`),
      );
      const line = h(
        'li',
        { class: severity },
        `${severity === 'error' ? 'Error' : severity === 'warning' ? 'Warning' : 'Note'}: ${message}`,
      );
      if (!target) {
        unplaced.push(line);
        return;
      }
      target.problems.append(line);
      if (severity === 'error') target.control.setAttribute('aria-invalid', 'true');
    };
    for (const issue of check.issues) place(issue.path, 'error', issue.message);
    for (const finding of check.findings) place(finding.path, finding.severity, finding.message);
    replace(status, unplaced.length > 0 ? h('ul', { class: 'problems' }, ...unplaced) : null);
  };

  const patch = (): Record<string, unknown> => ({
    name: name.value.trim(),
    description: description.value,
    app_type: appType.value || undefined,
    token_endpoint_auth_method: authMethod.value || undefined,
    callbacks: splitList(callbacks.value),
    allowed_logout_urls: splitList(logoutUrls.value),
    allowed_origins: splitList(origins.value),
    jwt_configuration: { ...client.jwt_configuration, lifetime_in_seconds: Number(lifetime.value) },
    sso: sso.checked,
  });

  const save = h('button', { type: 'submit', class: 'primary' }, 'Save Changes');
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-label': 'Settings' },
    field('Name', name, { pointer: '/name' }),
    field('Domain', domain, {
      copy: copyButton('Copy Domain', () => config.domain, copied, domain),
    }),
    field('Client ID', clientId, {
      copy: copyButton('Copy Client ID', () => client.client_id, copied, clientId),
    }),
    h(
      'div',
      { class: 'field' },
      h('label', { for: secretId }, 'Client Secret'),
      h('div', { class: 'copy-row' }, secret, copySecret),
      h('label', { class: 'check', for: revealId }, reveal, 'Reveal Client Secret'),
    ),
    copied,
    field('Description', description, { pointer: '/description', hint: 'At most 140 characters.' }),
    field('Client Type', appType, { pointer: '/app_type' }),
    field('Token Endpoint Authentication Method', authMethod, {
      pointer: '/token_endpoint_auth_method',
    }),
    field('Allowed Callback URLs', callbacks, {
      pointer: '/callbacks',
      hint: 'Comma-separated. One * may start the first host label.',
    }),
    field('Allowed Logout URLs', logoutUrls, {
      pointer: '/allowed_logout_urls',
      hint: 'Comma-separated.',
    }),
    field('Allowed Origins (CORS)', origins, {
      pointer: '/allowed_origins',
      hint: 'Comma-separated origins.',
    }),
    field('JWT Expiration (seconds)', lifetime, { pointer: '/jwt_configuration' }),
    h(
      'div',
      { class: 'field' },
      h(
        'label',
        { class: 'check', for: ssoId },
        sso,
        'Use Auth0 instead of the IdP to do Single Sign On',
      ),
    ),
    status,
    h('div', { class: 'actions' }, save),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save.disabled = true;
    const changes = patch();
    const merged: Record<string, unknown> = Object.fromEntries(
      Object.entries({ ...client, ...changes }).filter(
        ([key, value]) => !READ_ONLY.has(key) && value !== undefined && value !== null,
      ),
    );
    void checkSettings(config, merged)
      .then(async (check) => {
        showProblems(check);
        const blocking =
          check.issues.length +
          check.findings.filter((finding) => finding.severity === 'error').length;
        if (blocking > 0) {
          replace(
            status,
            notice(
              `Not saved: ${blocking} problem${blocking === 1 ? '' : 's'} to fix first.`,
              'error',
            ),
          );
          return;
        }
        const saved = await api<ClientJson>(
          config,
          `clients/${encodeURIComponent(client.client_id)}`,
          {
            method: 'PATCH',
            body: Object.fromEntries(
              Object.entries(changes).filter(([, value]) => value !== undefined),
            ),
          },
        );
        Object.assign(client, saved);
        onSaved(saved);
        status.append(notice('Changes saved.'));
      })
      .catch((error: unknown) =>
        replace(status, notice(error instanceof Error ? error.message : String(error), 'error')),
      )
      .finally(() => {
        save.disabled = false;
      });
  });
  replace(panel, form);
}
