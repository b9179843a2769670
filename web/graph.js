// The interactive flow graph (Cytoscape.js): nodes coloured by label category, edges labelled
// with amounts; clicking a node asks `onExpand` for its neighbours and adds them.
'use strict';

const CATEGORY_COLORS = {
  exchange: '#2952cc', mixer: '#b42318', bridge: '#7048e8', defi: '#0c8599', dex: '#0c8599',
  gambling: '#e8590c', scam: '#c2255c', theft: '#c92a2a', phishing: '#c2255c',
  sanctioned: '#000000', ransomware: '#862e9c', miner: '#5c940d', wallet_service: '#1971c2',
  seed: '#f08c00', unlabelled: '#98a2b3',
};

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
    this.cy.on('tap', 'node', (ev) => this.expand(ev.target.id()));
    this.cy.on('dbltap', 'node', (ev) => this.onOpen && this.onOpen(ev.target.id()));
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
    this.cy.add(added);
    const layout = this.cy.layout({ name: 'cose', animate: false, randomize: false,
      nodeRepulsion: 9000, idealEdgeLength: 110, fit: true, padding: 30 });
    layout.run();
    if (centre) this.cy.getElementById(centre).addClass('expanded');
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
