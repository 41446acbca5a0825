/**
 * Terminal colours by hand (SGR escape codes), on only when they help: stdout is a TTY,
 * `NO_COLOR` is unset or empty (https://no-color.org), and `TERM` is not `dumb`.
 * `FORCE_COLOR` (non-empty, not `0`) turns them on without a TTY; `NO_COLOR` wins.
 *
 * @module
 */

/** Functions that wrap text in one style each; identity functions when colour is off. */
export interface Palette {
  /** Errors. */
  red(text: string): string;
  /** Warnings. */
  yellow(text: string): string;
  /** Info findings. */
  cyan(text: string): string;
  /** Clients without findings. */
  green(text: string): string;
  /** Secondary text: pointers and locations. */
  dim(text: string): string;
  /** Headings. */
  bold(text: string): string;
}

/** Whether to colour the output for this stream and environment. */
export function useColour(
  isTTY: boolean,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0') return true;
  return isTTY && env['TERM'] !== 'dumb';
}

/** A palette that colours when `enabled`. */
export function palette(enabled: boolean): Palette {
  const style =
    (open: number, close: number) =>
    (text: string): string =>
      enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    red: style(31, 39),
    yellow: style(33, 39),
    cyan: style(36, 39),
    green: style(32, 39),
    dim: style(2, 22),
    bold: style(1, 22),
  };
}
