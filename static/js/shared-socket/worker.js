// The one Socket.IO connection of all of a browser's Tableside tabs (a SharedWorker; tabs reach it through
// link.js). It joins the union of the rooms the open tabs need, hands each tab the events of its own view
// (routes.js), answers the tabs' syncs after a reconnect with one sync, and disconnects when the last tab
// closes. Presence is per connection at the server: the worker watches each floor once and sends, for a
// floor, the table the most recent of its tabs has in hand.

import { io } from "../../vendor/socket.io.esm.min.js";
import { ACK_TIMEOUT_MS, socketOptions } from "../socket-options.js";
import { ALL_TABLES, forTab, roomOf, syncAnswerFor } from "./routes.js";

// After a reconnect every tab asks for a sync: wait this long at most for all of them, then ask once.
const ROUND_WAIT_MS = 1500;
const RETRY_SPACING_MS = 1000;

const tabs = new Map(); // tab id -> {id, port, rooms: Set, watching: floor | null, claim: {floor, tableId, at} | null}
let everConnected = false;
let lastRetry = 0;
let claimCount = 0;

// What the server holds for this connection: rooms joined (room -> answer promise), floors watched,
// each floor's newest presence list and the table claimed on it.
const joined = new Map();
const watched = new Map();
const presence = new Map();
const claimed = new Map();

const socket = io({ ...socketOptions(() => everConnected), autoConnect: false });

function post(tab, message) {
  tab.port.postMessage({ ...message, connected: socket.connected, active: socket.active });
}

function postAll(message) {
  for (const tab of tabs.values()) post(tab, message);
}

async function ask(event, payload) {
  if (!socket.connected) throw new Error("not connected");
  return socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
}

socket.on("connect", () => {
  everConnected = true;
  rounds.expectFrom(tabs.keys());
  postAll({ type: "connect" });
});

socket.on("disconnect", (reason) => {
  for (const held of [joined, watched, presence, claimed]) held.clear();
  for (const tab of tabs.values()) {
    tab.rooms.clear();
    tab.watching = null;
    tab.claim = null;
  }
  postAll({ type: "disconnect", reason });
  // A disconnect the server chose is not retried by the client library.
  if (reason === "io server disconnect" && tabs.size) setTimeout(() => socket.connect(), RETRY_SPACING_MS);
});

socket.on("connect_error", (error) => {
  postAll({ type: "connect_error", message: error?.message ?? "connect_error" });
  // A refusal by the server is not retried by the client library: try again a little later.
  if (!socket.active && error?.message !== "unauthorized" && tabs.size) {
    setTimeout(() => socket.active || socket.connect(), 2000 + Math.random() * 3000);
  }
});

socket.onAny((name, payload) => {
  if (name === "presence:update") presence.set(payload?.floor, payload);
  for (const tab of tabs.values()) {
    const mine = forTab(name, payload, tab);
    if (mine !== undefined) post(tab, { type: "event", name, payload: mine });
  }
});

/** Syncs asked together are asked once, from the oldest event any of them holds. */
const rounds = {
  expecting: new Set(),
  round: null,
  expectFrom(ids) {
    this.expecting = new Set(ids);
  },
  ask(tab, payload) {
    return new Promise((resolve, reject) => {
      this.round ??= { asks: [], timer: setTimeout(() => this.send(), this.expecting.size ? ROUND_WAIT_MS : 0) };
      this.round.asks.push({ tab, payload, resolve, reject });
      this.forget(tab.id);
    });
  },
  forget(id) {
    this.expecting.delete(id);
    if (this.round && ![...this.expecting].some((waiting) => tabs.has(waiting))) {
      clearTimeout(this.round.timer);
      this.round.timer = setTimeout(() => this.send(), 0);
    }
  },
  async send() {
    const { asks } = this.round;
    this.round = null;
    this.expecting.clear();
    const ids = asks.map(({ payload }) => payload?.lastEventId ?? null);
    const lastEventId = ids.includes(null) ? null : String(Math.min(...ids.map(Number)));
    try {
      const answer = await ask("tables:sync", { lastEventId });
      for (const { tab, resolve } of asks) resolve(answer?.ok ? syncAnswerFor(answer, tab) : answer);
    } catch (error) {
      for (const { reject } of asks) reject(error);
    }
  },
};

async function join(tab, payload) {
  const room = roomOf(payload?.floor ?? null);
  tab.rooms.add(room); // before the answer: the events that follow the server's join are this tab's
  if (!joined.has(room)) {
    const joining = ask("tables:join", payload).then((answer) => {
      if (!answer?.ok) joined.delete(room);
      return answer;
    });
    joining.catch(() => joined.delete(room));
    joined.set(room, joining);
  }
  try {
    const answer = await joined.get(room);
    if (!answer?.ok) tab.rooms.delete(room);
    return answer;
  } catch (error) {
    tab.rooms.delete(room);
    throw error;
  }
}

async function leave(tab, payload) {
  const floor = payload?.floor ?? null;
  const room = roomOf(floor);
  tab.rooms.delete(room);
  if (tab.watching === floor) tab.watching = null;
  if (!lastOut(room)) {
    if (floor != null) claim(floor);
    return { ok: true, room };
  }
  return ask("tables:leave", payload);
}

/** True when no tab shows `room` any more and the connection is still in it: it leaves it now. */
function lastOut(room) {
  if ([...tabs.values()].some((other) => other.rooms.has(room)) || !joined.has(room)) return false;
  joined.delete(room);
  // The server's leave of a floor also ends watching its presence.
  if (room !== ALL_TABLES) for (const held of [watched, presence, claimed]) held.delete(floorOf(room));
  return true;
}

const floorOf = (room) => Number(room.slice("floor:".length));

async function watch(tab, payload) {
  const floor = payload?.floor;
  tab.watching = floor;
  if (!watched.has(floor)) {
    const watching = ask("presence:watch", payload);
    watching.then((answer) => answer?.ok || watched.delete(floor), () => watched.delete(floor));
    watched.set(floor, watching);
    return watching;
  }
  const answer = await watched.get(floor);
  // The server announced the floor's list when it was first watched: give this tab the newest one.
  if (presence.has(floor)) post(tab, { type: "event", name: "presence:update", payload: presence.get(floor) });
  return answer;
}

/** The table the floor's most recent claiming tab has in hand, sent when it changed. */
function claim(floor) {
  if (!watched.has(floor)) return;
  let newest = null;
  for (const tab of tabs.values()) {
    const held = tab.claim;
    if (tab.watching === floor && held?.floor === floor && held.tableId != null && (!newest || held.at > newest.at)) newest = held;
  }
  const tableId = newest?.tableId ?? null;
  if ((claimed.get(floor) ?? null) === tableId) return;
  claimed.set(floor, tableId);
  socket.emit("presence:claim", { floor, tableId });
}

const ASKS = { "tables:join": join, "tables:leave": leave, "tables:sync": (tab, payload) => rounds.ask(tab, payload), "presence:watch": watch };

async function answer(tab, { id, event, payload }) {
  try {
    const handle = ASKS[event];
    post(tab, { type: "answer", id, answer: await (handle ? handle(tab, payload) : ask(event, payload)) });
  } catch (error) {
    post(tab, { type: "answer", id, error: error?.message ?? String(error) });
  }
}

function emit(tab, { event, payload }) {
  if (event !== "presence:claim") {
    if (socket.connected) socket.emit(event, payload);
    return;
  }
  tab.claim = { floor: payload?.floor, tableId: payload?.tableId ?? null, at: ++claimCount };
  claim(payload?.floor);
}

function hello(port, id) {
  const tab = { id, port, rooms: new Set(), watching: null, claim: null };
  tabs.set(id, tab);
  // The tab holds a lock named after it while it lives: the lock becoming free says it is gone, even
  // when it could not say goodbye (a crash, a killed process).
  navigator.locks?.request(`tableside-tab-${id}`, () => tabs.get(id)?.port === port && drop(tabs.get(id)));
  if (!socket.active) socket.connect();
  post(tab, { type: socket.connected ? "connect" : "status" });
}

function drop(tab) {
  if (tabs.get(tab.id) !== tab) return;
  tabs.delete(tab.id);
  rounds.forget(tab.id);
  for (const room of tab.rooms) {
    if (lastOut(room) && socket.connected) socket.emit("tables:leave", { floor: room === ALL_TABLES ? null : floorOf(room) });
  }
  if (tab.watching != null) claim(tab.watching);
  if (!tabs.size) {
    everConnected = false;
    socket.disconnect();
  }
}

/** Try at once instead of waiting out the backoff (the device is back online, or a person asked). */
function retry() {
  if (socket.connected || Date.now() - lastRetry < RETRY_SPACING_MS) return;
  lastRetry = Date.now();
  socket.disconnect();
  socket.connect();
}

self.onconnect = ({ ports: [port] }) => {
  let tab = null;
  port.onmessage = ({ data }) => {
    if (data.type === "hello") {
      hello(port, data.tab);
      tab = tabs.get(data.tab);
    } else if (!tab || tabs.get(tab.id) !== tab) {
      return; // said goodbye: nothing more until it says hello again
    } else if (data.type === "ask") answer(tab, data);
    else if (data.type === "emit") emit(tab, data);
    else if (data.type === "retry") retry();
    else if (data.type === "connect" && !socket.active) socket.connect();
    else if (data.type === "bye") drop(tab);
  };
  port.start();
};
