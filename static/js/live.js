/* Live connection shared by the three surfaces (console, projection, phone).
 *
 * - connects with the identity of the page (role, atelier code, secret or token);
 * - receives a full snapshot on every connect and reconnect;
 * - shows a "reconnexion…" banner while disconnected and resyncs by itself;
 * - keeps an outbox in localStorage: what a phone writes is sent once it is
 *   connected, resent until acknowledged, and the server stores it exactly once
 *   (each item carries a client-made id).
 */
(function () {
  "use strict";
  const body = document.body;
  const role = body.dataset.role;
  const code = body.dataset.code;
  /* Texts of the page, from its JSON blocks, as objects that stay the same:
   * when the atelier's language changes they are refilled in place, so each
   * module's `T` speaks the new language at its next render. */
  const textBlocks = {};
  function texts(id) {
    if (!textBlocks[id]) {
      const node = document.getElementById(id);
      textBlocks[id] = node ? JSON.parse(node.textContent) : {};
    }
    return textBlocks[id];
  }
  const i18n = texts("i18n");
  const tokenKey = "workshop:token:" + code;
  const noticeKey = "workshop:notice:" + code; // read by the join page

  function uuid() {
    if (window.crypto && crypto.randomUUID) {
      try { return crypto.randomUUID(); } catch (e) { /* insecure context */ }
    }
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function storageGet(key, fallback) {
    try {
      const v = localStorage.getItem(key);
      return v === null ? fallback : JSON.parse(v);
    } catch (e) { return fallback; }
  }
  function storageSet(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or private */ }
  }

  function token() { return storageGet(tokenKey, null); }

  if (role === "participant" && !token()) {
    window.location.replace("/j/" + code);
    return;
  }

  const banner = document.getElementById("banner");
  function showBanner(text, kind) {
    banner.textContent = text;
    banner.className = "banner " + (kind || "");
    banner.hidden = false;
  }
  function hideBanner() { banner.hidden = true; }

  const snapshotHandlers = [];
  const connectionHandlers = [];
  let state = null;
  let clockOffset = 0;

  const socket = io({
    transports: ["websocket", "polling"],
    reconnection: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
    randomizationFactor: 0.5,
    timeout: 8000,
    auth: (cb) => {
      const auth = { role: role, code: code };
      if (role === "facilitator") auth.secret = body.dataset.secret;
      if (role === "participant") auth.token = token();
      cb(auth);
    },
  });

  /* Connection banner: "offline" (the phone says it has no network) keeps its
   * reassuring sentence until the network is back; otherwise "reconnecting"
   * says what is happening and what to do (nothing: keep the page open). */
  let offline = navigator.onLine === false;
  function showConnectionBanner() {
    if (offline) showBanner(i18n.offline, "warn offline");
    else showBanner(i18n.reconnecting_long || i18n.reconnecting, "warn");
  }

  function setConnected(ok) {
    const dot = document.getElementById("conn-dot");
    if (dot) dot.classList.toggle("on", ok);
    body.classList.toggle("disconnected", !ok);
    connectionHandlers.forEach((fn) => fn(ok));
  }

  socket.on("connect", () => {
    hideBanner();
    setConnected(true);
    measureClock();
  });
  socket.on("disconnect", (reason) => {
    setConnected(false);
    if (reason !== "io client disconnect") showConnectionBanner();
  });
  socket.io.on("reconnect_attempt", showConnectionBanner);
  window.addEventListener("offline", () => { offline = true; showConnectionBanner(); });
  window.addEventListener("online", () => {
    offline = false;
    if (!socket.connected) { showConnectionBanner(); socket.connect(); }
  });

  socket.on("connect_error", (err) => {
    const data = err && err.data;
    if (data && data.error) {
      if (data.error === "bad_token" && role === "participant") {
        // Removed, or a stale token: back to the join page, which says why.
        try { localStorage.removeItem(tokenKey); } catch (e) { /* ignore */ }
        try { sessionStorage.setItem(noticeKey, data.message || ""); } catch (e) { /* ignore */ }
        socket.io.reconnection(false);
        window.location.replace("/j/" + code);
        return;
      }
      showBanner(data.message, "error");
      if (["bad_secret", "atelier_not_found", "bad_role"].includes(data.error)) {
        socket.io.reconnection(false);
      }
      return;
    }
    showConnectionBanner();
  });

  /* ---------------- capabilities loaded on demand. The phone and projection
   * pages load up front only the capabilities the atelier uses; the others
   * are listed in the "lazy-assets" map (name -> hashed script and style
   * URLs). One is fetched when the déroulé gains an activity of it
   * (Workshop.need), when one of its events arrives, or when a snapshot
   * holds something of it. Its events received before its script ran are
   * kept and replayed to that script's handlers, after the snapshot that
   * Workshop.onSnapshot hands over: it starts where the others are. */
  let lazyMap = null; // read at first use: the map comes after this script
  function lazyAssets() {
    if (lazyMap === null) {
      const node = document.getElementById("lazy-assets");
      if (!node && document.readyState === "loading") return {};
      lazyMap = node ? JSON.parse(node.textContent) : {};
    }
    return lazyMap;
  }
  const LAZY_BACKLOG = 2000;
  const lazyState = {};    // name -> "loading" | "ran"
  const lazyBacklog = {};  // name -> [[event, data]] since the last snapshot
  const lazyOverflow = {}; // name -> true: too many events kept, resync instead
  const lazyHandlers = {}; // name -> [[event, fn]] registered by its script
  function lazyName(event) {
    const name = String(event).split(":")[0];
    return Object.prototype.hasOwnProperty.call(lazyAssets(), name) && lazyState[name] !== "ran" ? name : null;
  }
  function keepForLazy(event, data) {
    const name = lazyName(event);
    if (!name) return;
    const log = (lazyBacklog[name] = lazyBacklog[name] || []);
    if (log.length < LAZY_BACKLOG) log.push([event, data]);
    else lazyOverflow[name] = true;
    need(name);
  }
  function need(name) {
    if (!Object.prototype.hasOwnProperty.call(lazyAssets(), name) || lazyState[name]) return;
    lazyState[name] = "loading";
    const assets = lazyAssets()[name];
    (assets.styles || []).forEach((href) => {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.append(link);
    });
    (assets.scripts || []).forEach((src) => {
      const script = document.createElement("script");
      script.src = src;
      script.async = false; // in order
      script.dataset.capability = name;
      script.addEventListener("error", () => {
        // offline or an old page after an upgrade: tried again at the next need
        if (lazyState[name] === "loading") delete lazyState[name];
        script.remove();
      });
      document.body.append(script);
    });
  }
  /* The script of a lazy capability is running: its handlers get the
   * backlog once it has run to its end and had the snapshot. */
  function lazyRegistering() {
    const script = document.currentScript;
    const name = script && script.dataset ? script.dataset.capability : null;
    if (!name || !Object.prototype.hasOwnProperty.call(lazyAssets(), name)) return null;
    if (lazyState[name] !== "ran") {
      lazyState[name] = "ran";
      const backlog = lazyBacklog[name] || [];
      const resync = lazyOverflow[name];
      delete lazyBacklog[name];
      delete lazyOverflow[name];
      // two hops: after the snapshot handed by onSnapshot, whatever the order of calls
      queueMicrotask(() => queueMicrotask(() => {
        if (resync) { socket.disconnect(); socket.connect(); return; }
        backlog.forEach(([event, data]) => {
          (lazyHandlers[name] || []).forEach(([e, fn]) => {
            if (e === event) { try { fn(data); } catch (err) { console.error(err); } }
          });
        });
      }));
    }
    return name;
  }
  /* A snapshot whose part of a left-out capability holds something (its
   * "used_if" keys: a list that is not empty, an open activity) brings it in. */
  function needFromSnapshot(snap) {
    Object.entries(lazyAssets()).forEach(([name, assets]) => {
      const part = snap[name];
      if (lazyState[name] || !part || typeof part !== "object") return;
      const used = (assets.used_if || []).some((path) => {
        const v = path.split(".").reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), part);
        return Array.isArray(v) ? v.length > 0 : !!v;
      });
      if (used) need(name);
    });
  }

  socket.on("snapshot", (snap) => {
    state = snap;
    clockOffset = snap.server_time - Date.now();
    Object.keys(lazyBacklog).forEach((name) => { delete lazyBacklog[name]; delete lazyOverflow[name]; });
    needFromSnapshot(snap);
    snapshotHandlers.forEach((fn) => {
      try { fn(snap); } catch (e) { console.error(e); }
    });
    outbox.flush();
  });

  /* Broadcasts: one event, or under load a "batch" of [event, data] pairs
   * in the order the server committed them. */
  const handlers = {};
  function dispatch(event, data) {
    keepForLazy(event, data);
    (handlers[event] || []).forEach((fn) => {
      try { fn(data); } catch (e) { console.error(e); }
    });
  }
  socket.onAny((event, data) => {
    if (event === "batch") {
      if (Array.isArray(data)) data.forEach((m) => { if (Array.isArray(m)) dispatch(m[0], m[1]); });
    } else if (event !== "snapshot") {
      dispatch(event, data);
    }
  });

  /* ---------------- the atelier's language changed: every open page follows,
   * without a reload (drafts, scroll and the outbox stay as they are). The
   * page is fetched again in the new language; its JSON text blocks refill
   * the objects the modules read, its static texts replace the old ones
   * (same place in the page), then a fresh snapshot re-renders the rest. */
  let wantedLocale = null;
  let switching = false;

  function sameTextPlaces(fresh, old) {
    ["placeholder", "aria-label", "title", "alt"].forEach((attr) => {
      if (fresh.hasAttribute(attr) && old.hasAttribute(attr)) old.setAttribute(attr, fresh.getAttribute(attr));
    });
    if (fresh.tagName === "SCRIPT" || fresh.tagName === "STYLE") return;
    const a = fresh.childNodes;
    const b = old.childNodes;
    for (let i = 0; i < a.length && i < b.length; i++) {
      if (a[i].nodeType === 3 && b[i].nodeType === 3) {
        if (a[i].data.trim() && a[i].data !== b[i].data) b[i].data = a[i].data;
      } else if (a[i].nodeType === 1 && b[i].nodeType === 1 && a[i].tagName === b[i].tagName) {
        sameTextPlaces(a[i], b[i]);
      }
    }
  }

  async function switchLocale() {
    if (switching || !wantedLocale || wantedLocale === document.documentElement.lang) return;
    switching = true;
    try {
      const res = await fetch(window.location.pathname + window.location.search, { credentials: "same-origin" });
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      const lang = doc.documentElement.lang;
      if (lang !== wantedLocale) return;
      doc.querySelectorAll('script[type="application/json"][id]').forEach((node) => {
        const mine = document.getElementById(node.id);
        if (!mine) return;
        mine.textContent = node.textContent;
        const block = textBlocks[node.id];
        if (block) {
          Object.keys(block).forEach((k) => delete block[k]);
          Object.assign(block, JSON.parse(node.textContent));
        }
      });
      sameTextPlaces(doc.body, document.body);
      document.title = doc.title;
      document.documentElement.lang = lang;
      // a fresh snapshot, rendered by every module in the new language
      socket.disconnect();
      socket.connect();
    } catch (e) {
      /* offline: tried again at the next snapshot */
    } finally {
      switching = false;
    }
  }
  (handlers.atelier = handlers.atelier || []).push((a) => {
    if (a && a.locale) { wantedLocale = a.locale; switchLocale(); }
  });
  snapshotHandlers.push((snap) => {
    if (snap && snap.atelier && snap.atelier.locale) { wantedLocale = snap.atelier.locale; switchLocale(); }
  });

  socket.on("removed", (data) => {
    if (role === "participant") {
      try { localStorage.removeItem(tokenKey); } catch (e) { /* ignore */ }
    }
    socket.io.reconnection(false);
    socket.disconnect();
    showBanner((data && data.message) || i18n.removed, "error");
  });

  function call(event, payload, timeoutMs) {
    return new Promise((resolve) => {
      if (!socket.connected) {
        resolve({ ok: false, error: "not_connected", message: i18n.reconnecting });
        return;
      }
      socket.timeout(timeoutMs || 10000).emit(event, payload || {}, (err, ack) => {
        if (err) resolve({ ok: false, error: "timeout", message: i18n.reconnecting });
        else resolve(ack || { ok: false, error: "internal", message: i18n.error });
      });
    });
  }

  async function measureClock() {
    let best = null;
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      const ack = await call("clock", {}, 4000);
      const t1 = Date.now();
      if (!ack.ok) return;
      const rtt = t1 - t0;
      if (best === null || rtt < best.rtt) {
        best = { rtt: rtt, offset: ack.data.server_time - (t0 + rtt / 2) };
      }
    }
    if (best) clockOffset = best.offset;
  }

  /* ---------------- outbox: exactly-once delivery of what a phone writes */
  const RETRYABLE = new Set(["not_connected", "timeout", "internal", "rate_limited"]);
  const outboxKey = "workshop:outbox:" + code + ":" + role;
  const outboxListeners = [];
  let flushing = false;

  const outbox = {
    items() { return storageGet(outboxKey, []); },
    save(items) { storageSet(outboxKey, items); outboxListeners.forEach((fn) => fn(items)); },
    /* Queue an event; payload gets a client_id. Resolves with the ack once
     * the server has stored it (or refused it for good). */
    add(event, payload) {
      const item = { id: uuid(), event: event, payload: Object.assign({}, payload), at: Date.now() };
      item.payload.client_id = item.payload.client_id || item.id;
      const items = this.items();
      items.push(item);
      this.save(items);
      this.flush();
      return item;
    },
    remove(id) { this.save(this.items().filter((it) => it.id !== id)); },
    onChange(fn) { outboxListeners.push(fn); },
    async flush() {
      if (flushing || !socket.connected || !state) return;
      flushing = true;
      try {
        for (const item of this.items()) {
          if (!socket.connected) break;
          const ack = await call(item.event, item.payload, 8000);
          if (ack.ok) {
            this.remove(item.id);
            resultListeners.forEach((fn) => fn(item, ack));
          } else if (!RETRYABLE.has(ack.error)) {
            this.remove(item.id);
            resultListeners.forEach((fn) => fn(item, ack));
          } else {
            if (ack.error === "rate_limited") setTimeout(() => outbox.flush(), 2000);
            break;
          }
        }
      } finally {
        flushing = false;
      }
    },
  };
  const resultListeners = [];
  outbox.onResult = (fn) => resultListeners.push(fn);

  /* ---------------- announcements for screen readers: one polite live
   * region, throttled. A busy wall sends many events a second: messages are
   * spoken at most one every ANNOUNCE_GAP ms, repeats are dropped, a message
   * with a key (the current activity, the console's new items) replaces the
   * waiting one of the same key, so that only the latest state is spoken, and
   * when more than three wait only the latest three are kept. */
  const ANNOUNCE_GAP = 1500;
  const liveRegion = document.createElement("div");
  liveRegion.className = "sr-only";
  liveRegion.id = "announcer";
  liveRegion.setAttribute("aria-live", "polite");
  liveRegion.setAttribute("aria-atomic", "true");
  (document.querySelector("main") || body).append(liveRegion);
  const seenIds = {};
  const unspoken = {};  // announceNew: items not yet announced, per kind
  let announceQueue = [];  // [{text, key}]
  let announceTimer = null;
  let lastAnnounce = 0;
  function pumpAnnounce() {
    if (announceTimer || !announceQueue.length) return;
    const wait = Math.max(0, lastAnnounce + ANNOUNCE_GAP - Date.now());
    announceTimer = setTimeout(() => {
      announceTimer = null;
      const next = announceQueue.shift();
      if (next === undefined) return;
      if (next.key && unspoken[next.key] !== undefined) unspoken[next.key] = 0;
      liveRegion.textContent = next.text;
      lastAnnounce = Date.now();
      pumpAnnounce();
    }, wait);
  }
  function announce(text, key) {
    if (!text) return;
    text = String(text);
    announceQueue = announceQueue.filter((m) => m.text !== text && (!key || m.key !== key));
    if (liveRegion.textContent === text && Date.now() - lastAnnounce < ANNOUNCE_GAP) return;
    announceQueue.push({ text: text, key: key || null });
    if (announceQueue.length > 3) announceQueue = announceQueue.slice(-3);
    pumpAnnounce();
  }

  /* ---------------- keep the keyboard focus across a re-render: the focused
   * control is found again by the data-* key of its nearest keyed ancestor
   * and its own action or label, so that after "move up" the focus stays on
   * the same category's button, wherever the category now is. */
  function focusKey(node, root) {
    if (!node || node === body || !root.contains(node)) return null;
    const owner = node.closest("[data-note],[data-drop-category],[data-prompt],[data-actor],[data-group],[data-contribution],[data-link]");
    const ownerKey = owner && root.contains(owner)
      ? [...owner.attributes].filter((a) => a.name.startsWith("data-") && a.name !== "data-colour").map((a) => a.name + "=" + a.value).join(";")
      : "";
    const own = [node.getAttribute("data-action"), node.getAttribute("aria-label"), node.id, node.getAttribute("name"),
      node.getAttribute("href"), /^(checkbox|radio)$/.test(node.type) ? node.getAttribute("value") : "", node.tagName === "SELECT" || node.tagName === "TEXTAREA" ? "" : (node.textContent || "").trim().slice(0, 40)]
      .filter(Boolean).join("~");
    return node.tagName + "|" + ownerKey + "|" + own;
  }
  /* ---------------- a press in progress (mouse button or finger down):
   * re-rendering under it would replace the control being pressed, and its
   * click would be lost (a post-it arriving while the facilitator clicks).
   * keepFocus's re-renders, and those a script hands to afterPress, wait for
   * the release and run after its click (a finger's click comes a moment
   * after it lifts). */
  let pressTarget = null;
  let presses = 0;
  const afterRelease = new Map();  // fn -> what runs it
  document.addEventListener("pointerdown", (ev) => {
    const press = ++presses;
    pressTarget = ev.target;
    // a release the page never hears of (the button let go outside the window)
    setTimeout(() => { if (press === presses) released(); }, 3000);
  }, true);
  function released(ev) {
    const press = presses;
    setTimeout(() => {
      if (press !== presses || !pressTarget) return;  // pressed again meanwhile
      pressTarget = null;
      const due = [...afterRelease.values()];
      afterRelease.clear();
      due.forEach((run) => { try { run(); } catch (e) { console.error(e); } });
    }, ev && ev.pointerType === "mouse" ? 0 : 100);
  }
  document.addEventListener("pointerup", released, true);
  document.addEventListener("pointercancel", released, true);
  document.addEventListener("dragstart", released, true);  // a drag is no click
  window.addEventListener("blur", released);
  function pressed(root) {
    return !!pressTarget && (!root || root.contains(pressTarget));
  }
  function afterPress(fn, run) {
    if (!pressTarget) (run || fn)();
    else afterRelease.set(fn, run || fn);
  }

  function keepFocus(root, fn) {
    if (pressed(root)) { afterPress(fn, () => keepFocus(root, fn)); return; }
    const active = document.activeElement;
    const key = focusKey(active, root);
    fn();
    if (!key || root.contains(active)) return;
    const controls = [...root.querySelectorAll("button, a[href], input, select, textarea, [tabindex]")].filter((n) => !n.disabled);
    // the same control, else another control of the same item (a "move down"
    // button that is now disabled: its "move up" neighbour), else a heading
    // (a button rather than a field: a focused field holds back the next re-render)
    const ownerOf = (k) => k.split("|")[1];
    const sameOwner = ownerOf(key) ? controls.filter((n) => ownerOf(focusKey(n, root) || "||") === ownerOf(key)) : [];
    const again = controls.find((n) => focusKey(n, root) === key) ||
      sameOwner.find((n) => n.tagName === "BUTTON") || sameOwner[0];
    if (again) again.focus();
    else {
      if (window.__focusDebug) console.log("keepFocus lost", key);
      const owner = root.querySelector("h2, h3");
      if (owner) { owner.setAttribute("tabindex", "-1"); owner.focus(); }
    }
  }
  setInterval(() => outbox.flush(), 5000);

  window.Workshop = {
    role: role,
    code: code,
    i18n: i18n,
    texts: texts,
    socket: socket,
    call: call,
    outbox: outbox,
    uuid: uuid,
    get state() { return state; },
    on(event, fn) {
      const name = lazyRegistering();
      if (name) (lazyHandlers[name] = lazyHandlers[name] || []).push([event, fn]);
      (handlers[event] = handlers[event] || []).push(fn);
    },
    /* Load capability `name` now if the page left it out (no-op otherwise). */
    need: need,
    // A snapshot already here is handed over once the calling script has run
    // to its end: its handler may use variables declared further down.
    onSnapshot(fn) { lazyRegistering(); snapshotHandlers.push(fn); if (state) queueMicrotask(() => fn(state)); },
    onConnection(fn) { connectionHandlers.push(fn); },
    serverNow() { return Date.now() + clockOffset; },
    showBanner: showBanner,
    hideBanner: hideBanner,
    announce: announce,
    /* Console: say how many items of `kind` (ids) are new since the last
     * announcement of that kind (the first call only remembers them).
     * forms: {one, other} with "{n}". */
    announceNew(kind, ids, forms) {
      const seen = seenIds[kind];
      seenIds[kind] = new Set(ids);
      if (!seen) return;
      const fresh = ids.filter((id) => !seen.has(id)).length;
      if (!fresh) return;
      // a burst adds up into one waiting message: « 49 nouveaux post-it à valider »
      unspoken[kind] = (unspoken[kind] || 0) + fresh;
      announce(this.plural(unspoken[kind], forms), kind);
    },
    keepFocus: keepFocus,
    /* Whether a press (mouse button, finger) is in progress inside root. */
    pressed: pressed,
    /* Run fn now, or once the press in progress ends (once, however often asked). */
    afterPress: afterPress,
    /* « texte » in French, “text” in English. */
    quoted(text) {
      return (i18n.quoted || "“{text}”").replace("{text}", () => text);
    },
    /* "Sujet : …" in French, "Topic: …" in English. */
    labelled(label, value) {
      return (i18n.label_value || "{label}: {value}").replace("{label}", () => label).replace("{value}", () => value);
    },
    /* "1 vote", "2 votes": forms = {one, other} from ngettext, "{n}" the count;
     * the plural category follows the page's language (French: 0 and 1 are singular). */
    plural(n, forms) {
      let cat = "other";
      try { cat = new Intl.PluralRules(document.documentElement.lang || "fr").select(n); } catch (e) { cat = n === 1 ? "one" : "other"; }
      const text = (cat === "one" ? forms.one : forms.other) || forms.other || "";
      return text.replace("{n}", String(n));
    },
    clearToken() { try { localStorage.removeItem(tokenKey); } catch (e) { /* ignore */ } },
    el(tag, attrs, children) {
      const node = document.createElement(tag);
      Object.entries(attrs || {}).forEach(([k, v]) => {
        if (k === "text") node.textContent = v;
        else if (k === "class") node.className = v;
        else if (k.startsWith("data-")) node.setAttribute(k, v);
        else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
      });
      (children || []).forEach((c) => node.append(c));
      return node;
    },
  };
})();
