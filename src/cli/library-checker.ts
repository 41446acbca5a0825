/**
 * Binds the check to the library's own `validateClientSettings` and `lintClient`.
 *
 * @module
 */
import { lintClient } from '../client/lint.js';
import type { ClientInput } from '../client/settings.js';
import { validateClientSettings } from '../client/validate.js';
import type { ClientChecker } from './client-check.js';

/** The checker `clientele check` uses: full (not partial) validation, and lint. */
export const libraryChecker: ClientChecker = {
  validate: (input) => validateClientSettings(input),
  // lintClient reads any input defensively (documented): it gets the client as written.
  lint: (settings) => lintClient(settings as Partial<ClientInput>),
};
