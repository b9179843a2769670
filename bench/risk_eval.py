#!/usr/bin/env python3
"""Evaluates `fundtrace risk` on real data: the phishing-account histories of Wu et al. 2019.

    bench/risk_eval.py [FUNDTRACE] [--shared ../shared/data] [--seed 42] [--hide 0.3] [--keep]

Steps (standard library only; one command):
 1. ingest ../shared/data/eth/phishing-accounts (Etherscan histories) into a temp data dir;
 2. the known malicious labels are the 1,262 labelled phishing accounts of the dataset
    (`phishing accounts/phishing-address.txt`); hide a random 30% of them (fixed seed);
 3. import every label source of ../shared/data/labels with every mention of a hidden address
    removed (a filtered copy), plus the visible 70% as our own CSV (abuse phishing), and check
    with `screen` that no hidden address has a label left;
 4. score every address of the store with `risk --batch --json` (3 hops, both directions);
 5. rank the addresses that the label store does not already flag (no own risky label):
    positives are the hidden phishing accounts, negatives everything else. Report ROC-AUC
    (ties count one half) and precision at the top 100, with the score alone and with the
    score then the effective exposure (sum of percent * 0.5^(hop-1)) as tie-break.
Prints a Markdown section for bench/RESULTS.md.
"""
import argparse
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HEX40 = re.compile(r"0x[0-9a-fA-F]{40}")


def run(cmd, ok=(0,)):
    t0 = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in ok:
        sys.exit("failed (%d): %s\n%s" % (r.returncode, " ".join(cmd), r.stderr[-2000:]))
    return r, time.time() - t0


def filter_json(v, hidden):
    """Drops every mention of a hidden address from a parsed JSON value."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if isinstance(k, str) and k.lower() in hidden:
                continue
            if isinstance(x, str) and x.lower().strip() in hidden:
                return None  # a record about a hidden address
            fx = filter_json(x, hidden)
            if fx is None and x is not None:
                continue
            out[k] = fx
        return out
    if isinstance(v, list):
        out = []
        for x in v:
            if isinstance(x, str) and x.lower().strip() in hidden:
                continue
            fx = filter_json(x, hidden)
            if fx is None and x is not None:
                continue
            out.append(fx)
        return out
    return v


def filter_yaml(text, hidden):
    """Removes TagPack list items (`- address: X` and their indented fields) of hidden X."""
    lines = text.split("\n")
    out, skip_indent = [], None
    for line in lines:
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if skip_indent is not None:
            if stripped and (indent < skip_indent or (indent == skip_indent and stripped.startswith("- "))):
                skip_indent = None
            elif stripped.startswith("- ") and indent <= skip_indent:
                skip_indent = None
            else:
                continue
        m = HEX40.search(line)
        if m and m.group(0).lower() in hidden:
            if stripped.startswith("- "):
                skip_indent = indent
            continue
        out.append(line)
    return "\n".join(out)


def filtered_copy(src, dst, hidden):
    removed = 0
    for root, _, files in os.walk(src):
        for f in files:
            p = os.path.join(root, f)
            q = os.path.join(dst, os.path.relpath(p, src))
            os.makedirs(os.path.dirname(q), exist_ok=True)
            with open(p, "rb") as fh:
                raw = fh.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                shutil.copyfile(p, q)
                continue
            if not any(m.group(0).lower() in hidden for m in HEX40.finditer(text)):
                shutil.copyfile(p, q)
                continue
            removed += 1
            if f.endswith(".json"):
                try:
                    new = json.dumps(filter_json(json.loads(text), hidden))
                except ValueError:  # a CSV saved as .json (see docs/labels.md)
                    new = "\n".join(l for l in text.split("\n")
                                    if not any(m.group(0).lower() in hidden for m in HEX40.finditer(l)))
            elif f.endswith((".yaml", ".yml")):
                new = filter_yaml(text, hidden)
            else:
                new = "\n".join(l for l in text.split("\n")
                                if not any(m.group(0).lower() in hidden for m in HEX40.finditer(l)))
            with open(q, "w") as fh:
                fh.write(new)
    return removed


def auc(pos, neg):
    """ROC-AUC as the Mann-Whitney statistic, ties counting one half."""
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum, i, n = 0.0, 0, len(allv)
    while i < n:
        j = i
        while j < n and allv[j][0] == allv[i][0]:
            j += 1
        avg = (i + 1 + j) / 2.0
        rank_sum += avg * sum(1 for k in range(i, j) if allv[k][1])
        i = j
    P, N = len(pos), len(neg)
    return (rank_sum - P * (P + 1) / 2.0) / (P * N) if P and N else float("nan")


def evaluate(stdout, hidden):
    scored = {}
    for l in stdout.splitlines():
        j = json.loads(l)
        eff = sum(d["percent"] * 0.5 ** (d["hop_num"] - 1) for d in j["risk_detail"] if d.get("scored", True))
        scored[j["address"].lower()] = (j["score"], eff, bool(j["own_risks"]), j)
    flagged = {x for x, v in scored.items() if v[2]}
    cands = [x for x in scored if x not in flagged]
    pos = [x for x in cands if x in hidden]
    neg = [x for x in cands if x not in hidden]
    auc_score = auc([scored[x][0] for x in pos], [scored[x][0] for x in neg])
    key2 = lambda x: scored[x][0] * 1e6 + min(scored[x][1], 1e5)
    auc_tb = auc([key2(x) for x in pos], [key2(x) for x in neg])
    order = sorted(cands, key=lambda x: (-scored[x][0], -scored[x][1], x))
    p100 = sum(1 for x in order[:100] if x in hidden) / 100.0
    reach = {"direct": 0, "indirect": 0, "none": 0}
    for x in pos:
        det = scored[x][3]["risk_detail"]
        reach["none" if not det else det[0]["exposure_type"]] += 1
    victims = sum(1 for x in neg if any(d["category"] == "phishing" and d["direction"] == "outgoing"
                                        and d["hop_num"] == 1 for d in scored[x][3]["risk_detail"]))
    by_level = {}
    for x in cands:
        lvl = scored[x][3]["risk_level"]
        by_level.setdefault(lvl, [0, 0])[1 if x in hidden else 0] += 1
    return (scored, flagged, cands, pos, neg, auc_score, auc_tb, p100, reach, victims, by_level)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fundtrace", nargs="?", default="build/fundtrace")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--hide", type=float, default=0.3)
    ap.add_argument("--hops", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    ft = os.path.abspath(a.fundtrace)
    shared = os.path.abspath(a.shared)
    accounts = os.path.join(shared, "eth", "phishing-accounts")
    if not os.path.isdir(accounts):
        sys.exit("no %s: this evaluation needs ../shared/data" % accounts)
    tmp = tempfile.mkdtemp(prefix="fundtrace-risk-eval-")
    data = os.path.join(tmp, "data")
    t_all = time.time()
    try:
        r, t_ingest = run([ft, "--no-progress", "--data", data, "ingest", "etherscan", accounts])
        # Every address of the store: the From/To/ContractAddress fields of every history.
        addresses = set()
        for root, _, files in os.walk(accounts):
            for f in files:
                if not f.endswith(".csv"):
                    continue
                with open(os.path.join(root, f), newline="") as fh:
                    for row in csv.DictReader(fh):
                        for k in ("From", "To", "ContractAddress"):
                            v = (row.get(k) or "").strip().lower()
                            if HEX40.fullmatch(v):
                                addresses.add(v)
        with open(os.path.join(accounts, "phishing accounts", "phishing-address.txt")) as fh:
            known = sorted({l.strip().lower() for l in fh if HEX40.fullmatch(l.strip())})
        rng = random.Random(a.seed)
        hidden = set(rng.sample(known, round(a.hide * len(known))))
        visible = [x for x in known if x not in hidden]
        # Labels: every source, filtered; then the visible phishing accounts.
        labels_dir = os.path.join(tmp, "labels")
        files_changed = filtered_copy(os.path.join(shared, "labels"), labels_dir, hidden)
        r, t_labels = run([ft, "--no-progress", "--data", data, "labels", "import", "auto", labels_dir])
        vis_csv = os.path.join(tmp, "visible-phishing.csv")
        with open(vis_csv, "w") as fh:
            fh.write("address,chain,label,category,abuse,confidence\n")
            for x in visible:
                fh.write("%s,eth,Phishing account (Wu et al. 2019),,phishing,trusted_provider\n" % x)
        run([ft, "--no-progress", "--data", data, "labels", "import", "csv", vis_csv])
        hid_txt = os.path.join(tmp, "hidden.txt")
        with open(hid_txt, "w") as fh:
            fh.write("\n".join(sorted(hidden)) + "\n")
        r, _ = run([ft, "--no-progress", "--data", data, "--json", "screen", hid_txt])
        leaked = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
        leaked = [x for x in leaked if x.get("hit")]
        if leaked:
            sys.exit("hidden addresses still labelled: %s" % leaked[:5])
        # Score everything.
        all_txt = os.path.join(tmp, "all.txt")
        with open(all_txt, "w") as fh:
            fh.write("\n".join(sorted(addresses)) + "\n")
        results = {}
        for direction in ("both", "in"):
            r, t_score = run([ft, "--no-progress", "--data", data, "--json", "risk", "--batch", all_txt,
                              "--hops", str(a.hops), "--threads", "2", "--direction", direction])
            results[direction] = evaluate(r.stdout, hidden) + (t_score,)
        total_s = time.time() - t_all
        scored, flagged, cands, pos, neg, _, _, _, _, _, _, _ = results["both"]
        missing_hidden = len(hidden) - len(pos)
        t_score = results["both"][-1] + results["in"][-1]
        print("### Evaluation on the phishing-account data (`bench/risk_eval.py`)\n")
        print("Command: `python3 bench/risk_eval.py %s --seed %d --hide %.1f` (hops %d), %.0f s in all "
              "(ingest %.1f s, label import %.1f s, scoring twice %.1f s).\n"
              % (a.fundtrace, a.seed, a.hide, a.hops, time.time() - t_all, t_ingest, t_labels, t_score))
        print("- Store: %d addresses from the 3,362 Etherscan histories; known malicious: %d labelled "
              "phishing accounts; hidden: %d (seed %d), removed from %d label files before import and "
              "checked absent with `screen`; the %d visible ones imported as phishing."
              % (len(addresses), len(known), len(hidden), a.seed, files_changed, len(visible)))
        print("- Ranked: %d addresses the labels do not already flag (%d flagged by an own risky label "
              "are left out: the screen answers them). Positives: %d hidden phishing accounts%s; "
              "negatives: %d (base rate %.2f%%)."
              % (len(cands), len(flagged), len(pos),
                 "" if not missing_hidden else " (%d hidden ones carry another risky label and are left out)" % missing_hidden,
                 len(neg), 100.0 * len(pos) / max(1, len(cands))))
        print()
        print("| exposure | ROC-AUC, score (ties half) | ROC-AUC, score then effective exposure | precision at top 100 | hidden reached direct / indirect / not | negatives that paid a phisher directly |")
        print("|---|---:|---:|---:|---|---:|")
        for direction in ("both", "in"):
            _, _, _, _, _, auc_s, auc_t, p100, reach, victims, _, _ = results[direction]
            print("| %s | %.3f | %.3f | %.2f | %d / %d / %d | %d |"
                  % ("incoming and outgoing (default)" if direction == "both" else "incoming only (`--direction in`)",
                     auc_s, auc_t, p100, reach["direct"], reach["indirect"], reach["none"], victims))
        print()
        print("Levels (default directions):\n")
        print("| level | negatives | hidden positives |")
        print("|---|---:|---:|")
        by_level = results["both"][10]
        for lvl in ("Severe", "High", "Moderate", "Low"):
            if lvl in by_level:
                print("| %s | %d | %d |" % (lvl, by_level[lvl][0], by_level[lvl][1]))
    finally:
        if a.keep:
            print("\n(kept %s)" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
