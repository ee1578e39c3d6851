/**
 * The acrkit dashboard: connect to a registry, browse it, change lock flags, delete tags, push and pull files.
 * @module
 */
import { AnonymousCredential, BasicCredential, ContainerRegistryClient } from "acrkit/browser";
import { byId, h, mount } from "./dom";
import { showRepositories } from "./repositories";
import { showRepository } from "./repository";
import { announce, attempt, type Session } from "./state";
import { uploadCard, type UploadCard } from "./upload";

/** What the dev server suggests in the connect form (its seeded emulator); absent when served elsewhere. */
interface DashboardConfig {
  registry?: string;
  username?: string;
  password?: string;
}

const form = byId<HTMLFormElement>("connect");
const registryInput = byId<HTMLInputElement>("registry");
const usernameInput = byId<HTMLInputElement>("username");
const passwordInput = byId<HTMLInputElement>("password");
const content = byId("content");
let session: Session | undefined;
let current: string | undefined;
/** One upload card per connection: moving it between views keeps a running upload's progress on screen. */
let upload: UploadCard | undefined;

async function loadConfig(): Promise<DashboardConfig> {
  const response = await fetch("config.json").catch(() => undefined);
  return response?.ok ? ((await response.json()) as DashboardConfig) : {};
}

async function connect(): Promise<void> {
  const registry = registryInput.value.trim();
  const username = usernameInput.value.trim();
  const credential = username ? new BasicCredential(username, passwordInput.value) : new AnonymousCredential();
  const client = await attempt("Connecting", async () => new ContainerRegistryClient(registry, credential));
  if (!client) return;
  session = { client, registry, signedIn: Boolean(username) };
  current = undefined;
  upload = uploadCard(session, undefined, onPushed);
  document.body.classList.add("is-connected");
  byId("connection").textContent =
    `${new URL(registry.includes("://") ? registry : `https://${registry}`).host} · ${username || "anonymous"}`;
  announce(`Connected to ${registry}.`);
  showHome();
  await refreshRepositories();
}

function refreshRepositories(): Promise<void> {
  return session ? showRepositories(session, openRepository, current) : Promise.resolve();
}

function showHome(): void {
  if (!session || !upload) return;
  mount(
    content,
    h(
      "section",
      { class: "card empty hero" },
      h("h2", {}, "Pick a repository"),
      h(
        "p",
        { class: "muted" },
        "Browse its tags and manifests, change their locks, or download a layer. Or push a file below.",
      ),
    ),
    upload.element,
  );
}

function openRepository(name: string): void {
  if (!session || !upload) return;
  if (current !== name) upload.setRepository(name);
  current = name;
  const view = h("div", { class: "repository-view" });
  mount(content, view, upload.element);
  void showRepository(session, view, name, { onChanged: () => void refreshRepositories() });
}

function onPushed(repository: string): void {
  current = repository;
  void refreshRepositories();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void connect();
});

const config = await loadConfig();
registryInput.value = config.registry ?? registryInput.value;
usernameInput.value = config.username ?? "";
passwordInput.value = config.password ?? "";
if (config.registry) await connect();
