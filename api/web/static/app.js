// A little JavaScript where the pages need it: more rows on the briefing form, printing,
// a file's size checked before it is sent, the date fields' calendar, and the charts
// (Chart.js, vendored).
"use strict";

function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function addRow() {
  const rows = document.getElementById("rows");
  const template = document.getElementById("row-template");
  const number = rows.querySelectorAll("[data-row]").length + 1;
  const html = template.innerHTML.replaceAll("__N__", String(number));
  rows.insertAdjacentHTML("beforeend", html);
  const row = rows.lastElementChild;
  row.querySelector('input[name="key"]').value = newKey();
  row.querySelector("select").focus();
}

// ---- the date fields' calendar ---------------------------------------------------------
// A date field (macros.html date_input) is a text field taking dd/mm/yyyy, which works on
// its own; this adds a button opening a month's calendar beside it. In the calendar the
// arrow keys move a day (a week up and down), Home and End to the week's ends, PageUp and
// PageDown a month (with Shift a year), Enter or Space picks the day, Escape closes; the
// focus goes back to the field. Its words come from the field (data-calendar, the page's
// language).

function readDate(text) {
  const value = text.trim();
  let found = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  let day, month, year;
  if (found) {
    [day, month, year] = [Number(found[1]), Number(found[2]), Number(found[3])];
  } else if ((found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value))) {
    [year, month, day] = [Number(found[1]), Number(found[2]), Number(found[3])];
  } else {
    return null;
  }
  const date = new Date(year, month - 1, day);
  date.setFullYear(year);  // years below 100 are not 19xx
  const real = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
  return real ? date : null;
}

function writeDate(date) {
  const two = (n) => String(n).padStart(2, "0");
  return two(date.getDate()) + "/" + two(date.getMonth() + 1) + "/" + String(date.getFullYear()).padStart(4, "0");
}

function sameDay(a, b) {
  return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

function addMonths(date, count) {
  // the same day of the month, or the month's last when it has fewer days
  const target = new Date(date.getFullYear(), date.getMonth() + count, 1);
  const last = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
  target.setDate(Math.min(date.getDate(), last));
  return target;
}

function element(tag, props, ...children) {
  const made = document.createElement(tag);
  Object.entries(props || {}).forEach(([key, value]) => {
    if (key === "text") made.textContent = value;
    else made.setAttribute(key, value);
  });
  children.forEach((child) => made.append(child));
  return made;
}

let calendarCount = 0;

function setUpDateField(wrapper) {
  const input = wrapper.querySelector("input");
  const words = JSON.parse(wrapper.dataset.calendar);
  const id = "calendar-" + (++calendarCount);
  const opener = element("button", {
    type: "button", class: "date-button secondary", "aria-haspopup": "dialog",
    "aria-expanded": "false", "aria-controls": id, title: words.open,
  });
  opener.append(element("span", { "aria-hidden": "true", class: "date-icon" }), element("span", { class: "visually-hidden", text: words.open }));
  input.after(opener);

  const title = element("div", { id: id + "-title", class: "calendar-title", "aria-live": "polite" });
  const previous = element("button", { type: "button", class: "secondary calendar-move", "aria-label": words.previous, text: "‹" });
  const next = element("button", { type: "button", class: "secondary calendar-move", "aria-label": words.next, text: "›" });
  const grid = element("table", { role: "grid", "aria-labelledby": id + "-title", class: "calendar-grid" });
  const close = element("button", { type: "button", class: "secondary calendar-close", text: words.close });
  const dialog = element("div", { id, role: "dialog", "aria-modal": "true", "aria-label": words.dialog, class: "calendar" },
    element("div", { class: "calendar-head" }, previous, title, next), grid, element("div", { class: "calendar-foot" }, close));
  dialog.hidden = true;
  wrapper.append(dialog);

  let shown = null;  // the day with the focus (its month is the one shown)

  function draw(focus) {
    const chosen = readDate(input.value);
    const today = new Date();
    const month = shown.getMonth();
    title.textContent = words.title.replace("%(month)s", words.months[month]).replace("%(year)s", shown.getFullYear());
    grid.replaceChildren();
    const head = element("tr");
    words.weekdays.forEach(([short, full]) => head.append(element("th", { scope: "col" }, element("abbr", { title: full, text: short }))));
    grid.append(element("thead", {}, head));
    const body = element("tbody");
    const first = new Date(shown.getFullYear(), month, 1);
    const lead = (first.getDay() + 6) % 7;  // the weeks start on Monday
    const days = new Date(shown.getFullYear(), month + 1, 0).getDate();
    let row = element("tr");
    for (let i = 0; i < lead; i++) row.append(element("td"));
    for (let d = 1; d <= days; d++) {
      const date = new Date(shown.getFullYear(), month, d);
      // seen as the day, read out as the whole date with its weekday
      const name = words.day.replace("%(weekday)s", words.weekdays[(date.getDay() + 6) % 7][1])
        .replace("%(day)s", d).replace("%(month)s", words.months[month]).replace("%(year)s", shown.getFullYear());
      const button = element("button", {
        type: "button", class: "calendar-day", tabindex: d === shown.getDate() ? "0" : "-1",
        "data-day": String(d), "aria-label": name, text: String(d),
      });
      if (sameDay(date, chosen)) button.setAttribute("aria-pressed", "true");
      if (sameDay(date, today)) button.classList.add("calendar-today");
      const cell = element("td", {}, button);
      if (sameDay(date, chosen)) cell.setAttribute("aria-selected", "true");
      row.append(cell);
      if (row.children.length === 7) { body.append(row); row = element("tr"); }
    }
    if (row.children.length) {
      while (row.children.length < 7) row.append(element("td"));
      body.append(row);
    }
    grid.append(body);
    if (focus) grid.querySelector('[tabindex="0"]').focus();
  }

  function open() {
    shown = readDate(input.value) || new Date();
    dialog.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    draw(true);
    // within the screen: moved left as far as it would overflow on the right
    dialog.style.left = "0px";
    const box = dialog.getBoundingClientRect();
    const over = box.right - (document.documentElement.clientWidth - 8);
    if (over > 0) dialog.style.left = -Math.min(over, Math.max(box.left - 8, 0)) + "px";
  }

  function shut(back) {
    if (dialog.hidden) return;
    dialog.hidden = true;
    opener.setAttribute("aria-expanded", "false");
    if (back) input.focus();
  }

  function pick(date) {
    input.value = writeDate(date);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    shut(true);
  }

  function move(date) {
    shown = date;
    draw(true);
  }

  opener.addEventListener("click", () => (dialog.hidden ? open() : shut(true)));
  previous.addEventListener("click", () => { shown = addMonths(shown, -1); draw(false); });
  next.addEventListener("click", () => { shown = addMonths(shown, 1); draw(false); });
  close.addEventListener("click", () => shut(true));
  grid.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-day]");
    if (button) pick(new Date(shown.getFullYear(), shown.getMonth(), Number(button.dataset.day)));
  });
  grid.addEventListener("keydown", (event) => {
    if (!event.target.matches("button[data-day]")) return;
    const day = new Date(shown.getFullYear(), shown.getMonth(), Number(event.target.dataset.day));
    const by = (n) => new Date(day.getFullYear(), day.getMonth(), day.getDate() + n);
    const weekday = (day.getDay() + 6) % 7;
    const moves = {
      ArrowLeft: () => by(-1), ArrowRight: () => by(1), ArrowUp: () => by(-7), ArrowDown: () => by(7),
      Home: () => by(-weekday), End: () => by(6 - weekday),
      PageUp: () => addMonths(day, event.shiftKey ? -12 : -1),
      PageDown: () => addMonths(day, event.shiftKey ? 12 : 1),
    };
    if (moves[event.key]) {
      event.preventDefault();
      move(moves[event.key]());
    }
  });
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      shut(true);
    } else if (event.key === "Tab") {
      // the focus stays in the calendar until it is closed
      const stops = [previous, next, grid.querySelector('[tabindex="0"]'), close];
      const at = stops.indexOf(document.activeElement);
      event.preventDefault();
      stops[(at + (event.shiftKey ? stops.length - 1 : 1)) % stops.length].focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!wrapper.contains(event.target)) shut(false);
  });
}

function drawCharts() {
  const source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.animation = false;
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const spec = data[canvas.dataset.chart];
    if (!spec) return;
    if (canvas.dataset.chart === "on-time") {
      new Chart(canvas, {
        type: "line",
        data: {
          labels: spec.labels,
          datasets: [
            { label: spec.band_label, data: spec.high, borderColor: "rgba(11,79,148,0.3)", backgroundColor: "rgba(11,79,148,0.15)", fill: "+1", pointRadius: 0, spanGaps: true },
            { label: spec.band_label, data: spec.low, borderColor: "rgba(11,79,148,0.3)", pointRadius: 0, spanGaps: true, fill: false },
            { label: spec.rate_label, data: spec.rate, borderColor: "#0b4f94", backgroundColor: "#0b4f94", spanGaps: true, fill: false },
          ],
        },
        options: {
          scales: { y: { min: 0, max: 1, ticks: { callback: (v) => Math.round(v * 100) + "%" } } },
          plugins: { legend: { labels: { filter: (item, chart) => item.datasetIndex !== 1 } } },
        },
      });
      return;
    }
    const stacked = canvas.dataset.chart === "verdicts";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.color })),
      },
      options: {
        indexAxis: stacked ? "y" : "x",
        scales: { x: { stacked }, y: { stacked, beginAtZero: true } },
      },
    });
  });
  document.documentElement.dataset.chartsDrawn = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-add-row]").forEach((b) => b.addEventListener("click", addRow));
  document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach((input) => {
    input.addEventListener("change", () => {
      const file = input.files[0];
      const limit = Number(input.dataset.maxBytes);
      input.setCustomValidity(file && file.size > limit ? "≤ " + Math.round(limit / 1e6) + " MB" : "");
      input.reportValidity();
    });
  });
  document.querySelectorAll("[data-date-field]").forEach(setUpDateField);
  drawCharts();
});
