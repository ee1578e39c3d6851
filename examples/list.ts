/**
 * The runnable examples, in the order `npm run examples` runs them; shared by the runner and its test.
 * @module
 */

/** One example: its file in examples/ and what it shows. */
export interface ExampleEntry {
  file: string;
  title: string;
}

/**
 * The seed's samples in its order (upload before download, deletes last, as against a real registry they build on
 * each other), then the Node-only ones and the demo. examples/dashboard and examples/cors-proxy are apps, not scripts.
 */
export const EXAMPLES: readonly ExampleEntry[] = [
  { file: "list-repositories.ts", title: "List repositories" },
  { file: "list-tags-anonymous.ts", title: "List tags with anonymous access" },
  { file: "set-artifact-properties.ts", title: "Set artifact properties" },
  { file: "upload-image.ts", title: "Upload an image" },
  { file: "download-image.ts", title: "Download an image" },
  { file: "upload-file-with-progress.ts", title: "Upload a file with a progress bar (Node)" },
  { file: "download-layer-to-file.ts", title: "Download a layer to a file (Node)" },
  { file: "list-repositories-az-login.ts", title: "Sign in as the az login user (Node)" },
  { file: "docker-config-login.ts", title: "Use what docker login or az acr login stored (Node)" },
  { file: "delete-blobs.ts", title: "Delete blobs" },
  { file: "delete-manifest.ts", title: "Delete a manifest" },
  { file: "delete-images.ts", title: "Delete images (keep the three most recent)" },
  { file: "push-pull-artifact.ts", title: "Push and pull an OCI artifact of several files (Node)" },
  { file: "purge.ts", title: "Purge old images: a dry-run preview, then the clean-up" },
  { file: "demo.ts", title: "The npm start demo" },
];
