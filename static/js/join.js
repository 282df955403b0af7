/* Join page: ask for a display name, get a device token, go to the atelier. */
(function () {
  "use strict";
  const code = document.body.dataset.code;
  const tokenKey = "workshop:token:" + code;
  try {
    if (localStorage.getItem(tokenKey)) {
      window.location.replace("/a/" + code + "/p");
      return;
    }
  } catch (e) { /* storage disabled: the token lives for this page only */ }
  // Why the phone came back here (its access was refused), once.
  const notice = document.getElementById("join-notice");
  try {
    const why = sessionStorage.getItem("workshop:notice:" + code);
    if (why && notice) {
      notice.textContent = why;
      notice.hidden = false;
    }
    sessionStorage.removeItem("workshop:notice:" + code);
  } catch (e) { /* storage disabled */ }
  const form = document.getElementById("join-form");
  const errorBox = document.getElementById("join-error");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    errorBox.hidden = true;
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const res = await fetch("/api/ateliers/" + code + "/participants", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: form.elements.name.value }),
      });
      const data = await res.json();
      if (!data.ok) throw Object.assign(new Error(data.message), { fromServer: true });
      localStorage.setItem(tokenKey, JSON.stringify(data.token));
      window.location.replace("/a/" + code + "/p");
    } catch (e) {
      let fallback = "";
      try { fallback = JSON.parse(document.getElementById("i18n").textContent).network_error; } catch (err) { /* no block */ }
      // the browser's own messages ("Failed to fetch") are not for people
      errorBox.textContent = (e.fromServer && e.message) || fallback;
      errorBox.hidden = false;
      button.disabled = false;
    }
  });
})();
