/**
 * The admin console's entry point: finishes sign-in on `/callback`, asks for sign-in when
 * there is no token, and draws the screen for the address.
 */
import { SignedOut } from './api.js';
import { finishSignIn, signIn } from './auth.js';
import { showClient } from './client-view.js';
import { showClients } from './clients.js';
import { readConfig, type ConsoleConfig } from './config.js';
import { h, mainRegion, notice, replace } from './dom.js';
import { showLogs } from './logs.js';

const config: ConsoleConfig = readConfig();

function navigate(path: string): void {
  history.pushState(null, '', `${config.basePath}${path}`);
  void render();
}

async function draw(route: string): Promise<void> {
  const client = /^\/clients\/([A-Za-z0-9_-]+)(?:\/([a-z-]+))?$/.exec(route);
  if (client?.[1]) {
    await showClient(config, navigate, client[1], client[2] ?? 'quickstart');
    document.title = 'Client · clientele console';
  } else if (route === '/logs') {
    await showLogs(config);
    document.title = 'Logs · clientele console';
  } else {
    await showClients(config, navigate);
    document.title = 'Clients · clientele console';
  }
  const heading = mainRegion().querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

async function render(): Promise<void> {
  const route = location.pathname.slice(config.basePath.length) || '/';
  try {
    if (route === '/callback') {
      const target = await finishSignIn(config);
      history.replaceState(null, '', target);
      return await render();
    }
    await draw(route);
  } catch (error) {
    if (error instanceof SignedOut) {
      replace(
        mainRegion(),
        h('h1', {}, 'Sign in'),
        h('p', {}, 'The console manages this tenant through the Management API.'),
        h(
          'button',
          { type: 'button', class: 'primary', onclick: () => void signIn(config) },
          'Sign in',
        ),
      );
      await signIn(config);
      return;
    }
    replace(
      mainRegion(),
      h('h1', {}, 'Something went wrong'),
      notice(error instanceof Error ? error.message : String(error), 'error'),
    );
  }
}

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a') : null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey)
    return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(config.basePath)) return;
  event.preventDefault();
  navigate(url.pathname.slice(config.basePath.length) || '/');
});
window.addEventListener('popstate', () => void render());
void render();
