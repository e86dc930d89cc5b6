// The guest's own page: place in line and time left, live over a socket that follows this party only.

import { io } from "../vendor/socket.io.esm.min.js";

const IN_LINE = new Set(["waiting", "notified"]);
const ENDED = {
  seated: ["Enjoy your meal", "You have been seated. This link has expired."],
  cancelled: ["Your spot is cancelled", "Thank you for letting us know. This link has expired."],
  left: ["You're no longer in line", "This link has expired."],
  no_show: ["You're no longer in line", "This link has expired."],
};
const TICK_MS = 15000;

const page = document.querySelector("[data-guest]");
const token = page.dataset.guestToken;
const $ = (selector) => page.querySelector(selector);
let state = JSON.parse(document.getElementById("guest-state").textContent);
let socket = null;

function ordinal(place) {
  const tens = place % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : { 1: "st", 2: "nd", 3: "rd" }[place % 10] || "th";
  return `${place}${suffix}`;
}

/** "About 12 min", or "Any minute now" once the quote has run out; null without a quote. */
function timeLeft(now = Date.now()) {
  if (state.quotedMinutes == null || !state.quotedAt) return null;
  const left = Date.parse(state.quotedAt) + state.quotedMinutes * 60000 - now;
  if (left <= 60000) return "Any minute now";
  return `About ${Math.ceil(left / 60000)} min`;
}

function render() {
  page.dataset.state = state.state;
  const inLine = IN_LINE.has(state.state);
  $("[data-guest-waiting]").hidden = state.state !== "waiting";
  $("[data-guest-ready]").hidden = state.state !== "notified";
  $("[data-guest-ended]").hidden = inLine;
  $("[data-cancel-area]").hidden = !inLine;
  if (state.place != null) $("[data-place]").textContent = ordinal(state.place);
  $("[data-time-left]").textContent = timeLeft() || "Soon";
  $("[data-quote]").textContent =
    state.quotedMinutes != null ? `We quoted you ${state.quotedMinutes} minutes.` : "";
  const onTheWay = Boolean(state.onTheWayAt);
  $("[data-on-the-way-note]").hidden = !onTheWay;
  $("[data-on-my-way]").disabled = onTheWay;
  $("[data-on-my-way]").textContent = onTheWay ? "On my way ✓" : "On my way";
  if (!inLine) {
    const [title, text] = ENDED[state.state] || ENDED.left;
    $("[data-ended-title]").textContent = title;
    $("[data-ended-text]").textContent = text;
    document.title = title;
  } else {
    document.title = state.state === "notified" ? "Your table is ready" : `${ordinal(state.place)} in line`;
  }
}

function apply(update) {
  const wasReady = state.state === "notified";
  state = update;
  render();
  if (!wasReady && state.state === "notified" && "vibrate" in navigator) {
    navigator.vibrate([300, 150, 300]);
  }
  if (!IN_LINE.has(state.state) && socket) {
    socket.disconnect();
    live("");
  }
}

function live(text) {
  $("[data-live]").textContent = text;
}

function say(text) {
  $("[data-message]").textContent = text;
}

function expired() {
  apply({ ...state, state: "left", place: null });
}

async function act(path) {
  say("");
  let response;
  try {
    response = await fetch(`/w/${encodeURIComponent(token)}/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: "{}",
      credentials: "omit",
      cache: "no-store",
    });
  } catch (error) {
    say("No connection: try again in a moment.");
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok) apply(body);
  else if (response.status === 404) expired();
  else say(body.message || "That did not work: try again in a moment.");
}

function connect() {
  socket = io({
    path: "/socket.io",
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    auth: { guest: token },
    reconnectionDelay: 1000,
    reconnectionDelayMax: 15000,
  });
  socket.on("connect", () => live("Live"));
  socket.on("disconnect", () => live(IN_LINE.has(state.state) ? "Reconnecting…" : ""));
  socket.on("connect_error", (error) => {
    // The server refuses a dead link's handshake: the party is out of line.
    if (error && error.message === "unauthorized") {
      socket.disconnect();
      expired();
    } else {
      live("Reconnecting…");
    }
  });
  socket.on("guest:update", apply);
}

$("[data-on-my-way]").addEventListener("click", () => act("on-my-way"));
$("[data-cancel]").addEventListener("click", () => {
  $("[data-cancel]").hidden = true;
  $("[data-cancel-confirm]").hidden = false;
});
$("[data-cancel-no]").addEventListener("click", () => {
  $("[data-cancel]").hidden = false;
  $("[data-cancel-confirm]").hidden = true;
});
$("[data-cancel-yes]").addEventListener("click", () => act("cancel"));
setInterval(render, TICK_MS);
render();
connect();
