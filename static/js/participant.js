/* Phone page: identity, atelier state; capabilities add their own panels. */
(function () {
  "use strict";
  const W = window.Workshop;
  if (!W) return;
  const stateBox = document.getElementById("atelier-state");

  function renderAtelier(a) {
    document.getElementById("atelier-title").textContent = a.title;
    if (a.status === "closed") {
      stateBox.textContent = W.i18n.closed;
      stateBox.hidden = false;
    } else {
      stateBox.hidden = true;
    }
    document.body.dataset.status = a.status;
  }

  // A new activity on screen is announced (polite, throttled by W.announce).
  const sceneLabels = JSON.parse((document.getElementById("scene-labels") || {}).textContent || "{}");
  let scene = null;
  function followScene(a) {
    if (scene !== null && a.scene !== scene && sceneLabels[a.scene]) {
      W.announce(W.labelled(W.i18n.new_activity, sceneLabels[a.scene]));
    }
    scene = a.scene;
  }
  W.on("atelier", followScene);

  W.onSnapshot((snap) => {
    followScene(snap.atelier);
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
