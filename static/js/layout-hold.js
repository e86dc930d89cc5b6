// The layout editor holds its floor while it is open: one manager at a time (issue 28). Another
// manager's editor says who has it and offers to take over; the editor that lost it says so and
// cannot save. The hold is renewed while the page is open and given back when it closes.

import { newKey, request } from "./api.js";

export class LayoutHold {
  /** onChange(held): Save may be offered only while held. */
  constructor({ floor, banner, onChange }) {
    this.floor = floor;
    this.editor = newKey();
    this.banner = banner;
    this.onChange = onChange;
    this.held = false;
    this.timer = null;
    this.banner.querySelector("[data-take-over]").addEventListener("click", () => this.takeOver());
    window.addEventListener("pagehide", () => this.putDown());
  }

  get url() {
    return `/api/floors/${this.floor}/layout/hold`;
  }

  async take({ takeover = false } = {}) {
    let response;
    try {
      const renewal = this.everHeld && !takeover;
      response = await request("POST", this.url, { body: { editor: this.editor, takeover, renewal } });
    } catch {
      return this.later(3); // offline: the save says so itself; keep trying
    }
    if (response.ok) {
      this.show(null);
      this.settle(true);
      return this.later(response.data.seconds / 3);
    }
    if (response.status === 409) {
      const wasHeld = this.held;
      this.settle(false);
      const who = response.data.heldBy.username;
      this.banner.dataset.heldBy = who;
      this.show(wasHeld ? `${who} took over the layout editor. Your unsaved changes cannot be saved here.` : response.data.message);
    }
    return this.later(5);
  }

  async takeOver() {
    const who = this.banner.dataset.heldBy || "the other editor";
    if (!window.confirm(`Take over the layout editor? ${who} will no longer be able to save their changes.`)) return;
    clearTimeout(this.timer);
    await this.take({ takeover: true });
  }

  later(seconds) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.take(), Math.max(seconds, 1) * 1000);
  }

  settle(held) {
    this.held = held;
    this.everHeld ||= held;
    this.onChange(held);
  }

  show(text) {
    this.banner.hidden = !text;
    this.banner.querySelector("[data-hold-message]").textContent = text ?? "";
  }

  /** Give the floor back (the page closes); resolves when the server has it. */
  putDown() {
    clearTimeout(this.timer);
    if (!this.held) return Promise.resolve();
    this.settle(false);
    const token = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
    return fetch(`${this.url}/${this.editor}`, {
      method: "DELETE",
      keepalive: true,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
    }).catch(() => {});
  }
}
