/** The Quick Start tab: a snippet for the client's type, filled with its own values. */
import type { ClientJson } from './api.js';
import type { ConsoleConfig } from './config.js';
import { h, replace } from './dom.js';

interface Snippet {
  readonly title: string;
  readonly intro: string;
  readonly code: string;
}

function snippet(config: ConsoleConfig, client: ClientJson): Snippet {
  const callback = client.callbacks?.[0] ?? 'https://YOUR_APP/callback';
  const issuer = config.issuer;
  switch (client.app_type) {
    case 'spa':
      return {
        title: 'Single Page Application',
        intro: 'Sign in with the authorization code flow and PKCE from the browser.',
        code: `import { createAuth0Client } from '@auth0/auth0-spa-js';

const auth0 = await createAuth0Client({
  domain: '${config.domain}',
  clientId: '${client.client_id}',
  authorizationParams: { redirect_uri: '${callback}' },
});
await auth0.loginWithRedirect();`,
      };
    case 'native':
      return {
        title: 'Native application',
        intro: 'Use the system browser with PKCE (RFC 8252) and a callback your app owns.',
        code: `// AppAuth configuration
issuer:       ${issuer}
client_id:    ${client.client_id}
redirect_uri: ${callback}
scope:        openid profile offline_access`,
      };
    case 'non_interactive':
      return {
        title: 'Machine to machine',
        intro: 'Ask for an access token with the client credentials grant.',
        code: `curl --request POST '${issuer}oauth/token' \\
  --data grant_type=client_credentials \\
  --data client_id=${client.client_id} \\
  --data client_secret=YOUR_CLIENT_SECRET \\
  --data audience=YOUR_API_IDENTIFIER`,
      };
    default:
      return {
        title: 'Regular web application',
        intro: 'Sign users in from your server with the authorization code flow.',
        code: `import * as client from 'openid-client';

const config = await client.discovery(
  new URL('${issuer}'),
  '${client.client_id}',
  process.env.CLIENT_SECRET,
);
const url = client.buildAuthorizationUrl(config, {
  redirect_uri: '${callback}',
  scope: 'openid profile',
});`,
      };
  }
}

/** Draws the Quick Start for `client`. */
export function showQuickStart(
  config: ConsoleConfig,
  client: ClientJson,
  panel: HTMLElement,
): void {
  const { title, intro, code } = snippet(config, client);
  replace(
    panel,
    h(
      'div',
      { class: 'panel' },
      h('h2', {}, title),
      h('p', {}, intro),
      h('pre', { tabindex: 0, 'aria-label': `${title} code` }, h('code', {}, code)),
    ),
  );
}
