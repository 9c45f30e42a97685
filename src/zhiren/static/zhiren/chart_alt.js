// The text alternative of every chart (docs/accessibility.md). A chart's canvas says
// nothing to a screen reader: each chart is followed by the shared component
// templates/includes/chart_alt.html, a visually hidden block naming the chart (by its
// element id or its data-chart key) and saying what it shows. Once the page's charts
// are drawn, this fills the block with a table of the chart's data, read from the
// chart's own ECharts option, and hides the canvas from assistive technology.
(function () {
  "use strict";
  function text(value) {
    if (value === null || value === undefined || value === "" || value === "-") return "—";
    if (typeof value === "object" && !Array.isArray(value)) value = value.value;
    if (Array.isArray(value)) return value.map(text).join(" / ");
    if (typeof value === "number") return value.toLocaleString(document.documentElement.lang || undefined);
    return String(value);
  }
  function cell(tag, content, scope) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (scope) node.setAttribute("scope", scope);
    return node;
  }
  function row(cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (c) { tr.appendChild(c); });
    return tr;
  }
  function rows(option, valueLabel) {
    var series = (option.series || []).filter(function (s) { return Array.isArray(s.data) && s.data.length; });
    var x = (option.xAxis || [])[0] || {};
    var y = (option.yAxis || [])[0] || {};
    var categories = x.type === "category" ? x.data : y.type === "category" ? y.data : null;
    var scalar = series.every(function (s) {
      return s.data.every(function (d) { return d === null || typeof d !== "object" || !Array.isArray(d.value || d); });
    });
    if (categories && scalar) {
      // One row per category, one column per series (a line, a bar chart).
      var head = [cell("th", (x.type === "category" ? x : y).name || "", "col")].concat(series.map(function (s) {
        return cell("th", s.name || valueLabel, "col");
      }));
      return [head].concat(categories.map(function (category, i) {
        return [cell("th", text(category), "row")].concat(series.map(function (s) { return cell("td", text(s.data[i])); }));
      }));
    }
    // Anything else (a scatter, a heat map, a pie): one row per point, axes resolved to their names.
    var out = [[cell("th", "", "col"), cell("th", valueLabel, "col")]];
    series.forEach(function (s) {
      s.data.forEach(function (d, i) {
        var value = d && typeof d === "object" && !Array.isArray(d) ? d.value : d;
        var name = d && d.name;
        if (!name && Array.isArray(value) && x.type === "category" && y.type === "category") {
          name = text(x.data[value[0]]) + " · " + text(y.data[value[1]]);
          value = value.slice(2);
        }
        if (!name && categories) name = categories[i];
        out.push([cell("th", (s.name ? s.name + " · " : "") + text(name || i + 1), "row"), cell("td", text(value))]);
      });
    });
    return out;
  }
  function describe(box) {
    var key = box.getAttribute("data-chart-alt");
    // A data-chart key first: performance's charts name their JSON option's element by the same id.
    var el = document.querySelector('[data-chart="' + key + '"]') || document.getElementById(key);
    var chart = el && window.echarts && window.echarts.getInstanceByDom(el);
    if (!chart || box.querySelector("table")) return;
    var table = document.createElement("table");
    var caption = cell("caption", box.getAttribute("data-caption") || "");
    table.appendChild(caption);
    rows(chart.getOption(), box.getAttribute("data-value-label") || "").forEach(function (cells, i) {
      var tr = row(cells);
      if (i === 0) {
        var thead = document.createElement("thead");
        thead.appendChild(tr);
        table.appendChild(thead);
      } else {
        (table.tBodies[0] || table.appendChild(document.createElement("tbody"))).appendChild(tr);
      }
    });
    box.textContent = "";
    box.appendChild(table);
    el.setAttribute("aria-hidden", "true");
  }
  function describeAll() {
    document.querySelectorAll("[data-chart-alt]").forEach(describe);
  }
  // After the pages' own scripts have drawn their charts (on DOMContentLoaded at the latest).
  if (document.readyState === "complete") describeAll();
  else window.addEventListener("load", describeAll);
})();
