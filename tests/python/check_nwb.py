#!/usr/bin/env python3
"""Opens brainweave's NWB and SONATA files with h5py (and, where HDMF is installed, validates the
NWB files against the specifications cached inside them, as pynwb's validator does).

    python3 tests/python/check_nwb.py FILE.nwb [...] [--sonata SPIKES.h5 ...]

Exit status 0 when every file passes, 1 otherwise; 77 (skip) when h5py is missing.
"""
import json, sys

try:
    import h5py
except ImportError:
    print("h5py is not installed: skipped")
    sys.exit(77)


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check_nwb(path):
    with h5py.File(path, "r") as f:
        a = f.attrs
        if a.get("nwb_version") != "2.7.0" or a.get("neurodata_type") != "NWBFile" or a.get("namespace") != "core":
            fail("%s: root attributes %r" % (path, dict(a)))
        spec = f[a[".specloc"]]
        for ns, version in [("core", "2.7.0"), ("hdmf-common", "1.8.0"), ("simulation_output", "0.2.0")]:
            text = spec["%s/%s/namespace" % (ns, version)][()]
            doc = json.loads(text)
            for entry in doc["namespaces"][0]["schema"]:
                if "source" in entry:
                    json.loads(spec["%s/%s/%s" % (ns, version, entry["source"])][()])
        for name in ["file_create_date", "identifier", "session_description", "session_start_time",
                     "timestamps_reference_time"]:
            if name not in f:
                fail("%s: no /%s" % (path, name))
        notes = f["general/notes"][()].decode()
        if notes.startswith("INCOMPLETE"):
            fail("%s: marked incomplete" % path)
        series = 0
        def visit(name, obj):
            nonlocal series
            t = obj.attrs.get("neurodata_type")
            if t in ("TimeSeries", "CompartmentSeries"):
                series += 1
                d = obj["data"]
                n = d.shape[0]
                if "timestamps" in obj and obj["timestamps"].shape[0] != n:
                    fail("%s: %s has %d samples but %d time stamps" % (path, name, n, obj["timestamps"].shape[0]))
            if t == "Units":
                idx = obj["spike_times_index"][()]
                if len(idx) != len(obj["id"]) or (len(idx) and idx[-1] != len(obj["spike_times"])):
                    fail("%s: Units index does not match spike_times" % path)
                if f[obj["spike_times_index"].attrs["target"]].name != obj["spike_times"].name:
                    fail("%s: spike_times_index.target does not point to spike_times" % path)
        f.visititems(visit)
        print("h5py: %s: NWB %s, %d series%s" % (path, a["nwb_version"], series, ", Units" if "units" in f else ""))
    validate_with_hdmf(path)


def validate_with_hdmf(path):
    """HDMF's validator (what pynwb's validator runs) on the file's own cached specifications.

    pynwb is not packaged for Debian, HDMF is; NWB's spec language names types with
    neurodata_type* keys where HDMF's generic classes expect data_type*, so a copy of the file with
    those keys renamed (in the cached specifications and the objects' attributes) is validated."""
    try:
        from hdmf.spec import NamespaceCatalog
        from hdmf.backends.hdf5 import HDF5IO
        from hdmf.build import BuildManager, TypeMap
        from hdmf.validate import ValidatorMap
    except ImportError:
        print("hdmf is not installed: NWB validation against the cached specifications skipped")
        return
    import os, shutil, tempfile
    tmp = tempfile.mkdtemp()
    copy = os.path.join(tmp, "generic.h5")
    shutil.copy(path, copy)
    with h5py.File(copy, "r+") as f:
        spec = f[f.attrs[".specloc"]]
        def rename_spec(name, obj):
            if isinstance(obj, h5py.Dataset):
                text = obj[()].decode() if isinstance(obj[()], bytes) else obj[()]
                text = text.replace('"neurodata_type_def"', '"data_type_def"').replace('"neurodata_type_inc"', '"data_type_inc"')
                del spec[name]
                spec.create_dataset(name, data=text, dtype=h5py.string_dtype())
        names = []
        spec.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
        for n in names:
            rename_spec(n, spec[n])
        def rename_attrs(obj):
            if "neurodata_type" in obj.attrs:
                obj.attrs["data_type"] = obj.attrs["neurodata_type"]
                del obj.attrs["neurodata_type"]
        rename_attrs(f)
        f.visititems(lambda n, o: None if n.startswith(spec.name.strip("/")) else rename_attrs(o))
    catalog = NamespaceCatalog()
    HDF5IO.load_namespaces(catalog, copy)
    problems = []
    with HDF5IO(copy, mode="r", manager=BuildManager(TypeMap(catalog))) as io:
        builder = io.read_builder()
        problems += ValidatorMap(catalog.get_namespace("core")).validate(builder)
        ext = ValidatorMap(catalog.get_namespace("simulation_output"))
        def walk(b):
            for g in b.groups.values():
                if g.attributes.get("namespace") == "simulation_output":
                    problems.extend(ext.validate(g))
                walk(g)
        walk(builder)
    shutil.rmtree(tmp)
    if problems:
        for e in problems:
            print("  ", e)
        fail("%s: HDMF validation found %d problems" % (path, len(problems)))
    print("hdmf: %s: valid against its cached specifications (core 2.7.0, simulation_output 0.2.0)" % path)


def check_sonata(path):
    with h5py.File(path, "r") as f:
        if f.attrs.get("magic") != 0x0A7A or list(f.attrs.get("version")) != [0, 1]:
            fail("%s: SONATA root attributes %r" % (path, dict(f.attrs)))
        if f.attrs.get("status") != "complete":
            fail("%s: marked %r" % (path, f.attrs.get("status")))
        if "spikes" in f:
            for name, g in f["spikes"].items():
                n = g["timestamps"].shape[0]
                if g["node_ids"].shape[0] != n or g["timestamps"].attrs["units"] != "ms":
                    fail("%s: population %s malformed" % (path, name))
                sorting = h5py.check_enum_dtype(g.attrs.get_id("sorting").dtype)
                if sorting is None:
                    fail("%s: sorting of %s is not an enumeration" % (path, name))
                print("h5py: %s: population %s, %d spikes" % (path, name, n))
        if "report" in f:
            for name, g in f["report"].items():
                m = g["mapping"]
                ptr = m["index_pointers"][()]
                if len(ptr) != len(m["node_ids"]) + 1 or g["data"].shape[1] != ptr[-1]:
                    fail("%s: report %s mapping does not match data" % (path, name))
                t = m["time"][()]
                frames = int(round((t[1] - t[0]) / t[2]))
                if frames != g["data"].shape[0]:
                    fail("%s: report %s time %r does not match %d frames" % (path, name, t, g["data"].shape[0]))
                print("h5py: %s: report %s, %d frames of %d elements" % (path, name, frames, ptr[-1]))


def main(args):
    sonata = False
    if not args:
        sys.exit(__doc__)
    for a in args:
        if a == "--sonata":
            sonata = True
        elif sonata:
            check_sonata(a)
        else:
            check_nwb(a)


if __name__ == "__main__":
    main(sys.argv[1:])
