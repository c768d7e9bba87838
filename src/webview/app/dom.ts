// The only way the app creates elements. Text is always set with `textContent`, never parsed as
// HTML: query text, label values and error messages come from the network.

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

export function section(id: string, title: string, children: Child[]): HTMLElement {
  const headingId = `${id}-heading`;
  return h('section', { class: 'panel', id, 'aria-labelledby': headingId }, [h('h2', { id: headingId }, [title]), ...children]);
}

/** A horizontal bar 0–100 % wide; width is set through CSSOM, which the CSP allows. */
export function bar(pct: number | null, className: string, label: string): HTMLElement {
  const fill = h('span', { class: `bar-fill ${className}` });
  fill.style.width = `${pct ?? 0}%`;
  return h('span', { class: 'bar', role: 'img', 'aria-label': label }, [fill]);
}

export function button(label: string, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, [label]);
  b.addEventListener('click', onClick);
  return b;
}
