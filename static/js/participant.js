/* Phone page: identity, atelier state; capabilities add their own panels. */
(function () {
  "use strict";
  const W = window.Workshop;
  if (!W) return;
  const stateBox = document.getElementById("atelier-state");

  function renderAtelier(a) {
    document.getElementById("atelier-title").textContent = a.title;
    if (a.status === "closed") {
      stateBox.textContent = W.i18n.closed_phone || W.i18n.closed;
      stateBox.hidden = false;
    } else {
      stateBox.hidden = true;
    }
    document.body.dataset.status = a.status;
  }

  W.onSnapshot((snap) => {
    renderAtelier(snap.atelier);
    document.getElementById("me-name").textContent = snap.me.name || W.i18n.anonymous;
  });
  W.on("atelier", renderAtelier);

  document.getElementById("leave-btn").addEventListener("click", () => {
    W.clearToken();
    W.socket.io.reconnection(false);
    W.socket.disconnect();
    window.location.replace("/");
  });
})();
