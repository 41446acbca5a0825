import { describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_POLICY, DocumentCache, freshnessSeconds } from '../../src/cimd/cache.js';
import { ClientMetadataDocumentError } from '../../src/errors.js';

const NO_HEADERS = {
  'cache-control': undefined,
  expires: undefined,
  date: undefined,
  age: undefined,
};
const policy = { ...DEFAULT_CACHE_POLICY, staleIfErrorSeconds: 600, maxEntries: 3 };

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
}

describe('freshnessSeconds', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [{ 'cache-control': 'max-age=900' }, 900],
    [{ 'cache-control': 'max-age=5' }, 300],
    [{ 'cache-control': 'max-age=999999' }, 86_400],
    [{ 'cache-control': 'no-store' }, 300],
    [{ 'cache-control': 'no-cache, max-age=3600' }, 300],
    [{ 'cache-control': 'public, max-age="1200"' }, 1200],
    [{ 'cache-control': 'max-age=1200', age: '600' }, 600],
    [{ expires: 'Thu, 01 Jan 2026 02:00:00 GMT', date: 'Thu, 01 Jan 2026 00:00:00 GMT' }, 7200],
    [{ expires: 'Thu, 01 Jan 2026 02:00:00 GMT' }, 7200],
    [{ expires: '0' }, 300],
    [{}, 300],
  ])('%o is fresh %i s within the default bounds', (headers, expected) => {
    expect(freshnessSeconds(headers, now, DEFAULT_CACHE_POLICY)).toBe(expected);
  });
});

describe('DocumentCache on an injectable clock', () => {
  it('serves the cached document while fresh, then fetches again', async () => {
    const time = clock();
    const cache = new DocumentCache<number>(policy, time.now);
    let loads = 0;
    const load = () =>
      Promise.resolve({
        value: ++loads,
        headers: { ...NO_HEADERS, 'cache-control': 'max-age=1000' },
      });
    expect(await cache.get('u', load)).toBe(1);
    time.advance(999);
    expect(await cache.get('u', load)).toBe(1);
    time.advance(2);
    expect(await cache.get('u', load)).toBe(2);
  });

  it('never keeps a document past maxCacheSeconds, nor fetches before minCacheSeconds', async () => {
    const time = clock();
    const cache = new DocumentCache<number>(policy, time.now);
    let loads = 0;
    const forever = () =>
      Promise.resolve({
        value: ++loads,
        headers: { ...NO_HEADERS, 'cache-control': 'max-age=31536000' },
      });
    await cache.get('a', forever);
    time.advance(86_399);
    expect(await cache.get('a', forever)).toBe(1);
    time.advance(2);
    expect(await cache.get('a', forever)).toBe(2);
    const never = () =>
      Promise.resolve({ value: ++loads, headers: { ...NO_HEADERS, 'cache-control': 'no-store' } });
    const first = await cache.get('b', never);
    time.advance(299);
    expect(await cache.get('b', never)).toBe(first);
  });

  it('serves the last good document while the host is down, for the stale window only', async () => {
    const time = clock();
    const cache = new DocumentCache<string>(policy, time.now);
    await cache.get('u', () => Promise.resolve({ value: 'good', headers: NO_HEADERS }));
    const down = () => Promise.reject(new ClientMetadataDocumentError('cimd_network', 'u', 'down'));
    time.advance(300 + 599);
    expect(await cache.get('u', down)).toBe('good');
    time.advance(2);
    await expect(cache.get('u', down)).rejects.toMatchObject({ code: 'cimd_network' });
    // Refused now, and nothing stale is left to serve.
    await expect(cache.get('u', down)).rejects.toMatchObject({ code: 'cimd_network' });
  });

  it('counts a 5xx as down, but a 404 or an invalid document refuses at once', async () => {
    const time = clock();
    const cache = new DocumentCache<string>(policy, time.now);
    const good = () => Promise.resolve({ value: 'good', headers: NO_HEADERS });
    await cache.get('u', good);
    time.advance(301);
    const status = (code: number) => () =>
      Promise.reject(
        new ClientMetadataDocumentError('cimd_http_status', 'u', 'status', { status: code }),
      );
    expect(await cache.get('u', status(503))).toBe('good');
    await expect(cache.get('u', status(404))).rejects.toMatchObject({ status: 404 });
    await cache.get('v', good);
    time.advance(301);
    const invalid = () =>
      Promise.reject(new ClientMetadataDocumentError('cimd_invalid_document', 'v', 'invalid'));
    await expect(cache.get('v', invalid)).rejects.toMatchObject({ code: 'cimd_invalid_document' });
  });

  it('shares one fetch between concurrent requests, and keeps at most maxEntries', async () => {
    const time = clock();
    const cache = new DocumentCache<number>(policy, time.now);
    let loads = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = async () => {
      loads += 1;
      await gate;
      return { value: loads, headers: NO_HEADERS };
    };
    const all = Promise.all([cache.get('u', slow), cache.get('u', slow), cache.get('u', slow)]);
    release();
    expect(await all).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
    for (const url of ['a', 'b', 'c', 'd']) await cache.get(url, slow);
    expect(cache.size).toBe(3);
  });

  it('remembers a failure for failureSeconds: no fetch per request for a failing URL', async () => {
    const time = clock();
    const cache = new DocumentCache<string>(policy, time.now);
    let loads = 0;
    const failing = () => {
      loads += 1;
      return Promise.reject(
        new ClientMetadataDocumentError('cimd_http_status', 'u', 'gone', { status: 404 }),
      );
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(cache.get('u', failing)).rejects.toMatchObject({ status: 404 });
    }
    expect(loads).toBe(1);
    time.advance(31);
    await expect(cache.get('u', failing)).rejects.toMatchObject({ status: 404 });
    expect(loads).toBe(2);
    cache.forget('u');
    expect(
      await cache.get('u', () => Promise.resolve({ value: 'fixed', headers: NO_HEADERS })),
    ).toBe('fixed');
  });

  it('fetches at most maxConcurrentFetches documents at once, serving stale ones past it', async () => {
    const time = clock();
    const cache = new DocumentCache<string>({ ...policy, maxConcurrentFetches: 2 }, time.now);
    await cache.get('old', () => Promise.resolve({ value: 'old v1', headers: NO_HEADERS }));
    time.advance(301);
    const releases: (() => void)[] = [];
    let started = 0;
    const slow = (value: string) => () => {
      started++;
      return new Promise<{ value: string; headers: typeof NO_HEADERS }>((resolve) =>
        releases.push(() => resolve({ value, headers: NO_HEADERS })),
      );
    };
    const a = cache.get('a', slow('a'));
    const b = cache.get('b', slow('b'));
    // The same URL shares its fetch; a third URL finds no room.
    const aAgain = cache.get('a', slow('a twice'));
    const busy = await cache.get('c', slow('c')).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(ClientMetadataDocumentError);
    expect(busy).toMatchObject({ code: 'cimd_busy', url: 'c' });
    // A URL with a kept document gets it, stale, without a fetch.
    expect(await cache.get('old', slow('old v2'))).toBe('old v1');
    expect(started).toBe(2);
    for (const release of releases) release();
    expect([await a, await b, await aAgain]).toEqual(['a', 'b', 'a']);
    // Room again, and cimd_busy was not remembered as the URL's failure.
    expect(await cache.get('c', () => Promise.resolve({ value: 'c', headers: NO_HEADERS }))).toBe(
      'c',
    );
  });
});
