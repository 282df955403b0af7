/* Quick poll on the three surfaces: console (create, close, show results),
 * phone (ballot through the outbox, changeable until close) and projector
 * (bars with counts and percentages; mean and distribution for a scale).
 *
 * State comes from the snapshot ("poll" part) and the poll:* events; a view
 * never replaces a newer one (rev). User texts go through textContent.
 */
(function () {
  "use strict";
  const W = window.Workshop;
  const node = document.getElementById("poll-i18n");
  if (!W || !node) return;
  const T = W.texts(node.id); // updated in place when the language changes
  const el = W.el;
  const role = W.role;
  const fmt = (s, p) => s.replace(/\{(\w+)\}/g, (_, k) => String(p[k]));
  const decimal = (x) => String(x).replace(".", ",");

  const store = { views: new Map(), mine: new Map() };
  function setView(v) {
    const cur = store.views.get(v.poll.id);
    if (cur && cur.rev > v.rev) return;
    store.views.set(v.poll.id, v);
  }
  W.onSnapshot((snap) => {
    const p = snap.poll;
    if (!p) return;
    store.views = new Map();
    p.views.forEach(setView);
    if (p.mine) store.mine = new Map(p.mine.map((b) => [b.poll_id, b]));
    schedule();
  });
  W.on("poll:view", (v) => { setView(v); schedule(); });
  document.addEventListener("workshop:console-focus", () => schedule());
  W.on("poll:gone", (d) => { store.views.delete(d.poll_id); store.mine.delete(d.poll_id); schedule(); });
  W.on("poll:mine", (b) => { store.mine.set(b.poll_id, b); schedule(); });

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
    return [...store.views.values()].sort((a, b) => a.poll.position - b.poll.position || a.poll.id - b.poll.id);
  }
  const votes = (n) => n + " " + (n === 1 ? T.voters_one : T.voters_many);

  /* Bars: one row per option (or scale value), the width its percentage. */
  function bars(view) {
    const p = view.poll, r = view.results;
    if (p.kind === "scale") {
      const max = Math.max(1, ...r.distribution.map((d) => d.count));
      const cols = r.distribution.map((d) => el("div", { class: "poll-col" }, [
        // the count, and under it its percentage: each on its own line, so
        // that ten columns keep them whole at 1024 pixels wide
        el("span", { class: "poll-col-count" }, [
          el("b", { text: String(d.count) }),
          el("span", { class: "poll-col-percent", text: d.percent + "\u00a0%" }),
        ]),
        el("span", { class: "poll-col-bar", "data-h": Math.round((100 * d.count) / max) }),
        el("span", { class: "poll-col-value", text: String(d.value) }),
      ]));
      const wrap = el("div", { class: "poll-scale" }, [
        el("div", { class: "poll-cols" }, cols),
        el("div", { class: "poll-ends" }, [
          el("span", { text: p.label_low ? W.labelled("1", p.label_low) : "" }),
          el("span", { text: p.label_high ? W.labelled(String(p.scale_max), p.label_high) : "" }),
        ]),
        el("p", { class: "poll-mean", text: W.labelled(T.mean, r.mean === null ? "—" : decimal(r.mean) + " / " + p.scale_max) }),
      ]);
      wrap.querySelectorAll(".poll-col-bar").forEach((b) => { b.style.height = b.dataset.h + "%"; });
      return wrap;
    }
    const list = el("div", { class: "poll-bars" }, r.options.map((o) => {
      const fill = el("span", { class: "poll-bar-fill" });
      fill.style.width = o.percent + "%";
      return el("div", { class: "poll-bar" }, [
        el("span", { class: "poll-bar-label", text: o.label }),
        el("span", { class: "poll-bar-track" }, [fill]),
        el("span", { class: "poll-bar-count", text: o.count + " (" + o.percent + " %)" }),
      ]);
    }));
    return list;
  }

  function kindHint(p) {
    if (p.kind === "scale") return fmt(T.pick_scale, { n: p.scale_max });
    if (p.kind === "multiple") return fmt(T.pick_many, { n: p.max_choices });
    return T.pick_one;
  }

  /* ---------------------------------------------------------------- projector */
  function renderProjector() {
    const q = document.getElementById("poll-proj-question");
    const stage = document.getElementById("poll-stage");
    const foot = document.getElementById("poll-foot");
    if (!q) return;
    const view = ordered().find((v) => v.poll.on_screen);
    if (!view) { q.textContent = T.no_poll; stage.replaceChildren(); foot.textContent = ""; return; }
    // a question typed with a plain space before « ? » or « ! » keeps it on the same line
    q.textContent = view.poll.question.replace(/ ([?!:;»])/g, "\u00a0$1").replace(/« /g, "«\u00a0");
    foot.textContent = votes(view.voters) + (view.poll.status === "closed" ? " · " + T.status_closed : "");
    if (!view.results) {
      stage.replaceChildren(el("p", { class: "cloud-wait poll-wait", text: T.results_hidden }));
      return;
    }
    stage.replaceChildren(bars(view));
  }

  /* ---------------------------------------------------------------- phone */
  const cards = new Map();
  const errors = new Map();

  function outboxVote(pid) {
    const items = W.outbox.items().filter((it) => it.event === "poll:vote" && it.payload.poll_id === pid);
    return items[items.length - 1] || null;
  }

  function phoneCard(p) {
    let card = cards.get(p.id);
    if (card && card.kind === p.kind && card.signature === JSON.stringify([p.options, p.scale_max, p.max_choices])) return card;
    if (card) card.root.remove();
    const name = "poll-" + p.id;
    const type = p.kind === "multiple" ? "checkbox" : "radio";
    const choices = p.kind === "scale"
      ? Array.from({ length: p.scale_max }, (_, i) => ({ id: i + 1, label: String(i + 1) }))
      : p.options;
    const inputs = choices.map((c) => {
      const id = name + "-" + c.id;
      return el("label", { class: "poll-option" + (p.kind === "scale" ? " scale" : ""), for: id }, [
        el("input", { type: type, name: name, id: id, value: c.id }),
        el("span", { text: c.label }),
      ]);
    });
    const fieldset = el("fieldset", { class: "poll-fieldset" + (p.kind === "scale" ? " scale" : "") }, [
      el("legend", { class: "sr-only", text: p.question }),
      ...inputs,
    ]);
    const ends = p.kind === "scale" ? el("div", { class: "poll-ends phone" }, [
      el("span", { text: p.label_low || "" }), el("span", { text: p.label_high || "" }),
    ]) : "";
    const submit = el("button", { type: "submit", class: "btn primary", text: T.vote });
    const withdraw = el("button", { type: "button", class: "btn", text: T.withdraw });
    const form = el("form", { class: "poll-form" }, [fieldset, ends, el("div", { class: "btn-row" }, [submit, withdraw])]);
    const root = el("section", { class: "card cloud-card poll-card", "data-poll": p.id }, [
      el("h2", { class: "cloud-phone-question" }),
      el("p", { class: "hint poll-hint" }),
      form,
      el("p", { class: "poll-state", role: "status" }),
      el("div", { class: "poll-phone-results" }),
    ]);
    form.addEventListener("change", (e) => {
      const v = store.views.get(p.id);
      if (p.kind !== "multiple" || !v) return;
      const checked = form.querySelectorAll("input:checked");
      if (checked.length > v.poll.max_choices) {
        e.target.checked = false;
        errors.set(p.id, fmt(T.too_many, { n: v.poll.max_choices }));
        schedule();
      }
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const picked = [...form.querySelectorAll("input:checked")].map((i) => parseInt(i.value, 10));
      if (!picked.length) return;
      errors.delete(p.id);
      const payload = { poll_id: p.id };
      if (p.kind === "scale") payload.value = picked[0];
      else payload.choices = picked;
      W.outbox.add("poll:vote", payload);
      schedule();
    });
    withdraw.addEventListener("click", async () => {
      const ack = await W.call("poll:withdraw", { poll_id: p.id });
      if (ack.ok) { store.mine.delete(p.id); errors.delete(p.id); form.reset(); }
      else errors.set(p.id, ack.message);
      schedule();
    });
    card = { root, form, submit, withdraw, kind: p.kind, signature: JSON.stringify([p.options, p.scale_max, p.max_choices]), synced: null };
    cards.set(p.id, card);
    return card;
  }

  function renderPhone() {
    const section = document.getElementById("poll-participant");
    const host = document.getElementById("poll-phone-list");
    if (!section || !host) return;
    const views = ordered().filter((v) => v.poll.status === "open" || v.results || store.mine.has(v.poll.id));
    section.hidden = views.length === 0;
    const want = new Set(views.map((v) => v.poll.id));
    cards.forEach((c, id) => { if (!want.has(id)) { c.root.remove(); cards.delete(id); } });
    views.forEach((v) => {
      const p = v.poll;
      const c = phoneCard(p);
      if (c.root.parentElement !== host) host.append(c.root);
      c.root.querySelector(".cloud-phone-question").textContent = p.question;
      c.root.querySelector(".poll-hint").textContent = kindHint(p);
      const mine = store.mine.get(p.id);
      const queued = outboxVote(p.id);
      const open = p.status === "open";
      // Show the stored ballot, unless the person is choosing again.
      const ballot = queued ? queued.payload : mine;
      const key = JSON.stringify(ballot || null);
      if (c.synced !== key && !c.form.contains(document.activeElement)) {
        c.form.querySelectorAll("input").forEach((i) => {
          const id = parseInt(i.value, 10);
          i.checked = !!ballot && (p.kind === "scale" ? ballot.value === id : (ballot.choices || []).includes(id));
        });
        c.synced = key;
      }
      c.form.querySelectorAll("input, button").forEach((i) => { i.disabled = !open; });
      c.submit.textContent = mine && mine.client_id ? T.change_vote : T.vote;
      c.withdraw.hidden = !(mine && mine.client_id) || !open;
      const state = c.root.querySelector(".poll-state");
      let text = "";
      if (errors.get(p.id)) text = errors.get(p.id);
      else if (queued) text = T.pending;
      else if (!open) text = T.closed;
      else if (mine && mine.client_id) text = T.voted;
      state.textContent = text;
      state.classList.toggle("error", !!errors.get(p.id));
      const res = c.root.querySelector(".poll-phone-results");
      res.replaceChildren(...(v.results ? [el("h3", { text: T.results + " · " + votes(v.voters) }), bars(v)] : []));
    });
  }

  if (role === "participant") {
    W.outbox.onChange(() => schedule());
    W.outbox.onResult((item, ack) => {
      if (item.event !== "poll:vote") return;
      if (ack.ok) { store.mine.set(ack.data.poll_id, ack.data); errors.delete(item.payload.poll_id); W.announce(T.voted); }
      else { errors.set(item.payload.poll_id, W.labelled(T.refused, ack.message)); W.announce(ack.message); }
      schedule();
    });
  }

  /* ---------------------------------------------------------------- console */
  const consoleErr = document.getElementById("poll-error");
  async function send(event, payload) {
    const ack = await W.call(event, payload);
    if (consoleErr) { consoleErr.textContent = ack.ok ? "" : ack.message; consoleErr.hidden = ack.ok; }
    return ack;
  }
  function button(text, onClick, cls) {
    const b = el("button", { type: "button", class: "btn small " + (cls || ""), text: text });
    b.addEventListener("click", onClick);
    return b;
  }

  function renderConsole() {
    const host = document.getElementById("poll-list");
    if (!host) return;
    // A poll activity of the déroulé shows its own poll alone.
    const focus = W.consoleFocus;
    const only = focus && focus.type === "poll" ? focus.poll_id : null;
    const newBox = document.getElementById("poll-new");
    if (newBox) newBox.hidden = !!only;
    host.replaceChildren(...ordered().filter((v) => !only || v.poll.id === only).map((v) => {
      const p = v.poll;
      const upd = (f) => send("poll:update", Object.assign({ poll_id: p.id }, f));
      const base = document.querySelector("#poll-console .poll-exports a[data-export='csv']");
      const links = base ? ["csv", "xlsx"].map((f) => el("a", {
        class: "btn small", "data-export": f, text: f.toUpperCase(),
        href: base.getAttribute("href").replace(/export\.csv$/, "export." + f) + "?poll=" + p.id,
      })) : [];
      return el("article", { class: "cloud-item poll-item", "data-poll": p.id }, [
        el("header", { class: "cloud-item-head" }, [
          el("h3", { text: p.question }),
          el("span", { class: "pill", text: p.status === "open" ? T.status_open : T.status_closed }),
          el("span", { class: "hint", text: T["kind_" + p.kind] + " · " + votes(v.voters) + " · " + (p.results_shown ? T.results_shown : T.results_hidden_short) }),
        ]),
        el("div", { class: "btn-row" }, [
          button(p.status === "open" ? T.close : T.reopen, () => upd({ status: p.status === "open" ? "closed" : "open" })),
          button(p.results_shown ? T.hide_results : T.show_results, () => upd({ results_shown: !p.results_shown }), p.results_shown ? "" : "primary"),
          button(p.on_screen ? T.on_screen : T.put_on_screen, () => upd({ on_screen: !p.on_screen }), p.on_screen ? "active" : ""),
          button(T.delete, () => { if (window.confirm(T.confirm_delete)) send("poll:delete", { poll_id: p.id }); }, "danger"),
        ]),
        el("p", { class: "cloud-item-exports" }, [T.exports + " ", ...links]),
        v.results ? bars(v) : "",
      ]);
    }));
  }

  const form = document.getElementById("poll-form");
  if (form) {
    const kind = document.getElementById("poll-kind");
    const toggle = () => {
      form.querySelector(".poll-choice-fields").hidden = kind.value === "scale";
      form.querySelector(".poll-multiple-fields").hidden = kind.value !== "multiple";
      form.querySelector(".poll-scale-fields").hidden = kind.value !== "scale";
    };
    kind.addEventListener("change", toggle);
    toggle();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      const payload = { question: fd.get("question"), kind: fd.get("kind") };
      if (payload.kind === "scale") {
        payload.scale_max = parseInt(fd.get("scale_max"), 10);
        if (fd.get("label_low")) payload.label_low = fd.get("label_low");
        if (fd.get("label_high")) payload.label_high = fd.get("label_high");
      } else {
        payload.options = String(fd.get("options") || "").split("\n").map((s) => s.trim()).filter(Boolean);
        if (payload.kind === "multiple") payload.max_choices = parseInt(fd.get("max_choices"), 10);
      }
      if (!store.views.size) payload.on_screen = true;
      const ack = await send("poll:create", payload);
      if (ack.ok) { form.reset(); toggle(); }
    });
  }
})();
