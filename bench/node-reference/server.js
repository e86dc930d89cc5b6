// Reference Socket.IO 4.8 server for Tableside's benchmarks (bench/README.md).
//
// It does only what the benchmark measures: accepts any handshake (the auth token is
// not checked), lets a client join `floor:N` with an acknowledgement, and on
// `POST /api/tables/<id>/status` broadcasts a `table:status_changed`-shaped payload to
// the table's floor room; `tables:sync` is answered from memory (nothing missed), and
// GET /stats counts why sockets closed (reconnect_storm.py). BATCH_WINDOW_MS > 0 sends a quiet
// room's first change at once and holds what follows for that long, as Tableside does, sending
// several as one `tables:batch_update`.
//
// With DATABASE_URL (Tableside's migrated `bench` database), a status change first does the
// database work Tableside does before its fan-out, as plain SQL over node-postgres: the signed-in
// user's row, the commit-order advisory lock, the table row locked, the event inserted, the row
// updated, the commit; then the broadcast, then the unlock. Without it, nothing is written.
"use strict";

const http = require("node:http");
const { Server } = require("socket.io");
const { commitChange, prepareTable } = require("./commits");

const port = Number(process.env.PORT || 5100);
const windowMs = Number(process.env.BATCH_WINDOW_MS || 0);
const floor = 1;
let eventId = 0;
const status = new Map();
const pending = new Map();
const disconnects = {};

function readJson(request) {
  return new Promise((resolve) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      try {
        resolve(JSON.parse(body || "{}"));
      } catch {
        resolve({});
      }
    });
  });
}

function asBatchItem(change) {
  return { ...change, status: change.newStatus };
}

// A room's window opens with a change sent at once; what follows within it is held and sent at its end,
// and the window goes on until one passes with nothing held (as Tableside does).
function flush(io, room) {
  const held = pending.get(room);
  if (held.length === 0) {
    pending.delete(room);
    return;
  }
  pending.set(room, []);
  if (held.length === 1) io.to(room).emit("table:status_changed", held[0]);
  else io.to(room).emit("tables:batch_update", held.map(asBatchItem));
  setTimeout(() => flush(io, room), windowMs);
}

function broadcast(io, change) {
  const room = `floor:${change.floor}`;
  if (windowMs > 0 && pending.has(room)) {
    pending.get(room).push(change);
    return;
  }
  io.to(room).emit("table:status_changed", change);
  if (windowMs > 0) {
    pending.set(room, []);
    setTimeout(() => flush(io, room), windowMs);
  }
}

const httpServer = http.createServer(async (request, response) => {
  const match = request.url.match(/^\/api\/tables\/(\d+)\/status$/);
  if (request.method === "GET" && request.url === "/healthz") {
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end('{"status":"ok"}');
    return;
  }
  if (request.method === "GET" && request.url === "/stats") {
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ disconnects }));
    return;
  }
  if (!match || (request.method !== "POST" && request.method !== "PATCH")) {
    response.writeHead(404).end();
    return;
  }
  const body = await readJson(request);
  const tableId = Number(match[1]);
  const now = new Date().toISOString();
  const change = {
    eventId: "",
    tableId,
    tableNumber: `T-${String(tableId).padStart(3, "0")}`,
    floor,
    oldStatus: status.get(tableId) || "available",
    newStatus: body.status || "occupied",
    updatedBy: "manager",
    updatedAt: now,
    notes: body.notes ?? null,
  };
  status.set(tableId, change.newStatus);
  let committed;
  try {
    committed = await commitChange(change);
  } catch (error) {
    console.error(error);
    response.writeHead(500).end();
    return;
  }
  change.eventId = committed ? String(committed.eventId) : String(++eventId);
  broadcast(io, change);
  if (committed) await committed.unlock();
  response.writeHead(200, { "Content-Type": "application/json" });
  response.end(JSON.stringify({ tableId, status: change.newStatus, notes: change.notes, version: eventId }));
});

const io = new Server(httpServer, { pingInterval: 2000, pingTimeout: 2000, maxHttpBufferSize: 64 * 1024 });

io.on("connection", (socket) => {
  socket.emit("tables:connected", { socketId: socket.id });
  socket.on("tables:join", (data, ack) => {
    const wanted = data && Number.isInteger(data.floor) ? `floor:${data.floor}` : "all_tables";
    socket.join(wanted);
    if (typeof ack === "function") ack({ ok: true, room: wanted, lastEventId: String(eventId) });
  });
  socket.on("tables:sync", (data, ack) => {
    const answer = { recovered: true, lastEventId: String(eventId), events: [], tables: [] };
    socket.emit("tables:sync_response", answer);
    if (typeof ack === "function") ack({ ok: true, ...answer });
  });
  socket.on("disconnect", (reason) => {
    disconnects[reason] = (disconnects[reason] || 0) + 1;
  });
});

prepareTable().then(() =>
  httpServer.listen(port, "127.0.0.1", () => console.log(`node reference listening on ${port}`)),
);
process.on("SIGTERM", () => process.exit(0));
