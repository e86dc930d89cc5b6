// Talking to the JSON API with the session cookie and the page's CSRF token.

export class NetworkError extends Error {}

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

/** Send a request; resolves to {ok, status, data, retryAfter}, rejects only when the server is unreachable. */
export async function request(method, url, { body, headers = {} } = {}) {
  const sent = { Accept: "application/json", ...headers };
  if (body !== undefined) sent["Content-Type"] = "application/json";
  if (method !== "GET") sent["X-CSRFToken"] = csrfToken();
  let response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(error.message);
  }
  let data = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  const retryAfter = Number(response.headers.get("Retry-After")) || null;
  return { ok: response.ok, status: response.status, data, retryAfter };
}

/**
 * Send a change once: its answer, or null when it must wait in the offline queue (the server could
 * not be reached, or failed with a 5xx, and the change may be sent again with its idempotency key).
 */
export async function sendOrNull(send) {
  let response;
  try {
    response = await send();
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    return null;
  }
  return response.status >= 500 ? null : response;
}

/** A fresh idempotency key; crypto.randomUUID needs a secure context, a LAN tablet may not have one. */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export const api = {
  changeStatus(tableId, body, idempotencyKey) {
    return request("PATCH", `/api/tables/${tableId}/status`, {
      body,
      headers: { "Idempotency-Key": idempotencyKey },
    });
  },
  history(tableId, limit) {
    return request("GET", `/api/tables/${tableId}/history?limit=${limit}`);
  },
  table(tableId) {
    return request("GET", `/api/tables/${tableId}`);
  },
  tables(floor) {
    return request("GET", floor == null ? "/api/tables" : `/api/tables?floor=${floor}`);
  },
  // The door: each change carries its idempotency key, so a retry after a lost answer applies nothing twice.
  addParty(body, idempotencyKey) {
    return request("POST", "/api/parties", { body, headers: { "Idempotency-Key": idempotencyKey } });
  },
  changeParty(partyId, body, idempotencyKey) {
    return request("PATCH", `/api/parties/${partyId}`, { body, headers: { "Idempotency-Key": idempotencyKey } });
  },
  seatParty(partyId, body, idempotencyKey) {
    return request("POST", `/api/parties/${partyId}/seat`, { body, headers: { "Idempotency-Key": idempotencyKey } });
  },
  moveParty(partyId, body, idempotencyKey) {
    return request("POST", `/api/parties/${partyId}/move`, { body, headers: { "Idempotency-Key": idempotencyKey } });
  },
  addPartyTable(partyId, body, idempotencyKey) {
    return request("POST", `/api/parties/${partyId}/tables`, { body, headers: { "Idempotency-Key": idempotencyKey } });
  },
  // Undo at the door: a seating from the line, and a joined table (a move is undone by a move back).
  unseatParty(partyId, body, idempotencyKey) {
    return request("POST", `/api/parties/${partyId}/unseat`, { body, headers: { "Idempotency-Key": idempotencyKey } });
  },
  takeTableOff(partyId, body, idempotencyKey) {
    return request("POST", `/api/parties/${partyId}/unjoin`, { body, headers: { "Idempotency-Key": idempotencyKey } });
  },
  saveLayout(floor, tables, editor) {
    return request("PUT", `/api/floors/${floor}/layout`, { body: editor ? { tables, editor } : { tables } });
  },
};
