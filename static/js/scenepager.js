/* Paging of projected scenes: what does not fit in its box is shown page by
 * page, turning by itself, with a visible "page i / n".
 *
 * A box (fixed size, overflow hidden) holds *units* (a note, a proposal, a
 * table row: never cut) inside optional *groups* (a question, a category, a
 * stage: their heading shows on every page that holds one of their units).
 * Pages are real layouts: the units of other pages are hidden (display: none),
 * so nothing of the next page shows, and each page is measured to fit
 * (scrollHeight <= clientHeight): a page holds as many units as fit. Where
 * each unit sits when all show gives a first guess of each page's end, then
 * checked on the page itself (one to three layouts per page).
 *
 *   const pager = W.scenePager("board", box, { units: ".wall-unit",
 *     groups: ".wall-group, .wall-prompt", indicator: el, label: (i, n) => ... });
 *   pager.layout();   // after each render or resize
 *   W.pagers.board.goTo(1);   // tests: show page 2 now
 */
(function () {
  "use strict";
  const W = window.Workshop;
  if (!W) return;
  const PAGE_MS = 12000;

  function fits(box) {
    return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1;
  }

  function Pager(name, box, opts) {
    this.name = name;
    this.box = box;
    this.opts = Object.assign({ interval: PAGE_MS }, opts);
    this.units = [];
    this.pages = [[0, 0]];
    this.page = 0;
    this.timer = null;
  }

  Pager.prototype.show = function (start, end) {
    this.units.forEach((u, i) => { u.hidden = i < start || i >= end; });
    if (!this.opts.groups) return;
    const groups = [...this.box.querySelectorAll(this.opts.groups)];
    groups.forEach((g) => {
      const mine = [...g.querySelectorAll(this.opts.units)];
      g.hidden = mine.length > 0 && mine.every((u) => u.hidden);
    });
  };

  Pager.prototype.setIndicator = function (i, n) {
    const ind = this.opts.indicator;
    if (!ind) return;
    ind.hidden = n <= 1;
    ind.textContent = this.opts.label ? this.opts.label(i, n) : i + " / " + n;
  };

  /* Measure the pages again (content or screen changed); keeps the page shown when it still exists. */
  Pager.prototype.layout = function () {
    const box = this.box;
    this.units = [...box.querySelectorAll(this.opts.units)];
    const n = this.units.length;
    this.setIndicator(1, 1);
    this.show(0, n);
    let pages = [[0, n]];
    if (n > 1 && box.clientHeight > 0 && !fits(box)) {
      this.setIndicator(1, 2); // the indicator takes its room before measuring
      this.show(0, n);
      // where each unit sits when all show: a first guess of each page's end,
      // then checked on the page itself (one or two layouts per page)
      const top0 = box.getBoundingClientRect().top - box.scrollTop;
      const spans = this.units.map((u) => {
        const r = u.getBoundingClientRect();
        return [r.top - top0, r.bottom - top0];
      });
      const H = box.clientHeight;
      pages = [];
      let start = 0;
      while (start < n && pages.length < 1000) {
        const limit = spans[start][0] + H;
        let end = start + 1;
        while (end < n && spans[end][1] <= limit) end++;
        this.show(start, end);
        if (fits(box)) {
          while (end < n) { this.show(start, end + 1); if (!fits(box)) break; end++; }
        } else {
          while (end > start + 1) { end--; this.show(start, end); if (fits(box)) break; }
        }
        pages.push([start, end]);
        start = end;
      }
    }
    this.pages = pages;
    if (this.page >= pages.length) this.page = 0;
    this.render();
  };

  Pager.prototype.render = function () {
    const [start, end] = this.pages[this.page];
    this.show(start, end);
    const n = this.pages.length;
    this.setIndicator(this.page + 1, n);
    this.box.dataset.pages = String(n);
    this.box.dataset.page = String(this.page + 1);
    if (n > 1 && !this.timer) {
      this.timer = setInterval(() => { this.page = (this.page + 1) % this.pages.length; this.render(); }, this.opts.interval);
    } else if (n <= 1 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  };

  /* Every unit shown (before measuring the content as a whole). */
  Pager.prototype.showAll = function () {
    this.units = [...this.box.querySelectorAll(this.opts.units)];
    this.show(0, this.units.length);
    this.setIndicator(1, 1);
  };

  /* The box is no longer shown: no more turning, no indicator. */
  Pager.prototype.stop = function () {
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
    if (this.opts.indicator) this.opts.indicator.hidden = true;
  };

  /* Show page i now; the automatic turn starts again from it, so it stays a whole interval. */
  Pager.prototype.goTo = function (i) {
    this.page = Math.max(0, Math.min(this.pages.length - 1, i));
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
    this.render();
    return this.pages.length;
  };

  W.pagers = W.pagers || {};
  W.scenePager = function (name, box, opts) {
    const p = new Pager(name, box, opts);
    W.pagers[name] = p;
    return p;
  };
})();
