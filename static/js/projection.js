/* Projection: join screen, live participant count, scene switching. */
(function () {
  "use strict";
  const W = window.Workshop;
  if (!W) return;

  function setCount(n) {
    document.getElementById("participant-count").textContent = n;
    document.getElementById("participant-count-strip").textContent = n;
    document.getElementById("participant-count-label").textContent = W.plural(n, W.i18n.participants);
    document.getElementById("participant-count-strip-label").textContent = W.plural(n, W.i18n.connected);
  }

  function showScene(scene) {
    let found = false;
    document.querySelectorAll(".scene").forEach((el) => {
      const on = el.dataset.scene === scene;
      el.hidden = !on;
      found = found || on;
    });
    if (!found) document.querySelector('.scene[data-scene="home"]').hidden = false;
    document.getElementById("join-strip").hidden = !found || scene === "home";
    document.body.dataset.scene = found ? scene : "home";
  }

  function renderAtelier(a) {
    document.getElementById("atelier-title").textContent = a.title;
    const st = document.getElementById("atelier-state");
    if (a.status === "closed") { st.textContent = W.i18n.closed; st.hidden = false; }
    else if (a.status === "locked") { st.textContent = W.i18n.locked; st.hidden = false; }
    else st.hidden = true;
    showScene(a.scene);
  }

  W.onSnapshot((snap) => {
    renderAtelier(snap.atelier);
    setCount(snap.presence ? snap.presence.count : 0);
  });
  W.on("atelier", renderAtelier);
  W.on("presence", (p) => setCount(p.count));
})();
