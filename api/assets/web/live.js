// Photos over the limit are caught before the form is sent, when scripts run: a file input
// with data-max-bytes (and data-most) keeps nothing too large or too many, and says so; the
// server still decides.
(function () {
  'use strict';
  var inputs = document.querySelectorAll('input[type=file][data-max-bytes]');
  Array.prototype.forEach.call(inputs, function (input) {
    var max = Number(input.getAttribute('data-max-bytes'));
    var most = Number(input.getAttribute('data-most') || '0');
    var said = document.getElementById(input.id + '-too-large');
    input.addEventListener('change', function () {
      var files = Array.prototype.slice.call(input.files || []);
      var over = files.some(function (file) { return file.size > max; }) ||
        (most > 0 && files.length > most);
      if (said) {
        said.hidden = !over;
      }
      if (over) {
        input.value = '';
      }
    });
  });
}());

// New notices as they are issued, on every page of the workbench: the noticeIssued
// subscription over /graphql/ws (graphql-transport-ws), signed in with the page's own session.
// Each arrival is announced in the page's live region with a link to it; the page works the
// same without it.
(function () {
  'use strict';
  var region = document.getElementById('live');
  if (!region || !window.WebSocket) {
    return;
  }
  var kinds = { REMINDER: '提醒', URGE: '催办', SUPERVISION_ORDER: '督办单', BULLETIN: '通报' };
  var query = 'subscription { noticeIssued { id number kind title } }';
  var failures = 0;

  function send(socket, message) {
    socket.send(JSON.stringify(message));
  }

  function show(notice) {
    var line = document.createElement('p');
    line.className = 'live-notice';
    var link = document.createElement('a');
    link.href = '/notices#notice-' + encodeURIComponent(notice.id);
    link.textContent = '新的' + (kinds[notice.kind] || '通知') +
      (notice.number ? ' ' + notice.number : '') + '：' + notice.title;
    line.appendChild(link);
    region.appendChild(line);
  }

  function connect() {
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    var socket = new WebSocket(scheme + location.host + '/graphql/ws', 'graphql-transport-ws');
    socket.onopen = function () {
      send(socket, { type: 'connection_init', payload: {} });
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === 'connection_ack') {
        failures = 0;
        region.setAttribute('data-live', 'on');
        send(socket, { id: 'notices', type: 'subscribe', payload: { query: query } });
      } else if (message.type === 'ping') {
        send(socket, { type: 'pong' });
      } else if (message.type === 'next' && message.payload && message.payload.data) {
        show(message.payload.data.noticeIssued);
      }
    };
    socket.onclose = function (event) {
      region.setAttribute('data-live', 'off');
      // Signed out, or not allowed: the next page load asks again.
      if (event.code === 4401 || event.code === 4403) {
        return;
      }
      failures += 1;
      window.setTimeout(connect, Math.min(60000, 1000 * Math.pow(2, failures)));
    };
  }

  connect();
})();
