// Screens for the reconnect storm (tests/support/screens.py): the official Socket.IO JS client 4.8,
// many sockets in one Node process.
//
// argv[2] names a JSON file {urls, tokens, count, rate, floor, delayMs, delayMaxMs}. Socket n uses
// urls[n % urls.length] and tokens[n % tokens.length]; sockets open at `rate` a second. On every
// connect a socket joins `floor` and calls `tables:sync` with the last event id it knows; it is
// ready once both are acknowledged with ok. A refused handshake (connect_error that the client
// does not retry by itself) is retried after the same delay window the client uses.
//
// Commands, one per line on stdin, each answered by one JSON line on stdout:
//   status  -> {ready, count}
//   epoch   -> marks "now" (the kill or the SIGTERM); counters start again from zero
//   report  -> {ready, count, back: [ms after the epoch, per socket back since], left, counts,
//               screens: [{lastEventId, seen: [event ids received since the epoch]}] (with "report full")}
"use strict";

const fs = require("node:fs");
const readline = require("node:readline");
const { io } = require("socket.io-client");

const settings = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const ACK_TIMEOUT_MS = 20000;
const screens = [];
let epoch = null;
let counts = freshCounts();

function freshCounts() {
  return { connects: 0, connectErrors: {}, disconnects: {}, refusedJoins: {}, ackTimeouts: 0, syncs: 0 };
}

function bump(bag, key) {
  bag[key] = (bag[key] || 0) + 1;
}

function retryDelay() {
  return settings.delayMs + Math.random() * (settings.delayMaxMs - settings.delayMs);
}

function restart(screen) {
  screen.socket.disconnect();
  setTimeout(() => screen.socket.connect(), retryDelay());
}

function joinAndSync(screen) {
  const socket = screen.socket;
  socket.timeout(ACK_TIMEOUT_MS).emit("tables:join", { floor: settings.floor }, (error, joined) => {
    if (error) return ackTimedOut(screen);
    if (!joined || !joined.ok) {
      bump(counts.refusedJoins, (joined && joined.error) || "no_answer");
      return restart(screen);
    }
    socket.timeout(ACK_TIMEOUT_MS).emit("tables:sync", { lastEventId: screen.lastEventId }, (failed, synced) => {
      if (failed) return ackTimedOut(screen);
      if (!synced || !synced.ok) {
        bump(counts.refusedJoins, `sync:${(synced && synced.error) || "no_answer"}`);
        return restart(screen);
      }
      counts.syncs += 1;
      for (const missed of synced.events || []) noteEvent(screen, missed.eventId);
      screen.lastEventId = synced.lastEventId || screen.lastEventId;
      screen.ready = true;
      // The latest time it came back: a screen that drops again is not back until it is ready again.
      if (epoch !== null && screen.lostAt !== null) screen.backAt = performance.now();
    });
  });
}

function noteEvent(screen, eventId) {
  if (epoch !== null && eventId !== undefined && !screen.seen.includes(eventId)) screen.seen.push(eventId);
  if (eventId !== undefined && Number(eventId) > Number(screen.lastEventId || 0)) screen.lastEventId = eventId;
}

function ackTimedOut(screen) {
  counts.ackTimeouts += 1;
  restart(screen);
}

function open(index) {
  const token = settings.tokens[index % settings.tokens.length];
  const screen = { ready: false, lastEventId: null, lostAt: null, backAt: null, everConnected: false, seen: [] };
  screen.socket = io(settings.urls[index % settings.urls.length], {
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: settings.delayMs,
    reconnectionDelayMax: settings.delayMaxMs,
    timeout: 20000,
    auth: (send) => send(screen.everConnected ? { token, reconnect: true } : { token }),
  });
  screen.socket.on("connect", () => {
    counts.connects += 1;
    screen.everConnected = true;
    joinAndSync(screen);
  });
  screen.socket.on("table:status_changed", (change) => noteEvent(screen, change && change.eventId));
  screen.socket.on("tables:batch_update", (items) => (items || []).forEach((item) => noteEvent(screen, item.eventId)));
  screen.socket.on("connect_error", (error) => {
    bump(counts.connectErrors, error.message);
    if (!screen.socket.active) setTimeout(() => screen.socket.connect(), retryDelay());
  });
  screen.socket.on("disconnect", (reason) => {
    bump(counts.disconnects, reason);
    screen.ready = false;
    if (epoch !== null && screen.lostAt === null) screen.lostAt = performance.now();
    // The server closed the namespace (a session ended): the client does not retry by itself.
    if (reason === "io server disconnect") setTimeout(() => screen.socket.connect(), retryDelay());
  });
  screens.push(screen);
}

function readyCount() {
  return screens.filter((screen) => screen.ready).length;
}

function report(full) {
  const back = [];
  let left = 0;
  for (const screen of screens) {
    if (screen.backAt !== null && screen.ready) back.push(screen.backAt - epoch);
    else left += 1;
  }
  const answer = { ready: readyCount(), count: settings.count, back, left, counts };
  if (full) answer.screens = screens.map(({ lastEventId, seen }) => ({ lastEventId, seen }));
  return answer;
}

const perTick = Math.max(1, Math.round(settings.rate / 100));
let opened = 0;
const opener = setInterval(() => {
  for (let n = 0; n < perTick && opened < settings.count; n += 1) open(opened++);
  if (opened >= settings.count) clearInterval(opener);
}, 10);

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const command = line.trim();
  if (command === "status") console.log(JSON.stringify({ ready: readyCount(), count: settings.count, counts }));
  else if (command === "epoch") {
    epoch = performance.now();
    counts = freshCounts();
    for (const screen of screens) Object.assign(screen, { lostAt: null, backAt: null, seen: [] });
    console.log(JSON.stringify({ epoch }));
  } else if (command.startsWith("report")) console.log(JSON.stringify(report(command === "report full")));
  else if (command === "quit") process.exit(0);
});
