// A tab's way to the server. Where the browser has SharedWorker, all of Tableside's tabs share one
// Socket.IO connection held by shared-socket/worker.js, and each tab talks to it through a SharedLink,
// which behaves like the client library's socket as far as the page uses it (on, onAny, emit,
// timeout().emitWithAck, connect, disconnect). Elsewhere each tab opens its own connection, as before.

import { io } from "../../vendor/socket.io.esm.min.js";
import { socketOptions } from "../socket-options.js";

/**
 * The tab's socket: the shared connection's link, or a connection of its own. The connection is shared by
 * the tabs of one person: a tab left open by someone who signed out never takes part in the next
 * person's connection (the browser's cookie is theirs now); it stays signed out, as its own would.
 */
export function openSocket(wasConnected, username) {
  if (typeof SharedWorker !== "function") return io(socketOptions(wasConnected));
  try {
    const worker = new SharedWorker(workerUrl(), { type: "module", name: `tableside-connection:${username}` });
    return new SharedLink(worker, () => io(socketOptions(wasConnected)));
  } catch {
    return io(socketOptions(wasConnected)); // a browser that refuses module workers
  }
}

/** The worker script under this release's name (the page's import map knows it), so that tabs of one release share one. */
function workerUrl() {
  try {
    return import.meta.resolve("./worker.js");
  } catch {
    return new URL("./worker.js", import.meta.url).href;
  }
}

const tabId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export class SharedLink {
  /** ownSocket(): this tab's own connection, opened instead if the worker cannot start (e.g. offline, not kept). */
  constructor(worker, ownSocket) {
    this.id = tabId();
    this.shared = true;
    this.live = false;
    this.trying = true;
    this.attached = false;
    this.handlers = new Map();
    this.anyHandlers = [];
    this.waiting = new Map();
    this.nextAsk = 1;
    this.own = null;
    worker.addEventListener("error", () => this.standAlone(ownSocket()));
    // The browser says this device went offline: the tab lets go at once, as its own connection would drop
    // (the worker's connection, shared with other tabs, may not be told, as under a browser's offline emulation).
    window.addEventListener("offline", () => this.disconnect("transport close"));
    this.port = worker.port;
    this.port.onmessage = ({ data }) => this.receive(data);
    this.port.start();
    // A lock held for the tab's life: its release tells the worker the tab is gone, even after a crash.
    // The tab says hello once it holds it, so the worker's own request for it waits for the tab's end.
    this.holding = !navigator.locks;
    if (this.holding) this.connect();
    else {
      navigator.locks.request(`tableside-tab-${this.id}`, () => {
        this.holding = true;
        this.connect();
        return new Promise(() => {});
      });
    }
  }

  get connected() {
    return this.own ? this.own.connected : this.live;
  }

  get active() {
    return this.own ? this.own.active : this.trying;
  }

  /** The worker failed: this tab goes on with a connection of its own, with the handlers the page gave. */
  standAlone(socket) {
    if (this.own) return;
    this.attached = false;
    this.lost("transport error");
    this.own = socket;
    for (const [name, handlers] of this.handlers) for (const handler of handlers) socket.on(name, handler);
    for (const handler of this.anyHandlers) socket.onAny(handler);
    this.shared = false;
    this.io = socket.io;
  }

  on(name, handler) {
    if (this.own) return this.own.on(name, handler);
    if (!this.handlers.has(name)) this.handlers.set(name, []);
    this.handlers.get(name).push(handler);
    return this;
  }

  onAny(handler) {
    if (this.own) return this.own.onAny(handler);
    this.anyHandlers.push(handler);
    return this;
  }

  /**
   * Take part again (after disconnect), or ask the shared connection to connect if it is not trying. While this
   * tab's browser says it is offline the tab waits for `online` (the page then retries).
   */
  connect() {
    if (this.own) return this.own.connect();
    if (!this.holding || !navigator.onLine) return this; // says hello once it holds its lock, and online
    if (!this.attached) {
      this.attached = true;
      this.trying = true;
      this.port.postMessage({ type: "hello", tab: this.id });
    } else this.port.postMessage({ type: "connect" });
    return this;
  }

  /** This tab stops taking part: its rooms are left (the connection stays for the other tabs). */
  disconnect(reason = "io client disconnect") {
    if (this.own) return this.own.disconnect();
    if (!this.attached) return this;
    this.attached = false;
    this.trying = false;
    this.port.postMessage({ type: "bye" });
    this.lost(reason);
    return this;
  }

  /** Skip the backoff's wait: the shared connection tries at once. */
  retryNow() {
    if (this.own) {
      this.own.disconnect();
      this.own.connect();
      return;
    }
    if (!this.attached) this.connect();
    this.port.postMessage({ type: "retry" });
  }

  emit(event, payload) {
    if (this.own) return this.own.emit(event, payload);
    if (this.live) this.port.postMessage({ type: "emit", event, payload });
    return this;
  }

  timeout(ms) {
    if (this.own) return this.own.timeout(ms);
    return { emitWithAck: (event, payload) => this.ask(event, payload, ms) };
  }

  ask(event, payload, ms) {
    if (!this.live) return Promise.reject(new Error("not connected"));
    const id = this.nextAsk++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.settle(id, { error: "operation has timed out" }), ms);
      this.waiting.set(id, { resolve, reject, timer });
      this.port.postMessage({ type: "ask", id, event, payload });
    });
  }

  settle(id, { answer, error }) {
    const asked = this.waiting.get(id);
    if (!asked) return;
    this.waiting.delete(id);
    clearTimeout(asked.timer);
    if (error !== undefined) asked.reject(new Error(error));
    else asked.resolve(answer);
  }

  receive(message) {
    if (!this.attached) return;
    this.trying = message.active;
    if (message.type === "answer") this.settle(message.id, message);
    else if (message.type === "event") this.fire(message.name, [message.payload], true);
    else if (message.type === "connect" && !this.live) {
      this.live = true;
      this.fire("connect", []);
    } else if (message.type === "disconnect") this.lost(message.reason);
    else if (message.type === "connect_error") this.fire("connect_error", [new Error(message.message)]);
  }

  lost(reason) {
    for (const id of [...this.waiting.keys()]) this.settle(id, { error: "disconnected" });
    if (!this.live) return;
    this.live = false;
    this.fire("disconnect", [reason]);
  }

  fire(name, args, any = false) {
    for (const handler of this.handlers.get(name) ?? []) handler(...args);
    if (any) for (const handler of this.anyHandlers) handler(name, ...args);
  }
}
