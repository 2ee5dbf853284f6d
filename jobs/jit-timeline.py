#!/usr/bin/env python3
"""The hot methods' compile timeline from HotSpot's -XX:+LogCompilation files (docs/performance.md, "A JVM's
first query"):
  jobs/jit-timeline.py [--stages OUT] [--match REGEX] jit-<pid>.log ...
For each file (one JVM): per stage window (from ScoreSpread's `stage=... uptime_s=a-b` lines in OUT, matched to
the JVM by order) the compilations by tier and their compile time, and the methods thrown away ("made not
entrant"); then, for the methods matching REGEX (default: our kernels, Spark's generated code, the aggregation,
parquet's readers), every compilation: tier, OSR or not, when queued, installed, made not entrant, and the
uncommon traps that hit it (reason, bytecode index). Beside jit-<pid>.log, a gc-<pid>.log written with
-Xlog:gc,gc+cpu,safepoint:file=gc-<pid>.log:uptime adds per stage the GC pauses, their CPU and the safepoints."""
import argparse
import collections
import re
import sys

HOT = (r"org[./]pixelsimilarity[./]|GeneratedClass|SpecificUnsafeProjection|ObjectAggregationIterator|ScalaAggregator"
       r"|TypedImperativeAggregate|AggregationIterator|parquet/.*Vectorized|VectorizedPlainValuesReader"
       r"|OnHeapColumnVector|UnsafeRow |jdk[./]incubator[./]vector[./].*(fromArray|convertShape|intoArray|lanewise|reduceLanes)")
ATTR = re.compile(r"(\w+)='([^']*)'")


def attrs(line):
    return dict(ATTR.findall(line))


def read(path):
    queued, done, tasks, unentrant, traps = {}, {}, {}, collections.defaultdict(list), collections.defaultdict(list)
    task = None
    trap = None
    with open(path, errors="replace") as f:
        for line in f:
            s = line.lstrip()
            if s.startswith("<task_queued "):
                a = attrs(s)
                queued[a["compile_id"]] = a
            elif s.startswith("<nmethod "):
                a = attrs(s)
                if "compile_id" in a:
                    done[a["compile_id"]] = a
            elif s.startswith("<make_not_entrant "):
                a = attrs(s)
                unentrant[a["compile_id"]].append(float(a["stamp"]))
            elif s.startswith("<uncommon_trap ") and "compile_id" in s and "stamp" in s:
                trap = attrs(s)
                traps[trap["compile_id"]].append(trap)
                if s.rstrip().endswith("/>"):
                    trap = None
            elif trap is not None and s.startswith("<jvms "):
                a = attrs(s)
                trap.setdefault("where", "%s@%s" % (short(a.get("method", "?")), a.get("bci", "?")))
            elif s.startswith("</uncommon_trap"):
                trap = None
            elif s.startswith("<task ") and "compile_id" in s:
                task = attrs(s)
            elif s.startswith("<task_done ") and task is not None:
                a = attrs(s)
                task["end"] = float(a["stamp"])
                task["success"] = a.get("success", "1")
                tasks[task["compile_id"]] = task
                task = None
    return queued, done, tasks, unentrant, traps


def short(method):
    parts = method.split(" ")
    cls = re.split(r"[/.]", parts[0])[-1]
    return "%s.%s" % (cls, parts[1] if len(parts) > 1 else "?")


def level(cid, queued, done, tasks):
    """The tier; HotSpot leaves the level out of a queued task and its nmethod for the highest, C2's 4."""
    for src in (done, tasks, queued):
        if cid in src and "level" in src[cid]:
            return int(src[cid]["level"])
    return 4


def stages_of(out_path):
    """Per JVM (in order), a list of (stage, start, end) from ScoreSpread's lines."""
    jvms, current = [], None
    for line in open(out_path):
        if line.startswith("== "):
            current = []
            jvms.append(current)
        m = re.match(r"stage=(\S+) .*uptime_s=([\d.]+)-([\d.]+)", line)
        if m and current is not None:
            current.append((m.group(1), float(m.group(2)), float(m.group(3))))
    return jvms


def gc_of(path):
    """(uptime, kind, ms, cpu_s) events of a -Xlog:gc,gc+cpu,safepoint file beside the JIT log, if any."""
    import os
    m = re.search(r"jit-pid(\d+)\.log$", path)
    gc = os.path.join(os.path.dirname(path), "gc-%s.log" % m.group(1)) if m else None
    events = []
    if not gc or not os.path.exists(gc):
        return events
    for line in open(gc):
        t = re.match(r"\[([\d.]+)s\] (.*)", line)
        if not t:
            continue
        at, text = float(t.group(1)), t.group(2)
        p = re.search(r"Pause .* ([\d.]+)ms$", text)
        c = re.search(r"User=([\d.]+)s Sys=([\d.]+)s", text)
        sp = re.search(r'Safepoint "(\w+)".*Total: (\d+) ns', text)
        if p:
            events.append((at, "pause", float(p.group(1)), 0.0))
        elif c:
            events.append((at, "gc_cpu", 0.0, float(c.group(1)) + float(c.group(2))))
        elif sp:
            events.append((at, "safepoint:" + sp.group(1), int(sp.group(2)) / 1e6, 0.0))
    return events


def report(path, windows, hot):
    queued, done, tasks, unentrant, traps = read(path)
    gc = gc_of(path)
    print("## %s" % path)
    for stage, a, b in windows:
        by = collections.Counter()
        ms = collections.Counter()
        for cid, t in tasks.items():
            start = float(t["stamp"])
            if a <= start < b:
                lv = level(cid, queued, done, tasks)
                tier = "c2" if lv == 4 else "c1"
                by[tier] += 1
                ms[tier] += (t["end"] - start) * 1e3
        thrown = [(cid, s) for cid, ss in unentrant.items() for s in ss if a <= s < b]
        c2_thrown = [cid for cid, _ in thrown if level(cid, queued, done, tasks) == 4]
        hot_thrown = sorted({short(queued.get(cid, done.get(cid, {})).get("method", "?")) for cid in c2_thrown
                             if hot.search(queued.get(cid, done.get(cid, {})).get("method", ""))})
        print("%-13s %6.1f-%6.1f s  c1 %4d (%6.0f ms)  c2 %4d (%6.0f ms)  not entrant %3d (c2 %d)  hot c2 thrown: %s"
              % (stage, a, b, by["c1"], ms["c1"], by["c2"], ms["c2"], len(thrown), len(c2_thrown),
                 ", ".join(hot_thrown) or "-"))
        if gc:
            inside = [e for e in gc if a <= e[0] < b]
            pauses = [e for e in inside if e[1] == "pause"]
            points = collections.Counter()
            for e in inside:
                if e[1].startswith("safepoint:"):
                    points[e[1][10:]] += 1
            print("%-13s GC pauses %d (%.0f ms, %.2f CPU-s); safepoints %s" % (
                "", len(pauses), sum(e[2] for e in pauses), sum(e[3] for e in inside),
                ", ".join("%s %d" % kv for kv in points.most_common(4))))
    rows = []
    for cid, q in queued.items():
        m = q.get("method", "")
        if not hot.search(m) or level(cid, queued, done, tasks) < 2:
            continue
        d = done.get(cid)
        t = tasks.get(cid, {})
        kind = "osr@%s" % q.get("osr_bci") if q.get("compile_kind") == "osr" else "   "
        trap_text = "; ".join("%s/%s %s" % (tr.get("reason"), tr.get("action"), tr.get("where", "")) for tr in
                              traps.get(cid, []))
        rows.append((float(q["stamp"]), "%7.2f  L%d %-7s %-60s inst %s  %5s ms  invocations %s/%s backedges %s"
                     "  not entrant %s  %s" % (
                         float(q["stamp"]), level(cid, queued, done, tasks), kind, short(m)[:60],
                         "%7.2f" % float(d["stamp"]) if d else "   none",
                         "%.0f" % ((t["end"] - float(t["stamp"])) * 1e3) if "end" in t else "?",
                         q.get("count", "?"), q.get("iicount", "?"), q.get("backedge_count", "-"),
                         ",".join("%.2f" % s for s in unentrant.get(cid, [])) or "-", trap_text)))
    print("queued   tier kind    method%s installed  compile  counters at queueing  made not entrant  traps" % (" " * 55))
    for _, text in sorted(rows):
        print(text)


# Short label: the end of the method's "Class.method" name (jobs/jit-timeline.py --keys).
KEY = {"scan loop (train)": "GroupedFold$PartitionFold.call",
       "row update": "GroupedFold$Groups.add",
       "Sums.add": "PixelSumsFold$Sums.add", "PixelAdd": "PixelAdd$Simd.add",
       "readBinary": "VectorizedPlainValuesReader.readBinary",
       "generated loop": "GeneratedIteratorForCodegenStage1.processNext",
       "generated per-row": "GeneratedIteratorForCodegenStage1.project_doConsume_0$",
       "kernel": "VectorDistanceKernel.sums", "nearest": "NearestIdeal.nearest"}


def keys(path, windows):
    """One line per stage and key method: seconds from the stage's start to its first C2 code (OSR or not), the
    calls (loop iterations for an OSR compilation) counted when C2 was asked for it, C2 compilations and C2 code
    made not entrant during the stage."""
    queued, done, tasks, unentrant, traps = read(path)
    print("## %s" % path)
    for stage, a, b in windows:
        cells = []
        for label, key in KEY.items():
            ids = [cid for cid, q in queued.items() if short(q.get("method", "")).endswith(key)
                   and level(cid, queued, done, tasks) == 4 and cid in done and a <= float(done[cid]["stamp"]) < b]
            if not ids:
                continue
            cid0 = min(ids, key=lambda c: float(done[c]["stamp"]))
            q = queued[cid0]
            # Calls (or loop iterations, for a loop's on-stack compilation) counted when C2 was asked for it.
            counted = q.get("backedge_count") if q.get("compile_kind") == "osr" else q.get("count")
            thrown = sum(1 for cid in ids for t in unentrant.get(cid, []) if a <= t < b)
            cells.append("%s %.1fs at %sk%s, c2 x%d, thrown %d" % (
                label, float(done[cid0]["stamp"]) - a, int(counted or 0) // 1000,
                " loops" if q.get("compile_kind") == "osr" else "", len(ids), thrown))
        print("%-13s %s" % (stage, " | ".join(cells)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stages", help="ScoreSpread's output (stage=... uptime_s=a-b lines, '== ' per JVM)")
    p.add_argument("--match", default=HOT)
    p.add_argument("--keys", action="store_true", help="only the key methods' first C2 code per stage")
    p.add_argument("logs", nargs="+")
    args = p.parse_args()
    windows = stages_of(args.stages) if args.stages else []
    for i, path in enumerate(args.logs):
        if args.keys:
            keys(path, windows[i] if i < len(windows) else [])
        else:
            report(path, windows[i] if i < len(windows) else [], re.compile(args.match))


if __name__ == "__main__":
    sys.exit(main())
