/**
 * The sidebar: repository names, a page at a time.
 * @module
 */
import { byId, h, mount } from "./dom";
import { attempt, type Session } from "./state";

const PAGE_SIZE = 25;

/** Lists the registry's repositories in the sidebar; `onSelect` opens one. */
export async function showRepositories(
  session: Session,
  onSelect: (name: string) => void,
  selected?: string,
): Promise<void> {
  const list = byId("repositories");
  const count = byId("repository-count");
  const more = byId<HTMLButtonElement>("more-repositories");
  mount(list);
  let shown = 0;
  const pages = session.client.listRepositoryNames().byPage({ maxPageSize: PAGE_SIZE });

  const loadPage = async () => {
    more.disabled = true;
    const page = await attempt("Listing repositories", () => pages.next());
    if (!page || page.done) {
      more.hidden = true;
      return;
    }
    for (const name of page.value) {
      const item = h(
        "button",
        { class: "repository", type: "button", title: name, "data-name": name, onclick: () => select(name) },
        ...nameParts(name),
      );
      list.append(h("li", {}, item));
    }
    shown += page.value.length;
    count.textContent = String(shown) + (page.value.continuationToken ? "+" : "");
    more.hidden = !page.value.continuationToken;
    more.disabled = false;
  };

  const select = (name: string) => {
    for (const button of list.querySelectorAll<HTMLElement>(".repository"))
      button.classList.toggle("is-selected", button.dataset.name === name);
    onSelect(name);
  };

  more.onclick = () => void loadPage();
  await loadPage();
  if (shown === 0) mount(list, h("li", { class: "muted" }, "No repositories yet. Upload a file to create one."));
  if (selected) select(selected);
}

/** `team/app` shown as a dim namespace and a bold name. */
function nameParts(name: string): Node[] {
  const slash = name.lastIndexOf("/");
  if (slash < 0) return [h("span", { class: "repository-name" }, name)];
  return [
    h("span", { class: "repository-namespace" }, name.slice(0, slash + 1)),
    h("span", { class: "repository-name" }, name.slice(slash + 1)),
  ];
}
