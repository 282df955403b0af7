/* Grouping suggestions in the console ("Suggérer des regroupements").
 *
 * The suggestion is computed by the server (board:suggest) and kept here:
 * renaming, moving notes in or out, choosing the category and rejecting are
 * local to this console until "Accepter" (board:suggest:accept). The ack of
 * an acceptance carries what undoing it needs; "Annuler cette acceptation"
 * sends it back (board:suggest:undo), one action for the whole acceptance.
 * What undoing needs is kept in this tab's sessionStorage, so that reloading
 * the console does not lose it (the server checks again that nothing moved
 * since). Every text goes through textContent.
 */
(function () {
  "use strict";
  const W = window.Workshop;
  const root = document.getElementById("board-suggest");
  const i18nNode = document.getElementById("board-suggest-i18n");
  if (!W || !root || !i18nNode || W.role !== "facilitator") return;
  const T = W.texts("board-suggest-i18n"); // updated in place when the language changes
  const el = W.el;
  const btn = document.getElementById("board-suggest-btn");
  const status = document.getElementById("board-suggest-status");
  const panel = document.getElementById("board-suggest-panel");
  const box = document.getElementById("board-suggest-groups");
  const undoBar = document.getElementById("board-suggest-undo");
  const undoText = document.getElementById("board-suggest-undo-text");
  const undoBtn = document.getElementById("board-suggest-undo-btn");

  let state = null;      // {promptId, groups: [...], unplaced: [...], duplicates: [...]}
  // This console's acceptances, latest last: {undo: payload, message}; kept across a reload.
  const undoKey = "workshop:suggest-undo:" + W.code;
  const undos = loadUndos();
  let seq = 0;

  function loadUndos() {
    try {
      const kept = JSON.parse(sessionStorage.getItem(undoKey) || "[]");
      return Array.isArray(kept) ? kept.filter((u) => u && u.undo && typeof u.message === "string") : [];
    } catch (e) { return []; }
  }
  function saveUndos() {
    try {
      if (undos.length) sessionStorage.setItem(undoKey, JSON.stringify(undos.slice(-20)));
      else sessionStorage.removeItem(undoKey);
    } catch (e) { /* private mode or full: the undo lasts as long as the page */ }
  }
  function showUndo() {
    const last = undos[undos.length - 1];
    undoBar.hidden = !last;
    undoText.textContent = last ? last.message : "";
  }

  function board() { return W.board || { store: { notes: new Map(), cats: new Map() }, current: () => null }; }
  function say(text, isError) {
    status.textContent = text || "";
    status.classList.toggle("error", !!isError);
  }
  function button(text, cls, onClick, attrs) {
    const b = el("button", Object.assign({ type: "button", class: "btn small " + (cls || ""), text: text }, attrs || {}));
    b.addEventListener("click", onClick);
    return b;
  }
  // What the board says of a suggested note now: null (unchanged), "changed" or "gone".
  function drift(n) {
    const now = board().store.notes.get(n.id);
    if (!now) return "gone";
    if (now.text !== n.text || now.category_id || now.merged_into) return "changed";
    return null;
  }

  btn.addEventListener("click", async () => {
    const promptId = board().current();
    if (!promptId) return;
    btn.disabled = true;
    say(T.working);
    const ack = await W.call("board:suggest", { prompt_id: promptId }, 60000);
    btn.disabled = false;
    if (!ack || !ack.ok) { say(ack && ack.message ? ack.message : T.failed, true); return; }
    const d = ack.data;
    say(d.message, !!d.notice);
    state = {
      promptId: d.prompt_id,
      groups: d.groups.map((g) => ({
        key: ++seq,
        title: g.category_title || g.label,
        label: g.label,
        keywords: g.keywords,
        categoryId: g.category_id,
        notes: g.notes,
      })),
      unplaced: d.unplaced,
      duplicates: d.duplicates,
    };
    // Nothing to act on (too few notes, no words, nothing close): the message says why.
    if (!state.groups.length && !state.duplicates.length) state = null;
    render();
  });

  document.getElementById("board-suggest-close").addEventListener("click", () => { state = null; say(""); render(); });
  document.getElementById("board-suggest-all").addEventListener("click", () => {
    if (state) accept(state.groups.filter((g) => g.notes.length));
  });
  undoBtn.addEventListener("click", async () => {
    const last = undos[undos.length - 1];
    if (!last) return;
    undoBtn.disabled = true;
    const ack = await W.call("board:suggest:undo", last.undo);
    undoBtn.disabled = false;
    if (!ack || !ack.ok) { say(ack && ack.message ? ack.message : T.failed, true); return; }
    undos.pop();
    saveUndos();
    say(ack.data.message, ack.data.stale.length > 0);
    showUndo();
  });
  showUndo();

  async function accept(groups) {
    if (!state || !groups.length) return;
    const payload = {
      prompt_id: state.promptId,
      groups: groups.map((g) => ({
        title: g.title,
        category_id: g.categoryId || null,
        notes: g.notes.map((n) => ({ id: n.id, basis: n.basis })),
      })),
    };
    const ack = await W.call("board:suggest:accept", payload);
    if (!ack || !ack.ok) { say(ack && ack.message ? ack.message : T.failed, true); return; }
    const d = ack.data;
    const done = new Set(groups.map((g) => g.key));
    const stale = new Set(d.stale.map((s) => s.id));
    state.groups = state.groups.filter((g) => !done.has(g.key));
    // Notes that changed meanwhile leave the other groups too: they are the board's now.
    state.groups.forEach((g) => { g.notes = g.notes.filter((n) => !stale.has(n.id)); });
    if (d.accepted.length) {
      undos.push({ undo: d.undo, message: d.message });
      saveUndos();
      showUndo();
      say("");
    } else {
      say(d.message, true);
    }
    if (d.stale.length || d.refused.length) say(d.message, true);
    if (!state.groups.length && !state.unplaced.length && !state.duplicates.length) {
      state = null;
      if (!d.stale.length) say(T.all_done);
    }
    render();
  }

  function moveNote(note, fromKey, toKey) {
    const from = fromKey === null ? state.unplaced : state.groups.find((g) => g.key === fromKey).notes;
    const i = from.findIndex((n) => n.id === note.id);
    if (i >= 0) from.splice(i, 1);
    if (toKey === null) state.unplaced.push(note);
    else state.groups.find((g) => g.key === toKey).notes.push(note);
    render();
  }

  function noteItem(n, groupKey) {
    const li = el("li", { class: "suggest-note", "data-note": String(n.id) });
    li.append(el("span", { class: "suggest-note-text", text: n.text }));
    const d = drift(n);
    if (d) li.append(el("span", { class: "suggest-drift", text: d === "gone" ? T.gone : T.changed }));
    if (groupKey !== null) {
      li.append(button("✕", "", () => moveNote(n, groupKey, null),
        { "aria-label": W.labelled(T.remove, W.quoted(n.text.slice(0, 60))), title: T.remove, "data-action": "suggest-remove" }));
    } else if (state.groups.length) {
      const sel = el("select", { class: "suggest-add", "aria-label": T.add_to + " " + W.quoted(n.text.slice(0, 60)) }, [
        el("option", { value: "", text: T.add_to }),
        ...state.groups.map((g) => el("option", { value: String(g.key), text: g.title })),
      ]);
      sel.addEventListener("change", () => { if (sel.value) moveNote(n, null, Number(sel.value)); });
      li.append(sel);
    }
    return li;
  }

  function groupCard(g, cats) {
    const card = el("article", { class: "suggest-group", "data-group": String(g.key) });
    const nameId = "suggest-name-" + g.key;
    const name = el("input", { id: nameId, class: "suggest-name", value: g.title, maxlength: "200" });
    name.addEventListener("input", () => { g.title = name.value; });
    card.append(el("label", { for: nameId, class: "suggest-label", text: T.group_name }), name);
    const targetId = "suggest-target-" + g.key;
    const target = el("select", { id: targetId, class: "suggest-target" }, [
      el("option", { value: "", text: T.new_category, selected: !g.categoryId }),
      ...cats.map((c) => el("option", { value: String(c.id), text: c.title, selected: g.categoryId === c.id })),
    ]);
    target.addEventListener("change", () => {
      g.categoryId = target.value ? Number(target.value) : null;
      if (g.categoryId) { g.title = board().store.cats.get(g.categoryId).title; name.value = g.title; }
    });
    card.append(el("div", { class: "suggest-target-row" }, [el("label", { for: targetId, text: T.target }), target]));
    // The key words, when the title no longer says them (renamed, or an existing category).
    const kw = el("p", { class: "hint suggest-keywords", text: T.keywords + " " + g.keywords.join(", "), hidden: g.title === g.label });
    name.addEventListener("input", () => { kw.hidden = g.title === g.label; });
    card.append(kw);
    const ul = el("ul", { class: "suggest-notes" });
    g.notes.forEach((n) => ul.append(noteItem(n, g.key)));
    if (!g.notes.length) ul.append(el("li", { class: "hint", text: T.empty_group }));
    card.append(ul);
    card.append(el("div", { class: "btn-row" }, [
      button(T.accept, "primary", () => accept([g]), { "data-action": "suggest-accept", disabled: !g.notes.length || !name.value.trim() }),
      button(T.reject, "", () => {
        state.groups = state.groups.filter((x) => x.key !== g.key);
        render();
      }, { "data-action": "suggest-reject" }),
    ]));
    name.addEventListener("input", () => {
      card.querySelector("[data-action=suggest-accept]").disabled = !g.notes.length || !name.value.trim();
    });
    return card;
  }

  function render() {
    if (!state) { panel.hidden = true; box.replaceChildren(); return; }
    // Keep what the facilitator is typing: re-render once they leave the field.
    // nor under a press: the control pressed would be replaced, its click lost
    if (W.pressed(root)) { W.afterPress(render); return; }
    const a = document.activeElement;
    if (a && box.contains(a) && a.matches("input")) return;
    const cats = [...board().store.cats.values()].filter((c) => c.prompt_id === state.promptId)
      .sort((x, y) => x.position - y.position || x.id - y.id);
    state.groups.forEach((g) => { if (g.categoryId && !board().store.cats.has(g.categoryId)) g.categoryId = null; });
    panel.hidden = false;
    document.getElementById("board-suggest-all").hidden = state.groups.length < 2;
    box.replaceChildren(...state.groups.map((g) => groupCard(g, cats)));
    if (state.unplaced.length) {
      const card = el("article", { class: "suggest-group suggest-unplaced" });
      card.append(el("h4", { text: T.unplaced + " (" + state.unplaced.length + ")" }), el("p", { class: "hint", text: T.unplaced_hint }));
      const ul = el("ul", { class: "suggest-notes" });
      state.unplaced.forEach((n) => ul.append(noteItem(n, null)));
      card.append(ul);
      box.append(card);
    }
    const dups = state.duplicates.filter((p) => board().store.notes.has(p.duplicate.id) && !board().store.notes.get(p.duplicate.id).merged_into);
    if (dups.length) {
      const card = el("article", { class: "suggest-group suggest-dups" });
      card.append(el("h4", { text: T.duplicates }), el("p", { class: "hint", text: T.duplicates_hint }));
      const ul = el("ul", { class: "suggest-notes" });
      dups.forEach((p) => {
        const li = el("li", { class: "suggest-dup" }, [
          el("span", { class: "suggest-note-text", text: "« " + p.kept.text + " »" }),
          el("span", { class: "suggest-note-text", text: "« " + p.duplicate.text + " »" }),
        ]);
        li.append(button(T.merge, "", async () => {
          const ack = await W.call("board:note:merge", { note_id: p.duplicate.id, into_id: p.kept.id });
          if (!ack || !ack.ok) { say(ack && ack.message ? ack.message : T.failed, true); return; }
          state.duplicates = state.duplicates.filter((x) => x !== p);
          state.groups.forEach((g) => { g.notes = g.notes.filter((n) => n.id !== p.duplicate.id); });
          state.unplaced = state.unplaced.filter((n) => n.id !== p.duplicate.id);
          render();
        }, { "data-action": "suggest-merge" }));
        ul.append(li);
      });
      card.append(ul);
      box.append(card);
    }
  }

  root.addEventListener("focusout", () => setTimeout(render, 0));
  document.addEventListener("board:rendered", () => {
    if (state && state.promptId !== board().current()) { state = null; say(""); }
    render();
  });
})();
