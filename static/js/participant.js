/* Phone page: identity, atelier state, and the déroulé: the phone shows the
 * current activity alone, its main action first; a small menu goes back to
 * an activity that is still open. Capabilities render their own panels;
 * this script tells them which part is followed (Workshop.focus, and the
 * "workshop:focus" event on document). */
(function () {
  "use strict";
  const W = window.Workshop;
  if (!W) return;
  const stateBox = document.getElementById("atelier-state");
  const i18nNode = document.getElementById("deroule-i18n");
  const T = i18nNode ? W.texts(i18nNode.id) : {};
  const main = document.getElementById("participant-main");
  const menuBtn = document.getElementById("dr-menu-btn");
  const menu = document.getElementById("dr-menu");
  const menuList = document.getElementById("dr-menu-list");
  let deroule = null;
  let viewing = null; // an activity chosen in the menu (null: the current one)

  function fmt(template, params) {
    return String(template || "").replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined ? params[k] : m));
  }

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

  function find(id) {
    return deroule ? deroule.activities.find((a) => a.id === id) || null : null;
  }

  // Without a déroulé, every capability shows what is open: the welcome
  // sentence stays only while none of them shows anything (an empty panel
  // takes no room).
  const panels = [...main.querySelectorAll(".activity-panel")];
  function syncWelcome() {
    if (main.classList.contains("dr-on")) return;
    document.getElementById("welcome").hidden = panels.some((p) => p.offsetHeight > 0);
  }
  if (window.ResizeObserver) {
    const watch = new ResizeObserver(syncWelcome);
    panels.forEach((p) => watch.observe(p));
  }

  function render(changed) {
    const acts = deroule ? deroule.activities : [];
    const on = acts.length > 0;
    main.classList.toggle("dr-on", on);
    menuBtn.hidden = true;
    if (!on) {
      syncWelcome();
      W.focus = null;
      document.dispatchEvent(new CustomEvent("workshop:focus"));
      return;
    }
    const current = find(deroule.current_id);
    if (viewing !== null) {
      const v = find(viewing);
      if (!v || !v.open || viewing === deroule.current_id) viewing = null;
    }
    const shown = viewing !== null ? find(viewing) : current;
    const welcome = document.getElementById("welcome");
    welcome.hidden = !!shown;
    const panel = shown ? shown.panel : null;
    main.querySelectorAll("[data-activity-panel]").forEach((p) => {
      p.classList.toggle("is-current", p.dataset.activityPanel === panel);
    });
    const dp = document.getElementById("deroule-phone");
    dp.hidden = !shown || shown.panel !== "deroule";
    if (shown && shown.panel === "deroule") {
      const index = acts.indexOf(shown);
      document.getElementById("deroule-phone-step").textContent = fmt(T.step, { n: index + 1, total: acts.length });
      document.getElementById("deroule-phone-title").textContent = shown.title;
      document.getElementById("deroule-phone-text").textContent =
        (shown.settings && shown.settings.text) || (shown.type === "welcome" ? T.welcome_wait : "");
    }
    W.focus = shown ? {
      id: shown.id, type: shown.type, panel: shown.panel, prompt_id: shown.prompt_id || null,
      groups: shown.groups || null, mode: shown.type,
    } : null;
    document.body.dataset.activity = shown ? shown.type : "";
    document.dispatchEvent(new CustomEvent("workshop:focus", { detail: W.focus }));
    renderMenu(current, shown);
    if (changed) window.scrollTo(0, 0);
  }

  function renderMenu(current, shown) {
    const acts = deroule.activities;
    const cur = current ? acts.indexOf(current) : -1;
    // activities already reached and still open, and the current one
    const items = acts.filter((a, i) => a.id === deroule.current_id || (i < cur && a.open) || (a.open && a.spent_ms > 0));
    menuBtn.hidden = items.length < 2;
    if (menuBtn.hidden) { menu.hidden = true; menuBtn.setAttribute("aria-expanded", "false"); }
    menuList.replaceChildren();
    items.forEach((a) => {
      const isCurrent = a.id === deroule.current_id;
      const b = W.el("button", {
        type: "button",
        class: "btn dr-menu-item" + (shown && shown.id === a.id ? " active" : ""),
        "aria-current": shown && shown.id === a.id ? "true" : null,
        text: isCurrent ? W.labelled(T.current, a.title) : a.title,
      });
      b.addEventListener("click", () => {
        viewing = isCurrent ? null : a.id;
        menu.hidden = true;
        menuBtn.setAttribute("aria-expanded", "false");
        render(true);
      });
      menuList.append(W.el("li", {}, [b]));
    });
  }

  menuBtn.addEventListener("click", () => {
    const open = menu.hidden;
    menu.hidden = !open;
    menuBtn.setAttribute("aria-expanded", String(open));
  });

  function load(d) {
    if (deroule && d.seq < deroule.seq) return;
    const before = deroule ? deroule.current_id : undefined;
    deroule = d;
    // a capability this page left out comes in with its first activity
    if (W.need) d.activities.forEach((a) => W.need(a.panel));
    const changed = before !== d.current_id;
    if (changed) viewing = null; // the room moved on: follow it
    render(changed);
    // A new current activity is announced (polite, throttled by W.announce).
    const now = changed && before !== undefined ? find(d.current_id) : null;
    if (now) W.announce(W.labelled(W.i18n.new_activity, now.title), "activity");
  }

  W.onSnapshot((snap) => {
    renderAtelier(snap.atelier);
    document.getElementById("me-name").textContent = snap.me.name || W.i18n.anonymous;
    if (snap.deroule) { deroule = null; load(snap.deroule); }
  });
  W.on("atelier", renderAtelier);
  W.on("deroule:state", load);

  document.getElementById("leave-btn").addEventListener("click", () => {
    W.clearToken();
    W.socket.io.reconnection(false);
    W.socket.disconnect();
    window.location.replace("/");
  });
})();
