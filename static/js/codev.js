/* Co-développement on the three surfaces: phone, console, projector.
 *
 * Timers: the server sends the timer state only when it changes (step,
 * deadline in server epoch ms or remaining ms when paused); each device shows
 * deadline - Workshop.serverNow(), so all agree whatever their own clock.
 * Every user text is rendered with textContent.
 */
(function () {
  "use strict";
  const W = window.Workshop;
  const i18nEl = document.getElementById("codev-i18n");
  if (!W || !i18nEl) return;
  const T = W.texts("codev-i18n"); // updated in place when the language changes
  const el = W.el;
  const role = W.role;

  const S = { templates: {}, groups: new Map(), details: {}, me: null, projected: null, participants: new Map() };

  function fmt(template, params) {
    return template.replace(/\{(\w+)\}/g, (_, k) => (params[k] !== undefined ? params[k] : ""));
  }
  function detail(gid) {
    const key = String(gid);
    if (!S.details[key]) S.details[key] = { group_id: gid, members: [], items: [], texts: {}, warning: null };
    return S.details[key];
  }
  function stepOf(g) {
    const t = S.templates[g.template];
    if (!t) return null;
    return t.steps[g.timer.step_index] || null;
  }
  function remainingMs(timer) {
    if (!timer || timer.status !== "running") return null;
    if (timer.deadline_ms !== null && timer.deadline_ms !== undefined) return timer.deadline_ms - W.serverNow();
    return timer.remaining_ms;
  }
  function formatMs(ms) {
    const neg = ms < 0;
    const total = Math.ceil(Math.abs(ms) / 1000);
    const m = Math.floor(total / 60);
    const s = total % 60;
    return (neg ? "−" : "") + m + ":" + String(s).padStart(2, "0");
  }
  function colourClass(g) { return "codev-c-" + (g.colour || "gris"); }
  function setColour(node, g) {
    node.className = node.className.split(" ").filter((c) => !c.startsWith("codev-c-")).join(" ");
    node.classList.add(colourClass(g));
  }

  /* ------------------------------------------------------------ state updates */
  /* Every timer carries a version that grows with each change: a state that
   * arrives after a newer one (in a group, a personal state, an ack) keeps
   * the newer timer (docs/protocol.md). */
  function newerTimer(known, incoming) {
    if (!known) return incoming;
    if (!incoming) return known;
    return (known.version || 0) > (incoming.version || 0) ? known : incoming;
  }
  function putGroup(g) {
    const old = S.groups.get(g.id);
    if (old) g.timer = newerTimer(old.timer, g.timer);
    S.groups.set(g.id, g);
  }
  function loadPart(part) {
    if (!part) return;
    S.templates = part.templates || S.templates;
    const before = S.groups;
    S.groups = new Map((part.groups || []).map((g) => {
      const old = before.get(g.id);
      if (old) g.timer = newerTimer(old.timer, g.timer);
      return [g.id, g];
    }));
    S.details = part.details || {};
    S.me = part.me || null;
    S.projected = part.projected === undefined ? null : part.projected;
    render();
  }
  W.onSnapshot((snap) => {
    if (snap.participants) S.participants = new Map(snap.participants.map((p) => [p.id, p]));
    loadPart(snap.codev);
  });
  W.on("codev:state", (part) => {
    const before = S.me ? S.me.group_id : null;
    loadPart(part);
    const after = S.me ? S.me.group_id : null;
    // The change may come from another server process: ask ours to put this
    // socket in the group's room, and take the state it answers with.
    if (role === "participant" && before !== after) {
      W.call("codev:rooms").then((ack) => { if (ack && ack.ok) loadPart(ack.data); });
    }
  });
  W.on("codev:group", (g) => { putGroup(g); render(); });
  W.on("codev:group:deleted", (d) => {
    S.groups.delete(d.group_id);
    delete S.details[String(d.group_id)];
    if (S.me && S.me.group_id === d.group_id) S.me = { group_id: null, role: null };
    if (S.projected === d.group_id) S.projected = null;
    render();
  });
  W.on("codev:timer", (t) => {
    const g = S.groups.get(t.group_id);
    if (!g) return;
    if (g.timer && g.timer.version > t.version) return;
    g.timer = t;
    render();
  });
  W.on("codev:members", (d) => {
    const det = detail(d.group_id);
    det.members = d.members;
    det.warning = d.warning;
    const g = S.groups.get(d.group_id);
    if (g) g.member_count = d.members.length;
    if (S.me && role === "participant") {
      const mine = d.members.find((m) => m.participant_id === W.state.me.participant_id);
      if (mine) S.me = { group_id: mine.group_id, role: mine.role };
    }
    render();
  });
  W.on("codev:item", (item) => { upsertItem(item); render(); });
  W.on("codev:item:gone", (d) => {
    const det = detail(d.group_id);
    det.items = det.items.filter((x) => x.id !== d.item_id);
    render();
  });
  W.on("codev:text", (d) => { detail(d.group_id).texts = d.texts; render(); });
  W.on("codev:projection", (d) => { S.projected = d.group_id; render(); });
  W.on("participant:joined", (p) => { S.participants.set(p.id, p); render(); });
  W.on("participant:removed", (p) => { S.participants.delete(p.id); render(); });

  function upsertItem(item) {
    const det = detail(item.group_id);
    const i = det.items.findIndex((x) => x.id === item.id);
    if (i >= 0) det.items[i] = Object.assign({}, det.items[i], item, { author: item.author || det.items[i].author });
    else det.items.push(item);
  }

  /* ------------------------------------------------------------ timers, beep */
  const timeUp = new Set();
  let audioCtx = null;
  const beepKey = "workshop:codev:beep";
  function beepOn() { try { return localStorage.getItem(beepKey) === "1"; } catch (e) { return false; } }
  function setBeep(on) {
    try { localStorage.setItem(beepKey, on ? "1" : "0"); } catch (e) { /* ignore */ }
    if (on) ensureAudio();
  }
  function ensureAudio() {
    if (!audioCtx && (window.AudioContext || window.webkitAudioContext)) {
      audioCtx = new (window.AudioContext || window.webkitAudioContext)();
    }
    if (audioCtx && audioCtx.state === "suspended") audioCtx.resume();
  }
  function beep() {
    if (!beepOn() || role === "participant") return;
    try {
      ensureAudio();
      if (!audioCtx) return;
      [0, 0.35, 0.7].forEach((offset) => {
        const o = audioCtx.createOscillator();
        const gain = audioCtx.createGain();
        o.type = "sine";
        o.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, audioCtx.currentTime + offset);
        gain.gain.exponentialRampToValueAtTime(0.3, audioCtx.currentTime + offset + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, audioCtx.currentTime + offset + 0.25);
        o.connect(gain).connect(audioCtx.destination);
        o.start(audioCtx.currentTime + offset);
        o.stop(audioCtx.currentTime + offset + 0.3);
      });
    } catch (e) { /* no audio */ }
  }

  const lastMinute = new Set();
  function tick() {
    document.querySelectorAll("[data-codev-timer]").forEach((node) => {
      const gid = Number(node.dataset.group);
      const g = S.groups.get(gid);
      if (!g) { node.textContent = ""; return; }
      const t = g.timer;
      const ms = remainingMs(t);
      node.dataset.status = t.status;
      if (ms === null) {
        node.textContent = ""; // the status is written next to it already
        node.classList.remove("up", "paused");
        return;
      }
      const paused = t.deadline_ms === null || t.deadline_ms === undefined;
      node.textContent = formatMs(ms) + (paused ? " · " + T.paused : "") + (ms <= 0 ? " · " + T.time_up : "");
      node.dataset.remainingMs = String(Math.round(ms));
      node.classList.toggle("up", ms <= 0);
      node.classList.toggle("paused", paused);
    });
    S.groups.forEach((g) => {
      const ms = remainingMs(g.timer);
      const key = g.id + ":" + g.timer.version;
      // the last minute is announced once, to the phones of the group (timers only signal)
      if (role === "participant" && ms !== null && g.timer.deadline_ms !== null && ms > 0 && ms <= 60000 &&
          !lastMinute.has(key) && document.querySelector('[data-codev-timer][data-group="' + g.id + '"]')) {
        lastMinute.add(key);
        W.announce(T.last_minute);
      }
      if (ms !== null && ms <= 0 && g.timer.deadline_ms !== null) {
        if (!timeUp.has(key)) {
          timeUp.add(key);
          // only a fresh expiry rings (not one already long past at load)
          if (ms > -3000 && (role !== "projector" || S.projected === null || S.projected === g.id)) beep();
        }
      }
    });
  }
  setInterval(tick, 250);

  /* ------------------------------------------------------------ errors */
  function showErr(box, ack) {
    if (!box) return;
    if (!ack || ack.ok) { box.hidden = true; return; }
    box.textContent = ack.message;
    box.hidden = false;
  }

  /* ================================================================ phone */
  function renderPhone() {
    const section = document.getElementById("codev-phone");
    const hasGroups = S.groups.size > 0;
    const mine = S.me && S.me.group_id ? S.groups.get(S.me.group_id) : null;
    section.hidden = !hasGroups && !mine;
    document.getElementById("codev-choose").hidden = !!mine;
    document.getElementById("codev-mine").hidden = !mine;
    if (!mine) { renderGroupChoice(); return; }
    const det = detail(mine.id);
    const myRole = S.me.role;
    document.body.dataset.codevRole = myRole || "";
    setColour(document.getElementById("codev-swatch"), mine);
    setColour(document.getElementById("codev-mine"), mine);
    document.getElementById("codev-group-name").textContent = mine.name;
    document.getElementById("codev-group-room").textContent = mine.room || "";
    document.getElementById("codev-my-role").textContent = T.roles[myRole] || "";
    const setup = mine.timer.status === "setup";
    document.getElementById("codev-setup").hidden = !setup;
    if (setup) renderPhoneSetup(mine, det);
    renderPhoneLive(mine, det, myRole);
  }

  function renderGroupChoice() {
    const list = document.getElementById("codev-group-list");
    list.replaceChildren();
    if (!S.groups.size) { list.append(el("li", { class: "empty", text: T.no_groups })); return; }
    S.groups.forEach((g) => {
      const full = g.member_count >= g.max_members;
      const closed = g.closed || g.timer.status !== "setup";
      const btn = el("button", { type: "button", class: "btn small primary", "data-codev-join": g.id, text: T.join });
      btn.disabled = full || closed;
      btn.addEventListener("click", async () => {
        const ack = await W.call("codev:join", { group_id: g.id });
        showErr(document.getElementById("codev-error"), ack);
        if (!ack.ok) window.alert(ack.message);
      });
      const meta = [g.room, W.plural(g.member_count, T.members), closed ? T.closed : full ? T.full : null].filter(Boolean).join(" · ");
      list.append(el("li", { class: "codev-choice " + colourClass(g) }, [
        el("span", { class: "codev-swatch" }),
        el("span", { class: "codev-choice-name" }, [el("strong", { text: g.name }), el("br"), el("small", { text: meta })]),
        btn,
      ]));
    });
  }

  function memberList(ul, members, extra) {
    ul.replaceChildren();
    if (!members.length) { ul.append(el("li", { class: "empty", text: T.nobody })); return; }
    members.forEach((m) => {
      const li = el("li", { "data-member": m.participant_id, class: "codev-member role-" + m.role }, [
        el("span", { class: "codev-member-name", text: m.name || W.i18n.anonymous + " #" + m.participant_id }),
        el("span", { class: "pill codev-role-pill", text: T.roles[m.role] || m.role }),
      ]);
      if (extra) extra(li, m);
      ul.append(li);
    });
  }

  function warningText(w) {
    if (w === "codev_few_contributors") return T.warn_few;
    if (w === "codev_many_contributors") return T.warn_many;
    return "";
  }

  function renderPhoneSetup(g, det) {
    const row = document.getElementById("codev-role-buttons");
    row.replaceChildren();
    Object.keys(T.roles).forEach((r) => {
      const b = el("button", { type: "button", class: "btn small" + (S.me.role === r ? " active" : ""), "data-codev-role": r, text: T.roles[r] });
      b.addEventListener("click", async () => {
        const ack = await W.call("codev:role", { role: r });
        showErr(document.getElementById("codev-error"), ack);
        if (ack.ok) { S.me.role = ack.data.role; render(); }
      });
      row.append(b);
    });
    const warn = document.getElementById("codev-phone-warning");
    warn.textContent = warningText(det.warning);
    warn.hidden = !det.warning;
    memberList(document.getElementById("codev-phone-members"), det.members);
  }

  const WRITE_KINDS = ["subject", "contract", "question", "proposal", "action_plan", "note", "learning"];

  function renderPhoneLive(g, det, myRole) {
    const t = g.timer;
    const tpl = S.templates[g.template];
    const step = stepOf(g);
    const running = t.status === "running";
    const finished = t.status === "finished";
    document.getElementById("codev-step-of").textContent = running && tpl
      ? fmt(T.step_of, { n: t.step_index + 1, total: tpl.steps.length }) : "";
    document.getElementById("codev-step-name").textContent = running && step ? step.name
      : finished ? T.finished : T.not_started_phone;
    const timer = document.getElementById("codev-phone-timer");
    timer.dataset.group = g.id;
    timer.hidden = !running;
    document.getElementById("codev-instruction").textContent = running && step ? step.instruction : "";

    let can = [];
    if (running && step) can = Object.keys(step.allows).filter((a) => step.allows[a].includes(myRole));
    if (finished && myRole === "porteur") can = ["retain", "action_plan"];
    const cando = document.getElementById("codev-cando");
    if (running || finished) {
      cando.textContent = can.length ? T.you_can + " " + can.map((a) => T.actions[a]).join(" · ")
        : (step && step.porteur_listens && myRole === "porteur" ? T.porteur_listens : T.you_listen);
    } else cando.textContent = "";
    document.body.dataset.codevStep = running && step ? step.key : t.status;

    // animateur's controls
    const controls = document.getElementById("codev-phone-controls");
    controls.hidden = myRole !== "animateur";
    if (myRole === "animateur") renderTimerControls(controls, g, document.getElementById("codev-error"));

    // forms for what I may write now
    const forms = document.getElementById("codev-forms");
    const wanted = can.filter((a) => WRITE_KINDS.includes(a));
    const existing = [...forms.querySelectorAll("form")].map((f) => f.dataset.kind);
    if (existing.join() !== wanted.join()) {
      forms.replaceChildren();
      wanted.forEach((kind) => forms.append(writeForm(g, det, kind)));
    }
    forms.querySelectorAll("form").forEach((f) => {
      const kind = f.dataset.kind;
      if (["subject", "contract", "action_plan"].includes(kind)) {
        const ta = f.querySelector("textarea");
        if (document.activeElement !== ta && !ta.value && det.texts[kind]) ta.value = det.texts[kind];
      }
    });

    // texts of the group
    const texts = document.getElementById("codev-texts");
    texts.replaceChildren();
    [["subject", T.subject], ["contract", T.contract], ["action_plan", T.action_plan]].forEach(([k, label]) => {
      if (det.texts && det.texts[k]) {
        const block = el("div", { class: "codev-text-block", "data-text": k }, [el("h4", { text: label }), el("p", { class: "codev-pre", text: det.texts[k] })]);
        if (mayErase(g, myRole, k)) block.append(eraseButton(g, k, T.confirm_erase_text, () => {
          const ta = forms.querySelector('form[data-kind="' + k + '"] textarea');
          if (ta) ta.value = "";
        }));
        texts.append(block);
      }
    });

    const canAnswer = can.includes("answer");
    const eraseAnswers = mayErase(g, myRole, "answer");
    const canRetain = can.includes("retain");
    renderItems(document.getElementById("codev-questions"), det.items.filter((i) => i.kind === "question"), (li, item) => {
      if (canAnswer) li.append(answerForm(item));
      if (eraseAnswers && item.answer) li.append(eraseButton(g, "answer", T.confirm_erase_answer, null, item.id));
    });
    const proposals = det.items.filter((i) => i.kind === "proposal");
    renderItems(document.getElementById("codev-proposals"), proposals, (li, item) => {
      if (canRetain) {
        const b = el("button", { type: "button", class: "btn small" + (item.retained ? " active" : ""), "data-retain": item.id, text: item.retained ? T.unretain : T.retain });
        b.addEventListener("click", () => send("codev:retain", { item_id: item.id, retained: !item.retained }));
        li.append(b);
      }
    });
    const notes = det.items.filter((i) => i.kind === "note");
    const learnings = det.items.filter((i) => i.kind === "learning");
    // no heading over an empty list
    document.getElementById("codev-q-title").hidden = !det.items.some((i) => i.kind === "question");
    document.getElementById("codev-p-title").hidden = !proposals.length;
    document.getElementById("codev-n-title").hidden = !notes.length;
    document.getElementById("codev-l-title").hidden = !learnings.length;
    renderItems(document.getElementById("codev-notes"), notes);
    renderItems(document.getElementById("codev-learnings"), learnings);
    // the summary exists once the session has started
    document.getElementById("codev-downloads").hidden = !(running || finished) || !(myRole === "porteur" || myRole === "secretaire");
    renderPending();
  }

  /* Whoever writes a text at some step of the method may erase it at any moment. */
  function mayErase(g, myRole, kind) {
    const tpl = S.templates[g.template];
    return !!tpl && tpl.steps.some((st) => (st.allows[kind] || []).includes(myRole));
  }
  function eraseButton(g, kind, question, done, itemId) {
    const b = el("button", { type: "button", class: "btn small", "data-erase": itemId ? kind + ":" + itemId : kind, text: itemId ? T.erase_answer : T.erase });
    b.addEventListener("click", async () => {
      if (!window.confirm(question)) return;
      const payload = { group_id: g.id, kind: kind };
      if (itemId) payload.item_id = itemId;
      const ack = await W.call("codev:erase", payload);
      showErr(document.getElementById("codev-error"), ack);
      if (ack.ok) {
        if (done) done();
        if (ack.data.item) upsertItem(ack.data.item);
        if (ack.data.texts) detail(ack.data.group_id).texts = ack.data.texts;
        render();
      }
    });
    return b;
  }

  function renderItems(ul, list, extra) {
    ul.replaceChildren();
    list.forEach((item) => {
      const li = el("li", { "data-item": item.id, class: "codev-item kind-" + item.kind + (item.retained ? " retained" : "") }, [
        el("p", { class: "codev-pre codev-item-text", text: item.text }),
      ]);
      if (item.author) li.append(el("small", { class: "codev-author", text: item.author }));
      if (item.kind === "question") {
        li.append(el("p", { class: "codev-answer codev-pre" + (item.answer ? "" : " none"), text: item.answer || T.no_answer }));
      }
      if (item.retained) li.append(el("span", { class: "pill codev-retained", text: T.retained }));
      if (extra) extra(li, item);
      if (role === "participant" && W.state && W.state.me && item.participant_id === W.state.me.participant_id) {
        // one's own contribution can always be taken back
        const del = el("button", { type: "button", class: "btn small", "data-delete-item": item.id, text: T.delete_mine });
        del.addEventListener("click", async () => {
          if (!window.confirm(T.confirm_delete_mine)) return;
          showErr(document.getElementById("codev-error"), await W.call("codev:item:delete", { item_id: item.id }));
        });
        li.append(del);
      }
      ul.append(li);
    });
  }

  function writeForm(g, det, kind) {
    const ta = el("textarea", { rows: kind === "action_plan" ? 5 : 3, maxlength: "2000", placeholder: T.placeholders[kind] || "", name: "text" });
    const form = el("form", { class: "codev-form", "data-kind": kind }, [
      el("label", { text: T.actions[kind] }),
      ta,
      el("button", { type: "submit", class: "btn primary", text: T.send }),
    ]);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = ta.value.trim();
      if (!text) { ta.focus(); return; }
      send("codev:write", { kind: kind, text: text, group_id: g.id });
      if (!["subject", "contract", "action_plan"].includes(kind)) ta.value = "";
    });
    return form;
  }

  function answerForm(item) {
    const input = el("textarea", { rows: 2, name: "answer", placeholder: T.placeholders.answer });
    if (item.answer) input.value = item.answer;
    const f = el("form", { class: "codev-answer-form", "data-answer": item.id }, [input, el("button", { type: "submit", class: "btn small", text: T.answer })]);
    f.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (text) send("codev:answer", { item_id: item.id, text: text });
    });
    return f;
  }

  function send(eventName, payload) {
    W.outbox.add(eventName, payload);
    renderPending();
  }
  function renderPending() {
    const box = document.getElementById("codev-pending");
    if (!box) return;
    const n = W.outbox.items().filter((it) => it.event.startsWith("codev:")).length;
    box.textContent = W.plural(n, T.pending);
    box.hidden = n === 0;
  }
  if (role === "participant") {
    W.outbox.onChange(renderPending);
    W.outbox.onResult((item, ack) => {
      if (!item.event.startsWith("codev:")) return;
      showErr(document.getElementById("codev-error"), ack);
      W.announce(ack.ok ? W.i18n.sent : ack.message);
      if (ack.ok && ack.data) {
        if (ack.data.item) upsertItem(ack.data.item);
        if (ack.data.texts) detail(ack.data.group_id).texts = ack.data.texts;
        render();
      }
    });
    document.getElementById("codev-leave").addEventListener("click", async () => {
      const ack = await W.call("codev:leave", {});
      showErr(document.getElementById("codev-error"), ack);
    });
    document.querySelectorAll("[data-codev-download]").forEach((b) => b.addEventListener("click", () => download(b.dataset.codevDownload)));
  }

  async function download(fmtName) {
    let token = null;
    try { token = JSON.parse(localStorage.getItem("workshop:token:" + W.code)); } catch (e) { /* none */ }
    const res = await fetch("/a/" + W.code + "/codev/summary." + fmtName, { headers: { "X-Workshop-Token": token || "" } });
    if (!res.ok) {
      let msg = W.i18n.error;
      try { msg = (await res.json()).message || msg; } catch (e) { /* not json */ }
      showErr(document.getElementById("codev-error"), { ok: false, message: msg });
      return;
    }
    const blob = await res.blob();
    const cd = res.headers.get("Content-Disposition") || "";
    const m = /filename="([^"]+)"/.exec(cd);
    const a = el("a", { href: URL.createObjectURL(blob), download: m ? m[1] : "codev." + fmtName });
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  /* ================================================================ timer controls */
  function renderTimerControls(box, g, errBox) {
    const t = g.timer;
    const buttons = [];
    const add = (action, label, extra) => buttons.push([action, label, extra || {}]);
    // « Commencer » only once it can work: a porteur and at least one contributor
    const members = (S.details[String(g.id)] || {}).members || [];
    const ready = members.some((m) => m.role === "porteur") && members.some((m) => m.role === "contributeur");
    if (t.status === "setup" && ready) add("start", T.start);
    if (t.status === "running") {
      if (t.deadline_ms !== null && t.deadline_ms !== undefined) add("pause", T.pause);
      else add("resume", T.resume);
      add("extend", T.plus1, { minutes: 1 });
      add("extend", T.plus5, { minutes: 5 });
      if (t.step_index > 0) add("prev", T.prev);
      add("next", T.next);
    }
    if (t.status === "finished") add("prev", T.prev);
    const sig = buttons.map((b) => b[0] + (b[2].minutes || "")).join();
    if (box.dataset.sig === sig) return;
    box.dataset.sig = sig;
    box.replaceChildren();
    buttons.forEach(([action, label, extra]) => {
      const b = el("button", { type: "button", class: "btn small" + (action === "next" || action === "start" ? " primary" : ""), "data-timer": action + (extra.minutes || ""), text: label });
      b.addEventListener("click", async () => {
        ensureAudio();
        const ack = await W.call("codev:timer", Object.assign({ group_id: g.id, action: action }, extra));
        showErr(errBox, ack);
        if (ack.ok) {
          const cur = S.groups.get(g.id) || g;
          cur.timer = newerTimer(cur.timer, ack.data);
          render();
        }
      });
      box.append(b);
    });
  }

  /* ================================================================ console */
  function renderConsole() {
    const root = document.getElementById("codev-console-groups");
    const errBox = document.getElementById("codev-console-error");
    const choice = document.getElementById("codev-projection-choice");
    const opts = [el("option", { value: "", text: T.overview })];
    S.groups.forEach((g) => opts.push(el("option", { value: String(g.id), text: g.name })));
    choice.replaceChildren(...opts);
    choice.value = S.projected ? String(S.projected) : "";
    // the group form is open while there is no group, then waits behind its disclosure
    const createMore = document.getElementById("codev-create-more");
    if (!createToggled) createMore.open = S.groups.size === 0;
    const assigned = new Set();
    Object.values(S.details).forEach((d) => d.members.forEach((m) => assigned.add(m.participant_id)));
    const seen = new Set();
    S.groups.forEach((g) => {
      seen.add(String(g.id));
      let card = root.querySelector('[data-group-card="' + g.id + '"]');
      if (!card) {
        card = el("article", { class: "codev-group-card", "data-group-card": g.id });
        root.append(card);
      }
      fillConsoleCard(card, g, detail(g.id), assigned, errBox);
    });
    root.querySelectorAll("[data-group-card]").forEach((c) => { if (!seen.has(c.dataset.groupCard)) c.remove(); });
  }

  let createToggled = false; // the facilitator opened or closed the group form
  const cardMoreOpen = new Set(); // group ids whose « Réglages et exports » is open (kept across re-renders)
  function fillConsoleCard(card, g, det, assigned, errBox) {
    const t = g.timer;
    const tpl = S.templates[g.template];
    const step = stepOf(g);
    setColour(card, g);
    card.classList.add("codev-group-card");
    const focused = card.contains(document.activeElement) && ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
    if (focused) return; // do not disturb typing (durations)
    const head = el("header", { class: "codev-card-head" }, [
      el("span", { class: "codev-swatch" }),
      el("h3", { text: g.name }),
      el("span", { class: "hint", text: [g.room, tpl ? tpl.name : g.template].filter(Boolean).join(" · ") }),
      el("span", { class: "pill", text: T.status[t.status] + (g.closed ? " · " + T.closed : "") }),
    ]);
    const stepLine = el("p", { class: "codev-card-step" }, [
      el("strong", { text: t.status === "running" && step ? fmt(T.step_of, { n: t.step_index + 1, total: tpl.steps.length }) + " · " + step.name
        : t.status === "setup" ? T.setup_hint : T.finished }),
      el("span", { class: "codev-timer", "data-codev-timer": "", "data-group": g.id }),
    ]);
    const controls = el("div", { class: "btn-row codev-controls" });
    renderTimerControls(controls, g, errBox);
    // first screen: what runs (step, timer, controls) beside who is in the
    // group (its count, its members scrolling on their own); the durations,
    // summaries, closing and deletion wait behind « Réglages et exports »
    const run = [stepLine, controls];
    const more = [];
    if (t.status === "setup" && tpl) {
      const inputs = tpl.steps.map((s, idx) => {
        const input = el("input", { type: "number", min: "1", max: "120", value: String(Math.round(g.durations_ms[idx] / 60000)), "aria-label": s.name });
        return [s, input];
      });
      const save = el("button", { type: "button", class: "btn small", text: T.save });
      save.addEventListener("click", async () => {
        const ack = await W.call("codev:group:update", { group_id: g.id, durations: inputs.map(([, i]) => Number(i.value)) });
        showErr(errBox, ack);
      });
      more.push(el("div", { class: "codev-durations" }, [
        el("p", { class: "codev-more-title", text: T.durations }),
        el("div", { class: "codev-duration-grid" }, inputs.flatMap(([s, i]) => [el("label", { text: s.name }), i])),
        save,
      ]));
    }
    const warn = warningText(det.warning);
    if (warn) run.push(el("p", { class: "codev-warning", text: warn }));
    const qs = det.items.filter((i) => i.kind === "question").length;
    const ps = det.items.filter((i) => i.kind === "proposal").length;
    const started = t.status !== "setup";
    if (started) run.push(el("p", { class: "hint", text: W.labelled(T.questions, String(qs)) + " · " + W.labelled(T.proposals, String(ps)) }));
    if (det.texts && det.texts.subject) run.push(el("p", { class: "codev-pre codev-card-subject", tabindex: "0", text: W.labelled(T.subject, det.texts.subject) }));
    const ul = el("ul", { class: "codev-members", tabindex: "0", "aria-label": W.plural(det.members.length, T.members) });
    memberList(ul, det.members, (li, m) => {
      if (t.status !== "setup") return;
      const sel = el("select", { "aria-label": T.your_role, "data-role-select": m.participant_id });
      Object.keys(T.roles).forEach((r) => sel.append(el("option", { value: r, text: T.roles[r] })));
      sel.value = m.role;
      sel.addEventListener("change", async () => showErr(errBox, await W.call("codev:role", { participant_id: m.participant_id, role: sel.value })));
      const rm = el("button", { type: "button", class: "btn small danger", text: T.remove });
      rm.addEventListener("click", async () => showErr(errBox, await W.call("codev:leave", { participant_id: m.participant_id })));
      li.append(sel, rm);
    });
    const people = [el("p", { class: "codev-card-count" }, [el("strong", { text: W.plural(det.members.length, T.members) })]), ul];
    if (t.status === "setup") {
      const sel = el("select", { "data-assign": g.id, "aria-label": T.assign }, [el("option", { value: "", text: T.assign })]);
      S.participants.forEach((p) => {
        if (!assigned.has(p.id) && !p.removed) sel.append(el("option", { value: String(p.id), text: p.name || W.i18n.anonymous + " #" + p.id }));
      });
      sel.addEventListener("change", async () => {
        if (!sel.value) return;
        showErr(errBox, await W.call("codev:join", { group_id: g.id, participant_id: Number(sel.value) }));
      });
      people.push(sel);
    }
    const base = document.getElementById("codev-console").dataset.consoleBase + "/" + g.id + "/summary.";
    const close = el("button", { type: "button", class: "btn small", text: g.closed ? T.reopen : T.close });
    close.addEventListener("click", async () => showErr(errBox, await W.call("codev:group:update", { group_id: g.id, closed: !g.closed })));
    const del = el("button", { type: "button", class: "btn small danger", text: T.delete });
    del.addEventListener("click", async () => {
      if (window.confirm(T.confirm_delete)) showErr(errBox, await W.call("codev:group:delete", { group_id: g.id }));
    });
    // the summary exists once the session has started
    const downloads = started ? [
      el("span", { text: T.summary }),
      el("a", { class: "btn small", href: base + "pdf", text: T.download_pdf }),
      el("a", { class: "btn small", href: base + "md", text: T.download_md }),
      el("a", { class: "btn small", href: base + "html", target: "_blank", rel: "noopener", text: T.download_html }),
    ] : [];
    more.push(el("div", { class: "btn-row codev-card-foot" }, [...downloads, close, del]));
    const details = el("details", { class: "codev-card-more" }, [el("summary", { text: T.settings_exports }), ...more]);
    details.open = cardMoreOpen.has(g.id);
    details.addEventListener("toggle", () => { if (details.open) cardMoreOpen.add(g.id); else cardMoreOpen.delete(g.id); });
    const body = [head, el("div", { class: "codev-card-body" }, [
      el("div", { class: "codev-card-run" }, run),
      el("div", { class: "codev-card-people" }, people),
    ]), details];
    card.replaceChildren(...body);
  }

  if (role === "facilitator") {
    document.querySelector("#codev-create-more > summary").addEventListener("click", () => { createToggled = true; });
    const form = document.getElementById("codev-create");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const data = Object.fromEntries(new FormData(form).entries());
      data.max_members = Number(data.max_members || 12);
      const ack = await W.call("codev:group:create", data);
      showErr(document.getElementById("codev-console-error"), ack);
      if (ack.ok) { form.reset(); putGroup(ack.data); render(); }
    });
    document.getElementById("codev-projection-choice").addEventListener("change", async (e) => {
      const v = e.target.value;
      const ack = await W.call("codev:projection", { group_id: v ? Number(v) : null });
      showErr(document.getElementById("codev-console-error"), ack);
    });
    const beepBox = document.getElementById("codev-beep");
    beepBox.checked = beepOn();
    beepBox.addEventListener("change", () => setBeep(beepBox.checked));
  }

  /* ================================================================ projector */
  function renderProjector() {
    // A room's screen (/s/<code>/<n>) always shows its own group.
    const pinned = Number(document.body.dataset.codevGroup || 0);
    const focusId = pinned || S.projected;
    const focusG = focusId ? S.groups.get(focusId) : null;
    document.getElementById("codev-overview").hidden = !!focusG;
    document.getElementById("codev-focus").hidden = !focusG;
    if (focusG) { renderFocus(focusG); return; }
    const grid = document.getElementById("codev-overview-grid");
    document.getElementById("codev-overview-empty").hidden = S.groups.size > 0;
    grid.replaceChildren();
    S.groups.forEach((g) => {
      const tpl = S.templates[g.template];
      const step = stepOf(g);
      const running = g.timer.status === "running";
      grid.append(el("article", { class: "codev-tile " + colourClass(g), "data-tile": g.id }, [
        el("h2", { text: g.name }),
        el("p", { class: "codev-tile-room", text: g.room || "" }),
        el("p", { class: "codev-tile-step", text: running && step ? fmt(T.step_of, { n: g.timer.step_index + 1, total: tpl.steps.length }) + " · " + step.name : T.status[g.timer.status] }),
        ...(running ? [el("p", { class: "codev-timer", "data-codev-timer": "", "data-group": g.id })] : []),
      ]));
    });
    if (!overviewPager) {
      overviewPager = W.scenePager("codev-overview", grid, {
        units: ".codev-tile", indicator: document.getElementById("codev-overview-pager"), label: pageLabel,
      });
    }
  }

  function renderFocus(g) {
    const det = detail(g.id);
    const tpl = S.templates[g.template];
    const step = stepOf(g);
    const running = g.timer.status === "running";
    setColour(document.getElementById("codev-focus"), g);
    document.getElementById("codev-focus-name").textContent = g.name;
    document.getElementById("codev-focus-room").textContent = g.room || "";
    document.getElementById("codev-focus-step-of").textContent = running && tpl ? fmt(T.step_of, { n: g.timer.step_index + 1, total: tpl.steps.length }) : "";
    document.getElementById("codev-focus-step").textContent = running && step ? step.name : T.status[g.timer.status];
    document.getElementById("codev-focus-instruction").textContent = running && step ? step.instruction : "";
    document.getElementById("codev-focus-subject").textContent = det.texts && det.texts.subject ? W.labelled(T.subject, det.texts.subject) : "";
    document.getElementById("codev-focus-timer").dataset.group = g.id;
    // what the step allows to show: questions in clarification, proposals from the proposal step on
    let kind = null;
    let title = "";
    if (running && step) {
      if (step.allows.question || step.allows.answer) { kind = "question"; title = T.questions; }
      else if (step.allows.proposal || step.allows.retain || step.allows.action_plan) { kind = "proposal"; title = T.proposals; }
      else if (step.allows.learning) { kind = "learning"; title = T.learnings; }
    } else if (g.timer.status === "finished") { kind = "proposal"; title = T.proposals; }
    document.getElementById("codev-focus-list-title").textContent = title;
    let list = kind ? det.items.filter((i) => i.kind === kind) : [];
    if (kind === "proposal") list = list.slice().sort((a, b) => (b.retained - a.retained) || (a.id - b.id));
    renderItems(document.getElementById("codev-focus-items"), list);
    if (!focusPager) {
      focusPager = W.scenePager("codev-focus", document.getElementById("codev-focus-items"), {
        units: ".codev-item", indicator: document.getElementById("codev-focus-pager"), label: pageLabel,
      });
    }
  }
  /* after the timers got their text: the pages are measured on what shows */
  function fitProjector() {
    if (S.projected && S.groups.get(S.projected)) { if (overviewPager) overviewPager.stop(); fitWhenShown(focusPager); }
    else { if (focusPager) focusPager.stop(); fitWhenShown(overviewPager); }
  }
  let focusPager = null;
  let overviewPager = null;
  function pageLabel(i, n) { return fmt(T.page_of, { n: i, total: n }); }
  /* pages are measured on the screen: at once when the scene shows, else when it appears */
  function fitWhenShown(p) {
    if (!p) return;
    const scene = p.box.closest(".scene");
    if (scene && scene.hidden) { scene.dataset.needsFit = "1"; return; }
    p.layout();
  }
  if (role === "projector") {
    const scene = document.querySelector('.scene[data-scene="codev"]');
    if (scene) {
      new MutationObserver(() => {
        if (scene.hidden) return;
        fitProjector();
      }).observe(scene, { attributes: true, attributeFilter: ["hidden"] });
    }
    window.addEventListener("resize", () => fitProjector());
  }

  if (role === "projector") {
    const b = document.getElementById("codev-proj-beep");
    const sync = () => { b.setAttribute("aria-pressed", beepOn() ? "true" : "false"); b.classList.toggle("on", beepOn()); };
    b.addEventListener("click", () => { setBeep(!beepOn()); sync(); });
    sync();
  }

  /* ================================================================ render */
  function render() {
    try {
      const main = document.querySelector("main") || document.body;
      if (role === "participant") W.keepFocus(main, renderPhone);
      else if (role === "facilitator") W.keepFocus(main, renderConsole);
      else if (role === "projector") renderProjector();
      tick();
      if (role === "projector") fitProjector();
    } catch (e) { console.error(e); }
  }
  window.WorkshopCodev = { state: S, remainingMs: remainingMs };
})();
