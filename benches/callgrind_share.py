#!/usr/bin/env python3
"""The instruction cost of a feature's code in a callgrind profile (issue 31, item 5).

    callgrind_share.py OUT [--part N] FEATURE=RULE[,RULE...] ...

OUT is a `valgrind --tool=callgrind --demangle=no` output file (a `--dump-after` run writes
one part per dump, all read unless `--part`). A RULE is either `sym:TEXT` (a function whose
mangled symbol contains TEXT, e.g. `sym:6search6pinyin` for every function of
`search/pinyin.rs`) or `lines:FILE:FROM-TO` (the cost of those source lines of a file whose
path ends with FILE, wherever they were inlined, the calls made from them included).

A feature's cost is what runs under its code without counting anything twice: the inclusive
cost of every call from code outside the feature into a function of the feature, plus the
cost of its lines (self and calls) inside functions outside it. A call into the feature made
by a function that only the feature calls (a generic iterator adaptor running the feature's
closure) is the feature's own and is not counted again; one made by a function that the rest
of the program calls too is counted, so a feature that calls back into itself through shared
code is over-counted by that call (check with `callgrind_annotate --tree=caller`).
`--self-test` checks the arithmetic on a small hand-written profile. Prints, per part and in total, the
instructions and the share of the profile's total.
"""

import os
import re
import sys
from collections import defaultdict


def parse(path):
    """Yields per part a dict: `total` (the profile's summary), `self` (function → self
    cost), `edges` ((caller, callee) → inclusive cost of the calls) and `lines` ((file, line,
    function, callee or None) → cost of that line's own instructions or of its calls)."""
    names = {"fl": {}, "fn": {}, "ob": {}}
    kind = {"fl": "fl", "fi": "fl", "fe": "fl", "cfl": "fl", "cfi": "fl",
            "fn": "fn", "cfn": "fn", "ob": "ob", "cob": "ob"}

    def name(k, v):
        m = re.match(r"\((\d+)\)(?: (.*))?$", v)
        table = names[kind[k]]
        if not m:
            return v
        if m.group(2) is not None:
            table[m.group(1)] = m.group(2)
        return table[m.group(1)]

    part = None
    fn = file = fl_file = None
    fn_file = {}
    callee = None
    pending_call = False
    last_line = 0

    def new_part():
        return {"total": 0, "self": defaultdict(int), "edges": defaultdict(int),
                "lines": defaultdict(int)}

    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if line.startswith("part:"):
                if part is not None and (part["self"] or part["edges"]):
                    yield part
                part = new_part()
                continue
            if part is None:
                part = new_part()
            m = re.match(r"([a-z]+)=(.*)$", line)
            if m:
                k, v = m.group(1), m.group(2)
                if k in ("fl", "fi", "fe"):
                    file = name(k, v)
                    if k == "fl":
                        fl_file = file
                elif k == "fn":
                    fn = name(k, v)
                    file = fl_file
                    fn_file[fn] = file
                elif k in ("cfl", "cfi"):
                    name(k, v)
                elif k == "cfn":
                    callee = name(k, v)
                elif k in ("ob", "cob"):
                    name(k, v)
                elif k == "calls":
                    pending_call = True
                continue
            if line.startswith(("summary:", "totals:")):
                part["total"] = max(part["total"], int(line.split()[1]))
                continue
            if ":" in line.split()[0] if line.split() else False:
                continue  # a header line (events:, positions:, cmd: …)
            fields = line.split()
            pos = fields[0]
            if pos == "*":
                ln = last_line
            elif pos[0] in "+-":
                ln = last_line + int(pos)
            else:
                ln = int(pos)
            last_line = ln
            cost = int(fields[1]) if len(fields) > 1 else 0
            part["lines"][(file, ln, fn, callee if pending_call else None)] += cost
            if pending_call:
                part["edges"][(fn, callee)] += cost
                pending_call = False
            else:
                part["self"][fn] += cost
    if part is not None:
        yield part


def cost(part, rules):
    syms = [r[4:] for r in rules if r.startswith("sym:")]
    ranges = []
    for r in rules:
        if r.startswith("lines:"):
            _, file, span = r.split(":")
            a, b = span.split("-")
            ranges.append((file, int(a), int(b)))

    def inside(fn):
        return fn is not None and any(s in fn for s in syms)

    callers = defaultdict(set)
    for (a, b) in part["edges"]:
        callers[b].add(a)
    # Functions reached only from the feature: their calls into it are its own.
    owned = {fn for fn in callers if inside(fn)}
    changed = True
    while changed:
        changed = False
        for fn, cs in callers.items():
            if fn not in owned and cs and all(c in owned for c in cs if c != fn):
                owned.add(fn)
                changed = True
    total = 0
    for (a, b), c in part["edges"].items():
        if inside(b) and a not in owned:
            total += c
    for (file, ln, fn, to), c in part["lines"].items():
        # Calls into the feature's functions are counted above.
        if fn in owned or file is None or inside(to):
            continue
        if any(file.endswith(f) and lo <= ln <= hi for f, lo, hi in ranges):
            total += c
    return total


SELF_TEST = """events: Ir
fl=(1) main.rs
fn=(1) main
10 5
cfn=(2) _ZN4core4iter4fold17h1E
calls=1 20
11 40
cfn=(3) _ZN4feat6outer17h2E
calls=1 30
12 100
cfn=(4) _ZN5other5leaf17h3E
calls=1 40
13 7
fn=(2)
20 10
cfn=(3)
calls=1 30
21 30
fn=(3)
fl=(2) feat.rs
30 20
cfn=(2)
calls=1 20
31 40
cfn=(4)
calls=1 40
32 40
fi=(3) inl.rs
5 6
cfn=(4)
calls=1 40
5 4
fn=(4)
fl=(3)
40 51
summary: 202
"""


def self_test():
    """The arithmetic on a hand-written profile: main calls fold, outer (the feature) and
    leaf; fold calls outer; outer calls fold and leaf, and has line 5 of inl.rs inlined."""
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".out", delete=False) as f:
        f.write(SELF_TEST)
    (part,) = parse(f.name)
    os.unlink(f.name)
    assert part["total"] == 202, part["total"]
    # Entries from outside: main → outer (100) and fold → outer (30): fold is called from
    # main too, so its call is counted (were fold called only from outer, it would not be).
    assert cost(part, ["sym:4feat"]) == 130, cost(part, ["sym:4feat"])
    assert cost(part, ["sym:5other"]) == 7 + 40 + 4 + 0, cost(part, ["sym:5other"])
    assert cost(part, ["lines:inl.rs:5-5"]) == 10, cost(part, ["lines:inl.rs:5-5"])
    # Lines inside a function of the feature are not counted again, nor calls from lines of
    # the feature into its functions.
    assert cost(part, ["sym:4feat", "lines:inl.rs:5-5"]) == 130
    assert cost(part, ["sym:5other", "lines:inl.rs:5-5"]) == 51 + 6
    print("self-test passed")


# The features of issue 31, item 5, as rules: their modules' functions, their files' lines
# wherever they were inlined, and the lines of other files that exist only for them (checked
# against the source at commit 42227a2; keep them in step if those files change).
PRESETS = {
    "pinyin": [
        "sym:6search6pinyin", "sym:search..pinyin..", "lines:search/pinyin.rs:1-99999",
        # rank.rs: the query's umlauts joined, its pinyin pieces read and turned into terms.
        "sym:4rank13pinyin_pieces", "sym:4rank12pinyin_terms", "sym:4rank13piece_phrases",
        "lines:search/rank.rs:245-245", "lines:search/rank.rs:249-253",
        "lines:search/rank.rs:446-451", "lines:search/rank.rs:457-494",
        # names.rs: typed text read as pinyin, names spelled, the pinyin tiers.
        "lines:search/names.rs:50-50", "lines:search/names.rs:89-92",
        "lines:search/names.rs:139-148", "lines:search/names.rs:297-297",
        # complete.rs: typed text read as pinyin for "did you mean" and autocomplete.
        "lines:search/complete.rs:88-91",
        # index.rs: the library's readings built, its section titles spelled.
        "lines:search/index.rs:164-172",
    ],
    "rosters": [
        "sym:5parse6roster", "sym:parse..roster..", "lines:parse/roster.rs:1-99999",
        "sym:5parse6lineup", "sym:parse..lineup..", "lines:parse/lineup.rs:1-99999",
    ],
    "times": [
        "sym:5parse4time", "sym:parse..time..", "lines:parse/time.rs:1-99999",
        "sym:5parse10transcript", "sym:parse..transcript..",
        "lines:parse/transcript.rs:1-99999",
        # mod.rs: `Builder::tick`, a timestamp's time kept for the section and its quotes.
        "sym:7Builder4tick", "lines:parse/mod.rs:936-945",
    ],
    "recording": [
        "sym:12lectern_core9recording", "sym:lectern_core..recording..",
        "lines:lectern-core/src/recording.rs:1-99999",
    ],
}


def main():
    args = sys.argv[1:]
    if args == ["--self-test"]:
        self_test()
        return
    if args and args[0] == "--queries":
        queries(int(args[1]), args[2:])
        return
    out = args.pop(0)
    only = None
    if args and args[0] == "--part":
        args.pop(0)
        only = int(args.pop(0))
    features = [(a.split("=", 1)[0], a.split("=", 1)[1].split(",")) if "=" in a
                else (a, PRESETS[a]) for a in args]
    parts = list(parse(out))
    if only is not None:
        parts = [parts[only]]
    sums = defaultdict(int)
    grand = 0
    for i, p in enumerate(parts):
        t = p["total"] or sum(p["self"].values())
        grand += t
        row = [f"part {i}", f"total {t}"]
        for feat, rules in features:
            c = cost(p, rules)
            sums[feat] += c
            row.append(f"{feat} {c} ({100 * c / t:.2f}%)" if t else f"{feat} {c}")
        print("\t".join(row))
    if len(parts) > 1:
        row = ["all", f"total {grand}"]
        for feat, _ in features:
            row.append(f"{feat} {sums[feat]} ({100 * sums[feat] / grand:.2f}%)")
        print("\t".join(row))


def queries(n, files):
    """`--queries N OUT.1 OUT.2 …`: the dumps of a `--dump-after='*one_search*'` run of the
    search benchmark's query loop (`benches/search.rs`), N queries per round, in order. Prints
    per query the median instructions of the rounds after the first (whose first dump holds
    the load) and each preset's share of them, then the mix's totals."""
    files = sorted(files, key=lambda f: int(f.rsplit(".", 1)[1]))
    rows = defaultdict(list)
    for k, f in enumerate(files):
        if k < n:
            continue
        (part,) = parse(f)
        t = part["total"] or sum(part["self"].values())
        rows[k % n].append((t, {name: cost(part, rules) for name, rules in PRESETS.items()}))
    def median(v):
        v = sorted(v)
        return v[len(v) // 2]
    grand = defaultdict(int)
    print("query\tIr\t" + "\t".join(PRESETS))
    for q in sorted(rows):
        t = median([r[0] for r in rows[q]])
        shares = {name: median([r[1][name] for r in rows[q]]) for name in PRESETS}
        grand["total"] += t
        for name, c in shares.items():
            grand[name] += c
        print(f"{q}\t{t}\t" + "\t".join(f"{c} ({100 * c / t:.1f}%)" for c in shares.values()))
    t = grand["total"]
    print("mix\t" + str(t) + "\t" + "\t".join(
        f"{grand[name]} ({100 * grand[name] / t:.1f}%)" for name in PRESETS))


if __name__ == "__main__":
    main()
