// Draws every chart of the page from its JSON data block (web/charts.py): the page carries no
// inline script, so the Content-Security-Policy forbids it (script-src 'self').
(function () {
  function draw() {
    if (!window.Plotly) { return; }
    var blocks = document.querySelectorAll('script[type="application/json"][data-plotly-for]');
    Array.prototype.forEach.call(blocks, function (block) {
      var div = document.getElementById(block.getAttribute('data-plotly-for'));
      if (!div || div.getAttribute('data-drawn')) { return; }
      var figure = JSON.parse(block.textContent);
      var height = div.getAttribute('data-height');
      if (height) { div.style.height = height + 'px'; }
      div.style.width = '100%';
      div.setAttribute('data-drawn', '1');
      window.Plotly.newPlot(div, figure.data || [], figure.layout || {}, figure.config || {});
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
