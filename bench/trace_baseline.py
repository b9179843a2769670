#!/usr/bin/python3
"""Baseline for the trace benchmark: the haircut rules of docs/trace.md written plainly in Python
over a networkx MultiDiGraph, forward from seed txs, with the same stops (labels.csv categories
exchange/mixer/bridge and inferred exchange deposit addresses), swaps, fees, dust, hop and
address limits. Integer arithmetic throughout, so its endpoint amounts must equal fundtrace's.

  trace_baseline.py TRANSFERS_CSV LABELS_CSV HACK_JSON... [--hops N]

TRANSFERS_CSV comes from bench/trace_export (block,pos,tx,kind,seq,from,to,asset,amount).
Prints one JSON line per hack: {"hack", "seconds" (trace only, graph already built),
"endpoints": {"address/asset": amount}, "conservation": {...}}.
Needs Debian's python3-networkx (run with /usr/bin/python3).
"""
import csv
import json
import sys
import time

import networkx as nx

FEE = 4
STOPS = {"exchange", "mixer", "bridge"}


def load(transfers_csv, labels_csv):
    rows = []
    with open(transfers_csv) as f:
        for r in csv.DictReader(f):
            rows.append((int(r["block"]), int(r["pos"]), (int(r["kind"]) << 28) | int(r["seq"]),
                         r["tx"], int(r["kind"]), r["from"] or "-", r["to"] or "-", r["asset"],
                         int(r["amount"])))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    g = nx.MultiDiGraph()
    for i, r in enumerate(rows):
        g.add_edge(r[5], r[6], key=i)
    cats = {}
    with open(labels_csv) as f:
        for r in csv.DictReader(f):
            s = cats.setdefault(r["address"].lower(), set())
            s.add(r["category"])
            if r["abuse"]:
                s.add(r["abuse"])
    return rows, g, cats


def trace(rows, g, cats, seed_txs, hops=6, dust_ratio=1e-6, max_addresses=20000,
          max_history=200000):
    divisor = round(1 / dust_ratio)
    status, hop, bal, taint = {}, {}, {}, {}
    cons = {}
    endpoints = {}
    holders = [0]

    def c(asset):
        return cons.setdefault(asset, dict(seeded=0, swapped_in=0, swapped_out=0, held=0,
                                           endpoints=0, dust=0, fees=0, cut=0))

    def history(a):
        keys = {k for _, _, k in g.out_edges(a, keys=True)} | {k for _, _, k in g.in_edges(a, keys=True)}
        return [rows[k] for k in sorted(keys)]

    def track(a, at, h):
        hist = history(a)
        hop[a] = h
        if len(hist) > max_history:
            status[a] = "cut"
            return
        outs = [r for r in hist if r[5] == a and r[4] != FEE and r[8] > 0]
        if outs and all("exchange" in cats.get(r[6], ()) for r in outs):
            status[a] = "endpoint"
            return
        flow = {}
        for r in hist:
            if (r[0], r[1], r[2]) < at:
                io = flow.setdefault(r[7], [0, 0])
                if r[6] == a:
                    io[0] += r[8]
                if r[5] == a:
                    io[1] += r[8]
        for asset, (i, o) in flow.items():
            if i > o:
                bal[(a, asset)] = i - o
        status[a] = "holding"
        holders[0] += 1

    def take(a, asset, x):
        b = bal.get((a, asset), 0)
        t = taint.get((a, asset), 0)
        if x > b:
            b = x
        out = x * t // b
        bal[(a, asset)] = b - x
        taint[(a, asset)] = t - out
        return out

    def credit(to, from_hop, t, x, asset, r):
        st = status.get(to)
        if st == "holding":
            bal[(to, asset)] = bal.get((to, asset), 0) + x
            taint[(to, asset)] = taint.get((to, asset), 0) + t
            return
        if st == "endpoint":
            if t:
                endpoints[(to, asset)] = endpoints.get((to, asset), 0) + t
                c(asset)["endpoints"] += t
            return
        if st == "cut":
            c(asset)["cut"] += t
            return
        if t == 0:
            return
        cc = c(asset)
        if t < (cc["seeded"] + cc["swapped_in"]) // divisor:
            cc["dust"] += t
            return
        h = from_hop + 1
        if cats.get(to, set()) & STOPS:
            status[to] = "endpoint"
        elif h > hops or holders[0] >= max_addresses:
            status[to] = "cut"
            hop[to] = h
        else:
            track(to, (r[0], r[1], r[2]), h)
        credit(to, from_hop, t, x, asset, r)

    def holding(a):
        return status.get(a) == "holding"

    by_tx = {}
    order = []
    for r in rows:
        if r[3] not in by_tx:
            by_tx[r[3]] = []
            order.append(r[3])
        by_tx[r[3]].append(r)
    for tx in order:
        txrows = by_tx[tx]
        seed = tx in seed_txs
        start = txrows if seed else [r for r in txrows if holding(r[5]) or holding(r[6])]
        if not start:
            continue
        # Swaps: holders that send some assets and receive others in this tx.
        io = {}
        for r in start:
            if r[4] == FEE or r[8] == 0 or r[5] == r[6]:
                continue
            if holding(r[5]):
                io.setdefault(r[5], (set(), set()))[0].add(r[7])
            if holding(r[6]):
                io.setdefault(r[6], (set(), set()))[1].add(r[7])
        swaps = {a: {} for a, (s, rcv) in io.items() if s and (rcv - s)}
        handled = set()
        for r in start:
            if r[4] == FEE or r[8] == 0 or r[5] not in swaps:
                continue
            t = take(r[5], r[7], r[8])
            sent = swaps[r[5]].setdefault(r[7], [0, 0])
            sent[0] += t
            sent[1] += r[8]
            c(r[7])["swapped_out"] += t
            credit(r[6], hop[r[5]], 0, r[8], r[7], r)
            handled.add(id(r))
        for r in txrows:
            if id(r) in handled:
                continue
            if not (seed or holding(r[5]) or holding(r[6])):
                continue
            x, asset = r[8], r[7]
            if x == 0:
                continue
            from_hop = -1
            if holding(r[5]):
                t = take(r[5], asset, x)
                from_hop = hop[r[5]]
            elif seed and r[4] != FEE and r[6] != "-":
                t = x
                c(asset)["seeded"] += x
            else:
                t = 0
            if r[4] != FEE and r[6] in swaps and swaps[r[6]] and asset not in swaps[r[6]]:
                sent = swaps[r[6]]
                conv = sum(x * ts // os for ts, os in sent.values()) // len(sent)
                if conv > 0:
                    if t + conv > x:
                        conv = x - t
                    c(asset)["swapped_in"] += conv
                    t += conv
            if r[6] == "-" or r[4] == FEE:
                c(asset)["fees"] += t
                continue
            credit(r[6], from_hop, t, x, asset, r)
    for (a, asset), t in taint.items():
        if t:
            c(asset)["held"] += t
    return endpoints, cons


def main():
    args = sys.argv[1:]
    hops = 6
    if "--hops" in args:
        i = args.index("--hops")
        hops = int(args[i + 1])
        del args[i:i + 2]
    t0 = time.time()
    rows, g, cats = load(args[0], args[1])
    print(json.dumps({"loaded_transfers": len(rows), "load_seconds": round(time.time() - t0, 3)}),
          flush=True)
    for path in args[2:]:
        with open(path) as f:
            h = json.load(f)
        t1 = time.perf_counter()
        endpoints, cons = trace(rows, g, cats, set(h["seed_txs"]), hops=hops)
        secs = time.perf_counter() - t1
        print(json.dumps({"hack": h["name"], "seconds": secs,
                          "endpoints": {a + "/" + s: str(v) for (a, s), v in sorted(endpoints.items())},
                          "conservation": {k: {kk: str(vv) for kk, vv in v.items()} for k, v in cons.items()}}),
              flush=True)


if __name__ == "__main__":
    main()
