// The fundtrace investigation UI: search, address pages, the flow graph, traces and exports.
// Plain JS over the native API (/api/v1, docs/api.md). Every value from the server is put on the
// page as text (never as HTML): labels come from outside sources.
'use strict';

const view = document.getElementById('view');
const KEY_STORAGE = 'fundtrace.apiKey';

// ---- helpers -------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function toast(text) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 3500);
}

function fmtTime(unix) {
  if (!unix) return '—';
  return new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

function fmtNum(text) {
  if (text === null || text === undefined) return '—';
  const s = String(text);
  const [i, f] = s.split('.');
  const grouped = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return f ? grouped + '.' + (f.length > 6 ? f.slice(0, 6) : f) : grouped;
}

// A signed decimal with a real minus sign: "-2.5" -> "−2.5".
function fmtSigned(text) {
  const s = String(text);
  return s.startsWith('-') ? '\u2212' + fmtNum(s.slice(1)) : fmtNum(s);
}

function categoryChip(cat) {
  if (!cat) return null;
  return h('span', { class: 'chip cat', style: 'background:' + window.categoryColor(cat) }, cat);
}

function addressLink(addr, chain, text) {
  return h('a', { href: '#/address/' + chain + '/' + addr, class: 'mono', title: addr }, text || addr);
}

function panel(title, ...body) {
  return h('section', { class: 'panel' }, title ? h('h2', {}, title) : null, ...body);
}

function table(headers, rows, numeric = []) {
  if (!rows.length) return h('div', { class: 'empty' }, 'None.');
  return h('table', {},
    h('thead', {}, h('tr', {}, headers.map((x, i) => h('th', { class: numeric.includes(i) ? 'num' : '' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { class: numeric.includes(i) ? 'num' : '' }, c))))));
}

function loading(text) { view.replaceChildren(panel(null, h('div', { class: 'empty' }, text))); }
function showError(err) {
  view.replaceChildren(panel(null, h('div', { class: 'error' }, err.message || String(err))));
}

// ---- API -----------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(msg, detail, status) { super(detail || msg); this.msg = msg; this.status = status; }
}

function apiKey() { return localStorage.getItem(KEY_STORAGE) || ''; }

function askKey() {
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  input.value = apiKey();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue === 'save' && input.value.trim()) {
        localStorage.setItem(KEY_STORAGE, input.value.trim());
        resolve(true);
      } else {
        resolve(false);
      }
    }, { once: true });
    dialog.showModal();
  });
}

async function api(path, { method = 'GET', body, raw = false } = {}, retried = false) {
  const headers = {};
  if (apiKey()) headers['X-Api-Key'] = apiKey();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (raw && res.ok) return res;
  let j;
  try { j = await res.json(); } catch (e) { throw new ApiError('HttpError', 'HTTP ' + res.status, res.status); }
  if (!j.success) {
    if (j.msg === 'InvalidApiKey' && !retried && await askKey()) return api(path, { method, body, raw }, true);
    if (j.msg === 'ExceededRateLimit') throw new ApiError(j.msg, 'Rate limit reached: retry in ' + j.retry_after + ' s', res.status);
    throw new ApiError(j.msg, j.detail || j.msg, res.status);
  }
  return j.data;
}

// ---- search --------------------------------------------------------------------------------

async function search(q) {
  q = q.trim();
  if (!q) return;
  loading('Searching…');
  try {
    const r = await api('/api/v1/search?q=' + encodeURIComponent(q));
    if (r.kind === 'address') location.hash = '#/address/' + r.chain + '/' + r.address;
    else if (r.kind === 'tx') location.hash = '#/tx/' + r.chain + '/' + r.hash;
    else renderLabelResults(q, r);
  } catch (err) { showError(err); }
}

function renderLabelResults(q, r) {
  view.replaceChildren(panel('Labels matching “' + q + '” (' + r.total + ')',
    table(['Address', 'Chain', 'Label', 'Entity', 'Category', 'Source'],
      r.results.map((x) => [addressLink(x.address, x.chain, window.shortAddr(x.address)), x.chain, x.label,
        x.entity || '—', categoryChip(x.category), x.source]))));
}

// ---- address page --------------------------------------------------------------------------

async function renderAddress(chain, address) {
  loading('Loading ' + address + '…');
  let a;
  try {
    a = await api('/api/v1/address?chain=' + encodeURIComponent(chain) + '&address=' + encodeURIComponent(address));
  } catch (err) { return showError(err); }
  const risk = a.risk || {};
  const labels = a.labels || [];
  const head = panel(null,
    h('div', { class: 'subject' },
      h('div', {},
        h('div', { class: 'hint' }, 'Address · ' + a.chain.toUpperCase()),
        h('h1', { class: 'mono', id: 'subject-address' }, a.address)),
      h('div', { class: 'risk ' + (risk.risk_level || 'Low'), id: 'risk-badge' },
        h('span', { class: 'score' }, risk.score), h('span', {}, risk.risk_level)),
      h('button', { class: 'secondary', type: 'button', onclick: () => {
        sessionStorage.setItem('fundtrace.traceSeed', JSON.stringify({ chain: a.chain, seed: a.address }));
        location.hash = '#/trace';
      } }, 'Trace from here')),
    h('div', { id: 'label-chips', style: 'margin-top:10px' },
      labels.length ? labels.map((l) => h('span', { class: 'chip', title: l.source + ' · ' + l.dataset },
        (l.entity ? l.entity + ' — ' : '') + l.label, ' ', h('span', { class: 'muted' }, '(' + l.category + (l.abuse ? ', ' + l.abuse : '') + ', ' +
          l.source + (l.dataset && l.dataset !== l.source ? '/' + l.dataset : '') + ')')))
        : h('span', { class: 'muted' }, 'No labels.')));

  const reasons = panel('Risk',
    h('div', {}, (risk.detail_list && risk.detail_list.length)
      ? h('ul', { class: 'reasons', id: 'risk-reasons' }, risk.detail_list.map((d) => h('li', {}, d)))
      : h('div', { class: 'empty', id: 'risk-reasons' }, 'No risk found in the labels or the exposure search.')),
    risk.hacking_event ? h('p', {}, 'Event: ', h('strong', {}, risk.hacking_event)) : null,
    (risk.risk_detail && risk.risk_detail.length) ? table(['Entity', 'Type', 'Exposure', 'Hop', 'Percent', 'Volume'],
      risk.risk_detail.map((d) => [d.entity, d.risk_type, d.exposure_type, d.hop_num, (d.percent !== undefined ? d.percent + ' %' : '—'), fmtNum(d.volume)]), [3, 4, 5]) : null);

  const o = a.overview;
  // A negative balance means the address spent funds whose arrival is not in the data: show no
  // balance, and say what the window does show.
  const balance = o && o.history_incomplete
    ? h('span', { id: 'overview-balance', title: o.balance_note || '' }, '—')
    : h('span', { id: 'overview-balance' }, o ? fmtNum(o.balance) + ' ' + o.asset : '');
  const balanceNote = o && o.history_incomplete
    ? h('div', { class: 'note', id: 'balance-note' }, 'Balance unknown: history before block ' + fmtNum(o.data_from_block) +
        ' is not ingested; net flow in the data window ' + fmtSigned(o.net_flow) + ' ' + o.asset + '.')
    : null;
  const overview = panel('Overview', o ? h('div', {}, h('div', { class: 'stats' },
    [['Balance', balance], ['Received', fmtNum(o.total_received) + ' ' + o.asset],
     ['Spent', fmtNum(o.total_spent) + ' ' + o.asset], ['Transactions', fmtNum(o.txs_count)],
     ['First seen', fmtTime(o.first_seen)], ['Last seen', fmtTime(o.last_seen)]]
      .map(([k, v]) => h('div', { class: 'stat' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v)))), balanceNote)
    : h('div', { class: 'empty' }, 'No transfers of this address in the data of this server.'));

  const cps = (a.counterparties && a.counterparties.address_counterparty_list) || [];
  const counterparties = panel('Counterparties', table(['Counterparty', 'Category', 'Amount', 'Share'],
    cps.map((c) => [c.name === c.address ? addressLink(c.address, a.chain, window.shortAddr(c.address)) : h('span', {}, c.name, ' ', addressLink(c.address, a.chain, window.shortAddr(c.address))),
      categoryChip(c.category) || h('span', { class: 'muted' }, '—'), fmtNum(c.amount) + ' ' + (a.counterparties.asset || ''), c.percent + ' %']), [2, 3]));

  const act = a.activity && a.activity.action_dic;
  const activity = panel('Activity', act ? h('div', { class: 'grid two' },
    h('div', {}, h('div', { class: 'hint' }, 'Received txs'), table(['Action', 'Txs', 'Share'], (act.received_txs || []).map((x) => [x.action, x.count, x.proportion + ' %']), [1, 2])),
    h('div', {}, h('div', { class: 'hint' }, 'Spent txs'), table(['Action', 'Txs', 'Share'], (act.spent_txs || []).map((x) => [x.action, x.count, x.proportion + ' %']), [1, 2])))
    : h('div', { class: 'empty' }, 'No activity.'));

  const graphBox = h('div', { class: 'graph', id: 'address-graph' });
  const legend = h('div', { class: 'legend', id: 'graph-legend' });
  const graphPanel = panel('Graph', h('div', { class: 'hint' }, 'Click a node to expand its counterparties; double-click to open it.'), graphBox, legend);
  view.replaceChildren(head, h('div', { class: 'grid side' }, h('div', {}, graphPanel, counterparties), h('div', {}, reasons, overview, activity)));

  const graph = new FlowGraph(graphBox, {
    onExpand: async (id) => {
      try {
        const d = await api('/api/v1/neighbors?chain=' + a.chain + '&address=' + encodeURIComponent(id) + '&limit=15');
        setTimeout(() => renderLegend(graph, legend), 0);
        return d;
      } catch (err) { toast(err.message); return null; }
    },
    onOpen: (id) => { location.hash = '#/address/' + a.chain + '/' + id; },
  });
  window.fundtraceGraph = graph;
  if (a.in_store) await graph.expand(a.address);
  else graph.add({ nodes: [{ id: a.address, label: labels[0] ? (labels[0].entity || labels[0].label) : '', category: labels[0] ? labels[0].category : '' }] });
  renderLegend(graph, legend);
}

function renderLegend(graph, legend) {
  legend.replaceChildren(...graph.legend().map((c) => h('span', {}, h('i', { style: 'background:' + window.categoryColor(c === 'unlabelled' ? '' : c) }), c)),
    h('span', {}, graph.nodeCount() + ' nodes · ' + graph.edgeCount() + ' edges'));
}

// ---- tx page -------------------------------------------------------------------------------

async function renderTx(chain, hash) {
  loading('Loading tx ' + hash + '…');
  try {
    const t = await api('/api/v1/tx?chain=' + encodeURIComponent(chain) + '&hash=' + encodeURIComponent(hash));
    const who = (n) => n ? h('span', {}, addressLink(n.id, t.chain, window.shortAddr(n.id)), n.label ? ' ' : '', n.label ? h('span', { class: 'muted' }, n.label) : null) : h('span', { class: 'muted' }, 'coinbase / fee');
    view.replaceChildren(panel(null, h('div', { class: 'hint' }, 'Transaction · ' + t.chain.toUpperCase()), h('h1', { class: 'mono', style: 'font-size:15px;word-break:break-all' }, t.hash),
      h('div', { class: 'muted' }, 'Block ' + fmtNum(t.block) + ' · ' + fmtTime(t.time)),
      h('div', { class: 'row', style: 'margin-top:10px' }, h('button', { type: 'button', class: 'secondary', onclick: () => {
        sessionStorage.setItem('fundtrace.traceSeed', JSON.stringify({ chain: t.chain, seed: t.hash }));
        location.hash = '#/trace';
      } }, 'Trace this tx'))),
    panel('Transfers', table(['From', 'To', 'Amount'], t.transfers.map((x) => [who(x.from), who(x.to), fmtNum(x.amount) + ' ' + x.asset]), [2])));
  } catch (err) { showError(err); }
}

// ---- traces --------------------------------------------------------------------------------

const STOP_CATEGORIES = ['exchange', 'mixer', 'bridge'];

function renderTraceForm(prefill) {
  const seed = prefill || JSON.parse(sessionStorage.getItem('fundtrace.traceSeed') || 'null');
  sessionStorage.removeItem('fundtrace.traceSeed');
  const f = h('form', { class: 'trace', id: 'trace-form' },
    h('label', { for: 'trace-seeds' }, 'Seeds — addresses, tx hashes or txid:vout, one per line'),
    h('textarea', { id: 'trace-seeds', required: true }, seed ? seed.seed : ''),
    h('div', { class: 'fields' },
      h('div', {}, h('label', { for: 'trace-chain' }, 'Chain'), h('select', { id: 'trace-chain' },
        ['eth', 'btc', 'trx'].map((c) => h('option', { value: c, selected: seed && seed.chain === c }, c.toUpperCase())))),
      h('div', {}, h('label', { for: 'trace-policy' }, 'Policy'), h('select', { id: 'trace-policy' },
        ['fifo', 'haircut', 'poison', 'lifo'].map((p) => h('option', { value: p }, p)))),
      h('div', {}, h('label', { for: 'trace-direction' }, 'Direction'), h('select', { id: 'trace-direction' },
        h('option', { value: 'forward' }, 'forward — where did it go'), h('option', { value: 'backward' }, 'backward — where did it come from'))),
      h('div', {}, h('label', { for: 'trace-hops' }, 'Hops'), h('input', { id: 'trace-hops', type: 'number', min: 1, max: 100, value: 6 }))),
    h('label', {}, 'Stop at'),
    h('div', { class: 'checks' }, STOP_CATEGORIES.map((c) => h('label', {}, h('input', { type: 'checkbox', name: 'stop', value: c, checked: true }), c))),
    h('div', { class: 'row end', style: 'margin-top:12px' }, h('button', { type: 'submit', id: 'trace-run' }, 'Run trace')));
  f.addEventListener('submit', (ev) => { ev.preventDefault(); runTrace(f); });
  const results = h('div', { id: 'trace-results' });
  view.replaceChildren(panel('Trace', f), results);
}

async function runTrace(f) {
  const seeds = f.querySelector('#trace-seeds').value.split(/\s+/).filter(Boolean);
  const body = {
    seeds, chain: f.querySelector('#trace-chain').value, policy: f.querySelector('#trace-policy').value,
    direction: f.querySelector('#trace-direction').value, hops: parseInt(f.querySelector('#trace-hops').value, 10) || 6,
    stops: [...f.querySelectorAll('input[name=stop]:checked')].map((x) => x.value),
  };
  const results = document.getElementById('trace-results');
  const button = f.querySelector('#trace-run');
  button.disabled = true;
  results.replaceChildren(panel(null, h('div', { class: 'empty' }, 'Tracing…')));
  try {
    let task;
    try {
      task = await api('/api/v1/trace', { method: 'POST', body });
    } catch (err) {
      // Too big for the server's synchronous budget: run it as a task and wait for it.
      if (err.msg !== 'RequestTimeout') throw err;
      results.replaceChildren(panel(null, h('div', { class: 'empty' }, 'A large trace: running it as a task…')));
      task = await api('/api/v1/trace', { method: 'POST', body: { ...body, async: true } });
    }
    while (task.status === 'queued' || task.status === 'running') {
      await new Promise((r) => setTimeout(r, 700));
      task = await api('/api/v1/trace/' + task.id);
    }
    if (task.status === 'failed') throw new ApiError(task.error.msg, task.error.detail);
    await renderTraceResult(task, results);
  } catch (err) {
    results.replaceChildren(panel(null, h('div', { class: 'error' }, err.message)));
  } finally { button.disabled = false; }
}

async function download(id, format) {
  try {
    const res = await api('/api/v1/trace/' + id + '/export?format=' + format, { raw: true });
    const blob = await res.blob();
    const a = h('a', { href: URL.createObjectURL(blob), download: 'trace-' + id + '.' + format });
    document.body.append(a);
    a.click();
    a.remove();
  } catch (err) { toast(err.message); }
}

async function renderTraceResult(task, results) {
  const r = task.result;
  const summary = panel('Result',
    h('div', { class: 'row' },
      h('span', {}, r.direction + ' · ' + r.policy + ' · ' + r.chain.toUpperCase()),
      h('span', { class: 'chip' }, r.nodes + ' addresses'), h('span', { class: 'chip' }, r.edges + ' flows'),
      h('span', { class: 'chip' }, r.balanced ? 'balanced' : 'NOT balanced'),
      h('span', { style: 'flex:1' }),
      h('button', { class: 'secondary', type: 'button', id: 'export-json', onclick: () => download(task.id, 'json') }, 'Export JSON'),
      h('button', { class: 'secondary', type: 'button', id: 'export-csv', onclick: () => download(task.id, 'csv') }, 'Export CSV'),
      h('button', { class: 'secondary', type: 'button', id: 'export-svg', onclick: () => download(task.id, 'svg') }, 'Export SVG')),
    h('div', { style: 'margin-top:10px' }, table(['Asset', 'Traced', 'At endpoints', 'Still held', 'Dust', 'Fees', 'Cut by limits'],
      r.conservation.map((c) => [c.asset, fmtNum(c.seeded), fmtNum(c.endpoints), fmtNum(c.held), fmtNum(c.dust), fmtNum(c.fees), fmtNum(c.cut)]), [1, 2, 3, 4, 5, 6])));
  const graphBox = h('div', { class: 'graph', id: 'trace-graph' });
  const endpointNote = r.endpoints.length < (r.endpoints_count || 0)
    ? h('div', { class: 'hint' }, 'The ' + r.endpoints.length + ' largest of ' + r.endpoints_count + ' endpoints: all of them in Export CSV / JSON.')
    : null;
  const endpoints = panel('Endpoints', endpointNote, h('div', { id: 'endpoint-table' }, table(['Address', 'Entity', 'Category', 'Amount', 'Transfers', 'Last seen'],
    r.endpoints.map((e) => [addressLink(e.address, r.chain, window.shortAddr(e.address)), e.entity || e.label || '—',
      categoryChip(e.category) || '—', fmtNum(e.amount) + ' ' + e.asset, e.transfers, fmtTime(e.last_time)]), [3, 4])));
  const heldRows = r.held || [];
  const held = panel('Still held', h('div', { class: 'hint' }, heldRows.length < (r.held_count || 0)
    ? 'The ' + heldRows.length + ' largest of ' + r.held_count + ' holdings: taint that reached no endpoint yet.'
    : 'Taint that reached no endpoint yet: where it sits at the end of the trace.'),
  h('div', { id: 'held-table' }, table(['Address', 'Hop', 'Label', 'Amount'],
    heldRows.map((x) => [addressLink(x.address, r.chain, window.shortAddr(x.address)), x.hop,
      x.label || (x.role === 'seed' ? 'seed' : '—'), fmtNum(x.amount) + ' ' + x.asset]), [1, 3])));
  const legend = h('div', { class: 'legend' });
  results.replaceChildren(summary, panel('Flow graph', graphBox, legend), h('div', { class: 'grid two' }, endpoints, held));
  const g = await api('/api/v1/trace/' + task.id + '/graph');
  const graph = new FlowGraph(graphBox, {
    onExpand: async (id) => {
      try { return await api('/api/v1/neighbors?chain=' + r.chain + '&address=' + encodeURIComponent(id) + '&limit=10'); } catch (err) { toast(err.message); return null; }
    },
    onOpen: (id) => { location.hash = '#/address/' + r.chain + '/' + id; },
  });
  graph.add(g);
  window.fundtraceTraceGraph = graph;
  renderLegend(graph, legend);
  if (g.truncated) legend.append(h('span', {}, 'showing the largest ' + g.edges.length + ' of ' + g.total_edges + ' flows'));
}

async function renderTraceTask(id) {
  loading('Loading trace ' + id + '…');
  try {
    const task = await api('/api/v1/trace/' + id);
    renderTraceForm();
    if (task.status === 'done') await renderTraceResult(task, document.getElementById('trace-results'));
  } catch (err) { showError(err); }
}

// ---- home and routing ----------------------------------------------------------------------

function renderHome() {
  view.replaceChildren(panel(null, h('div', { class: 'hero' },
    h('h1', {}, 'Investigate addresses and trace funds'),
    h('p', { class: 'muted' }, 'Search an address or a transaction to see its labels, risk, counterparties and graph. Run a trace to follow stolen funds to exchanges, mixers and bridges, and export it as JSON, CSV or SVG.'),
    h('div', { class: 'row' }, h('a', { href: '#/trace' }, 'Start a trace →'), h('a', { href: '/openapi.json' }, 'API (OpenAPI)')))));
}

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'address' && parts.length >= 3) return renderAddress(parts[1], parts.slice(2).join('/'));
  if (parts[0] === 'tx' && parts.length >= 3) return renderTx(parts[1], parts[2]);
  if (parts[0] === 'trace' && parts[1]) return renderTraceTask(parts[1]);
  if (parts[0] === 'trace') return renderTraceForm();
  return renderHome();
}

document.getElementById('search-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  search(document.getElementById('search-input').value);
});
document.getElementById('key-button').addEventListener('click', () => askKey());
window.addEventListener('hashchange', route);
route();
