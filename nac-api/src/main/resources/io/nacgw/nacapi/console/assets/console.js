'use strict';
// The nacgw operator console: plain DOM, every value written with textContent (never parsed as HTML).
(function () {
  let csrf = null;
  const $ = (id) => document.getElementById(id);

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function row(cells) {
    const tr = el('tr');
    cells.forEach((c) => { const td = el('td'); if (c instanceof Node) td.appendChild(c); else td.textContent = c == null ? '' : String(c); tr.appendChild(td); });
    return tr;
  }

  function status(text) { $('status').textContent = text || ''; }

  async function api(method, path, body) {
    const headers = {'X-Nacgw-Console': '1'};
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {method, credentials: 'same-origin', headers,
      body: body === undefined ? undefined : JSON.stringify(body)});
    if (res.status === 401) { window.location.replace('/console/'); throw new Error('signed out'); }
    const text = await res.text();
    let json = {};
    try { json = text ? JSON.parse(text) : {}; } catch (e) { json = {detail: text}; }
    if (!res.ok) throw new Error(json.detail || json.error || json.title || ('HTTP ' + res.status));
    return json;
  }

  // ---- pages ----
  const pages = ['overview', 'devices', 'live', 'sessions', 'nas', 'sync', 'certs'];
  const loaders = {};
  function show() {
    const page = (location.hash || '#overview').slice(1).split('?')[0];
    const name = pages.includes(page) ? page : 'overview';
    pages.forEach((p) => { $('page-' + p).hidden = p !== name; });
    document.querySelectorAll('nav a').forEach((a) => {
      if (a.dataset.page === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    status('');
    if (loaders[name]) loaders[name]();
  }

  // ---- overview (server-sent events) ----
  let overviewSource = null;
  let chart = null;
  const series = [[], [], [], []];
  let previous = null;
  loaders.overview = function () {
    if (overviewSource) return;
    overviewSource = new EventSource('/api/v1/overview/stream');
    overviewSource.addEventListener('overview', (e) => renderOverview(JSON.parse(e.data)));
  };

  function card(label, value) {
    const d = el('div', null, 'card');
    d.appendChild(el('span', label, 'label'));
    d.appendChild(el('span', value, 'value'));
    return d;
  }

  function renderOverview(o) {
    const cards = $('overview-cards');
    cards.replaceChildren();
    const r = o.radius || {};
    const lat = r.latencyMillis || {};
    const apiLat = (o.api || {}).latencyMillis || {};
    cards.appendChild(card('devices in memory', o.devices));
    cards.appendChild(card('RADIUS p50 / p99', (lat.p50 ?? '–') + ' / ' + (lat.p99 ?? '–') + ' ms'));
    cards.appendChild(card('API requests', (o.api || {}).requests));
    cards.appendChild(card('API p50 / p99', (apiLat.p50 ?? '–') + ' / ' + (apiLat.p99 ?? '–') + ' ms'));
    cards.appendChild(card('store', (o.store || {}).status));
    cards.appendChild(card('sync', (o.sync || {}).status));
    const coa = o.coa || {};
    cards.appendChild(card('CoA ack / nak / timeout', (coa.acked ?? 0) + ' / ' + (coa.nakked ?? 0) + ' / ' + (coa.timedOut ?? 0)));
    (o.latencies || []).forEach((t) => cards.appendChild(card(t.name + ' p99', (Math.round(t.p99 * 100) / 100) + ' ms')));
    const now = Date.now() / 1000;
    if (previous) {
      const dt = Math.max(0.001, now - previous.t);
      series[0].push(now);
      series[1].push(Math.max(0, (r.accepts - previous.a) / dt));
      series[2].push(Math.max(0, (r.quarantines - previous.q) / dt));
      series[3].push(Math.max(0, (r.rejects - previous.r) / dt));
      if (series[0].length > 180) series.forEach((s) => s.shift());
      drawChart();
    }
    previous = {t: now, a: r.accepts || 0, q: r.quarantines || 0, r: r.rejects || 0};
    const body = $('overview-nas').tBodies[0];
    body.replaceChildren();
    Object.entries(o.nas || {}).forEach(([name, n]) => body.appendChild(row([name, n.accepts, n.quarantines, n.rejects, n.lastRequest || '–'])));
  }

  function drawChart() {
    if (typeof uPlot === 'undefined') return;
    const width = Math.max(320, $('overview-chart').clientWidth || 800);
    if (!chart) {
      chart = new uPlot({width, height: 220, series: [{}, {label: 'accept', stroke: '#1b7f3b'},
        {label: 'quarantine', stroke: '#b36b00'}, {label: 'reject', stroke: '#b3261e'}],
        axes: [{}, {label: 'per second'}]}, series, $('overview-chart'));
    } else {
      chart.setData(series);
    }
  }

  // ---- devices ----
  $('device-search').addEventListener('submit', (e) => {
    e.preventDefault();
    searchDevice($('device-q').value.trim());
  });

  async function searchDevice(q) {
    const out = $('device-result');
    out.replaceChildren(el('p', 'Searching…'));
    let r;
    try {
      r = await api('GET', '/api/v1/devices/search?q=' + encodeURIComponent(q));
    } catch (err) {
      out.replaceChildren(el('p', err.message, 'error'));
      return;
    }
    out.replaceChildren();
    out.appendChild(el('h2', r.found ? 'Device' : 'No device found (' + r.identifier.kind + ' ' + r.identifier.value + ')'));
    if (r.found) {
      const dl = el('dl', null, 'record');
      Object.entries(r.device).forEach(([k, v]) => {
        dl.appendChild(el('dt', k));
        dl.appendChild(el('dd', Array.isArray(v) ? v.join(', ') : (typeof v === 'object' && v !== null ? JSON.stringify(v) : v)));
      });
      out.appendChild(dl);
    }
    if (r.matches && r.matches.length > 1) {
      const also = el('p', 'Also matching: ');
      r.matches.slice(1).forEach((m) => {
        const a = el('a', (m.deviceName || m.deviceId) + ' ');
        a.href = '#devices';
        a.addEventListener('click', () => { $('device-q').value = m.deviceId; searchDevice(m.deviceId); });
        also.appendChild(a);
      });
      out.appendChild(also);
    }
    out.appendChild(el('h2', 'Decision per profile'));
    r.profiles.forEach((p) => {
      const box = el('section', null, 'explain');
      box.setAttribute('aria-label', 'profile ' + p.profile);
      const h = el('h3', p.profile + ': ');
      h.appendChild(el('span', p.verdict, 'verdict ' + p.verdict));
      box.appendChild(h);
      box.appendChild(el('p', p.message));
      if (p.remediationUrl) box.appendChild(el('p', 'Remedy: ' + p.remediationUrl));
      const t = el('table');
      t.appendChild(el('caption', 'Rules evaluated for ' + p.profile, 'sr'));
      const head = el('tr');
      ['rule', 'result', 'what was found'].forEach((c) => { const th = el('th', c); th.scope = 'col'; head.appendChild(th); });
      t.appendChild(el('thead')).appendChild(head);
      const tb = el('tbody');
      p.rules.forEach((s) => tb.appendChild(row([s.rule, s.passed ? 'ok' : s.outcome, s.detail])));
      t.appendChild(tb);
      box.appendChild(t);
      out.appendChild(box);
    });
    const mac = r.found ? (r.device.macs || [])[0] : (r.identifier.kind === 'mac' ? r.identifier.value : null);
    out.appendChild(el('h2', 'Sessions'));
    const sessions = el('table');
    sessions.id = 'device-sessions';
    out.appendChild(sessions);
    if (mac) {
      api('GET', '/api/v1/sessions?mac=' + encodeURIComponent(mac)).then((s) => fillSessions(sessions, s.sessions))
        .catch((err) => sessions.replaceChildren(el('caption', err.message)));
    } else {
      sessions.appendChild(el('caption', 'The device has no MAC address: no sessions to show.'));
    }
    out.appendChild(el('h2', 'Last decisions'));
    const recent = el('table');
    recent.id = 'device-decisions';
    out.appendChild(recent);
    const query = r.found ? 'deviceId=' + encodeURIComponent(r.device.deviceId) : 'mac=' + encodeURIComponent(mac || '');
    api('GET', '/api/v1/decisions/recent?' + query + '&limit=20').then((d) => {
      recent.replaceChildren(el('caption', d.decisions.length + ' decisions since the gateway started'));
      const tb = el('tbody');
      d.decisions.forEach((x) => tb.appendChild(row([x.time, x.nas, x.profile, x.verdict, (x.reasons || []).join(' ')])));
      recent.appendChild(tb);
    }).catch((err) => recent.replaceChildren(el('caption', err.message)));
  }

  function actionButton(label, session, what) {
    const b = el('button', label, 'small');
    b.type = 'button';
    b.setAttribute('aria-label', label + ' session ' + session.id);
    b.addEventListener('click', async () => {
      try {
        const res = await api('POST', '/api/v1/sessions/' + encodeURIComponent(session.id) + ':' + what);
        status(label + ': ' + JSON.stringify(res));
      } catch (err) { status(label + ' failed: ' + err.message); }
    });
    return b;
  }

  function fillSessions(table, list) {
    table.replaceChildren(el('caption', list.length + ' sessions'));
    const tb = el('tbody');
    list.forEach((s) => {
      const actions = el('span');
      if (s.active) {
        actions.appendChild(actionButton('Re-authenticate', s, 'reauthenticate'));
        actions.appendChild(actionButton('Disconnect', s, 'disconnect'));
      }
      tb.appendChild(row([s.nas.client, s.acctSessionId || s.id, s.mac, s.userName, s.profile, s.verdict, actions]));
    });
    table.appendChild(tb);
  }

  // ---- live decisions (server-sent events) ----
  let liveSource = null;
  loaders.live = function () {
    if (liveSource) return;
    liveSource = new EventSource('/api/v1/decisions/stream');
    liveSource.onopen = () => { $('live-state').textContent = 'Connected: new decisions appear at the top.'; };
    liveSource.onerror = () => { $('live-state').textContent = 'Reconnecting…'; };
    liveSource.addEventListener('dropped', (e) => {
      $('live-state').textContent = JSON.parse(e.data).dropped + ' decisions were not shown (the page fell behind).';
    });
    liveSource.onmessage = (e) => addDecision(JSON.parse(e.data));
  };

  function matches(d) {
    const v = $('f-verdict').value, n = $('f-nas').value.trim(), p = $('f-profile').value.trim();
    const m = $('f-mac').value.trim().toLowerCase().replace(/[^0-9a-f]/g, '');
    if (v && d.verdict !== v) return false;
    if (n && d.nas !== n) return false;
    if (p && d.profile !== p) return false;
    if (m && !(d.identifierUsed || '').toLowerCase().replace(/[^0-9a-f]/g, '').includes(m)) return false;
    return true;
  }

  function addDecision(d) {
    if (d.type === 'coa' || $('f-pause').checked || !matches(d)) return;
    const tb = $('live-table').tBodies[0];
    const ident = el('a', d.identifierUsed || d.deviceId || '–');
    const target = d.deviceId || (d.identifierUsed || '').replace(/^mac:/, '');
    ident.href = '#devices';
    ident.addEventListener('click', () => { $('device-q').value = target; setTimeout(() => searchDevice(target), 0); });
    const tr = row([d.time, d.nas, ident, d.profile, d.verdict, (d.reasons || []).join(' '), d.latencyMicros]);
    tr.className = 'verdict-' + d.verdict;
    tb.insertBefore(tr, tb.firstChild);
    while (tb.rows.length > 200) tb.deleteRow(-1);
  }

  // ---- sessions, NAS clients, sync, certificates ----
  loaders.sessions = async function () {
    try { fillSessions($('sessions-table'), (await api('GET', '/api/v1/sessions?active=true')).sessions); }
    catch (err) { status(err.message); }
  };

  loaders.nas = async function () {
    try {
      const r = await api('GET', '/api/v1/nas-clients');
      const tb = $('nas-table').tBodies[0];
      tb.replaceChildren();
      r.clients.forEach((c) => tb.appendChild(row([c.name, c.address, c.vendor, c.profile, c.accepts, c.quarantines, c.rejects, c.lastRequest || '–'])));
    } catch (err) { status(err.message); }
  };

  loaders.sync = async function () {
    const dl = $('sync-status');
    dl.replaceChildren();
    try {
      const s = await api('GET', '/api/v1/sync/status');
      Object.entries(s).forEach(([k, v]) => { dl.appendChild(el('dt', k)); dl.appendChild(el('dd', typeof v === 'object' && v !== null ? JSON.stringify(v) : v)); });
    } catch (err) { status(err.message); }
  };
  async function runSync(mode) {
    try { await api('POST', '/api/v1/sync/run?mode=' + mode); status(mode + ' sync started'); loaders.sync(); }
    catch (err) { status('Sync: ' + err.message); }
  }
  $('sync-full').addEventListener('click', () => runSync('full'));
  $('sync-incremental').addEventListener('click', () => runSync('incremental'));

  loaders.certs = async function () {
    try {
      const r = await api('GET', '/api/v1/certificates');
      const tb = $('certs-table').tBodies[0];
      tb.replaceChildren();
      r.certificates.forEach((c) => {
        const actions = el('span');
        if (c.status === 'valid' && c.kind !== 'server') {
          const b = el('button', 'Revoke', 'small');
          b.type = 'button';
          b.setAttribute('aria-label', 'Revoke ' + c.name);
          b.addEventListener('click', async () => {
            if (!window.confirm('Revoke ' + c.name + '? Its holder is refused from now on.')) return;
            try { await api('POST', '/api/v1/certificates/' + encodeURIComponent(c.serial) + ':revoke'); loaders.certs(); }
            catch (err) { status('Revoke: ' + err.message); }
          });
          actions.appendChild(b);
        }
        tb.appendChild(row([c.serial, c.kind, c.name, c.role, c.notAfter, c.status, actions]));
      });
    } catch (err) { status(err.message); }
  };
  $('cert-issue').addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = $('cert-issued');
    try {
      const r = await api('POST', '/api/v1/certificates', {name: $('c-name').value, role: $('c-role').value,
        days: Number($('c-days').value), password: $('c-password').value});
      $('c-password').value = '';
      out.replaceChildren(el('span', 'Issued ' + r.name + ' (serial ' + r.serial + '). '));
      const bytes = Uint8Array.from(atob(r.pkcs12), (ch) => ch.charCodeAt(0));
      const a = el('a', 'Download ' + r.name + '.p12');
      a.href = URL.createObjectURL(new Blob([bytes], {type: 'application/x-pkcs12'}));
      a.download = r.name + '.p12';
      out.appendChild(a);
      loaders.certs();
    } catch (err) { out.textContent = 'Issue: ' + err.message; }
  });

  $('sign-out').addEventListener('click', async () => {
    try { await api('POST', '/console/logout'); } catch (e) { /* signed out either way */ }
    window.location.replace('/console/');
  });

  // ---- start ----
  fetch('/console/session', {credentials: 'same-origin', headers: {'X-Nacgw-Console': '1'}}).then(async (res) => {
    if (!res.ok) { window.location.replace('/console/'); return; }
    const s = await res.json();
    csrf = s.csrf;
    $('who').textContent = s.user + ' (' + s.role + ')';
    window.addEventListener('hashchange', show);
    show();
  });
})();
