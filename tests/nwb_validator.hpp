#pragma once
// A validator for NWB files driven by the specifications the file itself caches (the YAML schema
// texts of NWB core 2.7.0, hdmf-common 1.8.0 and simulation_output 0.2.0, as JSON): for every
// object with a neurodata_type it checks, following the type's inheritance chain,
//   - every required attribute is present, has the spec's fixed `value` where one is given, and
//     a stored type of the spec's dtype class (text, float, integer, unsigned, object reference);
//   - every required named dataset, group and link is present (quantity 1 or '+');
//   - named datasets that are present: their attributes (as above), dtype class and rank (one of
//     the spec's shapes; fixed sizes must match);
//   - named untyped subgroups: recursively, as above.
// It returns a list of problems ("" = none), each naming the object path and the spec item.
#include <brainweave/io/hdf5/hdf5.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace bwtest {

namespace h5 = brainweave::hdf5;
using json = nlohmann::json;

class nwb_validator {
public:
    explicit nwb_validator(const h5::file& f) : f_(f) {
        const auto root = f.root();
        const std::string specloc = root.read_reference_attribute(".specloc");
        const auto specs = root.open(specloc);
        for (const auto& ns : specs.children()) {
            const auto nsg = specs.open(ns);
            for (const auto& version : nsg.children()) {
                const auto vg = nsg.open(version);
                for (const auto& src : vg.children()) {
                    if (src == "namespace") continue;
                    const json doc = json::parse(vg.open(src).read_strings().at(0));
                    for (const char* kind : {"groups", "datasets"})
                        if (doc.contains(kind))
                            for (const auto& s : doc[kind]) add_type(s, kind == std::string("groups"));
                }
            }
        }
    }

    bool knows(const std::string& type) const { return types_.count(type) > 0; }

    /// Validates every typed object in the file (except the cached specifications).
    std::vector<std::string> validate_all() {
        problems_.clear();
        walk(f_.root(), "/");
        return problems_;
    }

private:
    struct type_spec {
        json spec;
        bool group;
    };
    static std::string def_of(const json& s) {
        for (const char* k : {"neurodata_type_def", "data_type_def"})
            if (s.contains(k)) return s[k].get<std::string>();
        return {};
    }
    static std::string inc_of(const json& s) {
        for (const char* k : {"neurodata_type_inc", "data_type_inc"})
            if (s.contains(k)) return s[k].get<std::string>();
        return {};
    }
    void add_type(const json& s, bool group) {
        const std::string d = def_of(s);
        if (!d.empty()) types_[d] = {s, group};
        for (const char* kind : {"groups", "datasets"})
            if (s.contains(kind))
                for (const auto& c : s[kind]) add_type(c, kind == std::string("groups"));
    }

    void walk(const h5::object& o, const std::string& path) {
        if (o.has_attribute("neurodata_type")) check_typed(o, path, o.read_string_attribute("neurodata_type"));
        if (o.is_dataset()) return;
        for (const auto& c : o.children()) {
            const std::string p = (path == "/" ? "/" : path + "/") + c;
            if (p == "/specifications") continue;
            if (o.kind_of(c) == h5::kind::none || !o.link_target(c).empty()) continue;  // links are checked by their owner
            walk(o.open(c), p);
        }
    }

    /// The type's specs from the most derived to the base.
    std::vector<const json*> chain(std::string type, const std::string& where) {
        std::vector<const json*> out;
        while (!type.empty()) {
            auto it = types_.find(type);
            if (it == types_.end()) {
                problems_.push_back(where + ": type '" + type + "' is in no cached specification");
                break;
            }
            out.push_back(&it->second.spec);
            type = inc_of(it->second.spec);
        }
        return out;
    }

    void check_typed(const h5::object& o, const std::string& path, const std::string& type) {
        for (const char* a : {"namespace", "object_id"})
            if (!o.has_attribute(a)) problems_.push_back(path + ": no attribute '" + a + "'");
        const auto specs = chain(type, path);
        // Merge by name, the most derived definition first.
        std::map<std::string, const json*> attrs, datasets, groups, links;
        json merged_dtype, merged_shape;
        for (const json* s : specs) {
            for (auto [key, target] : {std::pair{"attributes", &attrs}, {"datasets", &datasets}, {"groups", &groups},
                                       {"links", &links}})
                if (s->contains(key))
                    for (const auto& item : (*s)[key])
                        if (item.contains("name")) target->emplace(item["name"].get<std::string>(), &item);
            if (merged_dtype.is_null() && s->contains("dtype")) merged_dtype = (*s)["dtype"];
            if (merged_shape.is_null() && s->contains("shape")) merged_shape = (*s)["shape"];
        }
        check_members(o, path, attrs, datasets, groups, links);
        if (o.is_dataset()) check_dataset_type(o, path, merged_dtype, merged_shape, !merged_shape.is_null());
    }

    void check_members(const h5::object& o, const std::string& path, const std::map<std::string, const json*>& attrs,
                       const std::map<std::string, const json*>& datasets, const std::map<std::string, const json*>& groups,
                       const std::map<std::string, const json*>& links) {
        for (const auto& [name, a] : attrs) check_attribute(o, path, name, *a);
        auto required = [](const json& s) {
            if (!s.contains("quantity")) return true;
            const auto& q = s["quantity"];
            return q.is_number() ? q.get<int>() >= 1 : q.get<std::string>() == "+";
        };
        for (const auto& [name, d] : datasets) {
            if (!o.exists(name)) {
                if (required(*d)) problems_.push_back(path + ": required dataset '" + name + "' is missing");
                continue;
            }
            const auto ds = o.open(name);
            const std::string p = path + "/" + name;
            std::map<std::string, const json*> sub;
            if (d->contains("attributes"))
                for (const auto& a : (*d)["attributes"]) sub.emplace(a["name"].get<std::string>(), &a);
            for (const auto& [an, a] : sub) check_attribute(ds, p, an, *a);
            if (inc_of(*d).empty()) check_dataset_type(ds, p, d->value("dtype", json()), d->value("shape", json()));
            else check_dataset_type(ds, p, d->value("dtype", json()), json(), false);  // shape: from its type
        }
        for (const auto& [name, g] : groups) {
            if (!o.exists(name)) {
                if (required(*g)) problems_.push_back(path + ": required group '" + name + "' is missing");
                continue;
            }
            if (!inc_of(*g).empty()) continue;  // typed: validated on its own by walk()
            const auto sg = o.open(name);
            std::map<std::string, const json*> a, d, gg, l;
            for (auto [key, target] : {std::pair{"attributes", &a}, {"datasets", &d}, {"groups", &gg}, {"links", &l}})
                if (g->contains(key))
                    for (const auto& item : (*g)[key])
                        if (item.contains("name")) target->emplace(item["name"].get<std::string>(), &item);
            check_members(sg, path + "/" + name, a, d, gg, l);
        }
        for (const auto& [name, l] : links) {
            const std::string target = o.exists(name) ? o.link_target(name) : "";
            if (target.empty()) {
                if (required(*l)) problems_.push_back(path + ": required link '" + name + "' is missing");
                continue;
            }
            const auto t = o.open(name);
            const std::string want = (*l)["target_type"].get<std::string>();
            if (!t.has_attribute("neurodata_type") || !is_a(t.read_string_attribute("neurodata_type"), want))
                problems_.push_back(path + "/" + name + ": link target is not a " + want);
        }
    }

    bool is_a(std::string type, const std::string& base) const {
        while (!type.empty()) {
            if (type == base) return true;
            auto it = types_.find(type);
            if (it == types_.end()) return false;
            type = inc_of(it->second.spec);
        }
        return false;
    }

    /// "text", "float", "int", "uint", "ref" or "" (anything) for a spec dtype.
    static std::string dtype_class(const json& dtype) {
        if (dtype.is_null()) return "";
        if (dtype.is_object()) return "ref";
        const std::string d = dtype.get<std::string>();
        if (d == "text" || d == "utf" || d == "utf8" || d == "utf-8" || d == "ascii" || d == "isodatetime" ||
            d == "datetime")
            return "text";
        if (d.rfind("float", 0) == 0 || d == "double") return "float";
        if (d.rfind("uint", 0) == 0) return "uint";
        if (d.rfind("int", 0) == 0 || d == "long" || d == "short") return "int";
        if (d == "numeric") return "numeric";
        return "";
    }
    static bool matches(H5T_class_t c, bool is_signed, const std::string& want) {
        if (want.empty()) return true;
        if (want == "text") return c == H5T_STRING;
        if (want == "float") return c == H5T_FLOAT;
        if (want == "int") return c == H5T_INTEGER;
        if (want == "uint") return c == H5T_INTEGER && !is_signed;
        if (want == "numeric") return c == H5T_INTEGER || c == H5T_FLOAT;
        if (want == "ref") return c == H5T_REFERENCE;
        return true;
    }

    void check_attribute(const h5::object& o, const std::string& path, const std::string& name, const json& a) {
        if (!o.has_attribute(name)) {
            if (a.value("required", true)) problems_.push_back(path + ": required attribute '" + name + "' is missing");
            return;
        }
        const std::string want = dtype_class(a.value("dtype", json()));
        const auto c = o.attribute_class(name);
        if (!matches(c, o.attribute_is_signed(name), want))
            problems_.push_back(path + ": attribute '" + name + "' is not of type " + want);
        if (a.contains("value")) {
            const json& v = a["value"];
            if (v.is_string() && (c != H5T_STRING || o.read_string_attribute(name) != v.get<std::string>()))
                problems_.push_back(path + ": attribute '" + name + "' must be '" + v.get<std::string>() + "'");
            if (v.is_number() && (c == H5T_STRING || o.read_numeric_attribute<double>(name).front() != v.get<double>()))
                problems_.push_back(path + ": attribute '" + name + "' must be " + v.dump());
        }
    }

    void check_dataset_type(const h5::object& d, const std::string& path, const json& dtype, const json& shape,
                            bool check_shape = true) {
        const std::string want = dtype_class(dtype);
        if (!matches(d.type_class(), d.type_is_signed(), want))
            problems_.push_back(path + ": stored type does not match dtype " + dtype.dump());
        if (!check_shape) return;
        if (shape.is_null()) {  // no shape in the spec: a scalar
            if (!d.shape().empty()) problems_.push_back(path + ": expected a scalar");
            return;
        }
        const auto dims = d.shape();
        std::vector<json> options;
        if (!shape.empty() && shape[0].is_array())
            for (const auto& s : shape) options.push_back(s);
        else
            options.push_back(shape);
        for (const auto& opt : options) {
            if (opt.size() != dims.size()) continue;
            bool ok = true;
            for (std::size_t k = 0; k < dims.size(); ++k)
                if (!opt[k].is_null() && opt[k].get<hsize_t>() != dims[k]) ok = false;
            if (ok) return;
        }
        problems_.push_back(path + ": shape of rank " + std::to_string(dims.size()) + " matches none of " + shape.dump());
    }

    const h5::file& f_;
    std::map<std::string, type_spec> types_;
    std::vector<std::string> problems_;
};

}  // namespace bwtest
