/**
 * The tenant option clientIdMetadataDocuments: its defaults, and each refusal at its JSON
 * pointer (Tenant.create fails before anything is stored).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_POLICY } from '../../src/cimd/cache.js';
import { readCimdOptions } from '../../src/cimd/options.js';
import { InvalidArgumentError } from '../../src/errors.js';

describe('clientIdMetadataDocuments option', () => {
  it('is disabled with the default limits when absent', () => {
    const config = readCimdOptions(undefined);
    expect(config.enabled).toBe(false);
    expect(config.fetch).toEqual({ maxBytes: 5120, timeoutMs: 5000 });
    expect(config.cache).toEqual(DEFAULT_CACHE_POLICY);
    expect(config.cache.maxConcurrentFetches).toBe(16);
  });

  it('takes each limit within its bounds', () => {
    const config = readCimdOptions({
      enabled: true,
      maxBytes: 256,
      timeoutMs: 60_000,
      minCacheSeconds: 0,
      maxCacheSeconds: 604_800,
      staleIfErrorSeconds: 0,
      maxConcurrentFetches: 1,
    });
    expect(config.fetch).toMatchObject({ maxBytes: 256, timeoutMs: 60_000 });
    expect(config.cache).toMatchObject({
      minCacheSeconds: 0,
      maxCacheSeconds: 604_800,
      staleIfErrorSeconds: 0,
      maxConcurrentFetches: 1,
    });
  });

  it.each([
    [{ enabled: true, maxConcurrentFetches: 0 }, '/clientIdMetadataDocuments/maxConcurrentFetches'],
    [
      { enabled: true, maxConcurrentFetches: 1001 },
      '/clientIdMetadataDocuments/maxConcurrentFetches',
    ],
    [
      { enabled: true, maxConcurrentFetches: 2.5 },
      '/clientIdMetadataDocuments/maxConcurrentFetches',
    ],
    [{ enabled: true, maxBytes: 255 }, '/clientIdMetadataDocuments/maxBytes'],
    [{ enabled: true, timeoutMs: '5000' }, '/clientIdMetadataDocuments/timeoutMs'],
    [
      { enabled: true, minCacheSeconds: 600, maxCacheSeconds: 300 },
      '/clientIdMetadataDocuments/maxCacheSeconds',
    ],
    [{ enabled: true, staleIfErrorSeconds: -1 }, '/clientIdMetadataDocuments/staleIfErrorSeconds'],
    [{ enabled: true, fetch: 'https://x' }, '/clientIdMetadataDocuments/fetch'],
    [{ enabled: true, ca: [1] }, '/clientIdMetadataDocuments/ca'],
    [
      { enabled: true, allowPrivateNetwork: 'yes' },
      '/clientIdMetadataDocuments/allowPrivateNetwork',
    ],
    [null, '/clientIdMetadataDocuments'],
  ])('refuses %o at %s', (value, pointer) => {
    let caught: unknown;
    try {
      readCimdOptions(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect(caught).toMatchObject({ path: pointer });
  });
});
