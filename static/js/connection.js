// The Socket.IO connection: handshake with the session cookie, rooms, backoff and the indicator.

import { EVENTS, MESSAGES } from "./facts.js";
import { hideNotice, showNotice } from "./notices.js";
import { openSocket } from "./shared-socket/link.js";
import { ACK_TIMEOUT_MS } from "./socket-options.js";

/** Status changes of one room within the batch window, sent as one message (not a logged event). */
export const BATCH_UPDATE = "tables:batch_update";
const LIVE_EVENTS = new Set([...Object.values(EVENTS), BATCH_UPDATE]);
const TEXTS = { live: "Live", reconnecting: "Reconnecting...", disconnected: "Disconnected" };

export class LiveConnection extends EventTarget {
  /** rooms(): the floors to join, null meaning all_tables; username: the person the page is for. */
  constructor({ rooms, offlineAfterSeconds, username }) {
    super();
    this.rooms = rooms;
    this.offlineAfterMs = offlineAfterSeconds * 1000;
    this.everConnected = false;
    this.state = "connecting";
    this.offlineTimer = null;
    this.indicator = document.getElementById("connection-status");
    // The browser's one shared connection where it can (shared-socket/), else this tab's own.
    this.socket = openSocket(() => this.everConnected, username);
    this.listen();
    this.startOfflineTimer();
    window.addEventListener("pagehide", () => this.socket.disconnect());
    // Coming back: try at once when the device is online again or the screen is looked at again,
    // and when the person asks; otherwise the backoff (socket-options.js).
    this.retryButton = document.querySelector("[data-retry]");
    this.retryButton?.addEventListener("click", () => this.retryNow());
    window.addEventListener("online", () => this.retryNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.retryNow();
    });
  }

  /** Skip the backoff's wait and try to connect now (nothing to do while connected or signed out). */
  retryNow() {
    if (this.socket.connected || this.sessionEnded) return;
    if (this.socket.shared) return this.socket.retryNow();
    // Dropping the waiting manager and opening again starts an attempt at once; if it fails,
    // the library's backoff starts over from 1 s.
    this.socket.disconnect();
    this.socket.connect();
  }

  get connected() {
    return this.socket.connected;
  }

  listen() {
    const socket = this.socket;
    socket.on("connect", () => this.onConnect());
    socket.on("disconnect", (reason) => this.onDisconnect(reason));
    socket.on("connect_error", (error) => this.onConnectError(error));
    socket.on("tables:error", (error) => this.emitLocal("server-error", error));
    socket.on("tables:head", (head) => this.emitLocal("head", head));
    socket.onAny((name, payload) => {
      if (LIVE_EVENTS.has(name)) this.emitLocal("table-event", { name, payload });
    });
  }

  emitLocal(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  async onConnect() {
    const reconnect = this.everConnected;
    this.everConnected = true;
    clearTimeout(this.offlineTimer);
    this.setState("live");
    hideNotice("connection-lost");
    hideNotice("offline");
    if (reconnect) showNotice("connection-restored", "Connection restored", { kind: "success", timeout: 4000 });
    // The page joins the rooms (joinRooms) inside its sync, so that events arriving between a
    // join and the sync are held: the sync must start from the last event applied before.
    this.emitLocal("ready", { reconnect });
  }

  async joinRooms() {
    try {
      await this.joinAll(this.rooms());
    } catch (error) {
      showNotice("join-failed", `Could not follow live updates: ${error.message}`, { kind: "error", timeout: 8000 });
    }
  }

  onDisconnect(reason) {
    this.setState("reconnecting");
    hideNotice("connection-restored");
    // Information leaves by itself; the top bar keeps showing the state, with Retry now.
    showNotice("connection-lost", "Connection lost. Reconnecting...", { kind: "warning", timeout: 8000 });
    this.startOfflineTimer();
    this.emitLocal("lost", { reason });
    // A disconnect the server chose is not retried by the client library; retry it here.
    if (reason === "io server disconnect" && !this.sessionEnded) setTimeout(() => this.socket.connect(), 1000);
  }

  onConnectError(error) {
    if (error?.message === "unauthorized") {
      this.sessionEnded = true;
      showNotice("session-ended", MESSAGES.sessionEnded, {
        kind: "error",
        actions: [{ label: "Sign in", primary: true, onClick: () => window.location.reload() }],
      });
      return;
    }
    if (this.state === "connecting") this.setState("reconnecting");
    // A refusal by the server (a full process, too many tabs) is not retried by the client
    // library; try again a little later, when another process or a free slot may take it.
    if (!this.socket.active) setTimeout(() => this.socket.connect(), 2000 + Math.random() * 3000);
  }

  startOfflineTimer() {
    clearTimeout(this.offlineTimer);
    this.offlineTimer = setTimeout(() => this.workOffline(), this.offlineAfterMs);
  }

  /** Disconnected, with the offline notice: after a while without a connection, or at once on a kept page. */
  workOffline() {
    if (this.socket.connected) return;
    this.setState("disconnected");
    hideNotice("connection-lost");
    showNotice("offline", "You are working offline. Changes will sync when connection is restored.", {
      kind: "offline",
      timeout: 10000,
    });
  }

  setState(state) {
    this.state = state;
    if (this.indicator && state in TEXTS) {
      this.indicator.dataset.state = state;
      this.indicator.querySelector(".connection__text").textContent = TEXTS[state];
    }
    document.body.classList.toggle("is-offline", state !== "live");
    if (this.retryButton) this.retryButton.hidden = state === "live";
    this.emitLocal("state", { state });
  }

  /** Emit with an acknowledgement; rejects on timeout or a refusal. */
  async ask(event, payload) {
    const answer = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
    if (!answer || answer.ok !== true) throw new Error(answer?.message || `${event} was refused`);
    return answer;
  }

  async joinAll(floors) {
    for (const floor of floors) await this.ask("tables:join", { floor });
  }

  async leaveAll(floors) {
    for (const floor of floors) await this.ask("tables:leave", { floor });
  }
}
