/**
 * Runs a driver script (an SDK used as its users use it) in a child process that trusts the
 * test certificate through NODE_EXTRA_CA_CERTS, and reads the one JSON object it prints.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './helpers.js';

/** Runs `script` (relative to the repository) with `args`; fails the test on a non-zero exit. */
export function runDriver<T>(
  script: string,
  args: readonly string[],
  caFile: string,
  env: Record<string, string> = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
        resolve(JSON.parse(stdout) as T);
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}
