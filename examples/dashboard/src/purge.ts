/**
 * The clean-up card of a repository: `purge` as a dry-run preview, then, once confirmed, the same purge for real.
 * @module
 */
import { purge, type PurgedManifest, type PurgeOptions, type PurgeResult } from "acrkit/browser";
import { field, h, mount } from "./dom";
import { describeError, shortDigest } from "./format";
import { announce, type Session } from "./state";

const DAY = 86_400_000;

/** Builds the card; `onPurged` runs after manifests were deleted. */
export function purgeCard(session: Session, repository: string, onPurged: () => void): HTMLElement {
  const keep = h("input", { type: "number", id: "purge-keep", min: 0, step: 1, value: 3, required: true });
  const days = h("input", { type: "number", id: "purge-days", min: 0, step: "any", value: 0, required: true });
  const untagged = h("input", { type: "checkbox", id: "purge-untagged" });
  const preview = h("div", { class: "purge-preview", "aria-live": "polite" });
  const previewButton = h("button", { class: "button", type: "submit" }, "Preview clean-up");

  const optionsFromForm = (): PurgeOptions => ({
    repositories: [repository],
    keep: Number(keep.value),
    olderThan: Number(days.value) * DAY,
    untagged: untagged.checked,
  });

  const showPreview = (options: PurgeOptions, result: PurgeResult) => {
    if (result.deleted.length === 0) {
      mount(
        preview,
        h(
          "p",
          { class: "muted" },
          `Nothing to delete${result.skippedLocked.length > 0 ? `; ${result.skippedLocked.length} locked manifest(s) would be kept` : ""}.`,
        ),
      );
      return;
    }
    const count = result.deleted.length;
    const confirmButton = h(
      "button",
      {
        class: "button danger",
        type: "button",
        onclick: async () => {
          if (!confirm(`Delete ${count} manifest(s) of ${repository} with their tags?`)) return;
          confirmButton.disabled = true;
          try {
            const done = await purge(session.client, options);
            announce(
              `Purged ${done.deleted.length} manifest(s) of ${repository}; ${done.skippedLocked.length} locked one(s) kept.`,
              "success",
            );
            onPurged();
          } catch (error) {
            announce(`Purge failed: ${describeError(error)}`, "error");
            confirmButton.disabled = false;
          }
        },
      },
      `Delete ${count} manifest(s)`,
    );
    mount(
      preview,
      h(
        "p",
        {},
        `The clean-up would delete ${count} manifest(s) and keep ${result.kept.length}${result.skippedLocked.length > 0 ? ` and ${result.skippedLocked.length} locked` : ""}:`,
      ),
      h(
        "ul",
        { class: "purge-list" },
        ...result.deleted.map((manifest) => item(manifest, "delete")),
        ...result.skippedLocked.map((manifest) => item(manifest, "locked")),
      ),
      confirmButton,
    );
  };

  const form = h(
    "form",
    {
      class: "upload-form",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        previewButton.disabled = true;
        const options = optionsFromForm();
        try {
          showPreview(options, await purge(session.client, { ...options, dryRun: true }));
        } catch (error) {
          mount(preview);
          announce(`Preview failed: ${describeError(error)}`, "error");
        } finally {
          previewButton.disabled = false;
        }
      },
    },
    field("Keep the newest", keep),
    field("Older than (days)", days),
    field("Untagged only", untagged),
    h("div", { class: "field field-submit" }, previewButton),
  );
  return h(
    "section",
    { class: "card", "aria-labelledby": "purge-title" },
    h("h3", { id: "purge-title" }, "Clean up"),
    form,
    preview,
  );
}

function item(manifest: PurgedManifest, fate: "delete" | "locked"): HTMLElement {
  return h(
    "li",
    { "data-purge": fate, "data-digest": manifest.digest },
    h("span", { class: "mono", title: manifest.digest }, shortDigest(manifest.digest)),
    h("span", {}, manifest.tags.length > 0 ? manifest.tags.join(", ") : "untagged"),
    h(
      "span",
      { class: fate === "locked" ? "chip chip-off" : "muted" },
      fate === "locked" ? "locked, kept" : "to delete",
    ),
  );
}
