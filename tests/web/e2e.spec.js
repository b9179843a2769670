// End-to-end test of the web UI in headless Chromium (Debian `chromium`, driven by
// playwright-core from web/package-lock.json): builds a store from the repo's real fixtures,
// starts `fundtrace serve` with an API key, then as an investigator would: searches the Ronin
// exploiter, sees its labels and risk, expands the graph, labels a receiver, runs a trace,
// checks the endpoint table, exports CSV and saves a screenshot.
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
const RONIN = '0x098b716b8aaf21512996dc57eb0615e2383e2f96';
const RECEIVER = '0x00000000000000000000000000000000000f1000';

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

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundtrace-e2e-'));
  const data = path.join(dir, 'data');
  ft(data, 'labels', 'import', 'ofac', path.join(TEST_DATA, 'labels/ofac'), '--as-of', '2024-09-27');
  ft(data, 'labels', 'import', 'graphsense', path.join(TEST_DATA, 'labels/graphsense-tagpacks/packs'));
  ft(data, 'ingest', 'etherscan', path.join(TEST_DATA, 'risk/ronin_payout.csv'));
  ft(data, 'ingest', 'etl', path.join(TEST_DATA, 'eth/etl_transactions_3300k.csv'));
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

    // 1. Search the exploiter: the server asks for a key, we give it in the dialog.
    await page.goto(base + '/');
    await page.fill('#search-input', RONIN);
    await page.click('#search-form button');
    await page.waitForSelector('#key-dialog[open]', { timeout: 10000 });
    await page.fill('#key-input', key);
    await page.click('#key-save');
    await page.waitForSelector('#risk-badge', { timeout: 30000 });
    const subject = (await page.textContent('#subject-address')).toLowerCase();
    check(subject === RONIN, 'address page of the searched address');
    const chips = await page.textContent('#label-chips');
    check(/Ronin/i.test(chips) && /ofac/i.test(chips), 'labels shown with their sources: ' + chips.slice(0, 120));
    const badge = await page.textContent('#risk-badge');
    check(/Severe/.test(badge), 'risk level shown: ' + badge.trim());
    const reasons = await page.textContent('#risk-reasons');
    check(/Sanction/i.test(reasons), 'risk reasons listed: ' + reasons.trim().slice(0, 80));
    check(!(await page.content()).includes('"success"'), 'no raw JSON on the page');

    // 2. The graph starts with the exploiter and its counterparty; clicking the receiver expands it.
    await page.waitForFunction(() => window.fundtraceGraph && window.fundtraceGraph.nodeCount() >= 2, null, { timeout: 15000 });
    const before = await page.evaluate(() => window.fundtraceGraph.nodeCount());
    const pos = await page.evaluate((id) => {
      const cy = window.fundtraceGraph.cy;
      const n = cy.nodes().filter((x) => x.id().toLowerCase() === id)[0];
      const p = n.renderedPosition();
      const r = cy.container().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, RECEIVER);
    await page.mouse.click(pos.x, pos.y);
    await page.waitForFunction((n) => window.fundtraceGraph.nodeCount() > n, before, { timeout: 15000 });
    const after = await page.evaluate(() => window.fundtraceGraph.nodeCount());
    check(after > before, 'clicking a node expands its neighbours (' + before + ' -> ' + after + ' nodes)');
    const edgeLabels = await page.evaluate(() => window.fundtraceGraph.cy.edges().map((e) => e.data('caption')));
    check(edgeLabels.some((l) => /2\.5 ETH/.test(l)), 'edges show amounts: ' + edgeLabels.join(', '));
    await page.screenshot({ path: path.join(OUT_DIR, 'e2e-address.png') });

    // 3. The analyst labels the receiver as an exchange deposit (API), then traces the exploiter.
    const res = await fetch(base + '/api/v1/labels', { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': key },
      body: JSON.stringify({ address: RECEIVER, label: 'Deposit (case 7)', entity: 'Test Exchange', category: 'exchange' }) });
    check((await res.json()).success, 'user label stored through the API');
    await new Promise((r) => setTimeout(r, 1200));  // the server re-reads labels within a second
    await page.click('#nav-trace');
    await page.waitForSelector('#trace-form');
    await page.fill('#trace-seeds', RONIN);
    await page.selectOption('#trace-policy', 'fifo');
    await page.fill('#trace-hops', '4');
    await page.click('#trace-run');
    await page.waitForSelector('#endpoint-table table', { timeout: 60000 });
    const endpoints = await page.textContent('#endpoint-table');
    check(/Test Exchange/.test(endpoints) && /2\.5 ETH/.test(endpoints), 'endpoint table: ' + endpoints.replace(/\s+/g, ' ').slice(0, 160));
    await page.waitForFunction(() => window.fundtraceTraceGraph && window.fundtraceTraceGraph.edgeCount() >= 1, null, { timeout: 15000 });
    check(true, 'trace flow graph drawn');

    // 4. Export CSV.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    check(csv.toLowerCase().includes(RECEIVER), 'CSV export holds the endpoint');
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    check(fs.readFileSync(await svgDownload.path(), 'utf8').includes('<svg'), 'SVG export is an SVG');
    const shot = path.join(OUT_DIR, 'e2e-trace.png');
    await page.screenshot({ path: shot, fullPage: true });
    check(fs.statSync(shot).size > 10000, 'screenshot saved to ' + shot);
    check(errors.length === 0, 'no JavaScript errors on the page ' + errors.join('; '));
  } finally {
    if (browser) await browser.close();
    server.proc.removeAllListeners('exit');
    server.proc.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => { console.log('PASS'); process.exit(0); },
  (err) => { console.error(err.stack || String(err)); process.exit(1); });
