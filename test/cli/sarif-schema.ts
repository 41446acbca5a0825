/**
 * The SARIF 2.1.0 JSON schema (as published in @microsoft/jest-sarif, draft-04) compiled
 * once, for the tests of `clientele check` and `clientele diff` SARIF output.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv as AjvCore, Options } from 'ajv';

const require = createRequire(import.meta.url);
// Both are CommonJS modules whose module.exports is the class and the plugin.
const Ajv = require('ajv-draft-04') as new (options: Options) => AjvCore;
const addFormats = require('ajv-formats') as (ajv: AjvCore) => AjvCore;
const schema = JSON.parse(
  readFileSync(
    path.join(
      path.dirname(require.resolve('@microsoft/jest-sarif/package.json')),
      'lib/schemas/sarif-2.1.0-rtm.5.json',
    ),
    'utf8',
  ),
) as object;
// The schema's language pattern is not a valid regular expression with the u flag.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);

/** True when a value is a valid SARIF 2.1.0 log; `validSarif.errors` says why not. */
export const validSarif = ajv.compile(schema);
