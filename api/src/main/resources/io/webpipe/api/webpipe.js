/*
 * webpipe tracker. Include on a page with
 *   <script async src="https://collector.example/webpipe.js"></script>
 * It sends a page_view when the page has loaded and a click for every link marked
 * data-webpipe-click="label", with navigator.sendBeacon to /collect on the host it was loaded
 * from (or data-endpoint="https://.../collect" on the script tag). The visitor id lives in a
 * first-party cookie (wp_vid, 2 years). window.webpipe.track(type, properties) sends custom events.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var endpoint = (script && script.getAttribute('data-endpoint')) ||
      (script && script.src ? new URL('/collect', script.src).href : '/collect');
  var COOKIE = 'wp_vid';
  var TWO_YEARS = 63072000;
  var RETRIES = 2;
  var RETRY_DELAY_MS = 2000;

  // A random id per event (crypto.randomUUID needs a secure context; getRandomValues does not).
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function visitorId() {
    var m = document.cookie.match(/(?:^|;\s*)wp_vid=([^;]+)/);
    var id = m ? decodeURIComponent(m[1]) : uuid();
    document.cookie = COOKIE + '=' + encodeURIComponent(id) + '; Max-Age=' + TWO_YEARS + '; Path=/; SameSite=Lax' +
        (location.protocol === 'https:' ? '; Secure' : '');
    return id;
  }

  function send(type, extra) {
    var event = {
      eventId: uuid(),
      type: type,
      timestamp: new Date().toISOString(),
      visitorId: visitorId(),
      url: location.href,
      pageTitle: document.title || undefined,
      referrer: document.referrer || undefined,
      pageId: (script && script.getAttribute('data-page-id')) || undefined
    };
    for (var k in extra) event[k] = extra[k];
    post(JSON.stringify(event), RETRIES);
  }

  // The body is built once, so every retry sends the same eventId: the job counts an eventId once,
  // and a retry never doubles an event.
  function post(body, retriesLeft) {
    // A text/plain beacon is a simple request: no CORS preflight, and it survives page unload.
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) return;
    if (!window.fetch) return;
    fetch(endpoint, { method: 'POST', body: body, keepalive: true, mode: 'no-cors' }).catch(function () {
      if (retriesLeft > 0) setTimeout(function () { post(body, retriesLeft - 1); }, RETRY_DELAY_MS);
    });
  }

  function onLoad() { send('page_view', {}); }
  if (document.readyState === 'complete') onLoad(); else window.addEventListener('load', onLoad);

  document.addEventListener('click', function (e) {
    var link = e.target && e.target.closest && e.target.closest('a[data-webpipe-click]');
    if (link) send('click', { properties: { href: link.href, label: link.getAttribute('data-webpipe-click') } });
  }, true);

  window.webpipe = { track: function (type, properties) { send(type, properties ? { properties: properties } : {}); } };
})();
