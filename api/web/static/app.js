// A little JavaScript where the pages need it: more rows on the briefing form, printing,
// a file's size checked before it is sent, and the charts (Chart.js, vendored).
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
  drawCharts();
});
