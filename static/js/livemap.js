/* Live actor map ("portrait croisé"): phone forms, console validation,
 * projector views. Every user text is rendered with textContent. */
(function () {
  "use strict";
  const W = window.Workshop;
  if (!W) return;
  const i18nEl = document.getElementById("livemap-i18n");
  if (!i18nEl) return;
  const T = W.texts("livemap-i18n"); // updated in place when the language changes
  const el = W.el;
  function countsText(actors, contributions, links) {
    return [W.plural(actors, T.n_actors), W.plural(contributions, T.n_contributions), W.plural(links, T.n_links)].join(" · ");
  }
  const STAGES = ["declencher", "organiser", "animer"];

  function fold(s) {
    return (s || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function fmt(text, params) {
    return text.replace(/\{(\w+)\}/g, (_, k) => (params[k] !== undefined ? params[k] : ""));
  }
  /* Every view carries settings.seq, which grows with each write: a view
   * (broadcast or snapshot) older than the one shown is dropped. */
  function isOlder(incoming, known) {
    const a = incoming && incoming.settings, b = known && known.settings;
    return Boolean(a && b && typeof a.seq === "number" && typeof b.seq === "number" && a.seq < b.seq);
  }
  function kindLabel(k) { return (T.kinds && T.kinds[k]) || (k || "").replace(/_/g, " "); }
  function linkLabel(k) { return (T.link_kinds && T.link_kinds[k]) || k; }

  /* ------------------------------------------------------------ phone */
  function phone() {
    const section = document.getElementById("livemap-participant");
    if (!section) return;
    let pub = null;
    let mine = { actors: [], contributions: [], links: [] };
    const msg = document.getElementById("lm-phone-msg");

    function say(text, error) {
      msg.textContent = text;
      msg.className = "notice" + (error ? " error" : "");
      msg.hidden = false;
    }

    function actorsKnown() {
      const byId = new Map();
      (pub ? pub.actors : []).forEach((a) => byId.set(a.id, a));
      mine.actors.forEach((a) => byId.set(a.id, a));
      return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, "fr"));
    }

    function showTab(name) {
      section.querySelectorAll("[data-lm-tab]").forEach((b) => b.classList.toggle("active", b.dataset.lmTab === name));
      section.querySelectorAll("[data-lm-panel]").forEach((p) => { p.hidden = p.dataset.lmPanel !== name; });
    }
    section.querySelectorAll("[data-lm-tab]").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.lmTab)));

    function fillSelects(preferred) {
      const actors = actorsKnown();
      section.querySelectorAll(".lm-actor-select").forEach((sel) => {
        const keep = preferred && sel.id !== "lm-l-target" ? String(preferred) : sel.value;
        sel.replaceChildren(el("option", { value: "", text: actors.length ? T.choose_actor : T.no_actor }));
        actors.forEach((a) => sel.append(el("option", {
          value: a.id,
          text: a.name + (a.status === "pending" ? " (" + T.pending + ")" : ""),
        })));
        if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
      });
    }

    function stageTexts(stages) {
      (stages || []).forEach((st) => {
        section.querySelectorAll('[data-stage-label="' + st.key + '"]').forEach((n) => { n.textContent = st.label; });
        section.querySelectorAll('[data-stage-description="' + st.key + '"]').forEach((n) => { n.textContent = st.description; });
      });
    }

    function renderMine() {
      const list = document.getElementById("lm-mine");
      list.replaceChildren();
      const names = new Map(actorsKnown().map((a) => [a.id, a.name]));
      const rows = [];
      const state = (item) => (item.status === "validated" ? T.on_map : T.pending);
      mine.actors.forEach((a) => rows.push([a.name, state(a), "actor", a.id]));
      mine.contributions.forEach((c) => rows.push([(names.get(c.actor_id) || "?") + " · " + W.labelled(T.stage_short[c.stage] || c.stage, c.text), state(c), "contribution", c.id]));
      mine.links.forEach((l) => rows.push([(names.get(l.source_id) || "?") + " → " + (names.get(l.target_id) || "?") + " (" + linkLabel(l.kind) + ")", state(l), "link", l.id]));
      W.outbox.items().filter((it) => it.event.startsWith("livemap:")).forEach((it) => {
        const p = it.payload;
        rows.push([p.name || p.text || linkLabel(p.kind || ""), T.sending]);
      });
      if (!rows.length) list.append(el("li", { class: "empty", text: T.nothing_pending }));
      rows.forEach(([text, state, what, id]) => {
        const li = el("li", {}, [el("span", { text: text }), el("span", { class: "pill", text: state })]);
        if (what) {
          // one's own submission can always be taken back, even once on the map
          const b = el("button", { type: "button", class: "btn small", "data-withdraw": what + ":" + id, text: T.withdraw });
          b.addEventListener("click", async () => {
            if (!window.confirm(T.confirm_withdraw)) return;
            const ack = await W.call("livemap:withdraw", { what: what, id: id });
            if (!ack.ok) say(ack.message, true);
          });
          li.append(b);
        }
        list.append(li);
      });
    }

    function apply(view) {
      pub = view;
      section.hidden = !(view.settings && view.settings.open);
      stageTexts(view.stages);
      fillSelects();
      renderMine();
    }

    W.onSnapshot((snap) => {
      if (!snap.livemap || isOlder(snap.livemap, pub)) return;
      mine = snap.livemap.mine || mine;
      apply(snap.livemap);
    });
    /* Broadcasts carry a sequence number: one that arrives after a newer one is dropped. */
    let mineSeq = 0;
    W.on("livemap:public", (view) => { if (!isOlder(view, pub)) apply(view); });
    W.on("livemap:mine", (m) => {
      if (m.seq < mineSeq) return;
      mineSeq = m.seq;
      mine = m;
      fillSelects();
      renderMine();
    });

    /* suggestions while typing */
    const nameInput = document.getElementById("lm-actor-name");
    const suggest = document.getElementById("lm-suggest");
    nameInput.addEventListener("input", () => {
      const words = fold(nameInput.value).split(" ").filter(Boolean);
      suggest.replaceChildren();
      if (!words.length) { suggest.hidden = true; return; }
      const hits = actorsKnown().filter((a) => { const f = fold(a.name); return words.every((w) => f.includes(w)); }).slice(0, 6);
      suggest.hidden = !hits.length;
      if (!hits.length) return;
      suggest.append(el("p", { class: "hint", text: T.suggest_title }));
      hits.forEach((a) => {
        const b = el("button", { type: "button", class: "btn small lm-suggestion", "data-actor": a.id, text: a.name });
        b.addEventListener("click", () => {
          nameInput.value = "";
          suggest.hidden = true;
          fillSelects(a.id);
          say(T.exists);
          showTab("contribution");
        });
        suggest.append(b);
      });
    });

    function send(event, payload) {
      W.outbox.add(event, payload);
      renderMine();
    }

    document.getElementById("lm-actor-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const f = e.target;
      send("livemap:actor:add", { name: f.name.value, kind: f.kind.value, territory: f.territory.value });
      f.reset();
      suggest.hidden = true;
    });
    document.getElementById("lm-contribution-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const f = e.target;
      const stage = f.querySelector('input[name="stage"]:checked');
      send("livemap:contribution:add", { actor_id: Number(f.actor_id.value), stage: stage ? stage.value : "", text: f.text.value });
      f.text.value = "";
    });
    document.getElementById("lm-link-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const f = e.target;
      send("livemap:link:add", { source_id: Number(f.source_id.value), target_id: Number(f.target_id.value), kind: f.kind.value });
    });

    W.outbox.onResult((item, ack) => {
      if (!item.event.startsWith("livemap:")) return;
      if (!ack.ok) { say(ack.message, true); W.announce(ack.message); renderMine(); return; }
      W.announce(T.sent);
      const d = ack.data;
      if (item.event === "livemap:actor:add") {
        if (d.status === "pending" && !mine.actors.some((a) => a.id === d.id)) mine.actors.push(d);
        fillSelects(d.id);
        say(d.created ? (d.status === "validated" ? T.added_validated : T.added) : T.exists);
        showTab("contribution");
      } else {
        say(d.status === "validated" ? T.added_validated : T.added);
      }
      renderMine();
    });
    W.outbox.onChange(() => renderMine());
  }

  /* ------------------------------------------------------------ console */
  function consolePage() {
    const root = document.getElementById("livemap-console");
    if (!root) return;
    let st = null;
    const errBox = document.getElementById("lm-console-error");
    function show(ack) {
      if (ack.ok) { errBox.hidden = true; return ack; }
      errBox.textContent = ack.message;
      errBox.hidden = false;
      return ack;
    }
    async function call(event, payload) { return show(await W.call(event, payload)); }

    function actorName(id) {
      const a = st.actors.find((x) => x.id === id);
      return a ? a.name : "?";
    }

    function btn(text, cls, fn, data) {
      const b = el("button", Object.assign({ type: "button", class: "btn small " + (cls || ""), text: text }, data || {}));
      b.addEventListener("click", fn);
      return b;
    }

    function mergeSelect(actor) {
      const sel = el("select", { class: "lm-merge", "aria-label": T.merge_into, "data-merge-source": actor.id });
      sel.append(el("option", { value: "", text: T.merge_into }));
      st.actors.filter((a) => a.id !== actor.id).forEach((a) => sel.append(el("option", { value: a.id, text: a.name })));
      sel.addEventListener("change", async () => {
        const target = st.actors.find((a) => a.id === Number(sel.value));
        if (!target) return;
        if (!window.confirm(fmt(T.confirm_merge, { a: actor.name, b: target.name }))) { sel.value = ""; return; }
        await call("livemap:merge", { source_id: actor.id, target_id: target.id, source_version: actor.version, target_version: target.version });
      });
      return sel;
    }

    function actorEditor(li, a) {
      const form = el("form", { class: "lm-edit" });
      const name = el("input", { name: "name", value: a.name, maxlength: "120", "aria-label": T.field_name });
      const kind = el("input", { name: "kind", value: a.kind, maxlength: "40", "aria-label": T.field_kind });
      const terr = el("input", { name: "territory", value: a.territory, maxlength: "120", "aria-label": T.field_territory });
      form.append(name, kind, terr, el("button", { type: "submit", class: "btn small", text: T.save }),
        btn(T.cancel, "", () => render()));
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        await call("livemap:actor:update", { actor_id: a.id, version: a.version, name: name.value, kind: kind.value, territory: terr.value });
      });
      li.append(form);
      name.focus();
    }

    function contributionRow(c) {
      const li = el("li", { class: "lm-contrib lm-stage-" + c.stage, "data-contribution": c.id });
      li.append(el("span", { class: "lm-tag", text: T.stage_short[c.stage] || c.stage }), el("span", { class: "lm-text", text: c.text }));
      const move = el("select", { "aria-label": T.move_to, "data-move": c.id });
      STAGES.forEach((s) => move.append(el("option", { value: s, text: T.stage_short[s], selected: s === c.stage })));
      move.addEventListener("change", () => call("livemap:contribution:update", { contribution_id: c.id, version: c.version, stage: move.value }));
      li.append(move);
      if (c.status === "pending") li.append(btn(T.validate, "primary", () => call("livemap:validate", { what: "contribution", id: c.id }), { "data-validate-contribution": c.id }));
      li.append(btn(T.edit, "", () => {
        const input = el("input", { value: c.text, maxlength: "500", class: "lm-edit-text" });
        const form = el("form", { class: "lm-edit" }, [input, el("button", { type: "submit", class: "btn small", text: T.save })]);
        form.addEventListener("submit", (e) => { e.preventDefault(); call("livemap:contribution:update", { contribution_id: c.id, version: c.version, text: input.value }); });
        li.append(form);
        input.focus();
      }));
      li.append(btn(T.delete, "danger", () => { if (window.confirm(T.confirm_delete)) call("livemap:delete", { what: "contribution", id: c.id, version: c.version }); }));
      return li;
    }

    function linkRow(l) {
      const li = el("li", { class: "lm-link", "data-link": l.id });
      li.append(el("span", { text: actorName(l.source_id) + " → " + actorName(l.target_id) + " (" + linkLabel(l.kind) + ")" }));
      if (l.status === "pending") li.append(btn(T.validate, "primary", () => call("livemap:validate", { what: "link", id: l.id }), { "data-validate-link": l.id }));
      li.append(btn(T.delete, "danger", () => call("livemap:delete", { what: "link", id: l.id, version: l.version })));
      return li;
    }

    function actorRow(a, withPendingOnly) {
      const li = el("li", { class: "lm-actor " + a.status, "data-actor": a.id });
      const head = el("div", { class: "lm-actor-head" }, [
        el("strong", { class: "lm-name", text: a.name }),
        el("span", { class: "hint", text: [kindLabel(a.kind), a.territory].filter(Boolean).join(" · ") }),
      ]);
      if (a.submitted_by) head.append(el("span", { class: "pill", text: a.status === "pending" ? T.pending : T.by_participant }));
      li.append(head);
      const tools = el("div", { class: "btn-row" });
      if (a.status === "pending") tools.append(btn(T.validate, "primary", () => call("livemap:validate", { what: "actor", id: a.id }), { "data-validate-actor": a.id }));
      tools.append(btn(T.edit, "", () => actorEditor(li, a)), mergeSelect(a),
        btn(T.delete, "danger", () => { if (window.confirm(T.confirm_delete)) call("livemap:delete", { what: "actor", id: a.id, version: a.version }); }, { "data-delete-actor": a.id }));
      li.append(tools);
      const contribs = st.contributions.filter((c) => c.actor_id === a.id && (!withPendingOnly || c.status === "pending" || a.status === "pending"));
      if (contribs.length) li.append(el("ul", { class: "lm-sublist" }, contribs.map(contributionRow)));
      return li;
    }

    function render() {
      const s = st.settings;
      const validated = st.actors.filter((a) => a.status === "validated");
      document.getElementById("lm-counts").textContent = countsText(
        validated.length,
        st.contributions.filter((c) => c.status === "validated").length,
        st.links.filter((l) => l.status === "validated").length,
      );
      const toggle = document.getElementById("lm-open-toggle");
      toggle.textContent = s.open ? T.close : T.open;
      toggle.title = s.open ? T.is_open : T.is_closed;
      toggle.classList.toggle("active", s.open);
      root.querySelectorAll("[data-lm-setview]").forEach((b) => b.classList.toggle("active", b.dataset.lmSetview === s.view));
      const hl = document.getElementById("lm-highlight");
      hl.replaceChildren(el("option", { value: "", text: T.no_highlight }));
      validated.slice().sort((a, b) => a.name.localeCompare(b.name, "fr")).forEach((a) => hl.append(el("option", { value: a.id, text: a.name, selected: s.highlight === a.id })));

      const pending = document.getElementById("lm-pending");
      pending.replaceChildren();
      st.actors.filter((a) => a.status === "pending").forEach((a) => pending.append(actorRow(a, true)));
      const validatedIds = new Set(validated.map((a) => a.id));
      st.contributions.filter((c) => c.status === "pending" && validatedIds.has(c.actor_id)).forEach((c) => {
        const li = contributionRow(c);
        li.prepend(el("strong", { text: actorName(c.actor_id) + " · " }));
        pending.append(li);
      });
      st.links.filter((l) => l.status === "pending").forEach((l) => pending.append(linkRow(l)));
      W.announceNew("livemap-pending", [
        ...st.actors.filter((a) => a.status === "pending").map((a) => "a" + a.id),
        ...st.contributions.filter((c) => c.status === "pending").map((c) => "c" + c.id),
        ...st.links.filter((l) => l.status === "pending").map((l) => "l" + l.id),
      ], T.new_pending);
      if (!pending.children.length) pending.append(el("li", { class: "empty", text: T.nothing_pending }));
      document.getElementById("lm-validate-all").disabled = pending.querySelector(".empty") !== null;

      const list = document.getElementById("lm-actors");
      list.replaceChildren();
      validated.forEach((a) => {
        const li = actorRow(a, false);
        const links = st.links.filter((l) => l.status === "validated" && (l.source_id === a.id));
        if (links.length) li.append(el("ul", { class: "lm-sublist" }, links.map(linkRow)));
        list.append(li);
      });
      if (!validated.length) list.append(el("li", { class: "empty", text: T.no_actors }));
      const dl = document.getElementById("lm-fac-actors");
      dl.replaceChildren(...st.actors.map((a) => el("option", { value: a.name })));
    }

    W.onSnapshot((snap) => { if (snap.livemap && !isOlder(snap.livemap, st)) { st = snap.livemap; W.keepFocus(root, render); } });
    W.on("livemap:state", (data) => {
      if (isOlder(data, st)) return; /* arrived late */
      st = data;
      W.keepFocus(root, render);
    });
    document.getElementById("lm-open-toggle").addEventListener("click", () => call("livemap:settings", { open: !st.settings.open }));
    root.querySelectorAll("[data-lm-setview]").forEach((b) => b.addEventListener("click", () => call("livemap:settings", { view: b.dataset.lmSetview })));
    document.getElementById("lm-highlight").addEventListener("change", (e) =>
      call("livemap:settings", { highlight: e.target.value ? Number(e.target.value) : null }));
    document.getElementById("lm-validate-all").addEventListener("click", () => call("livemap:validate", { what: "all" }));

    /* the facilitator's own live notes: validated at once */
    document.getElementById("lm-fac-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const name = document.getElementById("lm-fac-actor");
      const text = document.getElementById("lm-fac-text");
      const ack = await call("livemap:actor:add", { client_id: W.uuid(), name: name.value });
      if (!ack.ok) return;
      if (text.value.trim()) {
        const c = await call("livemap:contribution:add", {
          client_id: W.uuid(), actor_id: ack.data.id,
          stage: document.getElementById("lm-fac-stage").value, text: text.value,
        });
        if (!c.ok) return;
      }
      name.value = "";
      text.value = "";
      name.focus();
    });

    const importForm = document.getElementById("lm-import-form");
    const importMsg = document.getElementById("lm-import-msg");
    importForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      importMsg.textContent = T.importing;
      importMsg.className = "notice";
      importMsg.hidden = false;
      const files = document.getElementById("lm-import-files").files;
      const data = new FormData();
      [...files].forEach((f) => data.append("files", f, f.name));
      let body;
      try {
        const res = await fetch(root.dataset.importUrl, { method: "POST", body: data, credentials: "same-origin" });
        body = await res.json();
      } catch (err) {
        body = { ok: false, message: W.i18n.error };
      }
      if (body.ok) importMsg.textContent = fmt(T.import_done, body.counts);
      else { importMsg.textContent = body.message; importMsg.className = "notice error"; }
    });
  }

  /* ------------------------------------------------------------ projector */
  /* Drawn for the screen: the stage and network drawings are asked for the
   * shape of the room the page has (?ar=), the legend is beside them in the
   * page; the table (text alternative), the analysis and the highlighted
   * actor are text, paged by W.scenePager when they do not fit. */
  function projector() {
    const scene = document.querySelector('.scene[data-scene="livemap"]');
    if (!scene) return;
    let view = null;
    const indicator = document.getElementById("lm-proj-pager");
    const label = (i, n) => fmt(T.page_of, { n: i, total: n });
    const pagers = {
      table: W.scenePager("livemap-table", scene.querySelector('[data-lm-view="table"]'), { units: "tbody tr", indicator: indicator, label: label }),
      analysis: W.scenePager("livemap-analysis", document.getElementById("lm-proj-analysis"), { units: ".lm-unit", groups: "section", indicator: indicator, label: label }),
      highlight: null,
    };

    function aspectOf(box) {
      const r = box.getBoundingClientRect();
      return r.height > 0 ? (r.width / r.height).toFixed(2) : "1.78";
    }

    function imageFor(kind) {
      const img = document.getElementById("lm-img-" + kind);
      const s = view.settings;
      const src = "/a/" + encodeURIComponent(W.code) + "/livemap/map.svg?view=" + kind + "&v=" + s.version +
        "&h=" + (s.highlight || 0) + "&ar=" + aspectOf(img.parentElement);
      if (img.dataset.src === src) return;
      img.dataset.src = src;
      img.onload = () => { img.dataset.loadedVersion = String(s.version); scene.dataset.loadedVersion = String(s.version); };
      img.src = src;
    }

    // the shape each stage or type has on the drawing (maps.draw.SHAPE_MARKERS), in a 10×10 box
    const SHAPES = {
      circle: "M5 1A4 4 0 1 1 5 9A4 4 0 1 1 5 1Z", square: "M1.5 1.5H8.5V8.5H1.5Z", triangle: "M5 .8L9.2 8.8H.8Z",
      diamond: "M5 .5L9.5 5L5 9.5L.5 5Z", triangle_down: "M.8 1.2H9.2L5 9.2Z", pentagon: "M5 .6L9.4 3.8L7.7 9H2.3L.6 3.8Z",
      hexagon: "M5 .5L9 2.75V7.25L5 9.5L1 7.25V2.75Z", star: "M5 .3L6.3 3.6L9.8 3.8L7.1 6.1L8 9.6L5 7.6L2 9.6L2.9 6.1L.2 3.8L3.7 3.6Z",
      cross: "M2 .6L5 3.6L8 .6L9.4 2L6.4 5L9.4 8L8 9.4L5 6.4L2 9.4L.6 8L3.6 5L.6 2Z",
      plus: "M3.5 .5H6.5V3.5H9.5V6.5H6.5V9.5H3.5V6.5H.5V3.5H3.5Z", left: "M.8 5L8.8 .8V9.2Z", right: "M9.2 5L1.2 .8V9.2Z",
    };
    function swatch(fill, edge, shape) {
      const NS = "http://www.w3.org/2000/svg";
      const svg = document.createElementNS(NS, "svg");
      svg.setAttribute("viewBox", "0 0 10 10");
      svg.setAttribute("class", "lm-swatch");
      svg.setAttribute("aria-hidden", "true");
      const path = document.createElementNS(NS, "path");
      path.setAttribute("d", SHAPES[shape] || SHAPES.square);
      path.setAttribute("fill", edge);
      path.setAttribute("stroke", fill);
      path.setAttribute("stroke-width", "0.6");
      svg.dataset.shape = shape || "square";
      svg.append(path);
      return svg;
    }

    function lineSample(st) {
      const NS = "http://www.w3.org/2000/svg";
      const svg = document.createElementNS(NS, "svg");
      svg.setAttribute("viewBox", "0 0 40 10");
      svg.setAttribute("class", "lm-line");
      svg.setAttribute("aria-hidden", "true");
      const line = document.createElementNS(NS, "line");
      [["x1", 1], ["y1", 5], ["x2", 39], ["y2", 5], ["stroke", st.color], ["stroke-width", 1.2 * st.width + 0.8]].forEach(([k, v]) => line.setAttribute(k, v));
      if (st.dash) line.setAttribute("stroke-dasharray", st.dash);
      svg.append(line);
      return svg;
    }

    function renderLegend(kind) {
      const box = document.getElementById("lm-proj-legend");
      const lg = view.analysis.legend;
      box.hidden = !lg || !view.actors.length;
      if (box.hidden) return;
      const entries = kind === "stage" ? lg.kinds : lg.stages;
      const blocks = [
        el("h2", { text: kind === "stage" ? T.legend_kinds : T.legend_stages }),
        el("ul", {}, entries.map((e) => el("li", {}, [swatch(e.fill, e.edge, e.shape), el("span", { text: kind === "stage" ? kindLabel(e.key) : e.label })]))),
      ];
      if (lg.links.length) {
        blocks.push(el("h2", { text: T.legend_links }),
          el("ul", {}, lg.links.map((l) => el("li", {}, [lineSample(l), el("span", { text: linkLabel(l.key) })]))));
      }
      box.replaceChildren(...blocks);
    }

    function renderTable() {
      const head = document.getElementById("lm-proj-table-head");
      head.replaceChildren(el("th", { text: T.actor_col }), ...STAGES.map((s) => el("th", { class: "lm-th-" + s, text: T.stage_short[s] })));
      const body = document.getElementById("lm-proj-table-body");
      body.replaceChildren();
      (view.analysis.table || []).forEach((row) => {
        const tr = el("tr", { "data-actor-key": row.id });
        tr.append(el("th", { scope: "row", text: row.name }));
        STAGES.forEach((s) => tr.append(el("td", { class: "lm-td-" + s }, (row[s] || []).map((t) => el("p", { text: t })))));
        body.append(tr);
      });
    }

    function renderAnalysis() {
      const a = view.analysis;
      const box = document.getElementById("lm-proj-analysis");
      const max = Math.max(1, ...a.stages.map((s) => s.actors));
      const bars = a.stages.map((s) => el("div", { class: "lm-bar lm-unit lm-bar-" + s.key }, [
        el("span", { class: "lm-bar-label", text: s.label }),
        el("meter", { min: "0", max: String(max), value: String(s.actors), "aria-label": s.label }),
        el("strong", { text: String(s.actors) }),
      ]));
      const list = (items) => (items.length ? items.map((t) => el("p", { class: "lm-unit lm-item", text: t })) : [el("p", { class: "lm-unit hint", text: T.none })]);
      box.replaceChildren(
        el("section", {}, [el("h2", { text: T.coverage }), ...bars]),
        el("section", {}, [el("h2", { text: T.broken }), ...list(a.broken)]),
        el("section", {}, [el("h2", { text: T.suggestions }), ...list(a.suggestions.map((s) => W.labelled(s.source + " ↔ " + s.target, s.reason)))]),
        el("section", { class: "lm-paras" }, a.paragraphs.map((p) => el("p", { class: "lm-unit", text: p }))),
      );
    }

    function renderHighlight() {
      const box = document.getElementById("lm-proj-highlight");
      const h = view.highlight;
      const chain = el("ol", { class: "lm-hl-chain" }, STAGES.map((s) => {
        const who = h.stages ? h.stages[s] : null;
        return el("li", { class: "lm-hl-stage lm-stage-" + s + (who ? "" : " missing") + (who === h.actor ? " is-actor" : "") }, [
          el("span", { class: "lm-hl-stage-name", text: T.stage_short[s] }),
          el("strong", { text: who || T.missing_stage }),
        ]);
      }));
      const links = el("ul", { class: "lm-hl-links" }, h.links.length
        ? h.links.map((l) => el("li", {}, [el("span", { text: l.source + " → " + l.target }), el("span", { class: "lm-hl-kind", text: " (" + linkLabel(l.kind) + ")" })]))
        : [el("li", { class: "hint", text: T.no_links })]);
      box.replaceChildren(
        el("div", { class: "lm-hl-head" }, [el("p", { class: "lm-hl-eyebrow", text: T.highlighted }), el("h2", { class: "lm-hl-name", text: h.actor })]),
        el("h3", { text: W.labelled(T.chain, h.complete ? T.chain_complete : T.chain_broken) }),
        chain,
        el("h3", { text: T.its_links }),
        links,
      );
      pagers.highlight = W.scenePager("livemap-highlight", links, { units: "li", indicator: indicator, label: label });
    }

    function render() {
      const s = view.settings;
      scene.dataset.version = String(s.version);
      scene.dataset.view = s.view;
      document.getElementById("lm-proj-counts").textContent =
        countsText(view.actors.length, view.contributions.length, view.links.length);
      const shown = view.highlight ? "highlight" : s.view;
      scene.dataset.shown = shown;
      scene.querySelectorAll("[data-lm-view]").forEach((v) => { v.hidden = v.dataset.lmView !== shown; });
      if (shown === "stage" || shown === "network") renderLegend(shown);
      else document.getElementById("lm-proj-legend").hidden = true;
      // the text views are kept up to date even when not shown (cheap: text only)
      renderTable();
      renderAnalysis();
      if (shown === "highlight") renderHighlight();
      fit();
    }

    /* measures need the scene on screen: done again when it appears or the window changes */
    function fit() {
      if (!view || scene.hidden) return;
      const shown = scene.dataset.shown;
      Object.entries(pagers).forEach(([k, p]) => { if (p && k !== shown) p.stop(); });
      if (shown === "stage" || shown === "network") imageFor(shown);
      else if (pagers[shown]) pagers[shown].layout();
    }
    new MutationObserver(() => fit()).observe(scene, { attributes: true, attributeFilter: ["hidden"] });
    let resizeTimer = null;
    window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(fit, 200); });

    W.onSnapshot((snap) => { if (snap.livemap && !isOlder(snap.livemap, view)) { view = snap.livemap; render(); } });
    W.on("livemap:map", (data) => {
      if (isOlder(data, view)) return; /* arrived late */
      view = data;
      render();
    });
  }

  if (W.role === "participant") phone();
  else if (W.role === "facilitator") consolePage();
  else if (W.role === "projector") projector();
})();
