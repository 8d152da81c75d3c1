/**
 * The `/dashboard` page: HTML, its stylesheet and its script, served by Rentlog itself with uPlot
 * (from its npm package) for the charts, nothing from elsewhere. The script signs in against
 * `/v1/auth/login`, keeps the tokens in sessionStorage (refreshing once when the access token ends),
 * reads `GET /v1/dashboard` every 30 s and writes every figure with `textContent` (never markup), so
 * the page runs under a CSP without inline scripts or styles. Every figure also carries its raw value
 * in `data-value`, which the browser test compares with the API's.
 */

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rentlog dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/assets/uplot.css">
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<script src="/dashboard/assets/uplot.js" defer></script>
<script src="/dashboard/assets/dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>Rentlog</h1>
  <span id="status" role="status"></span>
  <button id="sign-out" type="button" hidden>Sign out</button>
</header>
<main>
  <section id="sign-in-panel" hidden>
    <h2>Sign in</h2>
    <p>For staff, analysts and admins.</p>
    <form id="sign-in">
      <label>Email <input name="email" type="email" autocomplete="username" required></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <label>One-time code <input name="otp" inputmode="numeric" autocomplete="one-time-code" placeholder="if MFA is on"></label>
      <button type="submit">Sign in</button>
      <p id="sign-in-error" class="error" role="alert"></p>
    </form>
  </section>
  <section id="board" hidden>
    <div class="figures">
      <div class="figure"><span class="label">Revenue today</span><span class="value" id="revenueToday"></span></div>
      <div class="figure"><span class="label">Revenue this month</span><span class="value" id="revenueMonth"></span></div>
      <div class="figure"><span class="label">Rentals out</span><span class="value" id="activeRentals"></span></div>
      <div class="figure"><span class="label">Overdue</span><span class="value" id="overdueRentals"></span></div>
      <div class="figure"><span class="label">Pickups today</span><span class="value" id="pickupsToday"></span></div>
      <div class="figure"><span class="label">Returns today</span><span class="value" id="returnsToday"></span></div>
      <div class="figure"><span class="label">Holds active</span><span class="value" id="holdsActive"></span></div>
      <div class="figure"><span class="label">Projection lag (events)</span><span class="value" id="projectionLag"></span></div>
      <div class="figure"><span class="label">Parked events</span><span class="value" id="parkedEvents"></span></div>
      <div class="figure"><span class="label">Failed jobs</span><span class="value" id="jobsFailed"></span></div>
    </div>
    <div class="charts">
      <figure><figcaption>Revenue, last 30 days</figcaption><div id="revenue-chart"></div></figure>
      <figure><figcaption>Utilization, last 30 days</figcaption><div id="utilization-chart"></div></figure>
    </div>
    <div class="tables">
      <section><h2>Top products (30 days)</h2>
        <table id="top-products"><thead><tr><th>Product</th><th>Rentals</th><th>Revenue</th><th>Utilization</th></tr></thead><tbody></tbody></table>
      </section>
      <section><h2>Overdue rentals</h2>
        <table id="overdue"><thead><tr><th>Order</th><th>Due</th><th>Days late</th></tr></thead><tbody></tbody></table>
      </section>
      <section><h2>Read models</h2>
        <table id="projections"><thead><tr><th>Name</th><th>Status</th><th>Lag</th><th>Parked</th></tr></thead><tbody></tbody></table>
      </section>
    </div>
    <p class="note" id="as-of"></p>
  </section>
</main>
</body>
</html>
`;

export const DASHBOARD_CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d2433; background: #f4f6fa; }
header { display: flex; align-items: center; gap: 1rem; padding: 0.75rem 1.5rem; background: #1d2433; color: #fff; }
header h1 { font-size: 1.2rem; margin: 0; flex: 1; }
main { padding: 1.5rem; max-width: 1200px; margin: 0 auto; }
form { display: grid; gap: 0.75rem; max-width: 22rem; }
label { display: grid; gap: 0.25rem; font-size: 0.9rem; }
input, button { font: inherit; padding: 0.45rem 0.6rem; }
button { cursor: pointer; }
.error { color: #b3261e; min-height: 1.2em; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.75rem; }
.figure { background: #fff; border-radius: 8px; padding: 0.8rem 1rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); display: grid; gap: 0.2rem; }
.figure .label { font-size: 0.8rem; color: #5b6477; }
.figure .value { font-size: 1.5rem; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(30rem, 1fr)); gap: 1rem; margin: 1rem 0; }
figure { margin: 0; background: #fff; border-radius: 8px; padding: 0.75rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
figcaption { font-weight: 600; margin-bottom: 0.5rem; }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem; }
.tables section { background: #fff; border-radius: 8px; padding: 0.75rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.tables h2 { font-size: 1rem; margin: 0 0 0.5rem; }
table { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.3rem 0.4rem; border-bottom: 1px solid #e4e7ee; }
.note { color: #5b6477; font-size: 0.8rem; }
`;

/** The page's script (plain ES2020 for any current browser; it reads the DOM the HTML above has). */
export const DASHBOARD_JS = `'use strict';
(function () {
  var REFRESH_MS = 30000;
  var store = window.sessionStorage;
  var timer = null;
  var charts = {};
  var $ = function (id) { return document.getElementById(id); };

  function show(signedIn) {
    $('sign-in-panel').hidden = signedIn;
    $('board').hidden = !signedIn;
    $('sign-out').hidden = !signedIn;
  }
  function status(text) { $('status').textContent = text; }

  async function api(path, options) {
    var headers = Object.assign({ accept: 'application/json' }, (options && options.headers) || {});
    var token = store.getItem('rentlog.accessToken');
    if (token) headers.authorization = 'Bearer ' + token;
    var res = await fetch(path, Object.assign({}, options, { headers: headers }));
    if (res.status === 401 && token && (await refresh())) return api(path, options);
    return res;
  }
  async function refresh() {
    var refreshToken = store.getItem('rentlog.refreshToken');
    if (!refreshToken) return false;
    store.removeItem('rentlog.accessToken');
    var res = await fetch('/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: refreshToken }) });
    if (!res.ok) { store.removeItem('rentlog.refreshToken'); return false; }
    keep(await res.json());
    return true;
  }
  function keep(tokens) {
    store.setItem('rentlog.accessToken', tokens.accessToken);
    store.setItem('rentlog.refreshToken', tokens.refreshToken);
  }

  function money(m) {
    try { return new Intl.NumberFormat(undefined, { style: 'currency', currency: m.currency }).format(m.amount / 100); }
    catch (e) { return (m.amount / 100).toFixed(2) + ' ' + m.currency; }
  }
  function percent(share) { return (share * 100).toFixed(1) + ' %'; }
  function figure(id, value, text) {
    var el = $(id);
    el.dataset.value = value === null ? '' : String(value);
    el.textContent = text === undefined ? String(value) : text;
  }
  function rows(tableId, items, cells) {
    var body = $(tableId).tBodies[0];
    body.replaceChildren();
    items.forEach(function (item) {
      var tr = document.createElement('tr');
      cells(item).forEach(function (c) {
        var td = document.createElement('td');
        td.textContent = String(c.text);
        if (c.value !== undefined) td.dataset.value = String(c.value);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function chart(id, label, days, values, format) {
    var el = $(id);
    var x = days.map(function (d) { return Date.parse(d.date + 'T12:00:00Z') / 1000; });
    var data = [x, values];
    if (charts[id]) { charts[id].setData(data); return; }
    charts[id] = new uPlot({
      width: Math.max(300, el.clientWidth || 520),
      height: 220,
      series: [{}, { label: label, stroke: '#3867d6', fill: 'rgba(56,103,214,0.15)', width: 2, value: function (u, v) { return v === null ? '' : format(v); } }],
      axes: [{}, { values: function (u, vals) { return vals.map(format); }, size: 70 }],
    }, data, el);
  }

  function render(d) {
    figure('revenueToday', d.revenueToday.amount, money(d.revenueToday));
    figure('revenueMonth', d.revenueMonth.amount, money(d.revenueMonth));
    ['activeRentals', 'overdueRentals', 'pickupsToday', 'returnsToday', 'holdsActive', 'projectionLag', 'parkedEvents'].forEach(function (k) { figure(k, d[k]); });
    figure('jobsFailed', d.jobs.failed, d.jobs.failed === null ? 'not tracked yet' : String(d.jobs.failed));
    chart('revenue-chart', 'Revenue', d.last30Days, d.last30Days.map(function (x) { return x.revenue.amount / 100; }), function (v) { return v.toFixed(0); });
    chart('utilization-chart', 'Utilization', d.last30Days, d.last30Days.map(function (x) { return x.utilization * 100; }), function (v) { return v.toFixed(0) + ' %'; });
    rows('top-products', d.topProducts, function (p) { return [{ text: p.name }, { text: p.rentals, value: p.rentals }, { text: money(p.revenue), value: p.revenue.amount }, { text: percent(p.utilization), value: p.utilization }]; });
    rows('overdue', d.overdue, function (o) { return [{ text: o.orderId.slice(0, 8) }, { text: o.rentalEnd }, { text: o.daysOverdue, value: o.daysOverdue }]; });
    rows('projections', d.projections, function (p) { return [{ text: p.name }, { text: p.status }, { text: p.lag.events, value: p.lag.events }, { text: p.parked, value: p.parked }]; });
    $('as-of').textContent = 'As of ' + new Date(d.asOf).toLocaleString() + ' (shop time zone ' + d.timeZone + ', today ' + d.today + '). Refreshes every 30 s.';
    $('board').dataset.asOf = d.asOf;
  }

  async function load() {
    var res = await api('/v1/dashboard');
    if (res.status === 401) { signOut('Please sign in.'); return; }
    if (res.status === 403) { signOut('This account may not see the dashboard (staff, analysts and admins only).'); return; }
    if (!res.ok) { status('Could not load the figures (' + res.status + '); retrying.'); return; }
    show(true);
    render(await res.json());
    status('Updated ' + new Date().toLocaleTimeString());
  }

  function start() {
    show(true);
    load().catch(function () { status('Could not reach Rentlog; retrying.'); });
    if (timer) clearInterval(timer);
    timer = setInterval(function () { load().catch(function () { status('Could not reach Rentlog; retrying.'); }); }, REFRESH_MS);
  }
  function signOut(message) {
    if (timer) clearInterval(timer);
    timer = null;
    store.removeItem('rentlog.accessToken');
    store.removeItem('rentlog.refreshToken');
    show(false);
    $('sign-in-error').textContent = message || '';
    status('');
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('sign-in').addEventListener('submit', async function (event) {
      event.preventDefault();
      var form = new FormData(event.target);
      var body = { email: form.get('email'), password: form.get('password') };
      if (form.get('otp')) body.otp = form.get('otp');
      $('sign-in-error').textContent = '';
      var res = await fetch('/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) {
        var problem = await res.json().catch(function () { return {}; });
        $('sign-in-error').textContent = problem.detail || problem.title || 'Sign-in failed';
        return;
      }
      keep(await res.json());
      start();
    });
    $('sign-out').addEventListener('click', function () {
      var refreshToken = store.getItem('rentlog.refreshToken');
      if (refreshToken) api('/v1/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: refreshToken }) }).catch(function () {});
      signOut('Signed out.');
    });
    if (store.getItem('rentlog.accessToken')) start(); else show(false);
  });
})();
`;
