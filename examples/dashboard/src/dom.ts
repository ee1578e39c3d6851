/**
 * A few lines of DOM building, so the views read like markup without a framework.
 * @module
 */

/** What a child of {@link h} may be; falsy values are skipped, which keeps conditionals inline. */
export type Child = Node | string | number | null | undefined | false;

/** Properties of {@link h}: `class`, `data-*`/`aria-*` and other attributes, `on*` listeners, or element properties. */
export type Props = Record<string, unknown>;

/** Creates an element with attributes, listeners and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function")
      element.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    else if (key === "class" || key.includes("-") || typeof value === "string" || typeof value === "number")
      element.setAttribute(key, String(value));
    else (element as unknown as Record<string, unknown>)[key] = value;
  }
  append(element, children);
  return element;
}

/** Replaces an element's children. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false)
      parent.append(typeof child === "number" ? String(child) : child);
  }
}

/** Looks up an element that the page must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
}

/** A labelled form field around an input that has an id. */
export function field(label: string, input: HTMLInputElement): HTMLElement {
  return h("label", { class: "field", for: input.id }, h("span", { class: "field-label" }, label), input);
}
