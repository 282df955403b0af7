/* Post-it board on the three surfaces: console (sorting, moderation, votes),
 * phone (writing, own notes, wall, dots) and projector (auto-fitting wall).
 *
 * State comes from the snapshot ("board" part) and from the board:* events.
 * Every user text goes through textContent, never innerHTML.
 */
(function () {
  "use strict";
  const W = window.Workshop;
  const i18nNode = document.getElementById("board-i18n");
  if (!W || !i18nNode) return;
  const T = W.texts("board-i18n"); // updated in place when the language changes
  const el = W.el;
  const role = W.role;

  /* ---------------------------------------------------------------- store */
  const store = {
    prompts: new Map(),
    cats: new Map(),
    notes: new Map(),   // facilitator: every note; others: public notes
    mine: new Map(),    // participant: own notes
    myVotes: {},        // participant: {prompt_id: {note_id: dots}}
    palette: {},
    loaded: false,
  };
  const seen = new Set();

  function loadState(b, withMine) {
    store.prompts = new Map(b.prompts.map((p) => [p.id, p]));
    store.cats = new Map(b.categories.map((c) => [c.id, c]));
    store.notes = new Map(b.notes.map((n) => [n.id, n]));
    if (b.palette) store.palette = b.palette;
    if (withMine && b.mine) store.mine = new Map(b.mine.map((n) => [n.id, n]));
    if (withMine && b.my_votes) store.myVotes = b.my_votes;
    if (!store.loaded) store.notes.forEach((n) => seen.add(n.id));
    store.loaded = true;
    schedule();
  }

  W.onSnapshot((snap) => { if (snap.board) loadState(snap.board, true); });
  W.on("board:state", (b) => loadState(b, false));
  W.on("board:mine", (d) => {
    store.mine = new Map(d.mine.map((n) => [n.id, n]));
    store.myVotes = d.my_votes || {};
    schedule();
  });
  W.on("board:prompt", (p) => { store.prompts.set(p.id, p); schedule(); });
  W.on("board:categories", (d) => {
    [...store.cats.values()].filter((c) => c.prompt_id === d.prompt_id).forEach((c) => store.cats.delete(c.id));
    d.categories.forEach((c) => store.cats.set(c.id, c));
    store.notes.forEach((n) => { if (n.category_id && !store.cats.has(n.category_id)) n.category_id = null; });
    store.mine.forEach((n) => { if (n.category_id && !store.cats.has(n.category_id)) n.category_id = null; });
    schedule();
  });
  W.on("board:note", (n) => {
    store.notes.set(n.id, Object.assign(store.notes.get(n.id) || {}, n));
    if (store.mine.has(n.id)) Object.assign(store.mine.get(n.id), { category_id: n.category_id, merged_count: n.merged_count });
    schedule();
  });
  W.on("board:note:gone", (d) => { store.notes.delete(d.id); schedule(); });
  W.on("board:note:mine", (n) => { store.mine.set(n.id, n); schedule(); });
  W.on("board:note:mine:gone", (d) => { store.mine.delete(d.id); schedule(); });
  W.on("board:votes:mine", (d) => { store.myVotes[String(d.prompt_id)] = d.votes; schedule(); });

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      try { W.keepFocus(document.querySelector("main") || document.body, render); } catch (e) { console.error(e); }
    });
  }

  function sortedPrompts() {
    return [...store.prompts.values()].sort((a, b) => a.position - b.position || a.id - b.id);
  }
  function catsOf(pid) {
    return [...store.cats.values()].filter((c) => c.prompt_id === pid).sort((a, b) => a.position - b.position || a.id - b.id);
  }
  function notesOf(pid, map) {
    return [...(map || store.notes).values()].filter((n) => n.prompt_id === pid).sort((a, b) => a.id - b.id);
  }
  function colourOf(name) { return store.palette[name] || "#fff176"; }
  function authorLabel(n) {
    if (n.by_facilitator) return T.facilitator;
    return n.author || T.anonymous;
  }
  function voteTotals(p) {
    const m = new Map();
    (p.results || []).forEach((r) => m.set(r.note_id, r.votes));
    return m;
  }
  function paint(node, colour) {
    node.classList.add("postit");
    node.dataset.colour = colour || "jaune";
  }

  let render = function () {};

  /* ================================================================ phone */
  if (role === "participant") {
    const root = document.getElementById("board-participant");
    const list = document.getElementById("board-phone-prompts");
    const drafts = {};       // prompt id -> {text, colour, anonymous}
    const errors = {};       // prompt id -> message
    let editing = null;      // note id being edited
    let anonymousAllowed = true;
    let myName = null;
    let maxLen = 280;

    W.onSnapshot((snap) => {
      anonymousAllowed = snap.atelier.allow_anonymous;
      myName = snap.me.name;
      maxLen = snap.atelier.note_max_length || 280;
    });
    W.on("atelier", (a) => { anonymousAllowed = a.allow_anonymous; maxLen = a.note_max_length || 280; schedule(); });
    W.outbox.onChange(() => schedule());
    W.outbox.onResult((item, ack) => {
      if (!item.event.startsWith("board:")) return;
      if (ack.ok) {
        if (ack.data && ack.data.id) store.mine.set(ack.data.id, ack.data);
        if (item.event === "board:note:create" && ack.data) W.announce(noteState(ack.data));
      } else {
        W.announce(ack.message);
        const pid = item.payload.prompt_id;
        errors[pid] = ack.message;
        const d = drafts[pid] || (drafts[pid] = {});
        if (!d.text) d.text = item.payload.text;
      }
      schedule();
    });

    function outboxNotes(pid) {
      return W.outbox.items().filter((it) => it.event === "board:note:create" && it.payload.prompt_id === pid);
    }

    function noteState(n) {
      if (n.merged_into) return T.merged;
      if (n.status === "pending") return T.awaiting;
      if (n.status === "hidden") return T.hidden;
      return T.sent;
    }

    function renderForm(p) {
      const d = drafts[p.id] || (drafts[p.id] = { text: "", colour: (p.colours[0] || "jaune"), anonymous: false });
      const form = el("form", { class: "board-write", "data-prompt": p.id });
      const taId = "board-text-" + p.id;
      const ta = el("textarea", { id: taId, rows: "3", class: "board-textarea", "aria-describedby": "board-count-" + p.id });
      ta.value = d.text || "";
      const counter = el("p", { id: "board-count-" + p.id, class: "board-counter", "aria-live": "polite" });
      const send = el("button", { type: "submit", class: "btn primary big board-send", text: T.send });
      function update() {
        d.text = ta.value;
        const len = [...ta.value.trim()].length;
        counter.textContent = len + " / " + maxLen + " " + T.chars + (len > maxLen ? " — " + T.too_long : "");
        counter.classList.toggle("over", len > maxLen);
        send.disabled = len === 0 || len > maxLen;
      }
      ta.addEventListener("input", update);
      update();
      form.append(el("label", { for: taId, text: T.write }), ta, counter);
      const colours = p.colours.length ? p.colours : [];
      if (colours.length > 1) {
        const fs = el("fieldset", { class: "board-colour-pick" }, [el("legend", { text: T.colour })]);
        colours.forEach((c) => {
          const input = el("input", { type: "radio", name: "colour-" + p.id, value: c, checked: d.colour === c });
          input.addEventListener("change", () => { d.colour = c; });
          const sw = el("span", { class: "swatch" });
          paint(sw, c);
          fs.append(el("label", { class: "colour-radio", title: T.colours[c] || c }, [input, sw, el("span", { class: "sr-only", text: T.colours[c] || c })]));
        });
        form.append(fs);
      }
      if (anonymousAllowed && myName) {
        const cb = el("input", { type: "checkbox", checked: !!d.anonymous, class: "board-anon" });
        cb.addEventListener("change", () => { d.anonymous = cb.checked; });
        form.append(el("label", { class: "check" }, [cb, T.post_anonymously]));
      }
      // no role="alert": this paragraph is rebuilt on every render, the error
      // was announced once through the polite live region (W.announce)
      const err = el("p", { class: "error board-error", text: errors[p.id] || "" });
      err.hidden = !errors[p.id];
      form.append(send, err);
      form.addEventListener("submit", (ev) => {
        ev.preventDefault();
        const text = ta.value.trim();
        if (!text || [...text].length > maxLen) return;
        const payload = { prompt_id: p.id, text: text };
        if (colours.length) payload.colour = colours.includes(d.colour) ? d.colour : colours[0];
        if (anonymousAllowed && myName && d.anonymous) payload.anonymous = true;
        W.outbox.add("board:note:create", payload);
        d.text = "";
        errors[p.id] = "";
        ta.value = "";
        update();
        schedule();
        ta.focus();
      });
      return form;
    }

    function renderMine(p) {
      // newest first, waiting or delivered: a note keeps its place when it is delivered
      const ul = el("ul", { class: "board-mine" });
      outboxNotes(p.id).slice().reverse().forEach((it) => {
        const li = el("li", { class: "board-my-note is-pending", "data-client-id": it.payload.client_id }, [
          el("span", { class: "board-note-text", text: it.payload.text }),
          el("span", { class: "board-state", text: T.pending }),
        ]);
        paint(li, it.payload.colour || p.colours[0]);
        ul.append(li);
      });
      notesOf(p.id, store.mine).reverse().forEach((n) => {
        const li = el("li", { class: "board-my-note", "data-note": n.id, "data-client-id": n.client_id });
        paint(li, n.colour);
        if (editing === n.id && p.status === "open") {
          const ta = el("textarea", { rows: "3", class: "board-textarea", "aria-label": T.edit });
          ta.value = n.text;
          const save = el("button", { type: "button", class: "btn small primary", text: T.save });
          const cancel = el("button", { type: "button", class: "btn small", text: T.cancel });
          const err = el("p", { class: "error", role: "alert" });
          err.hidden = true;
          save.addEventListener("click", async () => {
            const ack = await W.call("board:note:update", { note_id: n.id, text: ta.value });
            if (ack.ok) { store.mine.set(n.id, ack.data); editing = null; schedule(); }
            else { err.textContent = ack.message; err.hidden = false; }
          });
          cancel.addEventListener("click", () => { editing = null; schedule(); });
          li.append(ta, el("div", { class: "btn-row" }, [save, cancel]), err);
        } else {
          li.append(el("span", { class: "board-note-text", text: n.text }),
            el("span", { class: "board-state", text: noteState(n) }));
          if (p.status === "open") {
            const edit = el("button", { type: "button", class: "btn small", text: T.edit });
            edit.addEventListener("click", () => { editing = n.id; schedule(); });
            const del = el("button", { type: "button", class: "btn small danger", text: T.delete });
            const err = el("p", { class: "error", role: "alert" });
            err.hidden = true;
            del.addEventListener("click", async () => {
              if (!window.confirm(T.confirm_delete)) return;
              const ack = await W.call("board:note:delete", { note_id: n.id });
              if (ack.ok) { store.mine.delete(n.id); store.notes.delete(n.id); schedule(); }
              else { err.textContent = ack.message; err.hidden = false; }
            });
            li.append(el("div", { class: "btn-row" }, [edit, del]), err);
          }
        }
        ul.append(li);
      });
      return ul;
    }

    function renderWall(p) {
      const votes = store.myVotes[String(p.id)] || {};
      const spent = Object.values(votes).reduce((a, b) => a + b, 0);
      const voting = p.vote_status === "open";
      const totals = voteTotals(p);
      let notes = notesOf(p.id);
      if (p.vote_status === "closed") notes = notes.sort((a, b) => (totals.get(b.id) || 0) - (totals.get(a.id) || 0) || a.id - b.id);
      const box = el("div", { class: "board-phone-wall" });
      if (voting) box.append(el("p", { class: "board-dots-left", text: T.vote_open + " — " + T.dots_left + " " + (p.vote_dots - spent) + " / " + p.vote_dots }));
      if (p.vote_status === "closed") box.append(el("h3", { text: T.results }));
      else box.append(el("h3", { text: T.wall }));
      if (!notes.length) box.append(el("p", { class: "hint", text: T.no_notes }));
      const ul = el("ul", { class: "board-others" });
      notes.forEach((n) => {
        const li = el("li", { "data-note": n.id });
        paint(li, n.colour);
        li.append(el("span", { class: "board-note-text", text: n.text }),
          el("span", { class: "board-author", text: authorLabel(n) + (n.merged_count ? " · ×" + (n.merged_count + 1) : "") }));
        if (p.vote_status === "closed") li.append(el("span", { class: "board-votes", text: W.plural(totals.get(n.id) || 0, T.votes) }));
        if (voting) {
          const mineDots = votes[String(n.id)] || 0;
          const minus = el("button", { type: "button", class: "btn small dot-btn", "aria-label": T.vote_remove, text: "−", disabled: mineDots === 0 });
          const plus = el("button", { type: "button", class: "btn small dot-btn", "aria-label": T.vote_add, text: "+", disabled: spent >= p.vote_dots });
          const dots = el("span", { class: "board-dots", text: "●".repeat(mineDots) || "○" });
          const cast = async (value) => {
            const ack = await W.call("board:vote:cast", { note_id: n.id, dots: value });
            if (ack.ok) { store.myVotes[String(p.id)] = ack.data.votes; errors[p.id] = ""; }
            else { errors[p.id] = ack.message; W.announce(ack.message); }
            schedule();
          };
          minus.addEventListener("click", () => cast(mineDots - 1));
          plus.addEventListener("click", () => cast(mineDots + 1));
          li.append(el("div", { class: "board-vote-row" }, [minus, dots, plus]));
        }
        ul.append(li);
      });
      box.append(ul);
      if (voting && errors[p.id]) box.append(el("p", { class: "error", text: errors[p.id] }));
      return box;
    }

    render = function () {
      const active = sortedPrompts().filter((p) => p.status === "open" || p.vote_status !== "none" ||
        notesOf(p.id, store.mine).length || outboxNotes(p.id).length);
      let visible = active.filter((p) => p.status !== "archived");
      // The déroulé follows one activity: only its question (participant.js).
      const focus = W.focus;
      if (focus && focus.prompt_id) visible = sortedPrompts().filter((p) => p.id === focus.prompt_id);
      root.hidden = visible.length === 0;
      const welcome = document.getElementById("welcome");
      if (welcome) welcome.hidden = visible.length > 0;
      // Keep focus and caret in the textarea being typed into.
      const focused = document.activeElement;
      const focusId = focused && focused.id;
      const caret = focused && focused.selectionStart;
      list.replaceChildren();
      visible.forEach((p) => {
        const card = el("article", { class: "card board-prompt-card", "data-prompt": p.id });
        card.append(el("h2", { class: "board-prompt-text", text: p.text }));
        if (p.status !== "open") card.append(el("p", { class: "pill", text: T.closed }));
        if (p.status === "open") card.append(renderForm(p));
        const mine = renderMine(p);
        const wallOpen = p.visibility === "live" || p.revealed;
        const wall = wallOpen ? renderWall(p) : el("p", { class: "hint", text: T.reveal_wait });
        // During a vote the dots come first, right under the question.
        const votingFirst = focus && focus.type === "vote" && p.vote_status === "open";
        if (votingFirst) card.append(wall);
        if (mine.children.length) card.append(el("h3", { text: T.my_notes }), mine);
        if (!votingFirst) card.append(wall);
        list.append(card);
      });
      if (focusId) {
        const again = document.getElementById(focusId);
        if (again) {
          again.focus();
          if (caret !== null && caret !== undefined && again.setSelectionRange) again.setSelectionRange(caret, caret);
        }
      }
    };
    W.onConnection(() => schedule());
    document.addEventListener("workshop:focus", () => schedule());
  }

  /* ============================================================ projector */
  if (role === "projector") {
    const wall = document.getElementById("board-wall");
    const inner = document.getElementById("board-wall-inner");
    const pager = document.getElementById("board-pager");
    const headBox = document.getElementById("board-wall-head");

    function onScreen() {
      const ps = sortedPrompts().filter((p) => p.status !== "archived");
      const chosen = ps.filter((p) => p.on_screen);
      return chosen.length ? chosen : ps.filter((p) => p.status === "open");
    }

    function noteCard(n, p, totals) {
      const card = el("div", { class: "wall-note", "data-note": n.id });
      paint(card, n.colour);
      card.append(el("p", { class: "wall-text", text: n.text }));
      const meta = [];
      if (n.author) meta.push(n.author);
      if (n.merged_count) meta.push("×" + (n.merged_count + 1));
      if (meta.length) card.append(el("p", { class: "wall-meta", text: meta.join(" · ") }));
      if (p.vote_status === "closed") card.append(el("p", { class: "wall-votes", text: W.plural(totals.get(n.id) || 0, T.votes) }));
      if (!seen.has(n.id)) {
        seen.add(n.id);
        card.classList.add("arrive");
      }
      return card;
    }

    function unit(card) { card.classList.add("wall-unit"); return card; }

    function build() {
      inner.replaceChildren();
      const ps = onScreen();
      if (!ps.length) {
        inner.append(el("p", { class: "wall-empty", text: T.no_prompt }));
        return false;
      }
      let anyCats = false;
      headBox.replaceChildren();
      headBox.hidden = ps.length !== 1;
      ps.forEach((p) => {
        const block = el("section", { class: "wall-prompt", "data-prompt": p.id });
        const notes = notesOf(p.id);
        const head = el("header", { class: "wall-head" }, [el("h2", { class: "wall-question", text: p.text })]);
        let status = W.plural(notes.length, T.notes_count);
        if (p.vote_status === "open") status += " · " + T.vote_open + " (" + W.plural(p.vote_dots, T.dots_per_person) + ")";
        head.append(el("p", { class: "wall-status", text: status }));
        if (ps.length === 1) headBox.append(head);
        else block.append(head);
        const totals = voteTotals(p);
        if (p.visibility === "reveal" && !p.revealed) {
          block.append(el("p", { class: "wall-empty", text: T.reveal_wait }));
        } else if (p.vote_status === "closed") {
          block.append(el("h3", { class: "wall-cat", text: T.results }));
          const grid = el("ol", { class: "wall-notes ranked" });
          notes.sort((a, b) => (totals.get(b.id) || 0) - (totals.get(a.id) || 0) || a.id - b.id)
            .forEach((n) => grid.append(el("li", { class: "wall-unit" }, [noteCard(n, p, totals)])));
          block.append(grid);
        } else {
          const cats = catsOf(p.id);
          const groups = cats.map((c) => ({ title: c.title, notes: notes.filter((n) => n.category_id === c.id) }))
            .filter((g) => g.notes.length);
          const loose = notes.filter((n) => !n.category_id || !store.cats.has(n.category_id));
          if (groups.length) anyCats = true;
          const area = el("div", { class: "wall-groups" });
          groups.forEach((g) => {
            const sec = el("div", { class: "wall-group" }, [el("h3", { class: "wall-cat", text: g.title })]);
            const grid = el("div", { class: "wall-notes" });
            g.notes.forEach((n) => grid.append(unit(noteCard(n, p, totals))));
            sec.append(grid);
            area.append(sec);
          });
          if (loose.length) {
            const sec = el("div", { class: "wall-group loose" });
            if (groups.length) sec.append(el("h3", { class: "wall-cat", text: T.uncategorised }));
            const grid = el("div", { class: "wall-notes" });
            loose.forEach((n) => grid.append(unit(noteCard(n, p, totals))));
            sec.append(grid);
            area.append(sec);
          }
          if (!notes.length) area.append(el("p", { class: "wall-empty", text: T.no_notes }));
          block.append(area);
        }
        inner.append(block);
      });
      return anyCats;
    }

    /* Fit: shrink the type within limits (from 5.5 % down to 2.2 % of the
     * screen's height), then columns per category, then pages that turn by
     * themselves (W.scenePager: whole notes only, each page with its question
     * and categories). */
    const pagerCtl = W.scenePager("board", wall, {
      units: ".wall-unit",
      groups: ".wall-group, .wall-prompt",
      indicator: pager,
      label: (i, n) => T.page + " " + i + " / " + n,
    });
    function fit(hasCats) {
      const vh = window.innerHeight;
      const max = Math.max(18, Math.round(vh * 0.055));
      const min = Math.ceil(vh * 0.022);
      const H = wall.clientHeight;
      pagerCtl.showAll();
      const fitsAt = (size) => {
        inner.style.fontSize = size + "px";
        return inner.scrollHeight <= H + 1 && inner.scrollWidth <= wall.clientWidth + 1;
      };
      /* the largest size in [lo, hi] at which everything fits, by bisection; null if none */
      const largest = (lo, hi) => {
        if (fitsAt(hi)) return hi;
        if (!fitsAt(lo)) return null;
        while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (fitsAt(mid)) lo = mid; else hi = mid; }
        return lo;
      };
      wall.classList.remove("as-columns");
      let size = largest(min, max);
      if (size === null && hasCats) {
        wall.classList.add("as-columns");
        size = largest(min, Math.round((max + min) / 2));
        // paged, the wall is denser without columns (one page per column otherwise)
        if (size === null) wall.classList.remove("as-columns");
      }
      if (size === null) size = min;
      inner.style.fontSize = size + "px";
      wall.dataset.fontSize = String(size);
      pagerCtl.layout();
    }

    /* a wall of hundreds of notes takes a while to measure: while notes
     * pour in, it is redrawn at most about twice a second */
    let lastRender = 0;
    let slow = 0;
    let deferred = null;
    function draw() {
      const t0 = performance.now();
      lastRender = t0;
      const hasCats = build();
      if (!wall.closest(".scene").hidden) fit(hasCats);
      else pendingFit = hasCats;
      slow = performance.now() - t0;
    }
    render = function () {
      const wait = slow > 60 ? Math.max(0, lastRender + 2 * slow + 200 - performance.now()) : 0;
      if (!wait) { draw(); return; }
      if (!deferred) deferred = setTimeout(() => { deferred = null; draw(); }, wait);
    };
    let pendingFit = null;
    // The scene may become visible after a render: fit once it shows.
    new MutationObserver(() => {
      if (!wall.closest(".scene").hidden) fit(pendingFit === null ? !!store.cats.size : pendingFit);
    }).observe(wall.closest(".scene"), { attributes: true, attributeFilter: ["hidden"] });
    window.addEventListener("resize", () => schedule());
  }

  /* ============================================================== console */
  if (role === "facilitator") {
    const consoleRoot = document.getElementById("board-console");
    const promptsBox = document.getElementById("board-prompts");
    const newPrompt = document.getElementById("board-new-prompt");
    const workspace = document.getElementById("board-workspace");
    const current = document.getElementById("board-current");
    const currentBox = document.getElementById("board-current-box");
    const counts = document.getElementById("board-counts");
    const columns = document.getElementById("board-columns");
    const queue = document.getElementById("board-queue");
    const errorBox = document.getElementById("board-error");
    const mergeHint = document.getElementById("board-merge-hint");
    const exportBase = {};
    document.querySelectorAll("#board-console [data-export]").forEach((a) => { exportBase[a.dataset.export] = a.getAttribute("href"); });
    let currentId = null;
    let merging = null;
    let renaming = null;               // category id whose title is being edited
    // The déroulé's selected activity (a question or a vote): the panel then
    // shows that question alone ({type, prompt_id}); null: every question.
    let focus = null;
    let newPromptDecided = false;
    const moreOpen = new Set();        // prompt ids whose « Réglages et exports » is open
    const colScroll = new Map();       // column key -> scroll position of its notes
    // For the console's other panels (grouping suggestions): read-only access.
    W.board = { store: store, current: () => currentId };

    function setFocus(d) {
      const next = d && d.prompt_id ? { id: d.id, type: d.type, prompt_id: d.prompt_id, current: !!d.current } : null;
      if ((next && next.prompt_id) !== (focus && focus.prompt_id)) { merging = null; colScroll.clear(); }
      focus = next;
      if (focus) currentId = focus.prompt_id;
      schedule();
    }
    setFocus(W.consoleFocus);
    document.addEventListener("workshop:console-focus", (ev) => setFocus(ev.detail));

    function show(ack) {
      if (ack && !ack.ok) { errorBox.textContent = ack.message; errorBox.hidden = false; }
      else errorBox.hidden = true;
      return ack;
    }
    async function send(event, payload) { return show(await W.call(event, payload)); }

    document.getElementById("board-prompt-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = ev.target;
      const colours = [...f.querySelectorAll("input[name=colours]:checked")].map((i) => i.value);
      const ack = await send("board:prompt:create", {
        text: f.elements.text.value,
        colours: colours,
        visibility: f.elements.visibility.value,
        approval: f.elements.approval.checked,
      });
      if (ack.ok) {
        f.reset();
        currentId = ack.data.id;
        store.prompts.set(ack.data.id, ack.data);
        schedule();
      }
    });
    current.addEventListener("change", () => { currentId = Number(current.value); schedule(); });
    document.getElementById("board-cat-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const input = document.getElementById("board-cat-title");
      const ack = await send("board:category:create", { prompt_id: currentId, title: input.value });
      if (ack.ok) input.value = "";
    });
    document.getElementById("board-fac-note-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const input = document.getElementById("board-fac-note");
      const ack = await send("board:note:create", { client_id: W.uuid(), prompt_id: currentId, text: input.value });
      if (ack.ok) { input.value = ""; store.notes.set(ack.data.id, ack.data); schedule(); }
    });
    // capture: a focused <select> keeps Échap to itself otherwise
    document.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && merging) { merging = null; schedule(); }
    }, true);
    function focusAfterRender(selector) {
      document.addEventListener("board:rendered", () => setTimeout(() => {
        const target = columns.querySelector(selector);
        if (target) target.focus();
      }), { once: true });
    }

    /* A vote activity of the déroulé that is not the current one: its
     * « Ouvrir le vote » makes it the current activity (the room follows,
     * the question stops taking post-it), with the dots chosen here. */
    async function openVote(p, dots) {
      if (!(focus && focus.type === "vote" && !focus.current && focus.id && focus.prompt_id === p.id)) {
        return send("board:vote:open", { prompt_id: p.id, dots: dots });
      }
      const id = focus.id;
      const ack = await send("deroule:activity:update", { activity_id: id, settings: { dots: dots } });
      return ack.ok ? send("deroule:goto", { activity_id: id }) : ack;
    }

    function button(text, cls, onClick, attrs) {
      const b = el("button", Object.assign({ type: "button", class: "btn small " + (cls || ""), text: text }, attrs || {}));
      b.addEventListener("click", onClick);
      return b;
    }

    /* A question's controls. Its main actions (open, close, reveal, the
     * vote) come first; its settings and exports wait behind a disclosure.
     * Focused on a vote activity, the vote is the main action. */
    function promptCard(p, focused) {
      const card = el("article", { class: "board-prompt-ctl status-" + p.status + (focused ? " is-focus" : ""), "data-prompt": p.id });
      const title = el("p", { class: "board-prompt-title", text: p.text });
      const state = p.status === "open" ? T.open : p.status === "archived" ? T.archived : T.closed;
      const edit = button("✎", "", () => {
        const text = window.prompt(T.edit_prompt, p.text);
        if (text !== null) send("board:prompt:update", { prompt_id: p.id, text: text });
      }, { "aria-label": T.edit_prompt, title: T.edit_prompt });
      const headItems = [title];
      if (focused) headItems.push(el("span", { class: "board-prompt-counts", text: counts.textContent }));
      headItems.push(el("span", { class: "pill board-prompt-state", text: state }), edit);
      card.append(el("div", { class: "board-prompt-head" }, headItems));

      const st = (status, label, extra) => button(label, p.status === status && !extra ? "active" : "",
        () => send("board:prompt:update", Object.assign({ prompt_id: p.id, status: status }, extra || {})), { "data-action": label });
      const statusRow = [st("open", T.status_open), st("open", T.status_open_alone, { exclusive: true }), st("closed", T.status_close)];
      if (p.visibility === "reveal") {
        statusRow.push(button(p.revealed ? T.unreveal : T.reveal, p.revealed ? "" : "primary",
          () => send("board:prompt:update", { prompt_id: p.id, revealed: !p.revealed }), { "data-action": "reveal" }));
      }
      const voteRow = [];
      if (p.vote_status === "open") {
        voteRow.push(el("span", { class: "pill", text: T.vote_open + " · " + W.plural(p.vote_dots, T.dots_per_person) }),
          button(T.vote_stop, "primary", () => send("board:vote:close", { prompt_id: p.id }), { "data-action": "vote-close" }));
      } else {
        const dots = el("input", { type: "number", min: "1", max: "20", value: String(p.vote_dots), class: "board-dots-input", "aria-label": T.dots_each });
        voteRow.push(dots, el("span", { text: T.dots_each }),
          button(T.vote_start, "", () => openVote(p, Number(dots.value)), { "data-action": "vote-open" }));
        if (p.vote_status === "closed") voteRow.push(el("span", { class: "pill", text: T.results }));
      }
      const voteFirst = focused && focus.type === "vote";
      const main = el("div", { class: "btn-row board-main-actions" });
      if (voteFirst) main.append(el("span", { class: "board-vote-ctl" }, voteRow));
      else {
        main.append(...statusRow);
        if (!focused) main.append(el("span", { class: "board-vote-ctl" }, voteRow));
      }
      if (!focused) main.append(button(T.sort, currentId === p.id ? "active" : "", () => { currentId = p.id; schedule(); }));
      card.append(main);

      const more = el("details", { class: "board-prompt-more" });
      more.open = moreOpen.has(p.id);
      more.addEventListener("toggle", () => { if (more.open) moreOpen.add(p.id); else moreOpen.delete(p.id); });
      more.append(el("summary", { text: T.settings_exports }));
      const opts = el("div", { class: "btn-row board-prompt-opts" });
      const vis = el("select", { "aria-label": T.display_mode, class: "board-visibility" }, [
        el("option", { value: "live", text: T.mode_live, selected: p.visibility === "live" }),
        el("option", { value: "reveal", text: T.mode_reveal, selected: p.visibility === "reveal" }),
      ]);
      vis.addEventListener("change", () => send("board:prompt:update", { prompt_id: p.id, visibility: vis.value }));
      opts.append(vis);
      const appr = el("input", { type: "checkbox", checked: p.approval });
      appr.addEventListener("change", () => send("board:prompt:update", { prompt_id: p.id, approval: appr.checked }));
      opts.append(el("label", { class: "check" }, [appr, T.approval]));
      const scr = el("input", { type: "checkbox", checked: p.on_screen });
      scr.addEventListener("change", () => send("board:prompt:update", { prompt_id: p.id, on_screen: scr.checked }));
      opts.append(el("label", { class: "check" }, [scr, T.on_screen]), st("archived", T.status_archive));
      more.append(opts);
      if (focused) more.append(el("div", { class: "btn-row" }, voteFirst ? statusRow : [el("span", { class: "board-vote-ctl" }, voteRow)]));
      const ex = el("p", { class: "board-prompt-exports" }, [el("span", { text: W.labelled(focused ? T.export_question : T.exports, "") })]);
      Object.entries(exportBase).forEach(([fmt, href]) => {
        ex.append(el("a", { href: href + "?prompt=" + p.id, class: "btn small", text: fmt.toUpperCase() }));
      });
      more.append(ex);
      if (focused) {
        // the whole atelier's exports (in the panel's head otherwise)
        more.append(el("p", { class: "board-prompt-exports" }, [el("span", { text: W.labelled(T.export_all, "") }),
          ...[...document.querySelectorAll("#board-exports-box [data-export]")].map((a) => {
            const copy = a.cloneNode(true);
            copy.removeAttribute("data-export");
            return copy;
          })]));
      }
      main.append(more);
      return card;
    }

    /* --- drag and drop: HTML5 for the mouse, Pointer Events for touch */
    function dropOn(zone, noteId) {
      const cat = zone.dataset.dropCategory;
      send("board:note:move", { note_id: noteId, category_id: cat === "" ? null : Number(cat) });
    }
    function makeZone(zone) {
      zone.addEventListener("dragover", (ev) => { ev.preventDefault(); zone.classList.add("drop-over"); });
      zone.addEventListener("dragleave", () => zone.classList.remove("drop-over"));
      zone.addEventListener("drop", (ev) => {
        ev.preventDefault();
        zone.classList.remove("drop-over");
        const id = Number(ev.dataTransfer.getData("text/plain"));
        if (id) dropOn(zone, id);
      });
    }
    function makeDraggable(card, handle, noteId) {
      card.draggable = true;
      card.addEventListener("dragstart", (ev) => {
        ev.dataTransfer.setData("text/plain", String(noteId));
        ev.dataTransfer.effectAllowed = "move";
        card.classList.add("dragging");
      });
      card.addEventListener("dragend", () => card.classList.remove("dragging"));
      handle.addEventListener("pointerdown", (ev) => {
        if (ev.pointerType === "mouse") return;
        ev.preventDefault();
        const ghost = card.cloneNode(true);
        ghost.classList.add("drag-ghost");
        document.body.append(ghost);
        const move = (e) => {
          ghost.style.left = e.clientX - 20 + "px";
          ghost.style.top = e.clientY - 20 + "px";
          document.querySelectorAll(".drop-over").forEach((z) => z.classList.remove("drop-over"));
          const under = document.elementFromPoint(e.clientX, e.clientY);
          const zone = under && under.closest("[data-drop-category]");
          if (zone) zone.classList.add("drop-over");
        };
        const up = (e) => {
          document.removeEventListener("pointermove", move);
          document.removeEventListener("pointerup", up);
          document.removeEventListener("pointercancel", up);
          ghost.remove();
          document.querySelectorAll(".drop-over").forEach((z) => z.classList.remove("drop-over"));
          if (e.type !== "pointerup") return;
          const under = document.elementFromPoint(e.clientX, e.clientY);
          const zone = under && under.closest("[data-drop-category]");
          if (zone) dropOn(zone, noteId);
        };
        move(ev);
        document.addEventListener("pointermove", move);
        document.addEventListener("pointerup", up);
        document.addEventListener("pointercancel", up);
      });
    }

    function noteCard(n, p, cats, totals) {
      const card = el("div", { class: "board-note-card status-" + n.status, "data-note": n.id });
      paint(card, n.colour);
      const handle = el("span", { class: "drag-handle", "aria-hidden": "true", title: T.drag, text: "⠿" });
      card.append(handle, el("p", { class: "board-note-text", text: n.text }));
      const meta = [n.by_facilitator ? T.facilitator : (n.anonymous ? T.anonymous : (n.author_name || T.anonymous))];
      if (n.status === "hidden") meta.push(T.status_hidden);
      if (n.status === "pending") meta.push(T.status_pending);
      if (totals.has(n.id)) meta.push(W.plural(totals.get(n.id), T.votes));
      card.append(el("p", { class: "board-note-meta", text: meta.join(" · ") }));
      const merged = notesOf(p.id).filter((m) => m.merged_into === n.id);
      if (merged.length) {
        const ul = el("ul", { class: "board-merged" });
        merged.forEach((m) => ul.append(el("li", {}, [el("span", { text: m.text }),
          button(T.unmerge, "", () => send("board:note:merge", { note_id: m.id, into_id: null }))])));
        card.append(ul);
      }
      const tools = el("div", { class: "board-note-tools" });
      const sel = el("select", { class: "board-move", "aria-label": T.move_to }, [
        el("option", { value: "", text: T.uncategorised, selected: !n.category_id }),
        ...cats.map((c) => el("option", { value: String(c.id), text: c.title, selected: n.category_id === c.id })),
      ]);
      sel.addEventListener("change", () => send("board:note:move", { note_id: n.id, category_id: sel.value ? Number(sel.value) : null }));
      tools.append(sel);
      if (n.status === "visible") tools.append(button(T.hide, "", () => send("board:note:moderate", { note_id: n.id, action: "hide" }), { "data-action": "hide" }));
      else if (n.status === "hidden") tools.append(button(T.show, "", () => send("board:note:moderate", { note_id: n.id, action: "show" }), { "data-action": "show" }));
      if (merging && merging !== n.id) {
        tools.append(button(T.merge_here, "primary", () => {
          send("board:note:merge", { note_id: merging, into_id: n.id });
          merging = null;
          schedule();
        }, { "data-action": "merge-here" }));
      } else if (!merging) {
        tools.append(button(T.merge, "", () => {
          merging = n.id;
          W.announce(T.merge_pick);
          focusAfterRender('[data-note="' + n.id + '"] [data-action="merge-cancel"]');
          schedule();
        }, { "data-action": "merge" }));
      } else {
        // the post-it being merged: a visible way out besides Échap
        tools.append(button(T.cancel, "", () => { merging = null; schedule(); }, { "data-action": "merge-cancel" }));
      }
      tools.append(button("✕", "danger", () => {
        if (window.confirm(T.confirm_delete)) send("board:note:delete", { note_id: n.id });
      }, { "aria-label": T.delete, title: T.delete }));
      card.append(tools);
      makeDraggable(card, handle, n.id);
      if (merging === n.id) card.classList.add("merging");
      return card;
    }

    function column(title, catId, notes, p, cats, totals, catObj, index) {
      const key = catId === null ? "" : String(catId);
      const col = el("section", { class: "board-col", "data-drop-category": key });
      const head = el("header", { class: "board-col-head" });
      const line = el("div", { class: "board-col-line" });
      if (catObj && renaming === catObj.id) {
        const input = el("input", { class: "board-cat-title", value: catObj.title, "aria-label": T.rename, maxlength: "200" });
        const done = () => { if (renaming === catObj.id) { renaming = null; schedule(); } };
        input.addEventListener("change", () => {
          renaming = null;
          send("board:category:update", { category_id: catObj.id, title: input.value });
        });
        input.addEventListener("keydown", (ev) => {
          if (ev.key === "Enter") { ev.preventDefault(); input.blur(); }
          if (ev.key === "Escape") { ev.stopPropagation(); input.value = catObj.title; done(); }
        });
        input.addEventListener("blur", done);
        line.append(input);
        requestAnimationFrame(() => { if (document.contains(input)) { input.focus(); input.select(); } });
      } else {
        line.append(el("h3", { class: "board-col-title", text: title, title: title }));
      }
      line.append(el("span", { class: "pill", text: String(notes.length) }));
      head.append(line);
      if (catObj) {
        const order = cats.map((c) => c.id);
        const swap = (delta) => {
          const j = index + delta;
          if (j < 0 || j >= order.length) return;
          [order[index], order[j]] = [order[j], order[index]];
          send("board:category:reorder", { prompt_id: p.id, order: order });
        };
        head.append(el("div", { class: "board-col-tools" }, [
          button("✎ " + T.rename_short, "", () => { renaming = catObj.id; schedule(); }, { "aria-label": T.rename, "data-action": "rename" }),
          button("↑", "", () => swap(-1), { "aria-label": T.move_up, title: T.move_up, disabled: index === 0 }),
          button("↓", "", () => swap(1), { "aria-label": T.move_down, title: T.move_down, disabled: index === cats.length - 1 }),
          button("✕", "danger", () => { if (window.confirm(T.confirm_delete_cat)) send("board:category:delete", { category_id: catObj.id }); },
            { "aria-label": T.delete, title: T.delete }),
        ]));
      }
      col.append(head);
      // each column's notes scroll on their own: the panel keeps its height
      const body = el("div", { class: "board-col-notes", "data-scroll-key": key });
      notes.forEach((n) => body.append(noteCard(n, p, cats, totals)));
      col.append(body);
      makeZone(col);
      return col;
    }

    // Do not rebuild under the facilitator's fingers: wait for the field to
    // lose focus. Only a render put off that way is done then (a render on
    // every focusout would loop: each rebuild moves the focus again).
    let deferred = false;
    consoleRoot.addEventListener("focusout", () => {
      if (deferred) { deferred = false; setTimeout(schedule, 0); }
    });
    function typing() {
      const a = document.activeElement;
      return a && consoleRoot.contains(a) && a.matches("input:not([type=checkbox]), textarea, select") &&
        !a.closest("#board-prompt-form, #board-cat-form, #board-fac-note-form");
    }

    render = function () {
      if (typing()) { deferred = true; return; }
      const all = sortedPrompts();
      const focused = focus && store.prompts.has(focus.prompt_id) ? store.prompts.get(focus.prompt_id) : null;
      const ps = focused ? [focused] : all;
      consoleRoot.classList.toggle("is-focus", !!focused);
      // One question per activity: new questions come with a « Question » activity.
      newPrompt.hidden = !!focused;
      if (!newPromptDecided && store.loaded) { newPrompt.open = all.length === 0; newPromptDecided = true; }
      if (!all.length) newPrompt.open = true;
      currentBox.hidden = !!focused || all.length < 2;
      promptsBox.replaceChildren();
      if (!all.length) {
        promptsBox.append(el("p", { class: "hint", text: T.no_prompts }));
        workspace.hidden = true;
        counts.textContent = "";
        return;
      }
      if (!store.prompts.has(currentId)) {
        const open = all.find((p) => p.status === "open");
        currentId = (open || all[all.length - 1]).id;
      }
      if (focused) currentId = focused.id;
      const p = store.prompts.get(currentId);
      const cats = catsOf(p.id);
      const totals = voteTotals(p);
      const notes = notesOf(p.id).filter((n) => !n.merged_into);
      const pendingNotes = notes.filter((n) => n.status === "pending");
      counts.textContent = [W.plural(notes.length, T.notes_count), W.plural(cats.length, T.categories_count)]
        .concat(pendingNotes.length ? [W.plural(pendingNotes.length, T.pending_count)] : []).join(" · ");
      ps.forEach((q) => promptsBox.append(promptCard(q, !!focused)));
      workspace.hidden = false;
      current.replaceChildren(...all.map((q) => el("option", { value: String(q.id), text: q.text.slice(0, 80), selected: q.id === currentId })));
      W.announceNew("board-pending", pendingNotes.map((n) => n.id), T.new_pending);
      queue.hidden = pendingNotes.length === 0;
      queue.replaceChildren(el("h3", { text: T.queue + " (" + pendingNotes.length + ")" }));
      const queueList = el("div", { class: "board-queue-items" });
      pendingNotes.forEach((n) => {
        const item = el("div", { class: "board-queue-item", "data-note": n.id });
        paint(item, n.colour);
        item.append(el("p", { class: "board-note-text", text: n.text }),
          el("p", { class: "board-note-meta", text: n.anonymous ? T.anonymous : (n.author_name || T.anonymous) }),
          el("div", { class: "btn-row" }, [
            button(T.approve, "primary", () => send("board:note:moderate", { note_id: n.id, action: "approve" }), { "data-action": "approve" }),
            button(T.reject, "danger", () => send("board:note:moderate", { note_id: n.id, action: "reject" }), { "data-action": "reject" }),
          ]));
        queueList.append(item);
      });
      queue.append(queueList);
      const placed = notes.filter((n) => n.status !== "pending");
      mergeHint.hidden = !merging;
      mergeHint.textContent = merging ? T.merge_pick : "";
      const scrollX = columns.scrollLeft;
      columns.querySelectorAll("[data-scroll-key]").forEach((b) => colScroll.set(p.id + ":" + b.dataset.scrollKey, b.scrollTop));
      const loose = placed.filter((n) => !n.category_id || !store.cats.has(n.category_id));
      columns.replaceChildren(column(T.uncategorised, null, loose, p, cats, totals, null, -1));
      // an empty « Sans catégorie » stays a drop target, narrower
      columns.firstChild.classList.toggle("is-empty", !loose.length && cats.length > 0);
      cats.forEach((c, i) => columns.append(column(c.title, c.id, placed.filter((n) => n.category_id === c.id), p, cats, totals, c, i)));
      columns.scrollLeft = scrollX;
      columns.querySelectorAll("[data-scroll-key]").forEach((b) => {
        const top = colScroll.get(p.id + ":" + b.dataset.scrollKey);
        if (top) b.scrollTop = top;
      });
      document.dispatchEvent(new CustomEvent("board:rendered"));
    };
  }
})();
