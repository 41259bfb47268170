#!/usr/bin/env python3
"""Copies the small pieces of the reference cases that the tests need into tests/data.

A maintainer's tool, never run by the build or the tests (they read only tests/data). Run it from
the repository root with a checkout of the reference set as argument, e.g.:
    python3 tests/data/make_fixtures.py ../shared/reference/tvb
    python3 tests/data/make_fixtures.py --brian2 ../shared/reference/brian2
    python3 tests/data/make_fixtures.py --lfp ../shared/reference/lfp
    python3 tests/data/make_fixtures.py --spike-analysis ../shared/reference/spike_analysis
    python3 tests/data/make_fixtures.py --surface ../shared
TVB cases go to tests/data/tvb; Brian 2 cases to tests/data/brian2, every array gzipped (the runner
reads NAME.npy.gz), without the reference traces listed in BRIAN2_DROP. LFP cases go to tests/data/lfp,
gzipped likewise, without the files in LFP_DROP and with the membrane-potential rows thinned as
LFP_VMEM_EVERY says (vmem.npy and vmem_index.npy together). Spike-analysis cases (small) are copied
whole to tests/data/spike_analysis. Surfaces: the 16k cortex, its region mapping and tvb-data's
local connectivity (.mat) are copied to tests/data/surfaces with, from the g2d_surface case's CSR
of that matrix, its shape, number of entries, row sums and every 197th entry (local_connectivity_check.json);
the g2d_surface case goes to tests/data/tvb_surface/g2d_surface in compact form: its initial history
averaged to regions (initial_history_regions.npy, summed in vertex order and divided by the count, as
TVB) with the last step's vertex state (initial_state.npy.gz), the local connectivity by reference to
tests/data/surfaces' .mat (equal to the case's CSR), and the monitors' outputs at every
SURFACE_SAMPLE-th vertex (vertex_sample.npy).
Long cases may be cut to their first N steps (inputs and outputs alike, values unchanged); the
case's meta.json then records "steps": N and "steps_in_reference". Needs only the standard library.
"""
import ast, json, os, shutil, struct, sys

CASES = {  # case -> number of steps kept (None = all)
    "g2d_monitors": None,
    "g2d_heun_stochastic": 200,
    "rww_linear": None,
    "suphopf_difference": None,
    # Ill-conditioned reference (round-off grows 2-5x per step, see docs/tvb_parity.md): the
    # first 12 steps are within tolerance of TVB, later steps depend on NumPy's libm.
    "kuramoto_kuramoto": 12,
    "rww_bold": None,
}
BRIAN2_CASES = ["lif_feedforward", "adex_step", "cuba_4000"]
# Reference traces of the chaotic CUBA case (0.7 MB) are left out: its check uses spikes and statistics.
BRIAN2_DROP = {"cuba_4000": ["trace_v.npy", "trace_ge.npy", "trace_gi.npy"]}
LFP_CASES = ["ballstick", "l5_pyramid"]
# The pyramidal cell's transmembrane currents (8.6 MB) are checked through the forward models'
# outputs (linear maps of them); its M_linesource/M_pointsource through lfp_*; node_xyz is unused.
LFP_DROP = {"l5_pyramid": ["imem.npy", "M_linesource.npy", "M_pointsource.npy", "node_xyz.npy"]}
LFP_VMEM_EVERY = {"l5_pyramid": 4}
# case -> monitors kept (default: all); rww_bold's TemporalAverage (1.2 MB) is left out, its Bold
# output is what the fixture is for.
MONITORS = {"rww_bold": ["Bold"]}

def load(path):
    b = open(path, "rb").read()
    hl = struct.unpack("<H", b[8:10])[0]
    header = ast.literal_eval(b[10:10 + hl].decode())
    return header, b[10 + hl:]

def save(path, header, payload):
    h = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (header["descr"], repr(tuple(header["shape"])))
    h += " " * ((64 - (10 + len(h) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + payload)

def main(src):
    for case, steps in CASES.items():
        s, d = os.path.join(src, case), os.path.join("tests/data/tvb", case)
        os.makedirs(d, exist_ok=True)
        meta = json.load(open(os.path.join(s, "meta.json")))
        for f in ["weights.npy", "idelays.npy", "initial_history.npy"]:
            shutil.copy(os.path.join(s, f), d)
        horizon, dt = meta["horizon"], meta["integrator"]["dt"]
        if os.path.exists(os.path.join(s, "noise_draws.npy")):
            h, p = load(os.path.join(s, "noise_draws.npy"))
            if steps:
                per = len(p) // h["shape"][0]
                h["shape"] = (steps,) + tuple(h["shape"][1:])
                p = p[: steps * per]
            save(os.path.join(d, "noise_draws.npy"), h, p)
        if case in MONITORS:
            meta["monitors_in_reference"] = [m["monitor"] for m in meta["monitors"]]
            meta["monitors"] = [m for m in meta["monitors"] if m["monitor"] in MONITORS[case]]
        for m in meta["monitors"]:
            ht, pt = load(os.path.join(s, m["time"]))
            hd, pd = load(os.path.join(s, m["data"]))
            if steps:
                times = struct.unpack("<%dd" % ht["shape"][0], pt)
                keep = [k for k, t in enumerate(times) if round(t / dt) < horizon + steps]
                per = len(pd) // hd["shape"][0]
                pt = b"".join(pt[8 * k: 8 * k + 8] for k in keep)
                pd = b"".join(pd[per * k: per * (k + 1)] for k in keep)
                ht["shape"] = (len(keep),)
                hd["shape"] = (len(keep),) + tuple(hd["shape"][1:])
                m["shape"] = list(hd["shape"])
            save(os.path.join(d, m["time"]), ht, pt)
            save(os.path.join(d, m["data"]), hd, pd)
        if steps:
            meta["steps_in_reference"] = meta["steps"]
            meta["steps"] = steps
        json.dump(meta, open(os.path.join(d, "meta.json"), "w"), indent=1)

def brian2(src):
    import gzip
    for case in BRIAN2_CASES:
        s, d = os.path.join(src, case), os.path.join("tests/data/brian2", case)
        os.makedirs(d, exist_ok=True)
        shutil.copy(os.path.join(s, "meta.json"), d)
        for f in sorted(os.listdir(s)):
            if f.endswith(".npy") and f not in BRIAN2_DROP.get(case, []):
                with open(os.path.join(s, f), "rb") as i, gzip.GzipFile(os.path.join(d, f + ".gz"), "wb", 9, mtime=0) as o:
                    o.write(i.read())

def lfp(src):
    import gzip
    os.makedirs("tests/data/lfp", exist_ok=True)
    shutil.copy(os.path.join(src, "expsyni_ev.mod"), "tests/data/lfp")  # the synapse the cases cite
    for case in LFP_CASES:
        s, d = os.path.join(src, case), os.path.join("tests/data/lfp", case)
        os.makedirs(d, exist_ok=True)
        for f in ["meta.json", "morphology.swc"]:
            shutil.copy(os.path.join(s, f), d)
        every = LFP_VMEM_EVERY.get(case, 1)
        for f in sorted(os.listdir(s)):
            if not f.endswith(".npy") or f in LFP_DROP.get(case, []):
                continue
            h, p = load(os.path.join(s, f))
            if f in ("vmem.npy", "vmem_index.npy") and every > 1:
                rows = h["shape"][0]
                per = len(p) // rows
                p = b"".join(p[per * r: per * (r + 1)] for r in range(0, rows, every))
                h["shape"] = (len(range(0, rows, every)),) + tuple(h["shape"][1:])
            tmp = os.path.join(d, f)
            save(tmp, h, p)
            with open(tmp, "rb") as i, gzip.GzipFile(tmp + ".gz", "wb", 9, mtime=0) as o:
                o.write(i.read())
            os.remove(tmp)

def spike_analysis(src):
    for case in sorted(os.listdir(src)):
        d = os.path.join("tests/data/spike_analysis", case)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(os.path.join(src, case), d)

SURFACE_SAMPLE = 64

def doubles(path):
    h, p = load(path)
    return h, list(struct.unpack("<%dd" % (len(p) // 8), p))

def pack(values):
    return struct.pack("<%dd" % len(values), *values)

def surface_case(shared):
    import gzip
    s = os.path.join(shared, "reference/tvb_surface/g2d_surface")
    d = "tests/data/tvb_surface/g2d_surface"
    os.makedirs(d, exist_ok=True)
    meta = json.load(open(os.path.join(s, "meta.json")))
    for f in ["weights.npy", "idelays.npy"]:
        shutil.copy(os.path.join(s, f), d)
    h, hist = doubles(os.path.join(s, "initial_history.npy"))
    nt, ns, nv, nm = h["shape"]
    rmap = [int(x) for x in open(os.path.join(shared, meta["region_mapping"])).read().split()]
    nr = max(rmap) + 1
    count = [0] * nr
    for r in rmap:
        count[r] += 1
    regions = []
    for t in range(nt):
        for v in range(ns):
            for m in range(nm):
                acc = [0.0] * nr
                base = (t * ns + v) * nv * nm
                for i in range(nv):
                    acc[rmap[i]] += hist[base + i * nm + m]
                regions.append([a / c for a, c in zip(acc, count)])
    # (nt, ns, nr, nm) in C order
    flat = []
    for t in range(nt):
        for v in range(ns):
            rows = [regions[(t * ns + v) * nm + m] for m in range(nm)]
            for r in range(nr):
                for m in range(nm):
                    flat.append(rows[m][r])
    save(os.path.join(d, "initial_history_regions.npy"), {"descr": "<f8", "shape": (nt, ns, nr, nm)}, pack(flat))
    last = hist[(nt - 1) * ns * nv * nm:]
    with gzip.GzipFile(os.path.join(d, "initial_state.npy.gz"), "wb", 9, mtime=0) as o:
        tmp = os.path.join(d, "tmp.npy")
        save(tmp, {"descr": "<f8", "shape": (ns, nv, nm)}, pack(last))
        o.write(open(tmp, "rb").read())
        os.remove(tmp)
    sample = list(range(0, nv, SURFACE_SAMPLE))
    save(os.path.join(d, "vertex_sample.npy"), {"descr": "<i8", "shape": (len(sample),)},
         struct.pack("<%dq" % len(sample), *sample))
    for m in meta["monitors"]:
        shutil.copy(os.path.join(s, m["time"]), d)
        hd, data = doubles(os.path.join(s, m["data"]))
        n, nvar, nsp, nmo = hd["shape"]
        out = []
        for k in range(n):
            for v in range(nvar):
                for i in sample:
                    for mo in range(nmo):
                        out.append(data[((k * nvar + v) * nsp + i) * nmo + mo])
        save(os.path.join(d, m["data"]), {"descr": "<f8", "shape": (n, nvar, len(sample), nmo)}, pack(out))
    meta["initial_history"] = {"regions": "initial_history_regions.npy", "state": "initial_state.npy"}
    # files of tests/data/surfaces, named from the case folder (the runner looks there first)
    meta["region_mapping"] = "../../surfaces/" + os.path.basename(meta["region_mapping"])
    meta["local_connectivity_file"] = "../../surfaces/local_connectivity_16384.mat"
    meta["vertex_sample"] = "vertex_sample.npy"
    json.dump(meta, open(os.path.join(d, "meta.json"), "w"), indent=1)

def surface(shared):
    d = "tests/data/surfaces"
    os.makedirs(d, exist_ok=True)
    for f in ["cortex_16384.zip", "regionMapping_16k_76.txt", "local_connectivity_16384.mat"]:
        shutil.copy(os.path.join(shared, "data/surfaces", f), d)
    case = os.path.join(shared, "reference/tvb_surface/g2d_surface")
    arrays = {}
    for name in ["data", "indices", "indptr"]:
        h, p = load(os.path.join(case, "local_connectivity_%s.npy" % name))
        fmt = {"<f8": "d", "<i4": "i", "<i8": "q"}[h["descr"]]
        arrays[name] = struct.unpack("<%d%s" % (len(p) // struct.calcsize(fmt), fmt), p)
    data, indices, indptr = arrays["data"], arrays["indices"], arrays["indptr"]
    rows = len(indptr) - 1
    entries = []
    for r in range(rows):
        for k in range(indptr[r], indptr[r + 1]):
            if k % 197 == 0:
                entries.append([r, indices[k], data[k]])
    row_sums = [sum(data[indptr[r]:indptr[r + 1]]) for r in range(0, rows, 97)]
    json.dump({"source": "reference/tvb_surface/g2d_surface/local_connectivity_{data,indices,indptr}.npy (CSR, row = target)",
               "shape": [rows, rows], "nnz": len(data), "entries": entries, "row_sums_every_97th": row_sums},
              open(os.path.join(d, "local_connectivity_check.json"), "w"))
    surface_case(shared)

if __name__ == "__main__":
    if sys.argv[1] == "--brian2":
        brian2(sys.argv[2])
    elif sys.argv[1] == "--lfp":
        lfp(sys.argv[2])
    elif sys.argv[1] == "--spike-analysis":
        spike_analysis(sys.argv[2])
    elif sys.argv[1] == "--surface":
        surface(sys.argv[2])
    else:
        main(sys.argv[1])
