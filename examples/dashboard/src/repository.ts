/**
 * The repository view: its properties, its tags and manifests with their lock flags, and their layers.
 * @module
 */
import {
  saveBlob,
  UnsupportedOperationError,
  type ArtifactManifestProperties,
  type ArtifactTagProperties,
  type RepositoryProperties,
} from "acrkit/browser";
import { h, mount, type Child } from "./dom";
import { describeError, formatBytes, formatDate, shortDigest, shortMediaType } from "./format";
import { progressBar } from "./progress";
import { purgeCard } from "./purge";
import { announce, attempt, type Session } from "./state";

/** The flags the dashboard lets you toggle; the other two (list, read) are shown only. */
type LockFlag = "canWrite" | "canDelete";

/** What the view needs from the rest of the app. */
export interface RepositoryViewHooks {
  /** Called after a change that may alter the repository list (a deleted last tag). */
  onChanged(): void;
}

/** A repository as the registry describes it: with ACR's metadata, or only the OCI tag list. */
type LoadedRepository =
  | {
      kind: "acr";
      properties: RepositoryProperties;
      tags: ArtifactTagProperties[];
      manifests: ArtifactManifestProperties[];
    }
  | { kind: "oci"; tags: ArtifactTagProperties[] };

/** Shows a repository in `container`. */
export async function showRepository(
  session: Session,
  container: HTMLElement,
  name: string,
  hooks: RepositoryViewHooks,
): Promise<void> {
  mount(container, h("div", { class: "card loading" }, `Loading ${name}…`));
  const loaded = await attempt(`Opening ${name}`, () => loadRepository(session, name));
  if (!loaded) {
    mount(container, h("div", { class: "card empty" }, `Could not open ${name}.`));
    return;
  }
  const refresh = () => void showRepository(session, container, name, hooks);
  const onTagDeleted = () => {
    refresh();
    hooks.onChanged();
  };
  const tagsCard = h(
    "section",
    { class: "card", "aria-labelledby": "tags-title" },
    h("h3", { id: "tags-title" }, "Tags ", h("span", { class: "count" }, loaded.tags.length)),
    tagTable(session, name, loaded.tags, onTagDeleted),
  );
  if (loaded.kind === "oci") {
    mount(
      container,
      ociSummaryCard(name, session),
      tagsCard,
      h(
        "section",
        { class: "card", "aria-labelledby": "manifests-title" },
        h(
          "h3",
          { id: "manifests-title" },
          "Manifests ",
          h("span", { class: "count" }, new Set(loaded.tags.map((tag) => tag.digest)).size),
        ),
        ociManifestTable(session, name, loaded.tags),
      ),
    );
    return;
  }
  mount(
    container,
    summaryCard(loaded.properties),
    tagsCard,
    h(
      "section",
      { class: "card", "aria-labelledby": "manifests-title" },
      h("h3", { id: "manifests-title" }, "Manifests ", h("span", { class: "count" }, loaded.manifests.length)),
      manifestTable(session, name, loaded.manifests),
    ),
    purgeCard(session, name, onTagDeleted),
  );
}

/**
 * Reads the repository: ACR's properties, tags and manifests; on a registry without ACR's API (docker-registry,
 * Harbor, Zot) the OCI tag list, with each tag's digest.
 */
async function loadRepository(session: Session, name: string): Promise<LoadedRepository> {
  try {
    const properties = await session.client.getRepositoryProperties(name);
    const [tags, manifests] = await Promise.all([
      collect(session.client.listTagProperties(name, { orderBy: "timedesc" })),
      collect(session.client.listManifestProperties(name, { orderBy: "timedesc" })),
    ]);
    return { kind: "acr", properties, tags, manifests };
  } catch (error) {
    if (!(error instanceof UnsupportedOperationError)) throw error;
    return { kind: "oci", tags: await collect(session.client.listTagProperties(name, { includeDigests: true })) };
  }
}

async function collect<T>(items: AsyncIterable<T>, limit = 500): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) {
    result.push(item);
    if (result.length >= limit) break;
  }
  return result;
}

function summaryCard(properties: RepositoryProperties): HTMLElement {
  const stat = (label: string, value: Child) =>
    h("div", { class: "stat" }, h("span", { class: "stat-label" }, label), h("span", { class: "stat-value" }, value));
  return h(
    "section",
    { class: "card summary", "aria-label": "Repository" },
    h(
      "div",
      { class: "summary-head" },
      h("h2", { id: "repository-title" }, properties.name),
      h("span", { class: "login-server" }, properties.registryLoginServer),
    ),
    h(
      "div",
      { class: "stats" },
      stat("Manifests", properties.manifestCount),
      stat("Tags", properties.tagCount),
      stat("Created", formatDate(properties.createdOn)),
      stat("Updated", formatDate(properties.lastUpdatedOn)),
    ),
    h(
      "div",
      { class: "flags" },
      ...(["canRead", "canList", "canWrite", "canDelete"] as const).map((flag) => flagChip(flag, properties[flag])),
    ),
  );
}

/** The summary of a repository on a registry without ACR's metadata API: its name, and what the registry cannot tell. */
function ociSummaryCard(name: string, session: Session): HTMLElement {
  const host = new URL(session.registry.includes("://") ? session.registry : `https://${session.registry}`).host;
  return h(
    "section",
    { class: "card summary", "aria-label": "Repository" },
    h(
      "div",
      { class: "summary-head" },
      h("h2", { id: "repository-title" }, name),
      h("span", { class: "login-server" }, host),
    ),
    h(
      "p",
      { class: "muted", id: "oci-note" },
      "An OCI registry without ACR's metadata API: no timestamps, sizes or locks; tags are listed by name.",
    ),
  );
}

function flagChip(flag: string, on: boolean): HTMLElement {
  const label = flag.replace(/^can/, "").toLowerCase();
  return h(
    "span",
    { class: `chip ${on ? "chip-on" : "chip-off"}`, title: `${flag}: ${on}` },
    on ? `${label} ✓` : `${label} locked`,
  );
}

function tagTable(
  session: Session,
  repository: string,
  tags: ArtifactTagProperties[],
  onDeleted: () => void,
): HTMLElement {
  if (tags.length === 0) return h("p", { class: "muted" }, "No tags.");
  const rows = tags.map((tag) => {
    const remove = h(
      "button",
      {
        class: "button danger small",
        type: "button",
        "aria-label": `Delete tag ${tag.name}`,
        disabled: tag.canDelete === false,
        onclick: async () => {
          if (!confirm(`Delete the tag ${repository}:${tag.name}? The manifest stays.`)) return;
          remove.disabled = true;
          try {
            await session.client.deleteTag(repository, tag.name);
          } catch (error) {
            announce(`Deleting ${tag.name} failed: ${describeError(error)}`, "error");
            remove.disabled = false;
            return;
          }
          announce(`Deleted tag ${repository}:${tag.name}.`, "success");
          onDeleted();
        },
      },
      "Delete",
    );
    // A registry without ACR's API keeps no locks: the flags are undefined and there is nothing to switch.
    const toggle = (flag: LockFlag) => {
      const initial = tag[flag];
      return initial === undefined
        ? h("span", { class: "muted" }, "–")
        : lockSwitch(`${flag === "canWrite" ? "Can write" : "Can delete"} ${tag.name}`, initial, async (value) => {
            const updated = await session.client.updateTagProperties(repository, tag.name, { [flag]: value });
            if (flag === "canDelete") remove.disabled = !updated.canDelete;
            return updated[flag] ?? value;
          });
    };
    return h(
      "tr",
      { "data-tag": tag.name },
      h("td", {}, h("span", { class: "tag" }, tag.name)),
      h("td", { class: "mono", title: tag.digest ?? "" }, tag.digest ? shortDigest(tag.digest) : "–"),
      dateCell(tag.lastUpdatedOn),
      h("td", { class: "center" }, toggle("canWrite")),
      h("td", { class: "center" }, toggle("canDelete")),
      h("td", { class: "right" }, remove),
    );
  });
  return table(["Tag", "Digest", "Updated", "Can write", "Can delete", ""], rows);
}

function manifestTable(session: Session, repository: string, manifests: ArtifactManifestProperties[]): HTMLElement {
  if (manifests.length === 0) return h("p", { class: "muted" }, "No manifests.");
  const rows = manifests.flatMap((manifest) => {
    const [expand, details] = layersToggle(session, repository, manifest.digest, 9);
    const toggle = (flag: LockFlag) =>
      lockSwitch(
        `${flag === "canWrite" ? "Can write" : "Can delete"} ${shortDigest(manifest.digest)}`,
        manifest[flag],
        async (value) => {
          const updated = await session.client.updateManifestProperties(repository, manifest.digest, { [flag]: value });
          return updated[flag];
        },
      );
    const platform = manifest.architecture
      ? `${manifest.operatingSystem ?? "?"}/${manifest.architecture}`
      : manifest.relatedArtifacts.length > 0
        ? `${manifest.relatedArtifacts.length} platforms`
        : "–";
    const row = h(
      "tr",
      { "data-digest": manifest.digest },
      h("td", { class: "mono", title: manifest.digest }, shortDigest(manifest.digest)),
      h(
        "td",
        { class: "tags" },
        ...(manifest.tags.length > 0
          ? manifest.tags.map((tag) => h("span", { class: "tag" }, tag))
          : [h("span", { class: "muted" }, "untagged")]),
      ),
      h("td", {}, platform),
      h("td", { class: "right" }, formatBytes(manifest.sizeInBytes)),
      h("td", { title: manifest.mediaType ?? "" }, shortMediaType(manifest.mediaType)),
      dateCell(manifest.createdOn),
      h("td", { class: "center" }, toggle("canWrite")),
      h("td", { class: "center" }, toggle("canDelete")),
      h("td", { class: "right" }, expand),
    );
    return [row, details];
  });
  return table(["Digest", "Tags", "Platform", "Size", "Type", "Created", "Can write", "Can delete", ""], rows);
}

/** The manifests of an OCI registry, as far as its tags tell: one row per digest, with its tags and layers. */
function ociManifestTable(session: Session, repository: string, tags: ArtifactTagProperties[]): HTMLElement {
  const byDigest = new Map<string, string[]>();
  for (const tag of tags) if (tag.digest) byDigest.set(tag.digest, [...(byDigest.get(tag.digest) ?? []), tag.name]);
  if (byDigest.size === 0) return h("p", { class: "muted" }, "No tagged manifests.");
  const rows = [...byDigest].flatMap(([digest, names]) => {
    const [expand, details] = layersToggle(session, repository, digest, 3);
    const row = h(
      "tr",
      { "data-digest": digest },
      h("td", { class: "mono", title: digest }, shortDigest(digest)),
      h("td", { class: "tags" }, ...names.map((name) => h("span", { class: "tag" }, name))),
      h("td", { class: "right" }, expand),
    );
    return [row, details];
  });
  return table(["Digest", "Tags", ""], rows);
}

/** A "Layers" button and the hidden row it opens with the manifest's config and layers. */
function layersToggle(
  session: Session,
  repository: string,
  digest: string,
  columns: number,
): [HTMLButtonElement, HTMLElement] {
  const details = h("tr", { class: "details", hidden: true }, h("td", { colspan: columns }));
  const expand = h(
    "button",
    {
      class: "button small ghost",
      type: "button",
      "aria-expanded": "false",
      onclick: async () => {
        const open = details.hidden;
        details.hidden = !open;
        expand.setAttribute("aria-expanded", String(open));
        expand.textContent = open ? "Hide" : "Layers";
        if (open) await showLayers(session, repository, digest, details.firstElementChild as HTMLElement);
      },
    },
    "Layers",
  );
  return [expand, details];
}

/** A switch whose change is applied by `apply`, which returns the value the registry now holds. */
function lockSwitch(label: string, initial: boolean, apply: (value: boolean) => Promise<boolean>): HTMLElement {
  const input = h("input", { type: "checkbox", role: "switch", "aria-label": label, checked: initial });
  input.addEventListener("change", async () => {
    const wanted = input.checked;
    input.disabled = true;
    const actual = await attempt(label, () => apply(wanted));
    input.checked = actual ?? !wanted;
    input.disabled = false;
    if (actual !== undefined) announce(`${label}: ${actual ? "on" : "off"}.`, "success");
  });
  return h("label", { class: "switch" }, input, h("span", { class: "slider", "aria-hidden": "true" }));
}

/** A compact date in a table cell, the full one on hover. */
function dateCell(date: Date | undefined): HTMLElement {
  return h("td", { title: formatDate(date) }, formatDate(date, "short"));
}

function table(headings: string[], rows: HTMLElement[]): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ...headings.map((heading) => h("th", { scope: "col" }, heading)))),
      h("tbody", {}, ...rows),
    ),
  );
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string };
}

async function showLayers(session: Session, repository: string, digest: string, cell: HTMLElement): Promise<void> {
  mount(cell, h("span", { class: "muted" }, "Loading…"));
  const result = await attempt("Reading the manifest", () => session.client.getManifest(repository, digest));
  if (!result) return mount(cell, h("span", { class: "muted" }, "Could not read the manifest."));
  const manifest = result.manifest as { config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
  if (manifest.manifests) {
    return mount(
      cell,
      h(
        "ul",
        { class: "layers" },
        ...manifest.manifests.map((child) =>
          h(
            "li",
            {},
            h("span", { class: "mono" }, shortDigest(child.digest)),
            h("span", {}, `${child.platform?.os ?? "?"}/${child.platform?.architecture ?? "?"}`),
            h("span", { class: "muted" }, formatBytes(child.size)),
          ),
        ),
      ),
    );
  }
  const blobs = [
    ...(manifest.config ? [{ ...manifest.config, role: "config" }] : []),
    ...(manifest.layers ?? []).map((layer) => ({ ...layer, role: "layer" })),
  ];
  mount(cell, h("ul", { class: "layers" }, ...blobs.map((blob) => layerItem(session, repository, blob))));
}

function layerItem(session: Session, repository: string, blob: Descriptor & { role: string }): HTMLElement {
  const title = blob.annotations?.["org.opencontainers.image.title"];
  const slot = h("div", { class: "layer-progress" });
  const button = h(
    "button",
    {
      class: "button small",
      type: "button",
      "aria-label": `Download ${title ?? shortDigest(blob.digest)}`,
      onclick: async () => {
        button.disabled = true;
        const bar = progressBar(`Downloading ${title ?? blob.digest}`);
        mount(slot, bar.element);
        try {
          const download = await session.client.downloadBlob(repository, blob.digest, {
            onProgress: ({ loaded, total }) => bar.update(loaded, total),
          });
          await saveBlob(download, title ?? `${blob.digest.replace(":", "-")}.bin`);
          const size = download.size ?? blob.size ?? 0;
          bar.update(size, size);
          bar.finish("saved, digest verified");
          announce(
            `Downloaded ${title ?? shortDigest(blob.digest)} (${formatBytes(size)}), digest verified.`,
            "success",
          );
        } catch (error) {
          bar.fail(describeError(error));
          announce(`Download failed: ${describeError(error)}`, "error");
        } finally {
          button.disabled = false;
        }
      },
    },
    "Download",
  );
  return h(
    "li",
    {},
    h("span", { class: `role role-${blob.role}` }, blob.role),
    h("span", { class: "mono", title: blob.digest }, shortDigest(blob.digest)),
    title ? h("span", { class: "layer-title" }, title) : h("span", { class: "muted" }, shortMediaType(blob.mediaType)),
    h("span", { class: "muted" }, formatBytes(blob.size)),
    button,
    slot,
  );
}
