// Sends the page's CSRF token with every fetch that changes data (forms carry it themselves).
(function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!meta || !window.fetch) { return; }
  var token = meta.getAttribute('content');
  var plain = window.fetch.bind(window);
  window.fetch = function (input, init) {
    init = init || {};
    var method = (init.method || 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') {
      init.headers = new Headers(init.headers || {});
      init.headers.set('X-CSRF-Token', token);
    }
    return plain(input, init);
  };
})();
