// What a person does on a page, done through the page's own DOM so that every engine's driver can ask for it
// (test/browser/support/engines/engine-page.ts). Confirmations are accepted; download links are caught, and their
// bytes hashed, instead of saved.
const e2e = {
  /** Waits for an element matching `selector` (whose text contains `text`, if given), or `gone` for none. */
  async waitFor(selector, { text, gone = false, timeoutMs = 30_000 } = {}) {
    for (const deadline = Date.now() + timeoutMs; ;) {
      const found = [...document.querySelectorAll(selector)].find(
        (element) => text === undefined || element.textContent.includes(text),
      );
      if (gone ? !found : found) return found;
      if (Date.now() > deadline)
        throw new Error(`${gone ? "still there" : "not found"}: ${selector}${text ? ` with "${text}"` : ""}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  },
  async click(selector, options) {
    (await e2e.waitFor(selector, options)).click();
  },
  async fill(selector, value) {
    const input = await e2e.waitFor(selector);
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  },
  /** Chooses a file of `size` bytes (byte i is i * 7 mod 256) in a file input. */
  async chooseFile(selector, name, type, size) {
    const input = await e2e.waitFor(selector);
    const bytes = new Uint8Array(size).map((_, index) => (index * 7) % 256);
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  },
  all(selector, attribute) {
    return [...document.querySelectorAll(selector)].map((element) => element.getAttribute(attribute));
  },
  downloads: [],
  /** The download links clicked so far: their file names and the SHA-256 of their bytes. */
  async downloaded() {
    return Promise.all(e2e.downloads);
  },
};

async function sha256(blob) {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
  return `sha256:${Array.from(hash, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

window.confirm = () => true;
// Chromium's save picker is a native dialog no driver answers: without it saveBlob takes the engine's other paths.
delete window.showSaveFilePicker;
HTMLAnchorElement.prototype.click = function () {
  const { download, href } = this;
  e2e.downloads.push(
    fetch(href).then(async (response) => ({ name: download, digest: await sha256(await response.blob()) })),
  );
};
window.__e2e = e2e;
