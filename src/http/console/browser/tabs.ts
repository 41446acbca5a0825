/** The WAI-ARIA tabs pattern: a tablist of buttons, one panel shown, arrow keys move. */
import { h, uniqueId } from './dom.js';

/** One tab: its visible name, its path segment and how to draw its panel. */
export interface TabSpec {
  readonly name: string;
  readonly slug: string;
  readonly render: (panel: HTMLElement) => Promise<void> | void;
}

/**
 * Builds the tabs with `selected` open. `onSelect` hears the slug of each tab chosen, so
 * the address bar can follow.
 */
export function tabs(
  specs: readonly TabSpec[],
  selected: string,
  onSelect: (slug: string) => void,
): HTMLElement {
  const buttons: HTMLButtonElement[] = [];
  const panels: HTMLElement[] = [];
  const select = (index: number, focus: boolean): void => {
    specs.forEach((spec, i) => {
      const active = i === index;
      const button = buttons[i];
      const panel = panels[i];
      if (!button || !panel) return;
      button.setAttribute('aria-selected', String(active));
      button.tabIndex = active ? 0 : -1;
      panel.hidden = !active;
      if (active) {
        if (focus) button.focus();
        panel.replaceChildren();
        void Promise.resolve(spec.render(panel));
        onSelect(spec.slug);
      }
    });
  };
  specs.forEach((spec, index) => {
    const tabId = uniqueId(`tab-${spec.slug}`);
    const panelId = uniqueId(`panel-${spec.slug}`);
    buttons.push(
      h(
        'button',
        {
          role: 'tab',
          type: 'button',
          id: tabId,
          'aria-controls': panelId,
          onclick: () => select(index, false),
        },
        spec.name,
      ),
    );
    panels.push(
      h('section', {
        role: 'tabpanel',
        id: panelId,
        'aria-labelledby': tabId,
        tabindex: 0,
        hidden: true,
      }),
    );
  });
  const list = h('div', { role: 'tablist', 'aria-label': 'Client' }, ...buttons);
  list.addEventListener('keydown', (event) => {
    const current = buttons.findIndex((button) => button === document.activeElement);
    if (current < 0) return;
    const last = buttons.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? current === last
          ? 0
          : current + 1
        : event.key === 'ArrowLeft'
          ? current === 0
            ? last
            : current - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    select(next, true);
  });
  const initial = Math.max(
    0,
    specs.findIndex((spec) => spec.slug === selected),
  );
  const container = h('div', {}, list, ...panels);
  queueMicrotask(() => select(initial, false));
  return container;
}
