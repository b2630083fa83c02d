// The import job page (core/importing/web/templates/imports/job.html): polls the job's status
// endpoint and, once the job has finished, reloads the page, which then shows the result.
// No inline script: the Content-Security-Policy allows scripts from this site only.
(function () {
  var INTERVAL_MS = 1000;

  function start() {
    var box = document.getElementById('import-job');
    if (!box) { return; }
    var statusUrl = box.getAttribute('data-status-url');
    var pageUrl = box.getAttribute('data-page-url');
    var bar = document.getElementById('import-job-bar');
    var count = document.getElementById('import-job-count');

    function show(job) {
      if (job.total > 0) {
        bar.max = job.total;
        bar.value = job.done;
        count.textContent = job.done + ' / ' + job.total + ' 行';
      }
    }

    function poll() {
      var request = new XMLHttpRequest();
      request.open('GET', statusUrl);
      request.setRequestHeader('Accept', 'application/json');
      request.onload = function () {
        if (request.status !== 200) { window.setTimeout(poll, INTERVAL_MS * 5); return; }
        var job = JSON.parse(request.responseText);
        if (job.status === 'done' || job.status === 'failed') {
          window.location.replace(pageUrl);
          return;
        }
        show(job);
        window.setTimeout(poll, INTERVAL_MS);
      };
      request.onerror = function () { window.setTimeout(poll, INTERVAL_MS * 5); };
      request.send();
    }

    window.setTimeout(poll, INTERVAL_MS);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
