/* Word cloud on the three surfaces: console (settings, moderation of words),
 * phone (answers sent through the outbox, own answers) and projector (the
 * cloud placed by the server, scaled to the screen).
 *
 * State comes from the snapshot ("cloud" part) and the cloud:* events. Views
 * carry a revision: an older one never replaces a newer one. Every user text
 * goes through textContent, never innerHTML.
 */
(function () {
  "use strict";
  const W = window.Workshop;
  const node = document.getElementById("cloud-i18n");
  if (!W || !node) return;
  const T = W.texts(node.id); // updated in place when the language changes
  const el = W.el;
  const role = W.role;
  const fmt = (s, p) => s.replace(/\{(\w+)\}/g, (_, k) => String(p[k]));

  const store = { acts: new Map(), views: new Map(), mine: [], loaded: false };

  function setActivity(a) {
    const cur = store.acts.get(a.id);
    if (cur && cur.rev > a.rev) return;
    store.acts.set(a.id, a);
  }
  function setView(v) {
    const id = v.activity.id;
    const cur = store.views.get(id);
    if (cur && cur.rev > v.rev) return;
    store.views.set(id, v);
    setActivity(v.activity);
  }

  W.onSnapshot((snap) => {
    const c = snap.cloud;
    if (!c) return;
    store.acts = new Map();
    store.views = new Map();
    c.activities.forEach(setActivity);
    Object.values(c.views || {}).forEach(setView);
    if (c.mine) store.mine = c.mine;
    store.loaded = true;
    schedule();
  });
  W.on("cloud:activity", (a) => { setActivity(a); schedule(); });
  W.on("cloud:view", (v) => { setView(v); schedule(); });
  W.on("cloud:gone", (d) => {
    store.acts.delete(d.activity_id);
    store.views.delete(d.activity_id);
    store.mine = store.mine.filter((m) => m.activity_id !== d.activity_id);
    schedule();
  });
  W.on("cloud:mine", (d) => {
    store.mine = store.mine.filter((m) => m.activity_id !== d.activity_id).concat(d.answers);
    schedule();
  });

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      // not under a press: the button pressed would be replaced, its click lost
      if (role !== "projector" && W.pressed()) { W.afterPress(schedule); return; }
      if (role === "projector") renderProjector();
      else if (role === "facilitator") renderConsole();
      else renderPhone();
    });
  }

  function ordered() {
    return [...store.acts.values()].sort((a, b) => a.position - b.position || a.id - b.id);
  }
  // French: 0 and 1 take the singular (W.plural follows the page's language).
  function plural(n, one, many) { return W.plural(n, { one: "{n} " + one, other: "{n} " + many }); }

  /* ---------------------------------------------------------------- projector */
  const MIN_COUNT_FONT = 2.4;
  const placedEls = new Map();
  let currentId = null;

  function renderProjector() {
    const scene = document.querySelector('.scene[data-scene="cloud"]');
    if (!scene) return;
    const act = ordered().find((a) => a.on_screen);
    currentId = act ? act.id : null;
    const q = document.getElementById("cloud-proj-question");
    const wait = document.getElementById("cloud-wait");
    const foot = document.getElementById("cloud-foot");
    const canvas = document.getElementById("cloud-canvas");
    if (!act) {
      q.textContent = T.no_cloud;
      clearCanvas(canvas);
      wait.hidden = true;
      foot.textContent = "";
      return;
    }
    // a question typed with a plain space before « ? » or « ! » keeps it on the same line
    q.textContent = act.question.replace(/ ([?!:;»])/g, "\u00a0$1").replace(/« /g, "«\u00a0");
    const view = store.views.get(act.id);
    const answers = view ? view.answers : 0;
    const people = view ? view.people : 0;
    const bits = [plural(answers, T.answers_one, T.answers_many)];
    // answers written by the facilitator (the demo's) have nobody behind them
    if (people) bits.push(plural(people, T.people_one, T.people_many));
    if (!view || !view.layout) {
      clearCanvas(canvas);
      wait.textContent = view && !view.public ? T.reveal_wait : T.waiting;
      wait.hidden = false;
      foot.textContent = bits.join(" · ");
      return;
    }
    const lay = view.layout;
    if (lay.others) bits.push(lay.others === 1 ? T.others_one : fmt(T.others_many, { n: lay.others }));
    foot.textContent = bits.join(" · ");
    wait.hidden = lay.words.length > 0;
    if (!lay.words.length) wait.textContent = T.waiting;
    drawCloud(canvas, lay, act.show_counts);
  }

  function clearCanvas(canvas) {
    canvas.replaceChildren();
    placedEls.clear();
  }

  /* The canvas fills the stage; a small cloud is zoomed in (at most 2.5×)
   * around the canvas centre. The zoom only ever shrinks while the cloud
   * grows (it starts again when the cloud changes or the screen is
   * resized): a word added inside the cloud moves nothing, a word added
   * outside it zooms everything out together, the arrangement kept. */
  let zoomFor = null;
  let zoom = 1;
  function drawCloud(canvas, lay, showCounts) {
    const stage = canvas.parentElement;
    const [cw, ch] = lay.canvas;
    const box = stage.getBoundingClientRect();
    const base = Math.max(0.1, Math.min(box.width / cw, box.height / ch));
    let ex = 1, ey = 1;
    lay.words.forEach((w) => {
      ex = Math.max(ex, Math.abs(w.x) + w.w / 2);
      ey = Math.max(ey, Math.abs(w.y) + w.h / 2);
    });
    const fit = Math.max(1, Math.min(2.5, (box.width / 2) / (ex * base * 1.04), (box.height / 2) / (ey * base * 1.04)));
    const key = (store.acts.get(currentId) || {}).id + ":" + Math.round(box.width) + "x" + Math.round(box.height);
    if (zoomFor !== key || fit < zoom) { zoom = fit; zoomFor = key; }
    const scale = base * zoom;
    canvas.style.width = box.width + "px";
    canvas.style.height = box.height + "px";
    const ox = box.width / 2, oy = box.height / 2;
    const keep = new Set();
    lay.words.forEach((w) => {
      keep.add(w.key);
      let span = placedEls.get(w.key);
      const fresh = !span;
      if (fresh) {
        span = el("span", { class: "cloud-word entering" }, [
          el("span", { class: "cloud-label" }),
          el("span", { class: "cloud-count" }),
        ]);
        placedEls.set(w.key, span);
        canvas.append(span);
        requestAnimationFrame(() => span.classList.remove("entering"));
      }
      span.dataset.key = w.key;
      span.dataset.count = w.count;
      span.dataset.font = w.font * scale;
      span.style.color = w.colour;
      span.style.left = ox + (w.x - w.w / 2) * scale + "px";
      span.style.top = oy + (w.y - w.h / 2) * scale + "px";
      span.style.width = w.w * scale + "px";
      span.style.height = w.h * scale + "px";
      span.style.lineHeight = w.h * scale + "px";
      const label = span.firstChild;
      const count = span.lastChild;
      label.textContent = w.label;
      label.style.fontSize = w.font * scale + "px";
      count.textContent = "\u00a0" + w.count;
      count.style.fontSize = Math.max(MIN_COUNT_FONT, 0.45 * w.font) * scale + "px";
      count.hidden = !showCounts;
      span.title = W.labelled(w.label, String(w.count));
      // The server estimates widths for DejaVu Sans Bold: if this screen's
      // font is wider, shrink this word alone rather than overlap.
      const room = (w.w - 0.5 * w.font) * scale - (showCounts ? count.offsetWidth : 0);
      const used = label.offsetWidth;
      if (used > room && used > 0) label.style.fontSize = (w.font * scale * room) / used + "px";
    });
    placedEls.forEach((span, key) => {
      if (!keep.has(key)) { span.remove(); placedEls.delete(key); }
    });
  }

  if (role === "projector") {
    window.addEventListener("resize", schedule);
    // drawn while its scene was hidden, the cloud had no room: draw it again when it shows
    const cloudScene = document.querySelector('.scene[data-scene="cloud"]');
    if (cloudScene) {
      new MutationObserver(() => { if (!cloudScene.hidden) { zoomFor = null; schedule(); } })
        .observe(cloudScene, { attributes: true, attributeFilter: ["hidden"] });
    }
  }

  /* ---------------------------------------------------------------- phone */
  const cards = new Map();
  const errors = new Map();
  let editing = null;

  function outboxAnswers(aid) {
    return W.outbox.items().filter((it) => it.event === "cloud:answer" && it.payload.activity_id === aid);
  }

  function checkLocal(act, text) {
    const t = text.trim();
    if (!t) return null;
    if (t.length > act.max_chars) return fmt(T.too_long, { c: act.max_chars });
    if (t.split(/\s+/).length > act.max_words) return fmt(T.too_many_words, { w: act.max_words });
    return null;
  }

  function phoneCard(act) {
    let card = cards.get(act.id);
    if (card) return card;
    const input = el("input", { id: "cloud-input-" + act.id, class: "cloud-input", autocomplete: "off", enterkeyhint: "send" });
    const counter = el("span", { class: "hint cloud-counter", "aria-live": "polite" });
    const send = el("button", { type: "submit", class: "btn primary", text: T.send });
    const form = el("form", { class: "cloud-answer-form" }, [
      el("label", { for: input.id, text: T.your_answer }),
      el("div", { class: "cloud-answer-row" }, [input, send]),
      counter,
    ]);
    const msg = el("p", { class: "error", role: "alert", hidden: true });
    const list = el("ul", { class: "cloud-mine", "aria-label": T.my_answers });
    const root = el("section", { class: "card cloud-card", "data-activity": act.id }, [
      el("h2", { class: "cloud-phone-question" }),
      el("p", { class: "hint cloud-limits" }),
      form, msg,
      el("h3", { class: "cloud-mine-title", text: T.my_answers }),
      list,
    ]);
    input.addEventListener("input", () => {
      const a = store.acts.get(act.id);
      const problem = a && checkLocal(a, input.value);
      counter.textContent = problem || (input.value.trim().length + " / " + (a ? a.max_chars : "") + " " + T.chars);
      counter.classList.toggle("error", !!problem);
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const a = store.acts.get(act.id);
      const text = input.value.trim();
      if (!a || !text) return;
      const problem = checkLocal(a, text);
      if (problem) { showError(act.id, problem); return; }
      errors.delete(act.id);
      W.outbox.add("cloud:answer", { activity_id: act.id, text: text });
      input.value = "";
      counter.textContent = "";
      schedule();
    });
    card = { root, input, form, msg, list, counter };
    cards.set(act.id, card);
    return card;
  }

  function showError(aid, message) {
    errors.set(aid, message);
    schedule();
  }

  function renderPhone() {
    const section = document.getElementById("cloud-participant");
    const host = document.getElementById("cloud-phone-list");
    if (!section || !host) return;
    const acts = ordered().filter((a) => a.status === "open" || store.mine.some((m) => m.activity_id === a.id));
    section.hidden = acts.length === 0;
    const want = new Set(acts.map((a) => a.id));
    cards.forEach((c, id) => { if (!want.has(id)) { c.root.remove(); cards.delete(id); } });
    acts.forEach((a) => {
      const c = phoneCard(a);
      if (!c.root.isConnected || c.root.parentElement !== host) host.append(c.root);
      c.root.querySelector(".cloud-phone-question").textContent = a.question;
      const limits = a.max_answers === 1
        ? fmt(T.limits_one, { w: a.max_words, c: a.max_chars })
        : fmt(T.limits, { n: a.max_answers, w: a.max_words, c: a.max_chars });
      c.root.querySelector(".cloud-limits").textContent = limits + " " + (a.anonymous ? T.anonymous : T.named);
      c.input.maxLength = a.max_chars * 2;
      const mine = store.mine.filter((m) => m.activity_id === a.id);
      const waiting = outboxAnswers(a.id);
      const used = mine.length + waiting.length;
      const open = a.status === "open";
      c.form.hidden = !open || used >= a.max_answers;
      let note = errors.get(a.id) || "";
      if (!open) note = T.closed;
      else if (used >= a.max_answers && !note) note = T.limit_reached;
      c.msg.textContent = note;
      c.msg.hidden = !note;
      c.msg.classList.toggle("error", !!errors.get(a.id));
      if (editing && c.list.contains(document.activeElement)) return;
      c.list.replaceChildren(
        ...mine.map((m) => mineItem(a, m)),
        ...waiting.map((it) => el("li", { class: "cloud-mine-item pending" }, [
          el("span", { class: "cloud-mine-text", text: it.payload.text }),
          el("span", { class: "pill", text: T.pending }),
        ])),
      );
      c.root.querySelector(".cloud-mine-title").hidden = !mine.length && !waiting.length;
    });
  }

  function mineItem(act, m) {
    const open = act.status === "open";
    if (editing === m.id && open) {
      const input = el("input", { class: "cloud-input", value: m.text, "aria-label": T.your_answer });
      const save = el("button", { type: "submit", class: "btn primary small", text: T.save });
      const cancel = el("button", { type: "button", class: "btn small", text: T.cancel });
      const form = el("form", { class: "cloud-edit" }, [input, save, cancel]);
      cancel.addEventListener("click", () => { editing = null; schedule(); });
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const problem = checkLocal(act, input.value);
        if (problem) { showError(act.id, problem); return; }
        const ack = await W.call("cloud:answer:update", { answer_id: m.id, text: input.value });
        if (ack.ok) { editing = null; errors.delete(act.id); } else errors.set(act.id, ack.message);
        document.activeElement && document.activeElement.blur();
        schedule();
      });
      setTimeout(() => input.focus(), 0);
      return el("li", { class: "cloud-mine-item editing" }, [form]);
    }
    const kids = [el("span", { class: "cloud-mine-text", text: m.text }), el("span", { class: "pill ok", text: T.sent })];
    if (open) {
      const edit = el("button", { type: "button", class: "btn small", text: T.edit });
      const del = el("button", { type: "button", class: "btn small danger", text: T.withdraw });
      edit.addEventListener("click", () => { editing = m.id; schedule(); });
      del.addEventListener("click", async () => {
        if (!window.confirm(T.confirm_withdraw)) return;
        const ack = await W.call("cloud:answer:delete", { answer_id: m.id });
        if (!ack.ok) errors.set(act.id, ack.message);
        else errors.delete(act.id);
        schedule();
      });
      kids.push(el("span", { class: "cloud-mine-actions" }, [edit, del]));
    }
    return el("li", { class: "cloud-mine-item" }, kids);
  }

  if (role === "participant") {
    W.outbox.onChange(() => schedule());
    W.outbox.onResult((item, ack) => {
      if (item.event !== "cloud:answer") return;
      if (ack.ok) {
        const d = ack.data;
        if (!store.mine.some((m) => m.id === d.id)) store.mine.push(d);
        errors.delete(item.payload.activity_id);
        W.announce(T.sent);
      } else {
        errors.set(item.payload.activity_id, W.labelled(T.refused, W.quoted(item.payload.text)) + " — " + ack.message);
        W.announce(ack.message);
      }
      schedule();
    });
  }

  /* ---------------------------------------------------------------- console */
  const consoleErr = document.getElementById("cloud-error");
  function consoleFail(ack) {
    if (!consoleErr) return;
    consoleErr.textContent = ack.ok ? "" : ack.message;
    consoleErr.hidden = ack.ok;
  }
  async function send(event, payload) {
    const ack = await W.call(event, payload);
    consoleFail(ack);
    return ack;
  }

  function renderConsole() {
    const host = document.getElementById("cloud-list");
    if (!host) return;
    if (host.contains(document.activeElement) && document.activeElement.matches("input, select")) {
      deferred = true;
      return;
    }
    // A cloud activity of the déroulé shows its own cloud alone, its words
    // in a region that scrolls on its own; the form to add one is for the rest.
    const focus = W.consoleFocus;
    const only = focus && focus.type === "cloud" ? focus.cloud_id : null;
    const newBox = document.getElementById("cloud-new");
    if (newBox) newBox.hidden = !!only;
    host.classList.toggle("cloud-focused", !!only);
    host.replaceChildren(...ordered().filter((a) => !only || a.id === only).map(consoleCard));
  }
  document.addEventListener("workshop:console-focus", () => schedule());
  let deferred = false;
  document.addEventListener("focusout", () => {
    if (deferred) { deferred = false; setTimeout(schedule, 0); }
  });

  function button(text, onClick, cls) {
    const b = el("button", { type: "button", class: "btn small " + (cls || ""), text: text });
    b.addEventListener("click", onClick);
    return b;
  }

  function consoleCard(a) {
    const view = store.views.get(a.id);
    const upd = (fields) => send("cloud:update", Object.assign({ activity_id: a.id }, fields));
    const status = el("span", { class: "pill", text: a.status === "open" ? T.status_open : T.status_closed });
    const controls = [
      button(a.status === "open" ? T.close : T.open, () => upd({ status: a.status === "open" ? "closed" : "open" })),
      button(a.on_screen ? T.on_screen : T.put_on_screen, () => upd({ on_screen: !a.on_screen }), a.on_screen ? "active" : ""),
      button(a.show_counts ? T.hide_counts : T.show_counts, () => upd({ show_counts: !a.show_counts })),
    ];
    if (a.mode === "reveal") {
      controls.push(button(a.revealed ? T.unreveal : T.reveal, () => upd({ revealed: !a.revealed }), a.revealed ? "" : "primary"));
    }
    controls.push(button(T.delete, () => { if (window.confirm(T.confirm_delete)) send("cloud:delete", { activity_id: a.id }); }, "danger"));
    const base = document.querySelector("#cloud-console .cloud-exports a[data-export='csv']");
    const exportLinks = [];
    if (base) {
      ["csv", "xlsx", "png"].forEach((f) => {
        const href = base.getAttribute("href").replace(/export\.csv$/, "export." + f) + "?activity=" + a.id;
        exportLinks.push(el("a", { class: "btn small", href: href, "data-export": f, text: f === "png" ? T.image : f.toUpperCase() }));
      });
    }
    const summary = view ? plural(view.answers, T.answers_one, T.answers_many) + " · " + plural(view.people, T.people_one, T.people_many) : "";
    return el("article", { class: "cloud-item", "data-activity": a.id }, [
      el("header", { class: "cloud-item-head" }, [
        el("h3", { text: a.question }), status,
        el("span", { class: "hint", text: (a.mode === "live" ? T.mode_live : T.mode_reveal) + " · " + summary }),
      ]),
      el("div", { class: "btn-row" }, controls),
      el("p", { class: "cloud-item-exports" }, [T.exports + " ", ...exportLinks]),
      wordsTable(a, view),
    ]);
  }

  function wordsTable(a, view) {
    const words = (view && view.words) || [];
    if (!words.length) return el("p", { class: "hint", text: T.no_words });
    const visible = words.filter((w) => !w.hidden);
    const rows = words.map((w) => {
      const actions = [button(w.hidden ? T.show : T.hide, () => send("cloud:word:hide", { activity_id: a.id, key: w.key, hidden: !w.hidden }))];
      const sel = el("select", { "aria-label": T.merge_into + " " + w.label, class: "cloud-merge-select" }, [
        el("option", { value: "", text: T.merge_into }),
        ...visible.filter((o) => o.key !== w.key).map((o) => el("option", { value: o.key, text: o.label + " (" + o.count + ")" })),
      ]);
      actions.push(sel, button(T.merge, () => {
        if (sel.value) send("cloud:word:merge", { activity_id: a.id, key: w.key, into: sel.value });
      }));
      const ren = el("input", { class: "cloud-rename", value: w.label, "aria-label": T.rename_to + " " + w.label, maxlength: a.max_chars });
      actions.push(ren, button(T.rename, () => send("cloud:word:rename", { activity_id: a.id, key: w.key, label: ren.value.trim() || null })));
      const spell = el("div", { class: "cloud-spellings" }, [
        el("span", { text: w.spellings.map(([t, n]) => (n > 1 ? t + " ×" + n : t)).join(", ") }),
      ]);
      w.merged.forEach((k) => {
        spell.append(" ", button(T.unmerge + " « " + k + " »", () => send("cloud:word:merge", { activity_id: a.id, key: k, into: null })));
      });
      return el("tr", { class: w.hidden ? "cloud-row hidden-word" : "cloud-row", "data-key": w.key }, [
        el("th", { scope: "row" }, [el("span", { text: w.label }), w.hidden ? el("span", { class: "pill", text: T.hidden }) : ""]),
        el("td", { class: "num", text: String(w.count) }),
        el("td", {}, [spell]),
        el("td", { class: "cloud-actions" }, actions),
      ]);
    });
    const focused = W.consoleFocus && W.consoleFocus.cloud_id === a.id;
    return el("details", { class: "cloud-words", open: focused || a.on_screen || store.acts.size === 1 }, [
      el("summary", { text: T.words_of + " (" + words.length + ")" }),
      el("div", { class: "cloud-table-box", tabindex: "0", role: "region", "aria-label": T.words_of }, [el("table", { class: "cloud-table" }, [
        el("thead", {}, [el("tr", {}, [T.word, T.count, T.spellings, T.actions].map((h) => el("th", { scope: "col", text: h })))]),
        el("tbody", {}, rows),
      ])]),
    ]);
  }

  const form = document.getElementById("cloud-form");
  if (form) {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      const payload = {
        question: fd.get("question"),
        max_answers: parseInt(fd.get("max_answers"), 10),
        max_words: parseInt(fd.get("max_words"), 10),
        max_chars: parseInt(fd.get("max_chars"), 10),
        mode: fd.get("mode"),
      };
      const anon = document.getElementById("cloud-anonymous");
      if (anon && !anon.disabled) payload.anonymous = anon.checked;
      if (!store.acts.size) payload.on_screen = true;
      const ack = await send("cloud:create", payload);
      if (ack.ok) form.reset();
    });
  }
})();
