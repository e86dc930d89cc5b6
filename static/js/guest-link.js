// The guest link page for staff: copy the link to send by text.

const area = document.querySelector("[data-guest-link]");
const field = area.querySelector("[data-guest-url]");
const note = area.querySelector("[data-copied]");

area.querySelector("[data-copy-link]").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(field.value);
    note.textContent = "Link copied.";
  } catch (error) {
    // No clipboard (an insecure origin, or refused): select it for the person to copy.
    field.select();
    note.textContent = "Select the link and copy it.";
  }
});
