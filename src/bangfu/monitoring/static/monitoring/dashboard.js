/* 务工监测 dashboard: ECharts (served locally) over the data the page embeds as JSON.
   Clicking an area (a district bar, a zone slice) drills down: the page reloads for that area. */
(function () {
  "use strict";

  function drill(code) {
    if (!code) return;
    var params = new URLSearchParams(window.location.search);
    params.set("area", code);
    window.location.search = params.toString();
  }

  // The month and area pickers apply at once.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  var holder = document.getElementById("kpi-charts");
  if (!holder || typeof echarts === "undefined") return;
  var data = JSON.parse(holder.textContent || "{}");
  var L = data.labels || { scale: "务工规模", workers: "脱贫劳动力", people: "人", wan: "万" };
  var charts = [];
  var COLORS = ["#1677ff", "#52a33a", "#fa8c16", "#722ed1", "#13c2c2", "#eb2f96", "#faad14", "#2f54eb"];
  var FONT = { fontFamily: "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif" };

  function make(id, option) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    option.textStyle = FONT;
    option.color = option.color || COLORS;
    option.animation = false;
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  function people(v) { return v == null ? "—" : Number(v).toLocaleString("zh-CN") + " " + L.people; }
  function wan(v) { return v >= 10000 ? (v / 10000).toFixed(1) + L.wan : v; }

  // 24-month trend: the employment scale against the number of workers.
  var t = data.trend;
  if (t && t.months && t.months.length) {
    make("chart-trend", {
      tooltip: { trigger: "axis", valueFormatter: people },
      legend: { data: [L.scale, L.workers], top: 0, right: 10 },
      grid: { left: 60, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "category", data: t.months },
      yAxis: { type: "value", axisLabel: { formatter: wan } },
      series: [
        // A month not yet reported by every district is drawn faint: its bar is not a dip.
        { name: L.scale, type: "bar", barMaxWidth: 22, data: t.scale.map(function (v, i) {
          return t.partial && t.partial[i] ? { value: v, itemStyle: { opacity: 0.35 } } : v;
        }) },
        { name: L.workers, type: "line", data: t.workers, symbol: "none", lineStyle: { type: "dashed" } }
      ]
    });
  }

  // Areas one level down: bars, click to drill.
  var a = data.areas;
  if (a && a.names && a.names.length) {
    var many = a.names.length > 12;
    var bars = make("chart-areas", {
      tooltip: { trigger: "axis", valueFormatter: people },
      grid: { left: 60, right: 20, top: 20, bottom: many ? 96 : 30 },
      xAxis: { type: "category", data: a.names, axisLabel: { interval: 0, rotate: many ? 50 : 0, fontSize: 11 } },
      yAxis: { type: "value", axisLabel: { formatter: wan } },
      series: [{ name: L.scale, type: "bar", data: a.values, barMaxWidth: 28, cursor: "pointer" }]
    });
    if (bars) bars.on("click", function (p) { drill(a.codes[p.dataIndex]); });
  }

  // Breakdowns: doughnuts; a zone slice drills into the zone.
  var pies = data.pies || {};
  Object.keys(pies).forEach(function (key) {
    var chart = make("chart-" + key, {
      tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + people(p.value) + " (" + p.percent + "%)"; } },
      legend: { orient: "vertical", right: 10, top: "middle", type: "scroll" },
      series: [{ type: "pie", radius: ["42%", "70%"], center: ["38%", "50%"], data: pies[key],
                 label: { formatter: "{d}%" }, cursor: key === "region_group" ? "pointer" : "default" }]
    });
    if (chart && key === "region_group") {
      chart.on("click", function (p) { drill((data.zone_codes || [])[p.dataIndex]); });
    }
  });

  // Cross-zone flows: home zone → work zone.
  var f = data.flow;
  if (f && f.links && f.links.length) {
    make("chart-flow", {
      tooltip: { trigger: "item", formatter: function (p) {
        return p.dataType === "edge" ? p.data.source + " → " + p.data.target + ": " + people(p.data.value) : p.name; } },
      series: [{ type: "sankey", data: f.nodes, links: f.links, nodeGap: 14, left: 130, right: 130,
                 levels: [{ depth: 0, label: { position: "left" } }, { depth: 1, label: { position: "right" } }],
                 emphasis: { focus: "adjacency" }, lineStyle: { color: "gradient", opacity: 0.35 } }]
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
