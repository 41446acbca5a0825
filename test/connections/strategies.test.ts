import { describe, expect, it } from 'vitest';
import {
  CONNECTION_STRATEGIES,
  connectionCategory,
  isConnectionStrategy,
  type ConnectionCategory,
} from '../../src/index.js';

describe('CONNECTION_STRATEGIES', () => {
  it.each([
    ['auth0', 'database'],
    ['google-oauth2', 'social'],
    ['github', 'social'],
    ['facebook', 'social'],
    ['apple', 'social'],
    ['twitter', 'social'],
    ['linkedin', 'social'],
    ['windowslive', 'social'],
    ['bitbucket', 'social'],
    ['oauth2', 'social'],
    ['samlp', 'enterprise'],
    ['waad', 'enterprise'],
    ['adfs', 'enterprise'],
    ['oidc', 'enterprise'],
    ['okta', 'enterprise'],
    ['ad', 'enterprise'],
    ['pingfederate', 'enterprise'],
    ['google-apps', 'enterprise'],
    ['auth0-adldap', 'enterprise'],
    ['ip', 'enterprise'],
    ['office365', 'enterprise'],
    ['sharepoint', 'enterprise'],
    ['email', 'passwordless'],
    ['sms', 'passwordless'],
  ])('classes %s as %s', (strategy, category) => {
    expect(connectionCategory(strategy)).toBe(category);
    expect(isConnectionStrategy(strategy)).toBe(true);
  });

  it('knows nothing else, case-sensitively, and no inherited names', () => {
    for (const strategy of [
      'google',
      'Google-OAuth2',
      'AUTH0',
      'saml',
      'toString',
      '__proto__',
      '',
    ]) {
      expect(connectionCategory(strategy)).toBeUndefined();
      expect(isConnectionStrategy(strategy)).toBe(false);
    }
    expect(isConnectionStrategy(42)).toBe(false);
  });

  it('has one of the four categories for every strategy, and is frozen', () => {
    const categories = new Set<ConnectionCategory>(Object.values(CONNECTION_STRATEGIES));
    expect([...categories].sort()).toEqual(['database', 'enterprise', 'passwordless', 'social']);
    expect(Object.isFrozen(CONNECTION_STRATEGIES)).toBe(true);
    for (const strategy of Object.keys(CONNECTION_STRATEGIES)) {
      expect(strategy).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});
