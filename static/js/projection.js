/* Projection: join screen, live participant count, scene switching.
 *
 * The scene comes from atelier.scene, which the déroulé sets when the
 * current activity changes (deroule:state); the déroulé's overlay goes on
 * top: "blank" (black screen, key B on the console) or "join" (the big join
 * screen, key J). A room's screen (/s/<code>/<n>, data-codev-group) always
 * shows its co-développement group.
 */
(function () {
  "use strict";
  const W = window.Workshop;
  if (!W) return;
  const i18nNode = document.getElementById("deroule-i18n");
  const T = i18nNode ? W.texts(i18nNode.id) : { step: "" };
  const roomGroup = document.body.dataset.codevGroup ? Number(document.body.dataset.codevGroup) : null;
  let scene = "home";
  let deroule = null;

  function fmt(template, params) {
    return String(template || "").replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined ? params[k] : m));
  }

  function setCount(n) {
    document.getElementById("participant-count").textContent = n;
    document.getElementById("participant-count-strip").textContent = n;
    document.getElementById("participant-count-label").textContent = W.plural(n, W.i18n.participants);
    document.getElementById("participant-count-strip-label").textContent = W.plural(n, W.i18n.connected);
  }

  function showScene() {
    const overlay = deroule ? deroule.overlay : "none";
    const wanted = roomGroup ? "codev" : overlay === "join" ? "home" : scene;
    let found = false;
    document.querySelectorAll(".scene").forEach((el) => {
      const on = el.dataset.scene === wanted;
      el.hidden = !on;
      found = found || on;
    });
    if (!found) document.querySelector('.scene[data-scene="home"]').hidden = false;
    const shown = found ? wanted : "home";
    document.getElementById("join-strip").hidden = shown === "home" || overlay === "blank";
    document.getElementById("dr-blank-screen").hidden = overlay !== "blank" || !!roomGroup;
    document.body.dataset.scene = shown;
    document.body.dataset.overlay = roomGroup ? "none" : overlay;
  }

  function renderActivity() {
    const cur = deroule && deroule.current_id !== null
      ? deroule.activities.find((a) => a.id === deroule.current_id) : null;
    document.body.dataset.activity = cur ? cur.type : "";
    if (!cur) return;
    const index = deroule.activities.indexOf(cur);
    const text = (cur.settings && cur.settings.text) || "";
    if (cur.scene === "message") {
      document.getElementById("dr-msg-step").textContent = fmt(T.step, { n: index + 1, total: deroule.activities.length });
      document.getElementById("dr-msg-title").textContent = cur.title;
      document.getElementById("dr-msg-text").textContent = text;
    } else if (cur.scene === "close") {
      document.getElementById("dr-close-title").textContent = cur.title;
      document.getElementById("dr-close-text").textContent = text;
    }
  }

  function renderAtelier(a) {
    document.getElementById("atelier-title").textContent = a.title;
    const st = document.getElementById("atelier-state");
    if (a.status === "closed") { st.textContent = W.i18n.closed; st.hidden = false; }
    else if (a.status === "locked") { st.textContent = W.i18n.locked; st.hidden = false; }
    else st.hidden = true;
    scene = a.scene;
    if (W.need) W.need(scene); // a scene of a capability this page left out: fetched now
    showScene();
  }

  function loadDeroule(d) {
    if (deroule && d.seq < deroule.seq) return;
    deroule = d;
    if (W.need) d.activities.forEach((a) => W.need(a.panel));
    renderActivity();
    showScene();
  }

  W.onSnapshot((snap) => {
    if (snap.deroule) deroule = null;
    if (snap.deroule) loadDeroule(snap.deroule);
    renderAtelier(snap.atelier);
    setCount(snap.presence ? snap.presence.count : 0);
  });
  W.on("atelier", renderAtelier);
  W.on("deroule:state", loadDeroule);
  W.on("presence", (p) => setCount(p.count));
})();
