/* Console workspace: the déroulé always visible on the side, one activity
 * open at a time, tabs for the rest; running the day from the keyboard
 * (→ ← PageDown PageUp, B, J).
 *
 * State: the "deroule" part of the snapshot and the deroule:state broadcasts
 * (the highest seq wins). Every text goes through textContent.
 */
(function () {
  "use strict";
  const W = window.Workshop;
  const i18nNode = document.getElementById("deroule-i18n");
  if (!W || !i18nNode || W.role !== "facilitator") return;
  const T = W.texts("deroule-i18n");
  const el = W.el;
  const list = document.getElementById("dr-list");
  const editor = document.getElementById("dr-editor");
  const settingsBox = document.getElementById("dr-ed-settings");
  const errorBox = document.getElementById("console-error");

  let state = null;
  let types = {};
  let selected = null;   // activity id open in the editor
  let following = true;  // the editor follows the current activity
  let dirty = false;     // the editor has unsaved changes

  function fmt(template, params) {
    return String(template).replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined ? params[k] : m));
  }
  function plural(forms, n) { return fmt(W.plural(n, forms), { n: n }); }
  function showError(ack) {
    if (!ack || ack.ok) { errorBox.hidden = true; return true; }
    errorBox.textContent = ack.message;
    errorBox.hidden = false;
    return false;
  }
  async function send(event, payload) {
    const ack = await W.call(event, payload || {});
    showError(ack);
    return ack;
  }

  function acts() { return state ? state.activities : []; }
  function byId(id) { return acts().find((a) => a.id === id) || null; }
  function typeLabel(key) { return T.type_labels[key] || key; }
  function elapsedMs(a) {
    if (!state) return 0;
    let ms = a.spent_ms || 0;
    if (a.id === state.current_id && state.since_ms) ms += Math.max(0, W.serverNow() - state.since_ms);
    return ms;
  }
  function minutes(ms) { return Math.floor(ms / 60000); }
  /* The day's drift (rules in workshop/domain/deroule.py): what the server
   * settled (activities run, not skipped ones), plus the current activity's
   * overrun as its time runs. */
  function driftMs() {
    if (!state || state.current_id === null) return 0;
    const cur = byId(state.current_id);
    if (!cur) return 0;
    return (state.drift_settled_ms || 0) + Math.max(0, elapsedMs(cur) - cur.duration_min * 60000);
  }

  /* ---------------------------------------------------------------- list */
  function renderList() {
    const focusedId = document.activeElement && document.activeElement.dataset
      ? Number(document.activeElement.dataset.activity) : null;
    list.replaceChildren();
    document.getElementById("dr-list-empty").hidden = acts().length > 0;
    acts().forEach((a, i) => {
      const current = state.current_id === a.id;
      const item = el("li", {
        class: "dr-item" + (current ? " is-current" : "") + (selected === a.id ? " is-selected" : ""),
        "data-activity-item": a.id,
        draggable: "true",
      });
      const btn = el("button", {
        type: "button",
        class: "dr-pick",
        "data-activity": a.id,
        "aria-current": current ? "step" : null,
        "aria-pressed": selected === a.id ? "true" : "false",
      }, [
        el("span", { class: "dr-num", text: String(i + 1) }),
        el("span", { class: "dr-item-main" }, [
          el("span", { class: "dr-item-title", text: a.title }),
          el("span", { class: "dr-item-meta", text: typeLabel(a.type) + " · " + timeText(a) }),
        ]),
      ]);
      if (current) btn.append(el("span", { class: "dr-badge", text: T.current }));
      btn.addEventListener("click", () => select(a.id, true));
      btn.addEventListener("keydown", (ev) => {
        if (ev.altKey && (ev.key === "ArrowUp" || ev.key === "ArrowDown")) {
          ev.preventDefault();
          ev.stopPropagation();
          move(a.id, ev.key === "ArrowUp" ? -1 : 1, true);
        }
      });
      item.append(btn);
      item.addEventListener("dragstart", (ev) => {
        ev.dataTransfer.setData("text/plain", String(a.id));
        ev.dataTransfer.effectAllowed = "move";
        item.classList.add("is-dragging");
      });
      item.addEventListener("dragend", () => item.classList.remove("is-dragging"));
      item.addEventListener("dragover", (ev) => { ev.preventDefault(); item.classList.add("is-drop"); });
      item.addEventListener("dragleave", () => item.classList.remove("is-drop"));
      item.addEventListener("drop", (ev) => {
        ev.preventDefault();
        item.classList.remove("is-drop");
        const dragged = Number(ev.dataTransfer.getData("text/plain"));
        if (dragged && dragged !== a.id) dropBefore(dragged, a.id);
      });
      list.append(item);
    });
    if (focusedId) {
      const again = list.querySelector('[data-activity="' + focusedId + '"]');
      if (again) again.focus();
    }
  }

  function timeText(a) {
    const e = elapsedMs(a);
    if (e > 0 || (state && state.current_id === a.id)) return fmt(T.elapsed_of, { e: minutes(e), p: a.duration_min });
    return fmt(T.planned, { n: a.duration_min });
  }

  async function reorder(ids) {
    const ack = await send("deroule:reorder", { ids: ids });
    if (ack.ok) document.getElementById("dr-ed-status").textContent = T.moved;
    return ack;
  }
  function move(id, delta, keepFocus) {
    const ids = acts().map((a) => a.id);
    const i = ids.indexOf(id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= ids.length) return;
    ids.splice(i, 1);
    ids.splice(j, 0, id);
    reorder(ids).then(() => {
      if (keepFocus) {
        const b = list.querySelector('[data-activity="' + id + '"]');
        if (b) b.focus();
      }
    });
  }
  function dropBefore(dragged, target) {
    const ids = acts().map((a) => a.id).filter((x) => x !== dragged);
    const at = ids.indexOf(target);
    const from = acts().findIndex((a) => a.id === dragged);
    const to = acts().findIndex((a) => a.id === target);
    ids.splice(from < to ? at + 1 : at, 0, dragged);
    reorder(ids);
  }

  /* ---------------------------------------------------------------- top bar */
  function renderRun() {
    const cur = state && state.current_id !== null ? byId(state.current_id) : null;
    document.getElementById("dr-now-title").textContent = cur ? cur.title : T.not_started;
    document.getElementById("dr-now-time").textContent = cur ? fmt(T.elapsed_of, { e: minutes(elapsedMs(cur)), p: cur.duration_min }) : "";
    const d = Math.trunc(driftMs() / 60000);
    const drift = document.getElementById("dr-drift");
    drift.textContent = !cur ? "" : d > 0 ? fmt(T.late, { n: d }) : d < 0 ? fmt(T.early, { n: -d }) : T.on_time;
    drift.classList.toggle("is-late", d > 0);
    drift.hidden = !cur;
    const overlay = state ? state.overlay : "none";
    document.getElementById("dr-blank").setAttribute("aria-pressed", String(overlay === "blank"));
    document.getElementById("dr-join").setAttribute("aria-pressed", String(overlay === "join"));
    const screen = document.getElementById("dr-screen-now");
    screen.textContent = overlay === "blank" ? T.screen_blank : overlay === "join" ? T.screen_join
      : cur ? fmt(T.screen_activity, { title: cur.title }) : T.screen_none;
    const ids = acts().map((a) => a.id);
    const idx = cur ? ids.indexOf(cur.id) : -1;
    document.getElementById("dr-prev").disabled = idx <= 0;
    document.getElementById("dr-next").disabled = !ids.length || idx === ids.length - 1;
    document.getElementById("dr-start").hidden = !(state && state.current_id === null && ids.length) || startHidden();
  }

  /* « Pour commencer »: hidden once the facilitator said so, on this browser */
  const START_KEY = "workshop:start-hidden:" + W.code;
  function startHidden() {
    try { return localStorage.getItem(START_KEY) === "1"; } catch (e) { return false; }
  }
  document.getElementById("dr-start-hide").addEventListener("click", () => {
    try { localStorage.setItem(START_KEY, "1"); } catch (e) { /* private mode: hidden until the reload */ }
    document.getElementById("dr-start").hidden = true;
    const title = document.getElementById("dr-side-title");
    title.setAttribute("tabindex", "-1");
    title.focus();
  });

  /* ---------------------------------------------------------------- editor */
  function select(id, byUser) {
    if (byUser) following = state && id === state.current_id;
    if (selected !== id) dirty = false;
    selected = id;
    showTab("activity");
    render();
  }

  function fieldInput(name, spec, value) {
    const id = "dr-set-" + name;
    const label = (T.field_labels[name] || name);
    if (spec.kind === "choice") {
      const sel = el("select", { id: id, name: name });
      spec.values.forEach((v) => sel.append(el("option", { value: v, text: T.choice_labels[v] || v })));
      sel.value = value;
      return [el("label", { for: id, text: label }), sel];
    }
    if (spec.kind === "int") {
      const input = el("input", { id: id, name: name, type: "number", min: spec.min, max: spec.max, step: "1" });
      input.value = value;
      return [el("label", { for: id, text: label }), input];
    }
    if (spec.kind === "bool") {
      const cb = el("input", { id: id, name: name, type: "checkbox" });
      cb.checked = !!value;
      return [el("label", { class: "check", for: id }, [cb, label])];
    }
    if (spec.kind === "list" && spec.item.kind === "object") return [groupsEditor(name, spec, value || [])];
    const multi = spec.max_length > 200;
    const input = el(multi ? "textarea" : "input", { id: id, name: name, maxlength: spec.max_length, rows: multi ? "4" : null });
    input.value = value || "";
    return [el("label", { for: id, text: label }), input];
  }

  function groupsEditor(name, spec, rows) {
    const box = el("fieldset", { class: "dr-groups", "data-list-field": name });
    box.append(el("legend", { text: T.field_labels[name] || name }));
    const body = el("div", { class: "dr-group-rows" });
    function addRow(row) {
      const n = body.children.length + 1;
      const line = el("div", { class: "dr-group-row" });
      Object.entries(spec.item.fields).forEach(([k, f]) => {
        const id = "dr-g-" + n + "-" + k;
        let input;
        if (f.kind === "choice") {
          input = el("select", { id: id, "data-key": k });
          f.values.forEach((v) => input.append(el("option", { value: v, text: T.choice_labels[v] || v })));
          input.value = row[k] || f.default || f.values[0];
        } else {
          input = el("input", { id: id, "data-key": k, maxlength: f.max_length, required: f.required ? "required" : null });
          input.value = row[k] || "";
        }
        line.append(el("span", { class: "dr-group-cell" }, [el("label", { for: id, text: T["group_" + k] || k }), input]));
      });
      const rm = el("button", { type: "button", class: "btn small", text: T.remove_group });
      rm.addEventListener("click", () => { line.remove(); dirty = true; });
      line.append(rm);
      body.append(line);
    }
    rows.forEach(addRow);
    const add = el("button", { type: "button", class: "btn small", text: T.add_group });
    add.addEventListener("click", () => { addRow({}); dirty = true; });
    box.append(body, add);
    return box;
  }

  function readSettings(kind) {
    const out = {};
    Object.entries(kind.fields).forEach(([name, spec]) => {
      if (spec.kind === "list") {
        const box = settingsBox.querySelector('[data-list-field="' + name + '"]');
        out[name] = [...box.querySelectorAll(".dr-group-row")].map((line) => {
          const row = {};
          line.querySelectorAll("[data-key]").forEach((inp) => { row[inp.dataset.key] = inp.value.trim(); });
          return row;
        }).filter((r) => r.name);
        return;
      }
      const input = settingsBox.querySelector('[name="' + name + '"]');
      if (!input) return;
      if (spec.kind === "int") out[name] = Number(input.value);
      else if (spec.kind === "bool") out[name] = input.checked;
      else out[name] = input.value;
    });
    return out;
  }

  function renderEditor() {
    const a = selected !== null ? byId(selected) : null;
    editor.hidden = !a;
    if (!a) publishFocus(null);
    document.querySelectorAll(".dr-cap-panel").forEach((p) => {
      const kind = a ? types[a.type] : null;
      p.hidden = !!a && (!kind || kind.console_panel !== p.dataset.consolePanel);
    });
    if (!a) return;
    const kind = types[a.type] || { fields: {}, console_panel: "deroule" };
    const current = state.current_id === a.id;
    document.getElementById("dr-ed-kind").textContent = typeLabel(a.type) + " · " + fmt(T.step, { n: acts().indexOf(a) + 1, total: acts().length });
    const badges = document.getElementById("dr-ed-badges");
    badges.replaceChildren();
    if (current) badges.append(el("span", { class: "dr-badge", text: T.current }));
    document.getElementById("dr-ed-time").textContent = timeText(a);
    document.getElementById("dr-ed-delete").disabled = current;
    document.getElementById("dr-ed-go").disabled = current;
    const rooms = document.getElementById("dr-ed-rooms");
    rooms.hidden = a.type !== "codev";
    if (a.type === "codev") rooms.textContent = fmt(T.room_screens, { url: window.location.host + "/s/" + W.code + "/n" });
    publishFocus(a);
    if (dirty && editor.dataset.activity === String(a.id)) return;
    if (editor.dataset.activity !== String(a.id)) {
      // the title, duration and settings are open for the slides; an
      // activity with its own panel (the board, codev…) shows that panel first
      more.open = moreOpen.has(a.id) ? moreOpen.get(a.id) : kind.console_panel === "deroule";
    }
    editor.dataset.activity = a.id;
    document.getElementById("dr-ed-title").value = a.title;
    document.getElementById("dr-ed-duration").value = a.duration_min;
    settingsBox.replaceChildren();
    Object.entries(kind.fields).forEach(([name, spec]) => {
      const value = a.settings[name] !== undefined ? a.settings[name] : spec.default;
      settingsBox.append(el("div", { class: "dr-field" }, fieldInput(name, spec, value)));
    });
  }

  /* The capability panels follow the selected activity (the board shows
   * that activity's question alone): Workshop.consoleFocus and the
   * "workshop:console-focus" event on document ({id, type, prompt_id,
   * current}: whether it is the current activity). */
  let lastFocus = "";
  function publishFocus(a) {
    const detail = a ? {
      id: a.id, type: a.type, prompt_id: a.prompt_id || null,
      cloud_id: a.type === "cloud" ? a.activity_id || null : null, poll_id: a.poll_id || null,
      current: !!state && state.current_id === a.id,
    } : null;
    const key = JSON.stringify(detail);
    if (key === lastFocus) return;
    lastFocus = key;
    W.consoleFocus = detail;
    document.dispatchEvent(new CustomEvent("workshop:console-focus", { detail: detail }));
  }

  const more = document.getElementById("dr-ed-more");
  const moreOpen = new Map();  // activity id -> whether its settings are open
  more.addEventListener("toggle", () => {
    if (editor.dataset.activity) moreOpen.set(Number(editor.dataset.activity), more.open);
  });
  editor.addEventListener("input", () => { dirty = true; });
  editor.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const a = byId(selected);
    if (!a) return;
    const kind = types[a.type] || { fields: {} };
    const ack = await send("deroule:activity:update", {
      activity_id: a.id,
      title: document.getElementById("dr-ed-title").value,
      duration_min: Number(document.getElementById("dr-ed-duration").value || 0),
      settings: readSettings(kind),
    });
    if (ack.ok) { dirty = false; document.getElementById("dr-ed-status").textContent = T.saved; render(); }
  });
  document.getElementById("dr-ed-go").addEventListener("click", () => send("deroule:goto", { activity_id: selected }));
  document.getElementById("dr-ed-up").addEventListener("click", () => move(selected, -1));
  document.getElementById("dr-ed-down").addEventListener("click", () => move(selected, 1));
  document.getElementById("dr-ed-duplicate").addEventListener("click", async () => {
    const ack = await send("deroule:activity:duplicate", { activity_id: selected });
    if (ack.ok) { following = false; selected = ack.data.id; dirty = false; }
  });
  document.getElementById("dr-ed-delete").addEventListener("click", async () => {
    if (!window.confirm(T.confirm_delete)) return;
    const ack = await send("deroule:activity:delete", { activity_id: selected });
    if (ack.ok) { selected = null; dirty = false; }
  });
  document.getElementById("dr-add").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const payload = { type: document.getElementById("dr-add-type").value };
    if (selected !== null) payload.after_id = selected;
    const ack = await send("deroule:activity:create", payload);
    if (ack.ok) { following = false; selected = ack.data.id; dirty = false; }
  });

  /* ---------------------------------------------------------------- running */
  const next = () => send("deroule:next");
  const prev = () => send("deroule:prev");
  const overlay = (which) => send("deroule:overlay", { overlay: state && state.overlay === which ? "none" : which });
  document.getElementById("dr-next").addEventListener("click", next);
  document.getElementById("dr-prev").addEventListener("click", prev);
  document.getElementById("dr-blank").addEventListener("click", () => overlay("blank"));
  document.getElementById("dr-join").addEventListener("click", () => overlay("join"));

  function typing(target) {
    if (!target) return false;
    const tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }
  document.addEventListener("keydown", (ev) => {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    if (ev.target && ev.target.getAttribute && ev.target.getAttribute("role") === "tab" &&
        (ev.key === "ArrowLeft" || ev.key === "ArrowRight")) return;  // tabs use the arrows
    if (ev.key === "ArrowRight" || ev.key === "PageDown") { ev.preventDefault(); next(); }
    else if (ev.key === "ArrowLeft" || ev.key === "PageUp") { ev.preventDefault(); prev(); }
    else if (ev.key === "b" || ev.key === "B") { ev.preventDefault(); overlay("blank"); }
    else if (ev.key === "j" || ev.key === "J") { ev.preventDefault(); overlay("join"); }
  });

  /* ---------------------------------------------------------------- tabs */
  const tabs = [...document.querySelectorAll('[role="tab"][data-tab]')];
  function showTab(name) {
    tabs.forEach((t) => {
      const on = t.dataset.tab === name;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
  }
  W.showTab = showTab;
  tabs.forEach((t, i) => {
    t.addEventListener("click", () => showTab(t.dataset.tab));
    t.addEventListener("keydown", (ev) => {
      if (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft") return;
      ev.preventDefault();
      const j = (i + (ev.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length;
      tabs[j].focus();
      showTab(tabs[j].dataset.tab);
    });
  });

  /* ---------------------------------------------------------------- modèles and files */
  const planStatus = document.getElementById("dr-plan-status");
  const savedList = document.getElementById("dr-saved");
  let saved = [];  // the modèles saved on the server: {id, name, title, activities, mine}
  function renderModeles() {
    const sel = document.getElementById("dr-modele");
    const chosen = sel.value;
    sel.querySelectorAll("optgroup").forEach((g) => g.remove());
    savedList.replaceChildren();
    document.getElementById("dr-saved-empty").hidden = saved.length > 0;
    if (!saved.length) return;
    const group = el("optgroup", { label: T.my_modeles });
    saved.forEach((m) => {
      group.append(el("option", { value: "saved:" + m.id, text: m.name }));
      const del = el("button", { type: "button", class: "btn small danger", text: T.delete_modele,
        "aria-label": fmt(T.delete_modele_named, { name: m.name }), "data-modele": m.id });
      del.addEventListener("click", async () => {
        if (!window.confirm(fmt(T.confirm_delete_modele, { name: m.name }))) return;
        const ack = await send("deroule:modele:delete", { modele_id: m.id });
        if (ack.ok) { setSaved(ack.data.modeles); planStatus.textContent = fmt(T.modele_deleted, { name: m.name }); }
        else planStatus.textContent = ack.message;
      });
      savedList.append(el("li", { "data-modele-item": m.id }, [
        el("span", { class: "dr-saved-name", text: m.name }),
        el("span", { class: "hint", text: plural(T.activities_count, m.activities) }),
        // another atelier's modèle: listed and usable, changed by its owner only
        m.mine === false ? el("span", { class: "hint", text: T.modele_other_atelier }) : del,
      ]));
    });
    sel.append(group);
    if ([...sel.options].some((o) => o.value === chosen)) sel.value = chosen;
  }
  function setSaved(list) { saved = list || []; renderModeles(); }
  W.on("deroule:modeles", (d) => setSaved(d.modeles));

  /* Modèles an older console kept in this browser (localStorage) go to the
   * server once; one the server refuses stays here with its message. */
  const MODELES_KEY = "workshop:modeles";
  let broughtOver = false;
  async function bringLocalModeles() {
    if (broughtOver) return;
    broughtOver = true;
    let mine;
    try { mine = JSON.parse(localStorage.getItem(MODELES_KEY) || "[]"); } catch (e) { mine = []; }
    if (!Array.isArray(mine) || !mine.length) return;
    const kept = [];
    for (const m of mine) {
      const ack = await W.call("deroule:modele:import", { name: m && m.name, document: m && m.document });
      if (ack.ok) { setSaved(ack.data.modeles); continue; }
      kept.push(m);
      if (ack.error === "not_connected" || ack.error === "timeout") { broughtOver = false; continue; }
      planStatus.textContent = fmt(T.modele_not_imported, { name: (m && m.name) || "?", message: ack.message });
    }
    try {
      if (kept.length) localStorage.setItem(MODELES_KEY, JSON.stringify(kept));
      else localStorage.removeItem(MODELES_KEY);
    } catch (e) { /* storage unavailable: tried again next time */ }
  }

  async function importDoc(doc) {
    const ack = await send("deroule:import", { document: doc });
    planStatus.textContent = ack.ok ? plural(T.imported, ack.data.created) : ack.message;
    return ack;
  }
  document.getElementById("dr-modele-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = document.getElementById("dr-modele").value;
    const ack = v.startsWith("ship:")
      ? await send("deroule:template:apply", { template: v.slice(5) })
      : await send("deroule:modele:apply", { modele_id: Number(v.slice(6)) });
    planStatus.textContent = ack.ok ? plural(T.imported, ack.data.created) : ack.message;
  });
  document.getElementById("dr-save-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const input = document.getElementById("dr-save-name");
    const name = input.value.trim();
    if (!name) return;
    const ack = await send("deroule:modele:save", { name: name });
    if (!ack.ok) { planStatus.textContent = ack.message; return; }
    setSaved(ack.data.modeles);
    input.value = "";
    planStatus.textContent = fmt(ack.data.created ? T.modele_saved : T.modele_replaced, { name: name });
  });
  document.getElementById("dr-import-file").addEventListener("change", (ev) => {
    const file = ev.target.files && ev.target.files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      let doc;
      try { doc = JSON.parse(reader.result); } catch (e) { planStatus.textContent = T.bad_json; return; }
      importDoc(doc);
      ev.target.value = "";
    };
    reader.readAsText(file);
  });

  /* ---------------------------------------------------------------- state */
  function render() {
    if (!state) return;
    renderRun();
    renderList();
    renderEditor();
  }
  function load(next, snap) {
    if (state && next.seq < state.seq) return;
    const before = state ? state.current_id : null;
    state = next;
    if (snap && next.types) types = Object.fromEntries(next.types.map((t) => [t.key, t]));
    if (selected !== null && !byId(selected)) selected = null;
    if (state.current_id !== before && (following || selected === null)) {
      selected = state.current_id;
      following = true;
      dirty = false;
    }
    // Something is always open once the déroulé has activities: the current
    // one, or the first (never every panel at once).
    if (selected === null && acts().length) selected = state.current_id !== null ? state.current_id : acts()[0].id;
    render();
  }
  W.onSnapshot((snap) => {
    if (!snap.deroule) return;
    load(snap.deroule, true);
    setSaved(snap.deroule.modeles);
    bringLocalModeles();
  });
  W.on("deroule:state", (d) => load(d, false));
  setInterval(() => { if (state && state.current_id !== null) { renderRun(); renderTimes(); } }, 5000);
  function renderTimes() {
    list.querySelectorAll("[data-activity-item]").forEach((li) => {
      const a = byId(Number(li.dataset.activityItem));
      const meta = li.querySelector(".dr-item-meta");
      if (a && meta) meta.textContent = typeLabel(a.type) + " · " + timeText(a);
    });
  }
})();
