/**
 * Running the example identity server as a user would: built `dist/`, a child process on
 * a free port, the URL read from its first line of output, stopped with a signal.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allowInsecureRequests, type DiscoveryRequestOptions } from 'openid-client';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const EXAMPLE = path.join(ROOT, 'examples', 'identity-server');
const START_TIMEOUT_MS = 20_000;

/** openid-client options for a plain-http issuer on loopback. */
export const INSECURE: DiscoveryRequestOptions = { execute: [allowInsecureRequests] };

export { ensureBuilt } from '../support/build.js';

/** A scratch directory, removed by the returned function. */
export async function scratch(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'clientele-idp-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** How a child process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running example server. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>` (or `https://` with --tls-cert) as printed. */
  readonly url: string;
  /** The issuer: the URL with a trailing slash. */
  readonly issuer: string;
  readonly child: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/**
 * Starts `examples/identity-server/server.js --port 0 ...args` and waits for its first
 * line; `env` is added to this process's environment.
 */
export async function startServer(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<RunningServer> {
  const child = spawn(process.execPath, [path.join(EXAMPLE, 'server.js'), '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms: ${stderr}`));
    }, START_TIMEOUT_MS);
    const onData = () => {
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n') || line === undefined) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      const match = /^listening on (https?:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (match?.[1]) resolve(match[1]);
      else reject(new Error(`unexpected first line ${JSON.stringify(line)}: ${stderr}`));
    };
    child.stdout.on('data', onData);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${JSON.stringify(exit)}) before listening: ${stderr}`));
    });
  });

  return {
    url,
    issuer: `${url}/`,
    child,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a Node script to completion and returns its output. */
export function runScript(
  script: string,
  args: readonly string[],
): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Seeds `store` with the example's clients (examples/identity-server/seed.js) for an app
 * at `appUrl`, failing the test if the script does; returns the SPA's client id.
 */
export function seedStore(store: string, appUrl: string): string {
  const seeded = runScript(path.join(EXAMPLE, 'seed.js'), ['--store', store, '--app-url', appUrl]);
  expect({ code: seeded.code, stderr: seeded.stderr }).toEqual({ code: 0, stderr: '' });
  return (JSON.parse(seeded.stdout) as { spa: { client_id: string } }).spa.client_id;
}

/** `fetch` that never follows redirects: the tests look at every `Location`. */
export function fetchManual(url: string | URL, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, redirect: 'manual' });
}
