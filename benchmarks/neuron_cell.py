#!/usr/bin/env python3
"""Times NEURON on the cell that bench_lfp describes in a JSON file (sections with 3-D points,
parents, nseg; passive properties; synapses with their spike times; the LFP mapping matrix), the
way LFPy runs it: fixed-step backward Euler, i_membrane_ of every segment recorded into Vectors,
then the LFP as M @ imem. Prints the median wall time of `reps` runs (seconds) as
"neuron_seconds <t> segments <n>". Needs Debian's python3-neuron."""
import json, sys, time

import numpy as np
from neuron import h

def main(path, reps):
    d = json.load(open(path))
    h.load_file("stdrun.hoc")
    secs = []
    for s in d["sections"]:
        sec = h.Section(name=s["name"])
        for p in s["points"]:
            h.pt3dadd(p[0], p[1], p[2], p[3], sec=sec)
        secs.append(sec)
    for s, sec in zip(d["sections"], secs):
        if s["parent"] >= 0:
            sec.connect(secs[s["parent"]](s["parent_x"]), 0)
    p = d["passive"]
    for s, sec in zip(d["sections"], secs):
        sec.nseg = s["nseg"]
        sec.Ra = p["Ra"]
        sec.cm = p["cm"]
        sec.insert("pas")
        for seg in sec:
            seg.pas.g = 1.0 / p["rm"]
            seg.pas.e = p["e_pas"]
    segs = [seg for sec in secs for seg in sec]
    assert len(segs) == d["segments"], (len(segs), d["segments"])
    # Current-like synapses with NEURON's built-in ExpSyn: reversal far away, weight scaled to match.
    syns, netcons = [], []
    for sy in d["synapses"]:
        syn = h.ExpSyn(secs[sy["section"]](sy["x"]))
        syn.tau = sy["tau"]
        syn.e = 1e4
        nc = h.NetCon(None, syn)
        nc.weight[0] = sy["weight"] / 1e4
        syns.append(syn)
        netcons.append((nc, sy["times"]))
    def deliver():
        for nc, times in netcons:
            for t in times:
                nc.event(t)
    fih = h.FInitializeHandler(deliver)
    h.cvode.active(0)
    h.cvode.use_fast_imem(1)
    h.secondorder = 0
    h.dt = d["dt"]
    h.tstop = d["tstop"]
    recs = []
    for seg in segs:
        v = h.Vector()
        v.record(seg._ref_i_membrane_)
        recs.append(v)
    M = np.array(d["M"])
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        h.finitialize(p["v_init"])
        h.continuerun(h.tstop)
        imem = np.array([np.array(v) for v in recs])
        lfp = M @ imem
        times.append(time.perf_counter() - t0)
    times.sort()
    print("neuron_seconds %.6f segments %d samples %d" % (times[len(times) // 2], len(segs), lfp.shape[1]))

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
