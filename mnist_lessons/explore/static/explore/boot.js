/*
 * Start the page's explorables. Loaded (as a module, so after the page is parsed) only on
 * pages with one; each explorable's script and data are fetched when the reader scrolls near
 * it or touches it, never before the page's first render.
 */

import { mountExplorable } from "./lib/ui.js";

const BASE = new URL("./", import.meta.url);

function start(root) {
  if (root.dataset.state) return;
  root.dataset.state = "loading";
  mountExplorable(root, BASE).catch((error) => {
    root.dataset.state = "error";
    const message = document.createElement("p");
    message.className = "explorable-status";
    message.setAttribute("role", "alert");
    message.textContent =
      `This interactive figure could not start (${error.message}). Reload the page; the ` +
      "figure above shows its first view.";
    root.append(message);
    console.error(`explorable ${root.dataset.explorable}:`, error);
  });
}

const roots = document.querySelectorAll("div.explorable[data-explorable]");
if ("IntersectionObserver" in window) {
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          start(entry.target);
        }
      }
    },
    { rootMargin: "600px 0px" },
  );
  for (const root of roots) {
    observer.observe(root);
    for (const type of ["pointerenter", "focusin", "touchstart"]) {
      root.addEventListener(type, () => start(root), { once: true, passive: true });
    }
  }
} else {
  roots.forEach(start);
}
