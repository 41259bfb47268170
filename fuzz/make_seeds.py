#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz corpora (fuzz/corpus/<target>/seed_*): small valid inputs
of every loader, from which libFuzzer starts. Inputs the fuzzer finds interesting are added next
to them by `scripts/fuzz.sh --update-corpus`. Run from the repository root:

    python3 fuzz/make_seeds.py
"""
import io
import json
import pathlib
import struct
import zipfile
import zlib

ROOT = pathlib.Path(__file__).resolve().parent / "corpus"


def put(target, name, data):
    d = ROOT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def npy(shape, values, descr="<f8"):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join("%d," % s for s in shape) if len(shape) == 1 else ", ".join(str(s) for s in shape))
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * pad + "\n"
    fmt = {"<f8": "<%dd", "<i8": "<%dq", "<f4": "<%df", "<i4": "<%di"}[descr]
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + struct.pack(fmt % len(values), *values)


def zipped(files, compress=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compress) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return b.getvalue()


def mat_sparse(rows, cols, entries, name="L", compressed=False):
    """A MATLAB level-5 MAT-file holding one sparse double matrix; entries: (row, col, value)."""
    entries = sorted(entries, key=lambda e: (e[1], e[0]))
    ir = [r for r, _, _ in entries]
    pr = [v for _, _, v in entries]
    jc = [0] * (cols + 1)
    for _, c, _ in entries:
        jc[c + 1] += 1
    for c in range(cols):
        jc[c + 1] += jc[c]

    def element(dtype, payload):
        pad = (8 - len(payload) % 8) % 8
        return struct.pack("<II", dtype, len(payload)) + payload + b"\0" * pad

    body = (element(6, struct.pack("<II", 5, max(1, len(entries))))  # array flags: mxSPARSE_CLASS, nzmax
            + element(5, struct.pack("<ii", rows, cols))
            + element(1, name.encode())
            + element(5, struct.pack("<%di" % len(ir), *ir))
            + element(5, struct.pack("<%di" % len(jc), *jc))
            + element(9, struct.pack("<%dd" % len(pr), *pr)))
    matrix = struct.pack("<II", 14, len(body)) + body
    if compressed:
        z = zlib.compress(matrix)
        matrix = struct.pack("<II", 15, len(z)) + z
    text = b"MATLAB 5.0 MAT-file, written by brainweave fuzz/make_seeds.py"
    header = text + b" " * (116 - len(text)) + b"\0" * 8 + struct.pack("<H", 0x0100) + b"IM"
    return header + matrix


def record(name, kind, size, values):
    """One record of a brainweave serial archive (core/serialize.hpp)."""
    n = name.encode()
    if kind == 5:
        payload, count = values.encode(), len(values)
    elif kind in (6, 7):
        payload, count = b"", values
    else:
        fmt = {1: "d", 2: "f", 3: "q", 4: "Q"}[kind]
        payload, count = struct.pack("<%d%s" % (len(values), fmt), *values), len(values)
    return struct.pack("<I", len(n)) + n + struct.pack("<BIQ", kind, size, count) + payload


def main():
    put("npy", "seed_2x3", npy((2, 3), [1, 2, 3, 4, 5, 6]))
    put("npy", "seed_vector_int", npy((4,), [1, -2, 3, 4], "<i8"))
    put("npy", "seed_float32", npy((2, 2), [0.5, 1.5, 2.5, 3.5], "<f4"))

    conn = {"weights.txt": "0 1 2\n1 0 0.5\n2 0.5 0\n", "tract_lengths.txt": "0 10 20\n10 0 5\n20 5 0\n",
            "centres.txt": "A 1 2 3\nB 4 5 6\nC 7 8 9\n", "cortical.txt": "1\n1\n0\n", "hemispheres.txt": "0\n1\n1\n"}
    put("tvb_connectivity", "seed_3_regions.zip", zipped(conn))
    put("tvb_connectivity", "seed_stored.zip", zipped({"weights.txt": "0 1\n1 0\n", "tract_lengths.txt": "0 3\n3 0\n"},
                                                        zipfile.ZIP_STORED))
    tetra = {"vertices.txt": "0 0 0\n1 0 0\n0 1 0\n0 0 1\n", "triangles.txt": "0 2 1\n0 1 3\n0 3 2\n1 2 3\n",
             "normals.txt": "-1 -1 -1\n1 0 0\n0 1 0\n0 0 1\n"}
    put("tvb_surface", "seed_tetrahedron.zip", zipped(tetra))
    put("region_mapping", "seed_8", "0 1 2 3 3 2 1 0\n")
    put("region_mapping", "seed_8_lines", "0\n1\n2\n3\n0\n1\n2\n3\n")
    lap = [(0, 0, -2.0), (1, 0, 1.0), (0, 1, 1.0), (1, 1, -2.0), (2, 1, 1.0), (1, 2, 1.0), (2, 2, -2.0)]
    put("mat", "seed_sparse_3x3", mat_sparse(3, 3, lap))
    put("mat", "seed_sparse_compressed", mat_sparse(3, 3, lap, compressed=True))
    put("swc", "seed_ballstick", "# ball and stick\n1 1 0 0 0 10 -1\n2 3 0 10 0 1 1\n3 3 0 20 0 1 2\n4 3 0 30 0 1 3\n")
    put("sensors", "seed_3_eeg", "Fp1 -0.3 0.9 0.1\nFp2 0.3 0.9 0.1\nCz 0 0 1\n")
    put("sensors", "seed_meg", "MEG1 0.1 0.2 1.1 0 0 1\nMEG2 0.2 -0.1 1.1 0 0 1\n")
    put("spikes", "seed_nest", "# NEST\nsender time_ms\n1 0.5\n2 1.25\n1 3.0\n")
    put("xml", "seed_nested", '<?xml version="1.0"?>\n<a x="1"><!-- c --><b y=\'2\'>text &amp; more</b><c/></a>\n')
    nml = """<?xml version="1.0" encoding="UTF-8"?>
<neuroml xmlns="http://www.neuroml.org/schema/neuroml2" id="ff">
  <spikeArray id="input_0_spikes">
    <spike id="0" time="17.4ms"/>
    <spike id="1" time="55.6ms"/>
  </spikeArray>
  <IF_curr_exp id="output_cell" cm="0.1" v_rest="-70" v_reset="-70" v_thresh="-55" tau_refrac="2" i_offset="0" tau_syn_E="2" tau_syn_I="2" tau_m="10" v_init="-70"/>
  <expCurrSynapse id="output_ex" tau_syn="2"/>
  <expCurrSynapse id="output_in" tau_syn="2"/>
  <network id="ff_net">
    <population id="input_0" component="input_0_spikes" size="1">
      <property tag="brainweave:group" value="input"/>
      <property tag="brainweave:unit" value="0"/>
    </population>
    <population id="output" component="output_cell" size="4"/>
    <projection id="input_to_output_ex" presynapticPopulation="input_0" postsynapticPopulation="output" synapse="output_ex">
      <connectionWD id="0" preCellId="../input_0[0]" postCellId="../output[0]" weight="0.27" delay="1.7ms"/>
      <connectionWD id="1" preCellId="../input_0[0]" postCellId="../output[3]" weight="0.26" delay="3ms"/>
    </projection>
  </network>
</neuroml>
"""
    put("neuroml", "seed_network.nml", nml)
    lems = ('<Lems>\n  <Dimension name="time" t="1"/>\n  <Dimension name="voltage" m="1" l="2" t="-3" i="-1"/>\n'
            '  <Unit symbol="ms" dimension="time" power="-3"/>\n'
            '  <ComponentType name="leaky">\n    <Parameter name="tau" dimension="time"/>\n'
            '    <Exposure name="v" dimension="voltage"/>\n    <Dynamics>\n'
            '      <StateVariable name="v" dimension="voltage" exposure="v"/>\n'
            '      <TimeDerivative variable="v" value="-v/tau"/>\n'
            '      <OnCondition test="v .gt. 1"><StateAssignment variable="v" value="0"/></OnCondition>\n'
            '    </Dynamics>\n  </ComponentType>\n  <leaky id="c" tau="10ms"/>\n</Lems>\n')
    put("lems", "seed_component.xml", lems)
    for k, e in enumerate(["-v/tau + I*exp(-t/2)", "(a .gt. b) .and. (c .leq. 3)", "sqrt(abs(x))^2 - 1e-3*H(y)"]):
        put("lems_expression", "seed_%d" % k, e)
    put("spec", "seed_weights.json", json.dumps({
        "connectivity": {"path": "c3", "speed": 2.5}, "model": {"name": "Generic2dOscillator",
        "parameters": {"a": -0.5}}, "coupling": {"name": "Linear", "parameters": {"a": 0.01}},
        "integrator": {"name": "HeunStochastic", "dt": 0.1, "noise": {"name": "Additive", "nsig": [0.001], "seed": 3}},
        "monitors": [{"name": "TemporalAverage", "period": 1.0, "variables_of_interest": [0]},
                     {"name": "Bold", "period": 500, "hrf_kernel": {"name": "Gamma", "tau": 1.08}}],
        "length": 100, "seed": 42}, indent=1))
    put("spec", "seed_path.json", json.dumps({"connectivity": "c3", "speed": 4.0, "model": "ReducedWongWang",
        "coupling": "Linear", "integrator": "HeunDeterministic", "monitors": [{"name": "Raw"}], "steps": 10}))
    out = (record("output", 7, 0, 0) + record("output/n_var", 4, 8, [1]) + record("output/n_space", 4, 8, [2])
           + record("output/n_modes", 4, 8, [1]) + record("output/variables", 6, 0, 1) + record("output/variables/item", 5, 1, "V")
           + record("output/time", 1, 8, [0.5, 1.5]) + record("output/data", 1, 8, [1.0, 2.0, 3.0, 4.0])
           + record("lists", 6, 0, 2) + record("lists/item", 1, 8, [1.0]) + record("lists/item", 1, 8, [])
           + record("text", 5, 1, "hello"))
    put("archive", "seed_output", out)


if __name__ == "__main__":
    main()
