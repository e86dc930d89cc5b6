// A party's wait in words: "12 of 20 min" against its quote, "Overdue by 3 min" past it, when
// it was told its table is ready, and whether the guest answered "On my way". Words carry it, so colour is never the only cue.

const MINUTE = 60_000;
const minutes = (ms) => Math.max(0, Math.floor(ms / MINUTE));

/** Where a party stands for the page: "waiting", "notified", or "overdue" (waiting whole minutes past its quote). */
export function shownState(party, now = Date.now()) {
  if (party.state === "notified") return "notified";
  if (party.quotedMinutes == null) return "waiting";
  return minutes(now - Date.parse(party.joinedAt)) > party.quotedMinutes ? "overdue" : "waiting";
}

/** The party's wait in words, as of `now`. */
export function waitWords(party, now = Date.now()) {
  const waited = minutes(now - Date.parse(party.joinedAt));
  if (party.state === "notified" && party.notifiedAt) {
    const since = minutes(now - Date.parse(party.notifiedAt));
    const told = `${since ? `${since} min ago` : "just now"} · waited ${waited} min`;
    return party.onTheWayAt ? `On the way · notified ${told}` : `Notified ${told}`;
  }
  if (party.quotedMinutes == null) return `Waiting ${waited} min`;
  if (waited > party.quotedMinutes) return `Overdue by ${waited - party.quotedMinutes} min`;
  return party.quotedMinutes ? `${waited} of ${party.quotedMinutes} min` : `${waited} min, quoted no wait`;
}

/** The tags as the host reads them. */
export const TAG_WORDS = {
  vip: "VIP",
  allergy: "Allergy",
  birthday: "Birthday",
  high_chair: "High chair",
  accessible: "Accessible",
  regular: "Regular",
};

/** "Smith (4)" or "Party of 4". */
export const partyName = (party) => (party.name ? `${party.name} (${party.size})` : `Party of ${party.size}`);
