// End-to-end test of the web UI in headless Chromium (Debian `chromium`, driven by
// playwright-core from web/package-lock.json), on real data: 112 real Ethereum txs of March 2017
// around QuadrigaCX 1 (tests/data/quadrigacx, Apache-2.0) and its real Etherscan labels (MIT,
// Apache-2.0). Starts `fundtrace serve` with an API key, then works as an investigator would:
// searches QuadrigaCX 1 and sees its labels, risk and an honest balance (its history before the
// data window is missing), expands the graph through a real receiver to the collector wallet it
// paid, labels that collector as an exchange (a user label), traces QuadrigaCX's payments and
// checks the endpoint and still-held tables name the real receivers with their real amounts,
// exports CSV and SVG, deletes the label, and saves screenshots. A last short step checks a
// sanctioned address (the Ronin exploiter of the constructed tests/data/risk fixture).
//
// Run by CTest (tests/CMakeLists.txt) as `node e2e.spec.js` with FUNDTRACE_BINARY, TEST_DATA,
// OUT_DIR and NODE_PATH set. Exits 77 (skipped) only when Chromium is not installed.
'use strict';

const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BIN = process.env.FUNDTRACE_BINARY;
const TEST_DATA = process.env.TEST_DATA;
const OUT_DIR = process.env.OUT_DIR || os.tmpdir();

// Real addresses of tests/data/quadrigacx (see tests/data/README.md).
const QUADRIGA = '0x027beefcbad782faf69fad12dee97ed894c68549';  // QuadrigaCX 1: sent 11.37912766 ETH
const HOP1 = '0xd279187f6a7d98653831467915ca70e49116e82b';      // got 2.1065 ETH from it, paid it on
const COLLECTOR = '0xcf2cacdc6a83bcd2efc5e34492fd2d921faad291'; // got 2.095508 ETH from HOP1
const BIG = '0xbfc6715c8b58c26404d1a5f06fd464f8ad998823';       // got 0.5 + 5 ETH from QuadrigaCX 1
const RONIN = '0x098b716b8aaf21512996dc57eb0615e2383e2f96';

if (!fs.existsSync(CHROMIUM)) {
  console.log('SKIP: ' + CHROMIUM + ' is not installed (make deps installs chromium)');
  process.exit(77);
}
const { chromium } = require('playwright-core');

function check(cond, what) {
  if (!cond) throw new Error('FAILED: ' + what);
  console.log('ok - ' + what);
}

function ft(data, ...args) {
  return execFileSync(BIN, ['--no-progress', '--data', data, ...args], { encoding: 'utf8' });
}

function startServer(data) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['--data', data, 'serve', '--listen', '127.0.0.1:0', '--threads', '16'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/127\.0\.0\.1:(\d+)/);
      if (m) resolve({ proc: p, port: Number(m[1]) });
    });
    p.on('exit', (code) => reject(new Error('server exited with ' + code + ': ' + out)));
  });
}

// Clicks the graph node `id` (lower-case address) of window[graphName].
async function clickNode(page, graphName, id) {
  const pos = await page.evaluate(([g, want]) => {
    const cy = window[g].cy;
    const n = cy.nodes().filter((x) => x.id().toLowerCase() === want)[0];
    if (!n) return null;
    const p = n.renderedPosition();
    const r = cy.container().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, [graphName, id]);
  if (!pos) throw new Error('FAILED: no node ' + id + ' in the graph');
  await page.mouse.click(pos.x, pos.y);
}

// The addresses (lower case) linked from the rows of a table container.
async function linkedAddresses(page, selector) {
  return page.$$eval(selector + ' a[title]', (as) => as.map((a) => a.title.toLowerCase()));
}

async function main() {
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundtrace-e2e-'));
  const data = path.join(dir, 'data');
  const q = (rel) => path.join(TEST_DATA, 'quadrigacx', rel);
  ft(data, 'ingest', 'etl', q('transactions_3300k.csv'));
  ft(data, 'labels', 'import', 'etherscan', q('labels/etherscan'));
  ft(data, 'labels', 'import', 'etherscan', q('labels/etherscan-tags-2019'));
  ft(data, 'labels', 'import', 'ofac', path.join(TEST_DATA, 'labels/ofac'), '--as-of', '2024-09-27');
  ft(data, 'ingest', 'etherscan', path.join(TEST_DATA, 'risk/ronin_payout.csv'));
  const key = ft(data, 'apikey', 'create', 'e2e', '--rate', '1000/s').trim();
  const server = await startServer(data);
  const base = 'http://127.0.0.1:' + server.port;
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    // 1. Search QuadrigaCX 1: the server asks for a key, we give it in the dialog.
    await page.goto(base + '/');
    await page.fill('#search-input', QUADRIGA);
    await page.click('#search-form button');
    await page.waitForSelector('#key-dialog[open]', { timeout: 10000 });
    await page.fill('#key-input', key);
    await page.click('#key-save');
    await page.waitForSelector('#risk-badge', { timeout: 30000 });
    const subject = (await page.textContent('#subject-address')).toLowerCase();
    check(subject === QUADRIGA, 'address page of the searched address');
    const chips = await page.textContent('#label-chips');
    check(/QuadrigaCX — QuadrigaCX 1/.test(chips) && /suspicious/.test(chips) && /exchange/.test(chips) &&
      /etherscan/.test(chips), 'its real Etherscan labels with their sources: ' + chips.replace(/\s+/g, ' ').slice(0, 160));
    const badge = (await page.textContent('#risk-badge')).replace(/\s+/g, ' ').trim();
    check(/^45\s*Moderate$/.test(badge), 'risk level shown: ' + badge);
    const reasons = await page.textContent('#risk-reasons');
    check(/Suspected Malicious Address/.test(reasons), 'risk reasons listed: ' + reasons.trim());
    // It sent 11.38 ETH and received nothing in the data: no balance, and the reason.
    const balance = (await page.textContent('#overview-balance')).trim();
    const note = await page.textContent('#balance-note');
    check(balance === '—' && /history before block 3,300,\d{3} is not ingested/.test(note) &&
      /net flow in the data window \u221211\.379127 ETH/.test(note), 'window balance shown as such: ' + balance + ' / ' + note);
    check(!(await page.content()).includes('"success"'), 'no raw JSON on the page');

    // 2. The graph starts with QuadrigaCX 1 and the six addresses it paid; clicking one of them
    // (HOP1) adds the collector it paid; clicking the collector adds its depositors.
    await page.waitForFunction(() => window.fundtraceGraph && window.fundtraceGraph.nodeCount() >= 7, null, { timeout: 15000 });
    const first = await page.evaluate(() => window.fundtraceGraph.cy.nodes().map((n) => n.id().toLowerCase()));
    check(first.length === 7 && first.includes(HOP1) && first.includes(BIG), 'graph of its real receivers: ' + first.length + ' nodes');
    let captions = await page.evaluate(() => window.fundtraceGraph.cy.edges().map((e) => e.data('caption')));
    check(captions.includes('5.5 ETH') && captions.includes('2.1065 ETH'), 'edges show real amounts: ' + captions.join(', '));
    await clickNode(page, 'fundtraceGraph', HOP1);
    await page.waitForFunction((id) => window.fundtraceGraph.cy.nodes().some((n) => n.id().toLowerCase() === id), COLLECTOR, { timeout: 15000 });
    captions = await page.evaluate(() => window.fundtraceGraph.cy.edges().map((e) => e.data('caption')));
    check(captions.includes('2.095508 ETH'), 'expanding a real receiver adds the collector it paid (2.095508 ETH)');
    const before = await page.evaluate(() => window.fundtraceGraph.nodeCount());
    await clickNode(page, 'fundtraceGraph', COLLECTOR);
    await page.waitForFunction((n) => window.fundtraceGraph.nodeCount() > n + 10, before, { timeout: 15000 });
    const after = await page.evaluate(() => window.fundtraceGraph.nodeCount());
    check(after > before + 10, 'expanding the collector adds its depositors (' + before + ' -> ' + after + ' nodes)');
    const overlaps = await page.evaluate(() => window.fundtraceGraph.overlaps());
    check(overlaps === 0, 'no two nodes (with their captions) overlap after the expansions');
    await page.screenshot({ path: path.join(OUT_DIR, 'e2e-address.png') });

    // 3. The analyst marks the collector as an exchange (a user label through the API), then
    // traces QuadrigaCX 1 from its page.
    const res = await fetch(base + '/api/v1/labels', { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': key },
      body: JSON.stringify({ address: COLLECTOR, label: 'Deposit collector (case 7)', entity: 'Exchange X (case 7)', category: 'exchange' }) });
    const made = await res.json();
    check(made.success, 'user label stored through the API');
    await new Promise((r) => setTimeout(r, 1200));  // the server re-reads labels within a second
    await page.click('button:has-text("Trace from here")');
    await page.waitForSelector('#trace-form');
    const seedText = (await page.inputValue('#trace-seeds')).trim().toLowerCase();
    check(seedText === QUADRIGA, 'trace form starts from the address: ' + seedText);
    await page.selectOption('#trace-policy', 'fifo');
    await page.fill('#trace-hops', '4');
    await page.click('#trace-run');
    await page.waitForSelector('#endpoint-table table', { timeout: 60000 });
    const endpoints = (await page.textContent('#endpoint-table')).replace(/\s+/g, ' ');
    const endpointLinks = await linkedAddresses(page, '#endpoint-table');
    check(endpointLinks.length === 1 && endpointLinks[0] === HOP1 && /Exchange X \(case 7\)/.test(endpoints) && /2\.1065 ETH/.test(endpoints),
      'endpoint table: the real receiver that paid the collector, as its deposit address, 2.1065 ETH: ' + endpoints.slice(0, 160));
    const held = (await page.textContent('#held-table')).replace(/\s+/g, ' ');
    const heldLinks = await linkedAddresses(page, '#held-table');
    check(heldLinks[0] === BIG && /5\.5 ETH/.test(held) && heldLinks.length === 6,
      'still-held table: the other real receivers, largest first (5.5 ETH): ' + held.slice(0, 160));
    await page.waitForFunction(() => window.fundtraceTraceGraph && window.fundtraceTraceGraph.edgeCount() >= 7, null, { timeout: 15000 });
    check(true, 'trace flow graph drawn');

    // 4. Exports.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    check(csv.toLowerCase().includes(HOP1) && csv.includes('2.1065'), 'CSV export holds the endpoint');
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    check(fs.readFileSync(await svgDownload.path(), 'utf8').includes('<svg'), 'SVG export is an SVG');
    const shot = path.join(OUT_DIR, 'e2e-trace.png');
    await page.screenshot({ path: shot, fullPage: true });
    check(fs.statSync(shot).size > 10000, 'screenshot saved to ' + shot);

    // 5. The case is closed: the user label goes (LabelStore::DeleteTag behind the API).
    const del = await (await fetch(base + '/api/v1/labels/' + made.data.id,
      { method: 'DELETE', headers: { 'X-Api-Key': key } })).json();
    const left = await (await fetch(base + '/api/v1/labels?address=' + COLLECTOR, { headers: { 'X-Api-Key': key } })).json();
    check(del.success && left.data.labels.length === 0, 'user label deleted');

    // 6. A sanctioned address (the Ronin exploiter's constructed payout): Severe, with its source.
    await page.fill('#search-input', RONIN);
    await page.click('#search-form button');
    await page.waitForFunction((a) => {
      const s = document.getElementById('subject-address');
      return s && s.textContent.toLowerCase() === a && document.getElementById('risk-badge');
    }, RONIN, { timeout: 15000 });
    const roninBadge = await page.textContent('#risk-badge');
    const roninChips = await page.textContent('#label-chips');
    check(/Severe/.test(roninBadge) && /ofac/i.test(roninChips), 'sanctioned address: ' + roninBadge.replace(/\s+/g, ' ').trim());

    check(errors.length === 0, 'no JavaScript errors on the page ' + errors.join('; '));
    console.log('# ' + ((Date.now() - started) / 1000).toFixed(1) + ' s');
  } finally {
    if (browser) await browser.close();
    server.proc.removeAllListeners('exit');
    server.proc.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => { console.log('PASS'); process.exit(0); },
  (err) => { console.error(err.stack || String(err)); process.exit(1); });
