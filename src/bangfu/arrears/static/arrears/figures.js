/* Charts of the arrears figures page; data from the json_script block (never from markup). */
(function () {
  var node = document.getElementById("arrears-chart-data");
  if (!node || !window.echarts) return;
  var d = JSON.parse(node.textContent);
  var lang = document.documentElement.lang || "zh-hans";
  var en = lang.indexOf("en") === 0;
  var L = en
    ? { leads: "Leads", registry: "From poverty-alleviated", ontime: "On time %", recovered: "Recovered (yuan)" }
    : { leads: "线索", registry: "脱贫人口线索", ontime: "按期率 %", recovered: "追回（元）" };
  var charts = [];
  var month = document.getElementById("chart-month");
  if (month) {
    var c1 = echarts.init(month);
    c1.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 48, top: 36, bottom: 30 },
      xAxis: { type: "category", data: d.months },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [
        { name: L.leads, type: "bar", data: d.leads, itemStyle: { color: "#5b8ff9" } },
        { name: L.registry, type: "bar", data: d.registry, itemStyle: { color: "#fa8c16" } },
        { name: L.ontime, type: "line", yAxisIndex: 1, data: d.on_time, connectNulls: true, itemStyle: { color: "#52a33a" } }
      ]
    });
    charts.push(c1);
  }
  var office = document.getElementById("chart-office");
  if (office) {
    var c2 = echarts.init(office);
    c2.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 10, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: d.offices.slice().reverse(), axisLabel: { width: 150, overflow: "truncate" } },
      series: [
        { name: L.leads, type: "bar", data: d.office_leads.slice().reverse(), itemStyle: { color: "#5b8ff9" } },
        { name: L.registry, type: "bar", data: d.office_registry.slice().reverse(), itemStyle: { color: "#fa8c16" } }
      ]
    });
    charts.push(c2);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
