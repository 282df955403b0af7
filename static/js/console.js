/* Console: links, atelier state, scene, participants. */
(function () {
  "use strict";
  const W = window.Workshop;
  if (!W) return;
  const list = document.getElementById("participant-list");
  const errorBox = document.getElementById("console-error");
  let participants = new Map();

  function showError(ack) {
    if (ack.ok) { errorBox.hidden = true; return; }
    errorBox.textContent = ack.message;
    errorBox.hidden = false;
  }
  W.showError = showError;

  function renderParticipants() {
    // not under a press: the button pressed would be replaced, its click lost
    if (W.pressed(list)) { W.afterPress(renderParticipants); return; }
    list.replaceChildren();
    const items = [...participants.values()].filter((p) => !p.removed);
    document.getElementById("participant-count").textContent = W.i18n.online_of
      .replace("{online}", () => String(items.filter((p) => p.online).length))
      .replace("{total}", () => String(items.length));
    if (!items.length) {
      list.append(W.el("li", { class: "empty", text: W.i18n.no_participants }));
      return;
    }
    items.forEach((p) => {
      const btn = W.el("button", { type: "button", class: "btn small danger", "data-remove": p.id, text: W.i18n.remove });
      btn.addEventListener("click", async () => {
        if (!window.confirm(W.i18n.confirm_remove)) return;
        showError(await W.call("participant:remove", { participant_id: p.id }));
      });
      list.append(W.el("li", { "data-participant": p.id, class: p.online ? "online" : "offline" }, [
        W.el("span", { class: "dot" }),
        W.el("span", { class: "name", text: p.name || W.i18n.anonymous + " #" + p.id }),
        btn,
      ]));
    });
  }

  function renderAtelier(a) {
    document.getElementById("atelier-title").textContent = a.title;
    document.getElementById("atelier-status-pill").textContent =
      document.querySelector('button[data-status="' + a.status + '"]').textContent;
    document.querySelectorAll("button[data-status]").forEach((b) => b.classList.toggle("active", b.dataset.status === a.status));
    document.querySelectorAll("[data-scene]").forEach((b) => b.classList.toggle("active", b.dataset.scene === a.scene));
    document.body.dataset.status = a.status;
  }

  W.onSnapshot((snap) => {
    renderAtelier(snap.atelier);
    participants = new Map((snap.participants || []).map((p) => [p.id, p]));
    renderParticipants();
  });
  W.on("atelier", renderAtelier);
  W.on("participant:joined", (p) => { participants.set(p.id, Object.assign({ online: false }, p)); renderParticipants(); });
  W.on("participant:removed", (p) => { participants.delete(p.id); renderParticipants(); });
  W.on("presence", (p) => {
    if (p.participant_id === undefined) return;
    const existing = participants.get(p.participant_id);
    if (existing) existing.online = p.online;
    else if (p.online) W.call("sync").then((ack) => { if (ack.ok) { participants = new Map((ack.data.participants || []).map((x) => [x.id, x])); renderParticipants(); } });
    renderParticipants();
  });

  document.querySelectorAll("button[data-status]").forEach((b) =>
    b.addEventListener("click", async () => showError(await W.call("atelier:status", { status: b.dataset.status }))));
  document.querySelectorAll("[data-scene]").forEach((b) =>
    b.addEventListener("click", async () => showError(await W.call("atelier:scene", { scene: b.dataset.scene }))));
  /* Console secret rotation: this console keeps working with the new link;
   * the others are told and disconnected. */
  const rotate = document.getElementById("rotate-secret");
  if (rotate) {
    rotate.addEventListener("click", async () => {
      if (!window.confirm(rotate.dataset.confirm)) return;
      const ack = await W.call("atelier:rotate_secret", {});
      showError(ack);
      if (!ack.ok) return;
      document.body.dataset.secret = ack.data.secret;
      document.getElementById("console-link").value = ack.data.console_url;
      try { window.history.replaceState(null, "", new URL(ack.data.console_url).pathname); } catch (e) { /* ignore */ }
      W.showBanner(rotate.dataset.done, "");
    });
  }
  W.on("console:revoked", (data) => {
    if (data.by === W.socket.id) return;
    W.socket.io.reconnection(false);
    W.socket.disconnect();
    W.showBanner(data.message, "error");
  });

  document.querySelectorAll("[data-copy]").forEach((b) =>
    b.addEventListener("click", () => {
      const input = document.getElementById(b.dataset.copy);
      input.select();
      if (navigator.clipboard) navigator.clipboard.writeText(input.value).catch(() => document.execCommand("copy"));
      else document.execCommand("copy");
      b.textContent = W.i18n.copied;
    }));
})();
