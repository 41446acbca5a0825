/**
 * Dependencies loaded on first use instead of at import. `import 'clientele'` should cost
 * little more than `import 'jose'` (docs/performance.md): ajv, tldts, js-yaml and minimatch
 * are as costly to load as jose or more, and many programs never call what needs them
 * (a service that only checks redirect URIs of exact entries never parses YAML).
 * `require` is synchronous, so the validators and matchers stay synchronous.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A getter for module `specifier`, loaded (with `require`, from this package) on the
 * first call; type it with `typeof import('specifier')`.
 *
 * @internal
 */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
