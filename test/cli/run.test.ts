import { describe, expect, it } from 'vitest';
import { run, type CliInvocation } from '../../src/cli/run.js';
import { FIXTURES, fakeChecker } from './helpers.js';

async function invoke(argv: string[], options: Partial<CliInvocation> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: false,
    env: {},
    cwd: FIXTURES,
    ...options,
  });
  return { code, stdout, stderr };
}

describe('run, in-process', () => {
  it('checks paths relative to cwd with the library and returns the exit code', async () => {
    const outcome = await invoke(['check', 'warnings-only.yaml']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('2 clients in 1 file: 0 errors, 2 warnings');
    expect((await invoke(['check', 'warnings-only.yaml', '--strict'])).code).toBe(1);
  });

  it('colours on a TTY unless NO_COLOR is set', async () => {
    const tty = await invoke(['check', 'warnings-only.yaml'], { isTTY: true });
    expect(tty.stdout).toContain('\u001b[33mwarning\u001b[39m');
    const noColour = await invoke(['check', 'warnings-only.yaml'], {
      isTTY: true,
      env: { NO_COLOR: '1' },
    });
    expect(noColour.stdout).not.toContain('\u001b[');
    const dumb = await invoke(['check', 'warnings-only.yaml'], {
      isTTY: true,
      env: { TERM: 'dumb' },
    });
    expect(dumb.stdout).not.toContain('\u001b[');
  });

  it('never colours JSON', async () => {
    const outcome = await invoke(['check', 'warnings-only.yaml', '--format', 'json'], {
      isTTY: true,
    });
    expect(outcome.stdout).not.toContain('\u001b[');
    expect(JSON.parse(outcome.stdout)).toHaveProperty('summary.warnings', 2);
  });

  it('accepts another validator and linter', async () => {
    const outcome = await invoke(['check', 'clean.yaml', '--format', 'json'], {
      checker: {
        ...fakeChecker,
        lint: () => [{ rule: 'r', severity: 'info', path: '', message: 'm' }],
      },
    });
    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toEqual({
      findings: [
        {
          file: 'clean.yaml',
          client: 'Shop',
          rule: 'r',
          severity: 'info',
          path: '',
          message: 'm',
          line: 3,
          column: 5,
        },
        {
          file: 'clean.yaml',
          client: 'Billing',
          rule: 'r',
          severity: 'info',
          path: '',
          message: 'm',
          line: 14,
          column: 5,
        },
      ],
      summary: { files: 1, clients: 2, errors: 0, warnings: 0 },
      failures: [],
    });
  });

  it('turns an unexpected exception into one line and exit 2', async () => {
    const outcome = await invoke(['check', 'clean.yaml'], {
      checker: {
        ...fakeChecker,
        validate: () => {
          throw new Error('boom');
        },
      },
    });
    expect(outcome).toEqual({ code: 2, stdout: '', stderr: 'clientele: internal error: boom\n' });
  });
});
