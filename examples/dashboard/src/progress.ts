/**
 * A labelled progress bar for uploads and downloads.
 * @module
 */
import { formatBytes } from "./format";
import { h } from "./dom";

/** A progress bar element and the ways to move it. */
export interface ProgressBar {
  element: HTMLElement;
  update(loaded: number, total: number | undefined): void;
  finish(message: string): void;
  fail(message: string): void;
}

/** Creates a progress bar at 0 %, described by `label` for assistive technology. */
export function progressBar(label: string): ProgressBar {
  const fill = h("div", { class: "progress-fill" });
  const text = h("span", { class: "progress-text" }, "0 %");
  const detail = h("span", { class: "progress-detail" }, "starting…");
  const track = h(
    "div",
    {
      class: "progress-track",
      role: "progressbar",
      "aria-label": label,
      "aria-valuemin": 0,
      "aria-valuemax": 100,
      "aria-valuenow": 0,
    },
    fill,
  );
  const element = h("div", { class: "progress" }, track, h("div", { class: "progress-labels" }, text, detail));
  return {
    element,
    update(loaded, total) {
      const percent = total ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
      fill.style.width = `${percent}%`;
      track.setAttribute("aria-valuenow", String(percent));
      text.textContent = `${percent} %`;
      detail.textContent = total ? `${formatBytes(loaded)} of ${formatBytes(total)}` : formatBytes(loaded);
    },
    finish(message) {
      element.classList.add("is-done");
      detail.textContent = message;
    },
    fail(message) {
      element.classList.add("is-failed");
      detail.textContent = message;
    },
  };
}
