/* Console: edit the atelier's title, date, place, language, anonymity, note length. */
(function () {
  "use strict";
  const W = window.Workshop;
  const form = document.getElementById("settings-form");
  if (!W || !form) return;
  const t = W.texts("settings-i18n");
  const status = document.getElementById("settings-status");
  let dirty = false;

  function fill(a) {
    if (dirty) return;
    form.elements.title.value = a.title;
    form.elements.date.value = a.date || "";
    form.elements.place.value = a.place || "";
    form.elements.locale.value = a.locale;
    form.elements.note_max_length.value = a.note_max_length;
    form.elements.allow_anonymous.checked = a.allow_anonymous;
  }
  form.addEventListener("input", () => { dirty = true; });
  W.onSnapshot((snap) => fill(snap.atelier));
  W.on("atelier", fill);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const ack = await W.call("atelier:update", {
      title: form.elements.title.value,
      date: form.elements.date.value || "",
      place: form.elements.place.value,
      locale: form.elements.locale.value,
      note_max_length: parseInt(form.elements.note_max_length.value, 10),
      allow_anonymous: form.elements.allow_anonymous.checked,
    });
    if (W.showError) W.showError(ack);
    if (ack.ok) {
      dirty = false;
      status.textContent = t.saved;
      fill(ack.data);
    } else {
      status.textContent = ack.message;
    }
  });
})();
