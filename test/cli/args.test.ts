import { describe, expect, it } from 'vitest';
import { packageVersion, parseCommand } from '../../src/cli/args.js';

describe('parsing the command line', () => {
  it('reads check with paths and options in any order', () => {
    expect(
      parseCommand(['check', 'a.yaml', '--strict', 'dir', '--format', 'json', '--keywords=k.json']),
    ).toEqual({
      kind: 'check',
      paths: ['a.yaml', 'dir'],
      keywords: 'k.json',
      strict: true,
      format: 'json',
    });
    expect(parseCommand(['check', '--', '--odd-name.yaml'])).toEqual({
      kind: 'check',
      paths: ['--odd-name.yaml'],
      strict: false,
      format: 'human',
    });
  });

  it('answers --help and --version before anything else', () => {
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommand(['check', '-h'])).toEqual({ kind: 'help' });
    expect(parseCommand(['-v'])).toEqual({ kind: 'version' });
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('turns every usage mistake into one short line', () => {
    const cases: [string[], string][] = [
      [['check', 'a.yaml', '--colour'], 'unknown option --colour'],
      [['check', 'a.yaml', '-x'], 'unknown option -x'],
      [['check', 'a.yaml', '--keywords'], 'option --keywords needs a value'],
      [['check', 'a.yaml', '--strict=yes'], 'option --strict takes no value'],
      [
        ['check', 'a.yaml', '--format', 'xml'],
        '--format must be one of human, json, sarif, github, not "xml"',
      ],
      [[], 'missing command: try clientele check <path...>'],
      [['lint', 'a.yaml'], 'unknown command "lint": the commands are check and diff'],
      [['check'], 'check needs at least one path to a tenant export'],
    ];
    for (const [argv, message] of cases) {
      expect(parseCommand(argv)).toEqual({ kind: 'usage-error', message });
    }
  });
});
