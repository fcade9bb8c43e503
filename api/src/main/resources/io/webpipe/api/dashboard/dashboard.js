/* webpipe dashboard: reads the API of this origin; no build step, no external requests. */
(function () {
  'use strict';

  var TEXT = {
    en: {
      from: 'From', to: 'To (UTC days)', interval: 'Buckets', hour: 'hour', day: 'day', includeBots: 'include bots',
      language: 'Language', apply: 'Apply', apiKey: 'API key', useKey: 'Use key',
      keyHint: 'This API needs a key. It is kept in this browser only.', badKey: 'The key was refused; enter another.',
      overview: 'Overview', trend: 'Visitors, sessions and page views', realtime: 'Right now',
      topPagesNow: 'Top pages (last 5 minutes)', page: 'Page', views: 'Views', visitors: 'Visitors', sessions: 'Sessions',
      pageViews: 'Page views', bounceRate: 'Bounce rate', engagedRate: 'Engaged rate', avgDuration: 'Average duration',
      pagesPerSession: 'Pages per session', currentVisitors: 'Current visitors', liveSessions: 'Live sessions',
      realtimePageViews: 'Page views, last 30 minutes', rankings: 'Top lists', search: 'Page search',
      searchLabel: 'Page title (Korean initials work: ㄴㅇㅋ)', explorer: 'Sessions', channel: 'Channel', engaged: 'Engaged',
      live: 'Live', bot: 'Bot', filter: 'Filter', start: 'Start', visitor: 'Visitor', landingPage: 'Landing page',
      duration: 'Duration', timeline: 'Session timeline', events: 'Events', any: 'any', yes: 'yes', no: 'no',
      value: 'Value', noData: 'no data', vsPrevious: 'Change against the previous {days} days ({from} to {to})',
      loading: 'Loading…', failed: 'Could not load: {msg}', noMatch: 'No matching page',
      topPages: 'Top pages', dim_landingPage: 'Entry pages', dim_exitPage: 'Exit pages', dim_channel: 'Channels',
      dim_referrerHost: 'Referrers', dim_utmSource: 'UTM source', dim_utmMedium: 'UTM medium', dim_utmCampaign: 'UTM campaign',
      dim_browser: 'Browsers', dim_os: 'Operating systems', dim_deviceType: 'Devices', none: '(none)'
    },
    ko: {
      from: '시작일', to: '종료일 (UTC)', interval: '단위', hour: '시간', day: '일', includeBots: '봇 포함',
      language: '언어', apply: '적용', apiKey: 'API 키', useKey: '키 사용',
      keyHint: '이 API는 키가 필요합니다. 키는 이 브라우저에만 저장됩니다.', badKey: '키가 거부되었습니다. 다른 키를 입력하세요.',
      overview: '개요', trend: '방문자, 세션, 페이지뷰', realtime: '실시간',
      topPagesNow: '인기 페이지 (최근 5분)', page: '페이지', views: '조회수', visitors: '방문자', sessions: '세션',
      pageViews: '페이지뷰', bounceRate: '이탈률', engagedRate: '참여율', avgDuration: '평균 체류 시간',
      pagesPerSession: '세션당 페이지', currentVisitors: '현재 방문자', liveSessions: '진행 중인 세션',
      realtimePageViews: '페이지뷰 (최근 30분)', rankings: '순위', search: '페이지 검색',
      searchLabel: '페이지 제목 (초성 검색 가능: ㄴㅇㅋ)', explorer: '세션', channel: '채널', engaged: '참여',
      live: '진행 중', bot: '봇', filter: '필터', start: '시작', visitor: '방문자', landingPage: '방문 시작 페이지',
      duration: '체류 시간', timeline: '세션 타임라인', events: '이벤트', any: '전체', yes: '예', no: '아니요',
      value: '값', noData: '데이터 없음', vsPrevious: '직전 {days}일 ({from} ~ {to}) 대비 변화',
      loading: '불러오는 중…', failed: '불러오지 못했습니다: {msg}', noMatch: '일치하는 페이지가 없습니다',
      topPages: '인기 페이지', dim_landingPage: '방문 시작 페이지', dim_exitPage: '이탈 페이지', dim_channel: '채널',
      dim_referrerHost: '유입 사이트', dim_utmSource: 'UTM 소스', dim_utmMedium: 'UTM 매체', dim_utmCampaign: 'UTM 캠페인',
      dim_browser: '브라우저', dim_os: '운영체제', dim_deviceType: '기기', none: '(없음)'
    }
  };
  var DIMENSIONS = ['landingPage', 'exitPage', 'channel', 'referrerHost', 'utmSource', 'utmMedium', 'utmCampaign',
    'browser', 'os', 'deviceType'];
  var FIGURES = [
    {key: 'visitors', format: 'count'}, {key: 'sessions', format: 'count'}, {key: 'pageViews', format: 'count'},
    {key: 'bounceRate', format: 'percent', lowerIsBetter: true}, {key: 'engagedRate', format: 'percent'},
    {key: 'avgDurationMs', label: 'avgDuration', format: 'duration'}, {key: 'pagesPerSession', format: 'decimal'}
  ];
  var REALTIME_EVERY_MS = 15000;
  /** Tick steps of the charts' count axes: whole numbers only. */
  var COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7, 1e8];
  var KEY_STORE = 'webpipe.apiKey';
  var DAY_MS = 86400000;

  var params = new URLSearchParams(location.search);
  var lang = chooseLanguage();
  var state = {range: null, charts: {}, realtimeTimer: null, searchTimer: null, keyPrompt: null};

  function chooseLanguage() {
    var asked = params.get('lang');
    if (asked && TEXT[asked]) return asked;
    return (navigator.languages || [navigator.language || 'en']).some(function (l) { return /^ko\b/i.test(l); }) ? 'ko' : 'en';
  }

  function t(key, values) {
    var s = TEXT[lang][key] || TEXT.en[key] || key;
    Object.keys(values || {}).forEach(function (k) { s = s.replace('{' + k + '}', values[k]); });
    return s;
  }

  function $(id) { return document.getElementById(id); }

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  function locale() { return lang === 'ko' ? 'ko-KR' : 'en-US'; }

  function format(value, kind) {
    if (kind === 'percent') return (value * 100).toLocaleString(locale(), {maximumFractionDigits: 1}) + '%';
    if (kind === 'decimal') return value.toLocaleString(locale(), {maximumFractionDigits: 2});
    if (kind === 'duration') {
      var seconds = Math.round(value / 1000);
      var m = Math.floor(seconds / 60), s = seconds % 60;
      return m > 0 ? m + 'm ' + (s < 10 ? '0' : '') + s + 's' : s + 's';
    }
    return Math.round(value).toLocaleString(locale());
  }

  /* ---- API access, with the key asked for once ---- */

  function api(path) {
    var headers = {};
    var key = localStorage.getItem(KEY_STORE);
    if (key) headers.Authorization = 'Bearer ' + key;
    return fetch(path, {headers: headers}).then(function (res) {
      if (res.status === 401) {
        return askForKey(!!key).then(function () { return api(path); });
      }
      return res.json().then(function (body) {
        if (!res.ok) throw new Error(body.message || res.status);
        return body;
      });
    });
  }

  function askForKey(refused) {
    if (!state.keyPrompt) {
      state.keyPrompt = new Promise(function (resolve) {
        var form = $('key-form');
        form.hidden = false;
        if (refused) status(t('badKey'));
        $('api-key').focus();
        form.onsubmit = function (e) {
          e.preventDefault();
          localStorage.setItem(KEY_STORE, $('api-key').value.trim());
          form.hidden = true;
          status('');
          state.keyPrompt = null;
          resolve();
        };
      });
    }
    return state.keyPrompt;
  }

  function status(text) { $('status').textContent = text; }

  /* ---- range ---- */

  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

  function readRange() {
    var today = Date.parse(isoDay(Date.now()));
    var from = Date.parse(params.get('from') || '') || today - 6 * DAY_MS;
    var to = Date.parse(params.get('to') || '') || today;
    if (to < from) to = from;
    $('from').value = isoDay(from);
    $('to').value = isoDay(to);
    $('interval').value = params.get('interval') === 'hour' || (!params.get('interval') && to - from < 3 * DAY_MS) ? 'hour' : 'day';
    $('bots').checked = params.get('bots') === 'include';
    // The "to" day is included: the API's range ends at the next midnight (UTC).
    return {from: new Date(from).toISOString(), to: new Date(to + DAY_MS).toISOString(), days: (to - from) / DAY_MS + 1};
  }

  function query(extra) {
    var q = new URLSearchParams({from: state.range.from, to: state.range.to});
    if ($('bots').checked) q.set('bots', 'include');
    Object.keys(extra || {}).forEach(function (k) { q.set(k, extra[k]); });
    return q.toString();
  }

  /* ---- sections ---- */

  function loadOverview() {
    return api('/api/stats/overview?' + query({compare: 'previous'})).then(function (o) {
      var list = $('figures');
      list.textContent = '';
      FIGURES.forEach(function (f) {
        var box = el('div', null, 'figure');
        box.appendChild(el('dt', t(f.label || f.key)));
        var dd = el('dd', format(o[f.key], f.format), 'value');
        dd.dataset.figure = f.key;
        dd.dataset.value = o[f.key];
        box.appendChild(dd);
        var before = o.previous[f.key];
        var change = el('dd', null, 'change');
        if (before > 0) {
          var ratio = (o[f.key] - before) / before;
          change.textContent = (ratio > 0 ? '▲ +' : ratio < 0 ? '▼ ' : '') + (ratio * 100).toLocaleString(locale(), {maximumFractionDigits: 1}) + '%';
          var better = f.lowerIsBetter ? ratio < 0 : ratio > 0;
          change.classList.add(ratio === 0 ? 'flat' : better ? 'up' : 'down');
        } else {
          change.textContent = '–';
        }
        change.dataset.previous = before;
        box.appendChild(change);
        list.appendChild(box);
      });
      $('compare-note').textContent = t('vsPrevious', {days: state.range.days,
        from: o.previous.from.slice(0, 10), to: isoDay(Date.parse(o.previous.to) - DAY_MS)});
    });
  }

  function loadTrend() {
    return api('/api/stats/timeseries?' + query({interval: $('interval').value})).then(function (s) {
      var times = [], visitors = [], sessions = [], views = [];
      s.buckets.forEach(function (b) {
        times.push(Date.parse(b.time) / 1000);
        visitors.push(b.visitors);
        sessions.push(b.sessions);
        views.push(b.pageViews);
      });
      draw('trend', $('chart'), [times, visitors, sessions, views], [
        {label: t('visitors'), stroke: '#2563eb', width: 2},
        {label: t('sessions'), stroke: '#16a34a', width: 2},
        {label: t('pageViews'), stroke: '#d97706', width: 2}], 340);
      $('chart').dataset.points = times.length;
    });
  }

  function draw(name, container, data, series, height) {
    if (state.charts[name]) state.charts[name].destroy();
    container.textContent = '';
    var opts = {
      width: chartWidth(container), height: height,
      series: [{}].concat(series), axes: [{}, {size: 50, incrs: COUNT_STEPS}], legend: {live: false}, padding: [12, 36, 0, 0],
      scales: {y: {range: function (u, min, max) { return [0, Math.max(1, max)]; }}}
    };
    var chart = new uPlot(opts, data, container);
    state.charts[name] = chart;
    // The chart follows its box (window resized, phone turned, layout settled after the first draw).
    new ResizeObserver(function () {
      if (state.charts[name] === chart && chartWidth(container) !== chart.width) {
        chart.setSize({width: chartWidth(container), height: chart.height});
      }
    }).observe(container);
  }

  function chartWidth(container) { return Math.max(Math.floor(container.getBoundingClientRect().width), 200); }

  function loadRealtime() {
    var q = $('bots').checked ? '?bots=include' : '';
    return api('/api/realtime' + q).then(function (r) {
      var list = $('realtime-figures');
      list.textContent = '';
      [['currentVisitors', r.currentVisitors], ['liveSessions', r.liveSessions], ['realtimePageViews', r.pageViews]].forEach(function (f) {
        var box = el('div', null, 'figure');
        box.appendChild(el('dt', t(f[0])));
        var dd = el('dd', format(f[1], 'count'), 'value');
        dd.dataset.realtime = f[0];
        dd.dataset.value = f[1];
        box.appendChild(dd);
        list.appendChild(box);
      });
      $('realtime-time').textContent = new Date(r.now).toLocaleTimeString(locale());
      var minutes = r.pageViewsPerMinute;
      draw('realtime', $('realtime-chart'), [minutes.map(function (m) { return Date.parse(m.minute) / 1000; }),
        minutes.map(function (m) { return m.views; })], [{label: t('views'), stroke: '#7c3aed', fill: 'rgba(124,58,237,0.15)'}], 120);
      var body = $('realtime-pages').tBodies[0];
      body.textContent = '';
      r.topPages.forEach(function (p) { body.appendChild(row([pageCell(p.pageTitle, p.url), p.views])); });
      if (!r.topPages.length) body.appendChild(row([t('noData'), '']));
    });
  }

  function scheduleRealtime() {
    clearTimeout(state.realtimeTimer);
    state.realtimeTimer = setTimeout(function () {
      (document.hidden ? Promise.resolve() : loadRealtime().catch(fail)).then(scheduleRealtime);
    }, REALTIME_EVERY_MS);
  }

  function pageCell(title, url) {
    var cell = document.createElement('span');
    cell.appendChild(el('span', title || url, 'title'));
    if (title && url) cell.appendChild(el('small', url, 'url'));
    return cell;
  }

  function row(cells) {
    var tr = document.createElement('tr');
    cells.forEach(function (c, i) {
      var td = el('td', null, i > 0 && typeof c === 'number' ? 'num' : null);
      if (c instanceof Node) td.appendChild(c); else td.textContent = typeof c === 'number' ? format(c, 'count') : c;
      tr.appendChild(td);
    });
    return tr;
  }

  function rankedTable(id, caption, headers, rows) {
    var table = el('table');
    table.id = id;
    table.appendChild(el('caption', caption));
    var head = table.appendChild(document.createElement('thead')).appendChild(document.createElement('tr'));
    headers.forEach(function (h, i) {
      var th = el('th', h, i > 0 ? 'num' : null);
      th.scope = 'col';
      head.appendChild(th);
    });
    var body = table.appendChild(document.createElement('tbody'));
    rows.forEach(function (r) { body.appendChild(row(r)); });
    if (!rows.length) body.appendChild(row([t('noData')]));
    return table;
  }

  function loadRankings() {
    var pages = api('/api/pages/top?' + query({limit: 10})).then(function (p) {
      return rankedTable('top-pages', t('topPages'), [t('page'), t('views'), t('visitors')],
        p.pages.map(function (x) { return [pageCell(x.pageTitle, x.url), x.views, x.visitors]; }));
    });
    var tops = DIMENSIONS.map(function (d) {
      return api('/api/stats/top?' + query({dimension: d, limit: 10})).then(function (top) {
        if (d === 'channel') fillChannels(top.items);
        return rankedTable('top-' + d, t('dim_' + d), [t('value'), t('sessions'), t('visitors')],
          top.items.map(function (i) { return [i.value, i.sessions, i.visitors]; }));
      });
    });
    return Promise.all([pages].concat(tops)).then(function (tables) {
      var grid = $('tables');
      grid.textContent = '';
      tables.forEach(function (table) { grid.appendChild(table); });
    });
  }

  function fillChannels(items) {
    var list = $('channel-list');
    list.textContent = '';
    items.forEach(function (i) { var o = document.createElement('option'); o.value = i.value; list.appendChild(o); });
  }

  function searchPages() {
    var q = $('q').value.trim();
    var body = $('search-results').tBodies[0];
    if (!q) {
      body.textContent = '';
      return Promise.resolve();
    }
    return api('/api/pages/search?' + new URLSearchParams({q: q, limit: 10})).then(function (r) {
      if ($('q').value.trim() !== q) return; // a newer query is on its way
      body.textContent = '';
      r.pages.forEach(function (p) { body.appendChild(row([pageCell(p.pageTitle, p.url), p.views, p.visitors])); });
      if (!r.pages.length) body.appendChild(row([t('noMatch')]));
      $('search-results').dataset.query = q;
    });
  }

  function fillFlagChoices() {
    ['f-engaged', 'f-live', 'f-bot'].forEach(function (id) {
      var select = $(id), chosen = select.value;
      select.textContent = '';
      [['', t('any')], ['true', t('yes')], ['false', t('no')]].forEach(function (c) {
        var o = el('option', c[1]);
        o.value = c[0];
        select.appendChild(o);
      });
      select.value = chosen;
    });
  }

  function loadSessions() {
    var q = {size: 20};
    if ($('f-channel').value.trim()) q.channel = $('f-channel').value.trim();
    [['engaged', 'f-engaged'], ['live', 'f-live'], ['bot', 'f-bot']].forEach(function (f) {
      if ($(f[1]).value) q[f[0]] = $(f[1]).value;
    });
    var list = new URLSearchParams({from: state.range.from, to: state.range.to});
    Object.keys(q).forEach(function (k) { list.set(k, q[k]); });
    return api('/api/sessions?' + list).then(function (page) {
      var body = $('sessions').tBodies[0];
      body.textContent = '';
      page.sessions.forEach(function (s) {
        var open = el('button', new Date(s.start).toLocaleString(locale()), 'link');
        open.type = 'button';
        open.onclick = function () { showTimeline(s); };
        var visitor = el('span', s.visitorId);
        var tags = [s.live ? t('live') : null, s.bot ? t('bot') : null, s.engaged ? t('engaged') : null].filter(Boolean);
        var cell = document.createElement('span');
        cell.appendChild(visitor);
        tags.forEach(function (x) { cell.appendChild(el('span', x, 'tag')); });
        body.appendChild(row([open, cell, s.channel || t('none'), s.landingPage || s.entryUrl || '', s.pageViews,
          format(s.durationMs, 'duration')]));
      });
      $('sessions').dataset.count = page.count;
      if (!page.sessions.length) body.appendChild(row([t('noData')]));
    });
  }

  function showTimeline(s) {
    $('timeline').hidden = false;
    $('timeline-summary').textContent = [new Date(s.start).toLocaleString(locale()), '→', new Date(s.end).toLocaleTimeString(locale()),
      '·', format(s.durationMs, 'duration'), '·', s.channel || '', s.referrerHost ? '(' + s.referrerHost + ')' : ''].join(' ');
    var pages = $('timeline-pages');
    pages.textContent = '';
    (s.pages || []).forEach(function (p) { pages.appendChild(el('li', p)); });
    var events = $('timeline-events');
    events.textContent = '';
    (s.eventTypes || []).forEach(function (e) { events.appendChild(el('li', e.type + ' × ' + e.count)); });
    $('timeline').scrollIntoView({block: 'nearest'});
  }

  /* ---- wiring ---- */

  function translate() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-i18n]').forEach(function (e) { e.textContent = t(e.dataset.i18n); });
    $('lang').value = lang;
    fillFlagChoices();
  }

  function fail(e) { status(t('failed', {msg: e.message})); }

  function loadAll() {
    state.range = readRange();
    status(t('loading'));
    return Promise.all([loadOverview(), loadTrend(), loadRealtime(), loadRankings(), loadSessions(), searchPages()])
      .then(function () { status(''); })
      .catch(fail)
      .then(function () {
        document.body.dataset.ready = 'true'; // for the browser test: everything asked for has answered
        scheduleRealtime();
      });
  }

  /** Keeps the page's state in its URL, so a view can be shared and reloaded. */
  function setParams(values) {
    Object.keys(values).forEach(function (k) { if (values[k]) params.set(k, values[k]); else params.delete(k); });
    history.replaceState(null, '', '?' + params);
  }

  function start() {
    translate();
    $('q').value = params.get('q') || '';
    $('controls').onsubmit = function (e) {
      e.preventDefault();
      setParams({from: $('from').value, to: $('to').value, interval: $('interval').value, bots: $('bots').checked ? 'include' : ''});
      loadAll();
    };
    $('lang').onchange = function () {
      lang = $('lang').value;
      setParams({lang: lang});
      translate();
      loadAll();
    };
    $('q').oninput = function () {
      clearTimeout(state.searchTimer);
      setParams({q: $('q').value.trim()});
      state.searchTimer = setTimeout(function () { searchPages().catch(fail); }, 200);
    };
    $('session-filters').onsubmit = function (e) {
      e.preventDefault();
      loadSessions().catch(fail);
    };
    loadAll();
  }

  start();
})();
