/**
 * The script every report page runs: it draws the ChartSpecs embedded in the
 * page (as JSON, in #report-data) with uPlot, and shades fault windows as
 * elements over the plot, so a test (and a reader's devtools) can find
 * them. It is plain browser JavaScript kept as text: it must not depend on
 * how this package is compiled. The page exposes `window.lorenzReport`
 * ({ charts: {id: uPlot}, faults, ready }) for the browser test.
 */
export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var report = { charts: {}, faults: data.faults || [], ready: false };
  window.lorenzReport = report;

  function axisNames(names) {
    return function (u, splits) {
      return splits.map(function (v) { return Number.isInteger(v) && names[v] !== undefined ? names[v] : ''; });
    };
  }

  function placeFaults(u, host) {
    var layer = host.querySelector('.fault-layer');
    if (!layer) {
      layer = document.createElement('div');
      layer.className = 'fault-layer';
      u.over.appendChild(layer);
    }
    layer.textContent = '';
    var min = u.scales.x.min, max = u.scales.x.max;
    report.faults.forEach(function (f) {
      if (f.start > max || (f.end !== null && f.end < min)) return;
      var left = u.valToPos(Math.max(f.start, min), 'x');
      var right = f.end === null ? left + 2 : u.valToPos(Math.min(f.end, max), 'x');
      var band = document.createElement('div');
      band.className = f.end === null ? 'fault instant' : 'fault';
      band.dataset.fault = f.id;
      band.dataset.start = String(f.start);
      band.dataset.end = f.end === null ? '' : String(f.end);
      band.style.left = left + 'px';
      band.style.width = Math.max(2, right - left) + 'px';
      band.title = 'fault ' + f.id + ': ' + f.kind + ' ' + f.targets + ', ' + f.start + 's' + (f.end === null ? '' : ' to ' + f.end + 's');
      var label = document.createElement('span');
      label.textContent = f.kind;
      band.appendChild(label);
      layer.appendChild(band);
    });
  }

  function draw(spec) {
    var host = document.getElementById('chart-' + spec.id);
    var series = [{ label: spec.xLabel }];
    spec.series.forEach(function (s) {
      var one = { label: s.label, stroke: s.color, width: 1.5, scale: s.right ? 'r' : 'y' };
      if (s.path === 'stepped') one.paths = uPlot.paths.stepped({ align: 1 });
      if (s.path === 'bars') { one.paths = uPlot.paths.bars({ size: [0.9, 60] }); one.fill = s.color + '88'; }
      if (s.path === 'points') {
        one.paths = function () { return null; };
        one.points = { show: true, size: 8, width: 1, stroke: s.color, fill: s.color };
      }
      series.push(one);
    });
    var y = { label: spec.yLabel, scale: 'y' };
    if (spec.yNames) {
      y.values = axisNames(spec.yNames);
      y.incrs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
      y.size = 110;
    }
    var axes = [{ label: spec.xLabel }, y];
    if (spec.yRightLabel) axes.push({ label: spec.yRightLabel, scale: 'r', side: 1, grid: { show: false } });
    var scales = { x: spec.horizon ? { time: false, range: [0, spec.horizon] } : { time: false } };
    if (spec.yNames) scales.y = { range: [-0.5, spec.yNames.length - 0.5] };
    var opts = {
      width: Math.max(480, host.clientWidth || 960),
      height: 260,
      scales: scales,
      series: series,
      axes: axes,
      legend: { live: true },
      cursor: spec.horizon ? { sync: { key: 'run-time' } } : {},
      hooks: spec.faults ? { draw: [function (u) { placeFaults(u, host); }] } : {},
    };
    report.charts[spec.id] = new uPlot(opts, spec.data, host);
  }

  data.charts.forEach(draw);
  report.ready = true;
})();
`;
