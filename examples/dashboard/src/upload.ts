/**
 * The upload card: pushes a file as an OCI artifact with `pushArtifact` (one layer, the empty config, `artifactType`).
 * @module
 */
import { isRepositoryName, isTag, pushArtifact } from "acrkit/browser";
import { field, h } from "./dom";
import { describeError, formatBytes, shortDigest } from "./format";
import { progressBar } from "./progress";
import { announce, type Session } from "./state";

const DEFAULT_ARTIFACT_TYPE = "application/vnd.acrkit.dashboard.file";

/** The upload card, and a way to point it at the repository being viewed. */
export interface UploadCard {
  element: HTMLElement;
  setRepository(name: string): void;
}

/** Builds the upload card; `onPushed` gets the repository after a successful push. */
export function uploadCard(
  session: Session,
  repository: string | undefined,
  onPushed: (repository: string) => void,
): UploadCard {
  const file = h("input", { type: "file", id: "upload-file", required: true });
  const repositoryInput = h("input", {
    type: "text",
    id: "upload-repository",
    value: repository ?? "uploads/files",
    required: true,
    spellcheck: false,
  });
  const tagInput = h("input", { type: "text", id: "upload-tag", value: "latest", required: true, spellcheck: false });
  const slot = h("div", { class: "upload-progress" });
  const submit = h("button", { class: "button primary", type: "submit" }, "Upload");

  const form = h(
    "form",
    {
      class: "upload-form",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const chosen = file.files?.[0];
        const name = repositoryInput.value.trim();
        const tag = tagInput.value.trim();
        if (!chosen) return announce("Choose a file to upload.", "error");
        if (!isRepositoryName(name))
          return announce(`"${name}" is not a valid repository name (lowercase, e.g. team/app).`, "error");
        if (!isTag(tag)) return announce(`"${tag}" is not a valid tag.`, "error");
        submit.disabled = true;
        const bar = progressBar(`Uploading ${chosen.name}`);
        slot.replaceChildren(bar.element);
        try {
          const digest = await pushFile(session, name, tag, chosen, (loaded, total) => bar.update(loaded, total));
          bar.finish(`pushed ${name}:${tag}`);
          announce(
            `Pushed ${chosen.name} (${formatBytes(chosen.size)}) as ${name}:${tag} (${shortDigest(digest)}).`,
            "success",
          );
          onPushed(name);
        } catch (error) {
          bar.fail(describeError(error));
          announce(`Upload failed: ${describeError(error)}`, "error");
        } finally {
          submit.disabled = false;
        }
      },
    },
    field("File", file),
    field("Repository", repositoryInput),
    field("Tag", tagInput),
    h("div", { class: "field field-submit" }, submit),
  );
  return {
    element: h(
      "section",
      { class: "card", "aria-labelledby": "upload-title" },
      h("h3", { id: "upload-title" }, "Upload a file as an OCI artifact"),
      form,
      slot,
    ),
    setRepository(name) {
      repositoryInput.value = name;
    },
  };
}

/** Pushes the file as a one-file artifact (its type from the browser, its name as the title); returns the digest. */
async function pushFile(
  session: Session,
  repository: string,
  tag: string,
  file: File,
  onProgress: (loaded: number, total?: number) => void,
): Promise<string> {
  const pushed = await pushArtifact(
    session.client,
    repository,
    {
      artifactType: DEFAULT_ARTIFACT_TYPE,
      files: [{ name: file.name, data: file }],
      annotations: { "org.opencontainers.image.created": new Date().toISOString() },
      tag,
    },
    { onProgress: ({ loaded, total }) => onProgress(loaded, total) },
  );
  return pushed.digest;
}
