// The interactive flow graph (Cytoscape.js): nodes coloured by label category, edges labelled
// with amounts; clicking a node asks `onExpand` for its neighbours and adds them.
'use strict';

const CATEGORY_COLORS = {
  exchange: '#2952cc', mixer: '#b42318', bridge: '#7048e8', defi: '#0c8599', dex: '#0c8599',
  gambling: '#e8590c', scam: '#c2255c', theft: '#c92a2a', phishing: '#c2255c',
  sanctioned: '#000000', ransomware: '#862e9c', miner: '#5c940d', wallet_service: '#1971c2',
  seed: '#f08c00', unlabelled: '#98a2b3',
};

// The box a node takes with its caption below it (at most 140 px wide, two lines), in model
// units; new nodes are placed so that boxes do not overlap. RING_GAP: distance between rings.
const NODE_BOX = { w: 150, h: 58 };
const RING_GAP = 170;
const DOUBLE_TAP_MS = 400;

function categoryColor(cat) {
  return CATEGORY_COLORS[cat] || (cat ? '#495057' : CATEGORY_COLORS.unlabelled);
}

function shortAddr(a) {
  return a && a.length > 16 ? a.slice(0, 8) + '…' + a.slice(-6) : a;
}

class FlowGraph {
  constructor(container, { onExpand, onOpen } = {}) {
    this.container = container;
    this.onExpand = onExpand;
    this.onOpen = onOpen;
    this.expanded = new Set();
    if (!window.cytoscape) {
      container.innerHTML = '<div class="empty">The graph library is missing (' +
        (window.FUNDTRACE_NO_CYTOSCAPE || 'not loaded') + ').</div>';
      this.cy = null;
      return;
    }
    this.cy = window.cytoscape({
      container,
      wheelSensitivity: 0.2,
      maxZoom: 1.2,
      minZoom: 0.1,
      style: [
        { selector: 'node', style: {
          'background-color': 'data(color)', 'label': 'data(caption)', 'font-size': 10,
          'color': '#1d2330', 'text-valign': 'bottom', 'text-margin-y': 4, 'width': 22,
          'height': 22, 'text-wrap': 'wrap', 'text-max-width': 140, 'border-width': 0 } },
        { selector: 'node[role = "seed"]', style: { 'border-width': 3, 'border-color': '#f08c00' } },
        { selector: 'node[role = "endpoint"]', style: { 'shape': 'round-rectangle' } },
        { selector: 'node.expanded', style: { 'border-width': 2, 'border-color': '#1d2330' } },
        { selector: 'edge', style: {
          'width': 1.6, 'line-color': '#adb5bd', 'target-arrow-color': '#adb5bd',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'label': 'data(caption)',
          'font-size': 9, 'color': '#495057', 'text-rotation': 'autorotate',
          'text-background-color': '#fbfcfd', 'text-background-opacity': 1,
          'text-background-padding': 1 } },
      ],
    });
    // A tap expands a node; a second tap on the same node soon after opens it. (Cytoscape's own
    // dbltap also fires for quick taps on two different nodes.)
    this.cy.on('tap', 'node', (ev) => {
      const id = ev.target.id();
      const now = Date.now();
      const last = this.lastTap;
      this.lastTap = { id, t: now };
      if (last && last.id === id && now - last.t < DOUBLE_TAP_MS) {
        this.lastTap = null;
        if (this.onOpen) this.onOpen(id);
        return;
      }
      this.expand(id);
    });
  }

  // Adds {nodes:[{id,label,category,role}], edges:[{source,target,asset,amount,transfers}]}.
  add(data, centre) {
    if (!this.cy) return;
    const added = [];
    for (const n of data.nodes || []) {
      if (this.cy.getElementById(n.id).length) continue;
      const caption = (n.label ? n.label + '\n' : '') + shortAddr(n.id);
      added.push({ group: 'nodes', data: {
        id: n.id, caption, category: n.category || '', role: n.role || '',
        color: n.role === 'seed' && !n.category ? CATEGORY_COLORS.seed : categoryColor(n.category) } });
    }
    for (const e of data.edges || []) {
      const id = 'e|' + e.source + '|' + e.target + '|' + e.asset;
      if (this.cy.getElementById(id).length) continue;
      added.push({ group: 'edges', data: {
        id, source: e.source, target: e.target, caption: e.amount + ' ' + e.asset,
        amount: e.amount, asset: e.asset } });
    }
    const fresh = this.cy.add(added).nodes();
    if (centre && this.cy.getElementById(centre).length) {
      // An expansion: the graph the analyst already arranged stays where it is; the new
      // neighbours go on rings around the clicked node, where nothing is.
      const c = this.cy.getElementById(centre);
      this.placeAround(c, fresh.not(c));
      c.addClass('expanded');
      this.cy.fit(this.cy.elements(), 30);
    } else if (fresh.length) {
      // A whole graph at once (a trace's flow graph): hop by hop from the seeds.
      const seeds = this.cy.nodes('[role = "seed"]');
      this.cy.layout({ name: 'breadthfirst', directed: true, roots: seeds.length ? seeds : undefined,
        nodeDimensionsIncludeLabels: true, spacingFactor: 1.05, animate: false, fit: true, padding: 30 }).run();
    }
  }

  // Puts `nodes` on rings around `centre`: the first ring faces away from the rest of the graph,
  // and a slot is taken only if the node's box (with its two-line caption) overlaps no other.
  placeAround(centre, nodes) {
    const c = centre.position();
    const others = this.cy.nodes().not(nodes).not(centre);
    const taken = [c, ...others.map((n) => n.position())];
    let away = 0;
    if (others.length) {
      const bb = others.boundingBox();
      const mx = (bb.x1 + bb.x2) / 2, my = (bb.y1 + bb.y2) / 2;
      if (Math.abs(c.x - mx) + Math.abs(c.y - my) > 1) away = Math.atan2(c.y - my, c.x - mx);
    }
    const free = (p) => taken.every((q) => Math.abs(p.x - q.x) >= NODE_BOX.w || Math.abs(p.y - q.y) >= NODE_BOX.h);
    for (const n of nodes.toArray()) {
      let spot = null;
      for (let ring = 1; !spot && ring < 40; ring++) {
        const radius = RING_GAP * ring;
        const slots = Math.max(8, Math.floor((2 * Math.PI * radius) / (NODE_BOX.h * 1.6)));
        for (let k = 0; k < slots && !spot; k++) {
          const step = (k % 2 ? 1 : -1) * Math.ceil(k / 2);  // 0, +1, -1, +2, ... around `away`
          const a = away + (step * 2 * Math.PI) / slots;
          const p = { x: c.x + radius * Math.cos(a), y: c.y + radius * Math.sin(a) };
          if (free(p)) spot = p;
        }
      }
      spot = spot || { x: c.x, y: c.y + RING_GAP * 40 };
      n.position(spot);
      taken.push(spot);
    }
  }

  // Whether any two nodes' boxes (node and caption) overlap: for tests.
  overlaps() {
    if (!this.cy) return 0;
    const ps = this.cy.nodes().map((n) => n.position());
    let count = 0;
    for (let i = 0; i < ps.length; i++) {
      for (let j = i + 1; j < ps.length; j++) {
        if (Math.abs(ps[i].x - ps[j].x) < NODE_BOX.w && Math.abs(ps[i].y - ps[j].y) < NODE_BOX.h) count++;
      }
    }
    return count;
  }

  async expand(id) {
    if (!this.cy || this.expanded.has(id) || !this.onExpand) return;
    this.expanded.add(id);
    try {
      const data = await this.onExpand(id);
      if (data) this.add(data, id);
    } catch (err) {
      this.expanded.delete(id);
      throw err;
    }
  }

  nodeCount() { return this.cy ? this.cy.nodes().length : 0; }
  edgeCount() { return this.cy ? this.cy.edges().length : 0; }

  legend() {
    const cats = new Set();
    if (this.cy) this.cy.nodes().forEach((n) => cats.add(n.data('category') || 'unlabelled'));
    return [...cats].sort();
  }
}

window.FlowGraph = FlowGraph;
window.categoryColor = categoryColor;
window.shortAddr = shortAddr;
