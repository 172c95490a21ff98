/*
 * Switchboard dashboard. Plain JavaScript, no framework, no build step, nothing from the internet.
 *
 * Every second it reads the proxy's API (Traefik's /api/rawdata and /api/entrypoints, and the
 * Switchboard extension /api/switchboard/stats with live counters) and draws the pipeline as five
 * columns: entry points -> routers -> middlewares -> services -> servers, joined by lines.
 * Rates are computed here from two consecutive counter samples.
 */
'use strict';

(function () {
  const API = '../api/';
  const POLL_MS = 1000;

  const pipeline = document.getElementById('pipeline');
  const wires = document.getElementById('wires');
  const showInternal = document.getElementById('show-internal');
  const connection = document.getElementById('connection');

  let previous = null; // the last stats sample, for rates
  let rates = {}; // key -> {req, err}
  let edges = [];
  let highlighted = null; // set of router names whose paths are lit
  let lastData = null;

  // ---------- helpers

  function esc(value) {
    return String(value == null ? '' : value)
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }

  function provider(name) {
    const at = name.lastIndexOf('@');
    return at < 0 ? '' : name.substring(at + 1);
  }

  function isInternal(name) {
    return provider(name) === 'internal';
  }

  function fmtRate(r) {
    if (r == null) return '–';
    return r >= 100 ? r.toFixed(0) : r.toFixed(1);
  }

  async function getJson(path) {
    const response = await fetch(API + path, { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error('/api/' + path + ' answered ' + response.status);
    }
    return response.json();
  }

  function counterKeys(stats) {
    // Flattens the stats into key -> {requests, serverErrors} for rate computation.
    const out = {};
    const add = (key, c) => { if (c) out[key] = { requests: c.requests || 0, errors: c.serverErrors || 0 }; };
    Object.entries(stats.entryPoints || {}).forEach(([n, c]) => add('ep:' + n, c));
    Object.entries(stats.routers || {}).forEach(([n, c]) => add('rt:' + n, c));
    Object.entries(stats.services || {}).forEach(([n, c]) => {
      add('svc:' + n, c);
      Object.entries(c.servers || {}).forEach(([url, sc]) => add('srv:' + n + '|' + url, sc));
    });
    return out;
  }

  function updateRates(stats) {
    const now = counterKeys(stats);
    const next = {};
    if (previous) {
      const seconds = Math.max(0.001, (stats.uptimeMillis - previous.uptimeMillis) / 1000);
      Object.entries(now).forEach(([key, c]) => {
        const p = previous.counts[key] || { requests: 0, errors: 0 };
        next[key] = {
          req: Math.max(0, c.requests - p.requests) / seconds,
          err: Math.max(0, c.errors - p.errors) / seconds,
        };
      });
    }
    previous = { uptimeMillis: stats.uptimeMillis, counts: now };
    rates = next;
  }

  function statsLine(key, counters, extra) {
    const r = rates[key];
    const errRate = r ? r.err : null;
    const total = counters || {};
    const errClass = errRate > 0 ? ' nonzero' : '';
    return '<div class="stats">'
      + '<span class="rate" title="requests per second">' + fmtRate(r ? r.req : null) + ' req/s</span>'
      + '<span class="errors' + errClass + '" title="answers with status 5xx per second">' + fmtRate(errRate) + ' err/s</span>'
      + '<span class="muted" title="since the proxy started">' + esc(total.requests || 0) + ' total, '
      + esc(total.serverErrors || 0) + ' errors</span>'
      + (extra || '') + '</div>';
  }

  function errorsList(errors) {
    if (!errors || !errors.length) return '';
    return '<ul class="errors-list">' + errors.map((e) => '<li>' + esc(e) + '</li>').join('') + '</ul>';
  }

  function summarise(options) {
    // One line for a middleware's options: "prefixes: /app1".
    if (!options || typeof options !== 'object') return '';
    return Object.entries(options).map(([k, v]) => {
      const value = Array.isArray(v) ? v.join(', ') : (typeof v === 'object' ? JSON.stringify(v) : String(v));
      return k + ': ' + value;
    }).join(' · ');
  }

  function kindOf(element, known) {
    return Object.keys(element).find((k) => known.includes(k)) || '';
  }

  // ---------- model

  function buildModel(raw, entryPoints, stats) {
    const withInternal = showInternal.checked;
    const routers = Object.entries(raw.routers || {})
      .filter(([name]) => withInternal || !isInternal(name))
      .map(([name, r]) => Object.assign({ name }, r));
    const services = raw.services || {};
    const middlewares = raw.middlewares || {};

    const epOrder = entryPoints.map((ep) => ep.name);
    const epOf = (r) => (r.using && r.using.length ? r.using : (r.entryPoints || []));
    routers.sort((a, b) => {
      const ea = Math.min(...epOf(a).map((e) => epOrder.indexOf(e)).filter((i) => i >= 0), 99);
      const eb = Math.min(...epOf(b).map((e) => epOrder.indexOf(e)).filter((i) => i >= 0), 99);
      return ea - eb || (b.priority || 0) - (a.priority || 0) || a.name.localeCompare(b.name);
    });

    const mwOrder = [];
    const svcOrder = [];
    routers.forEach((r) => {
      (r.middlewares || []).forEach((m) => { if (!mwOrder.includes(m)) mwOrder.push(m); });
      if (r.service && !svcOrder.includes(r.service)) svcOrder.push(r.service);
    });
    Object.keys(middlewares).sort().forEach((m) => {
      if (!mwOrder.includes(m) && (withInternal || !isInternal(m))) mwOrder.push(m);
    });
    Object.keys(services).sort().forEach((s) => {
      if (!svcOrder.includes(s) && (withInternal || !isInternal(s))) svcOrder.push(s);
    });

    const servers = [];
    svcOrder.forEach((s) => {
      const svc = services[s];
      if (svc && svc.loadBalancer) {
        (svc.loadBalancer.servers || []).forEach((srv) => {
          const status = svc.serverStatus ? svc.serverStatus[srv.url] : undefined;
          servers.push({ service: s, url: srv.url, weight: srv.weight, status });
        });
      }
    });
    return { raw, entryPoints, stats, routers, services, middlewares, mwOrder, svcOrder, servers };
  }

  // ---------- rendering

  function reconcile(kind, items) {
    // items: [{id, attrs, html}] in display order; keeps existing elements so hover state survives.
    const container = document.querySelector('#col-' + kind + ' .cards');
    const existing = new Map();
    container.querySelectorAll(':scope > .card').forEach((el) => existing.set(el.dataset.id, el));
    const empty = container.querySelector(':scope > .empty');
    if (!items.length) {
      existing.forEach((el) => el.remove());
      if (!empty) {
        const p = document.createElement('p');
        p.className = 'empty';
        p.textContent = kind === 'middleware' ? 'none used' : 'none';
        container.appendChild(p);
      }
      return;
    }
    if (empty) empty.remove();
    items.forEach((item) => {
      let el = existing.get(item.id);
      if (!el) {
        el = document.createElement('div');
        el.className = 'card';
        el.dataset.id = item.id;
        el.addEventListener('mouseenter', () => { highlighted = item.tags; drawWires(); });
        el.addEventListener('mouseleave', () => { highlighted = null; drawWires(); });
      }
      existing.delete(item.id);
      Object.entries(item.attrs).forEach(([k, v]) => {
        if (el.getAttribute(k) !== String(v)) el.setAttribute(k, v);
      });
      el.classList.toggle('internal', !!item.internal);
      if (el.dataset.html !== item.html) {
        el.innerHTML = item.html;
        el.dataset.html = item.html;
      }
      el._tags = item.tags;
      container.appendChild(el); // moves it into order
    });
    existing.forEach((el) => el.remove());
  }

  function render(m) {
    const stats = m.stats;
    const routerNamesUsing = (pred) => new Set(m.routers.filter(pred).map((r) => r.name));
    edges = [];

    // Entry points
    reconcile('entrypoint', m.entryPoints.map((ep) => {
      const c = (stats.entryPoints || {})[ep.name] || {};
      const tags = routerNamesUsing((r) => (r.using || r.entryPoints || []).includes(ep.name));
      return {
        id: 'ep:' + ep.name,
        attrs: { 'data-kind': 'entrypoint', 'data-name': ep.name, 'data-status': 'enabled' },
        tags,
        html: '<div class="title">' + esc(ep.name) + '</div>'
          + '<div class="sub">listens on <code>' + esc(ep.address) + '</code></div>'
          + statsLine('ep:' + ep.name, c, '<span title="open TCP connections">' + esc(c.openConnections || 0) + ' conn</span>'),
      };
    }));

    // Routers
    reconcile('router', m.routers.map((r) => {
      const c = (stats.routers || {})[r.name] || {};
      const broken = r.status === 'disabled';
      const eps = r.using && r.using.length ? r.using : (r.entryPoints || []);
      eps.forEach((ep) => edges.push({ from: 'ep:' + ep, to: 'rt:' + r.name, tags: [r.name], broken }));
      let prev = 'rt:' + r.name;
      (r.middlewares || []).forEach((mw) => {
        edges.push({ from: prev, to: 'mw:' + mw, tags: [r.name], broken });
        prev = 'mw:' + mw;
      });
      if (r.service) edges.push({ from: prev, to: 'svc:' + r.service, tags: [r.name], broken });
      const source = ((stats.sources || {}).routers || {})[r.name];
      return {
        id: 'rt:' + r.name,
        attrs: { 'data-kind': 'router', 'data-name': r.name, 'data-status': r.status || 'enabled' },
        tags: new Set([r.name]),
        internal: isInternal(r.name),
        html: '<div class="title">' + esc(r.name) + '</div>'
          + '<div class="rule"><code>' + esc(r.rule || '(no rule)') + '</code></div>'
          + '<div class="sub">priority ' + esc(r.priority) + ' · service ' + esc(r.service || '(none)')
          + (source ? ' · <span title="' + esc(source) + '">from ' + esc(source.replace(/^.*[\\/]/, '')) + '</span>' : '')
          + '</div>'
          + errorsList(r.error)
          + (broken ? '' : statsLine('rt:' + r.name, c)),
      };
    }));

    // Middlewares
    const mwKinds = ['addPrefix', 'stripPrefix', 'stripPrefixRegex', 'replacePath', 'replacePathRegex', 'chain', 'headers',
      'basicAuth', 'digestAuth', 'forwardAuth', 'ipAllowList', 'rateLimit', 'inFlightReq', 'circuitBreaker', 'buffering',
      'redirectScheme', 'redirectRegex', 'errors', 'contentType', 'compress', 'retry', 'cache'];
    reconcile('middleware', m.mwOrder.map((name) => {
      const mw = m.middlewares[name];
      const tags = routerNamesUsing((r) => (r.middlewares || []).includes(name));
      if (!mw) {
        return {
          id: 'mw:' + name,
          attrs: { 'data-kind': 'middleware', 'data-name': name, 'data-status': 'disabled' },
          tags,
          html: '<div class="title">' + esc(name) + '</div>' + errorsList(['this middleware does not exist']),
        };
      }
      const kind = kindOf(mw, mwKinds);
      return {
        id: 'mw:' + name,
        attrs: { 'data-kind': 'middleware', 'data-name': name, 'data-status': mw.status || 'enabled' },
        tags,
        internal: isInternal(name),
        html: '<div class="title">' + esc(name) + '</div>'
          + '<div class="sub"><span class="badge">' + esc(kind) + '</span> ' + esc(summarise(mw[kind])) + '</div>'
          + (mw.usedBy ? '' : '<div class="sub">no router uses it</div>')
          + errorsList(mw.error),
      };
    }));

    // Services
    const svcKinds = ['loadBalancer', 'weighted', 'mirroring', 'failover'];
    reconcile('service', m.svcOrder.map((name) => {
      const svc = m.services[name];
      const tags = routerNamesUsing((r) => r.service === name);
      const c = (stats.services || {})[name] || {};
      if (!svc) {
        return {
          id: 'svc:' + name,
          attrs: { 'data-kind': 'service', 'data-name': name, 'data-status': 'disabled' },
          tags,
          html: '<div class="title">' + esc(name) + '</div>' + errorsList(['this service does not exist']),
        };
      }
      const kind = kindOf(svc, svcKinds);
      let detail = isInternal(name) ? 'built into the proxy' : kind;
      if (svc.loadBalancer) {
        const list = svc.loadBalancer.servers || [];
        const up = list.filter((s) => (svc.serverStatus || {})[s.url] === 'UP').length;
        detail = 'load balancer · ' + list.length + ' server' + (list.length === 1 ? '' : 's') + ', ' + up + ' up';
        list.forEach((s) => edges.push({
          from: 'svc:' + name, to: 'srv:' + name + '|' + s.url, tags: [...tags],
          down: (svc.serverStatus || {})[s.url] === 'DOWN',
        }));
      } else if (svc.weighted) {
        detail = 'weighted: ' + (svc.weighted.services || []).map((s) => s.name + ' ×' + (s.weight == null ? 1 : s.weight)).join(', ');
      } else if (svc.mirroring) {
        detail = 'mirroring: ' + svc.mirroring.service + ', copies to ' + (svc.mirroring.mirrors || []).map((x) => x.name + ' ' + x.percent + '%').join(', ');
      } else if (svc.failover) {
        detail = 'failover: ' + svc.failover.service + ', else ' + svc.failover.fallback;
      }
      const retries = c.retries ? '<span title="requests sent again to another server">' + esc(c.retries) + ' retries</span>' : '';
      return {
        id: 'svc:' + name,
        attrs: { 'data-kind': 'service', 'data-name': name, 'data-status': svc.status || 'enabled' },
        tags,
        internal: isInternal(name),
        html: '<div class="title">' + esc(name) + '</div>'
          + '<div class="sub">' + esc(detail) + '</div>'
          + (svc.usedBy ? '' : '<div class="sub">no router uses this service</div>')
          + errorsList(svc.error)
          + statsLine('svc:' + name, c, retries),
      };
    }));

    // Servers
    reconcile('server', m.servers.map((s) => {
      const key = 'srv:' + s.service + '|' + s.url;
      const c = (((stats.services || {})[s.service] || {}).servers || {})[s.url] || {};
      const tags = routerNamesUsing((r) => r.service === s.service);
      const health = s.status === 'UP' ? 'up' : (s.status === 'DOWN' ? 'down' : '');
      return {
        id: key,
        attrs: { 'data-kind': 'server', 'data-name': s.url, 'data-service': s.service, 'data-status': s.status || 'unknown' },
        tags,
        html: '<div class="title"><span class="dot ' + health + '"></span>' + esc(s.url)
          + ' <span class="health ' + health + '">' + esc(s.status || 'not started') + '</span></div>'
          + '<div class="sub">in ' + esc(s.service) + (s.weight != null && s.weight !== 1 ? ' · weight ' + esc(s.weight) : '') + '</div>'
          + statsLine(key, c, '<span title="requests being answered now">' + esc(c.inFlight || 0) + ' in flight</span>'),
      };
    }));

    renderSummary(m);
    drawWires();
  }

  function renderSummary(m) {
    const disabled = m.routers.filter((r) => r.status === 'disabled').length;
    const down = m.servers.filter((s) => s.status === 'DOWN').length;
    document.getElementById('summary').textContent = m.routers.length + ' routers'
      + (disabled ? ' (' + disabled + ' disabled)' : '') + ' · ' + m.svcOrder.length + ' services · '
      + m.servers.length + ' servers' + (down ? ' (' + down + ' down)' : '');
  }

  function renderReload(stats) {
    const box = document.getElementById('reload');
    const text = document.getElementById('reload-text');
    const list = document.getElementById('reload-problems');
    const last = (stats.reloads || [])[0];
    if (!last) {
      box.dataset.success = '';
      text.textContent = 'not yet';
      list.innerHTML = '';
      return;
    }
    const at = new Date(last.time);
    const ago = Math.max(0, Math.round((Date.now() - at.getTime()) / 1000));
    box.dataset.success = String(last.success);
    text.textContent = at.toLocaleTimeString() + ' (' + ago + ' s ago) from ' + (last.providers || []).join(', ') + ': '
      + (last.success ? (last.problems.length ? 'applied, with ' + last.problems.length + ' problem(s)' : 'applied, no problems')
        : 'FAILED, the previous configuration keeps serving');
    const html = (last.problems || []).map((p) => '<li>' + esc(p) + '</li>').join('');
    if (list.dataset.html !== html) {
      list.innerHTML = html;
      list.dataset.html = html;
    }
  }

  function drawWires() {
    const base = pipeline.getBoundingClientRect();
    wires.setAttribute('width', base.width);
    wires.setAttribute('height', base.height);
    const cards = new Map();
    pipeline.querySelectorAll('.card').forEach((el) => cards.set(el.dataset.id, el));
    const parts = [];
    edges.forEach((e) => {
      const a = cards.get(e.from);
      const b = cards.get(e.to);
      if (!a || !b) return;
      const ra = a.getBoundingClientRect();
      const rb = b.getBoundingClientRect();
      const x1 = ra.right - base.left;
      const y1 = ra.top + ra.height / 2 - base.top;
      const x2 = rb.left - base.left;
      const y2 = rb.top + rb.height / 2 - base.top;
      const dx = Math.max(20, (x2 - x1) / 2);
      const lit = highlighted && e.tags.some((t) => highlighted.has(t));
      const cls = [e.broken ? 'broken' : '', e.down ? 'down' : '', lit ? 'lit' : ''].join(' ').trim();
      parts.push('<path class="' + cls + '" d="M' + x1.toFixed(1) + ' ' + y1.toFixed(1) + ' C' + (x1 + dx).toFixed(1) + ' '
        + y1.toFixed(1) + ' ' + (x2 - dx).toFixed(1) + ' ' + y2.toFixed(1) + ' ' + x2.toFixed(1) + ' ' + y2.toFixed(1) + '"/>');
    });
    wires.innerHTML = parts.join('');
    pipeline.querySelectorAll('.card').forEach((el) => {
      el.classList.toggle('lit', !!(highlighted && el._tags && [...el._tags].some((t) => highlighted.has(t))));
    });
  }

  function setConnection(ok, error) {
    connection.className = 'connection ' + (ok ? 'live' : 'lost');
    connection.dataset.state = ok ? 'live' : 'lost';
    connection.textContent = ok ? 'live · updated ' + new Date().toLocaleTimeString()
      : 'cannot reach the proxy (' + (error && error.message ? error.message : error) + '), retrying…';
  }

  // ---------- polling

  async function loadVersion() {
    try {
      const v = await getJson('version');
      document.getElementById('version').textContent = 'version ' + v.Version;
      const profile = document.getElementById('profile');
      const improvements = v.improvements || [];
      profile.dataset.profile = v.profile || 'traefik';
      profile.textContent = 'profile ' + (v.profile || 'traefik')
        + (improvements.length ? ' · improvements on: ' + improvements.join(', ') : ' · behaves as Traefik v3.2');
      profile.title = improvements.length
        ? 'Switchboard behaves differently from Traefik v3.2 where these options say (docs: reference/profile)'
        : 'every Switchboard improvement is off: what you see is what traefik:v3.2 does';
    } catch (e) {
      // shown again at the next page load
    }
  }

  async function poll() {
    try {
      const [raw, entryPoints, stats] = await Promise.all([
        getJson('rawdata'), getJson('entrypoints?per_page=1000'), getJson('switchboard/stats')]);
      updateRates(stats);
      lastData = { raw, entryPoints, stats };
      render(buildModel(raw, entryPoints, stats));
      renderReload(stats);
      setConnection(true);
    } catch (e) {
      setConnection(false, e);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  // The legend stays as the student left it (open the first time).
  const legend = document.getElementById('legend');
  try {
    if (window.localStorage.getItem('switchboard.legend') === 'closed') legend.open = false;
    legend.addEventListener('toggle', () => window.localStorage.setItem('switchboard.legend', legend.open ? 'open' : 'closed'));
  } catch (e) {
    // storage may be off; the legend then starts open
  }

  showInternal.addEventListener('change', () => {
    if (lastData) render(buildModel(lastData.raw, lastData.entryPoints, lastData.stats));
  });
  window.addEventListener('resize', drawWires);
  document.getElementById('legend').addEventListener('toggle', drawWires);
  loadVersion();
  poll();
})();
