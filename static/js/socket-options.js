// How a Tableside screen's Socket.IO connection is opened: the same for a tab's own connection and for the
// one a browser's tabs share (shared-socket/worker.js).

export const ACK_TIMEOUT_MS = 5000;

/** The client's options; `auth` says whether this connection was up before (a reconnect). */
export function socketOptions(wasConnected) {
  return {
    path: "/socket.io",
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    // 1, 2, 4, 8, 16, then 30 s, each with at most 25% jitter, forever.
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 30000,
    randomizationFactor: 0.25,
    timeout: 5000,
    auth: (send) => send(wasConnected() ? { reconnect: true } : {}),
  };
}
