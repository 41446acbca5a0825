/** A small element builder: no framework, no innerHTML with data. */

type Child = Node | string | number | false | null | undefined;
type Attributes = Record<string, string | number | boolean | EventListener | undefined>;

/**
 * Creates an element. Attributes whose value is a function and whose name starts with
 * `on` become event listeners; `true` sets a boolean attribute; `false`/`undefined` skip.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Appends children, skipping empty ones; strings become text nodes. */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let sequence = 0;

/** A document-unique id with a readable prefix. */
export function uniqueId(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

/** The main region; the console draws each screen into it. */
export function mainRegion(): HTMLElement {
  const main = document.getElementById('main');
  if (!main) throw new Error('the console page has no main region');
  return main;
}

/** A notice for errors and confirmations; `role=alert` for errors so they are announced. */
export function notice(message: string, kind: 'error' | 'info' = 'info'): HTMLElement {
  return h(
    'p',
    {
      class: kind === 'error' ? 'notice error' : 'notice',
      role: kind === 'error' ? 'alert' : 'status',
    },
    message,
  );
}

/**
 * A "Copy …" button for the value `read` returns (`undefined`: nothing to copy yet). It
 * writes to the clipboard and says so in `status` (a live region); where the clipboard is
 * refused, it selects `fallback`'s text so the user can copy it by hand.
 */
export function copyButton(
  label: string,
  read: () => string | undefined,
  status: HTMLElement,
  fallback?: HTMLInputElement,
): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'copy',
      onclick: () => {
        const value = read();
        if (value === undefined) return;
        navigator.clipboard.writeText(value).then(
          () => replace(status, `${label.replace(/^Copy /, '')} copied.`),
          () => {
            fallback?.select();
            replace(status, 'Copying was refused: the text is selected, press Ctrl+C.');
          },
        );
      },
    },
    label,
  );
}
