#pragma once
// A LEMS model read from files: ComponentTypes (flattened along `extends`), components (NeuroML2
// style <IF_curr_exp id=".." cm=".."/> or LEMS <Component id=".." type="..">, with nested child
// components), networks and simulations, following <Include> through a search path (the including
// file's folder first, then the given folders, e.g. NeuroML2CoreTypes).
#include <brainweave/core/error.hpp>
#include <brainweave/core/parse.hpp>
#include <brainweave/io/neuroml/quantities.hpp>
#include <brainweave/io/xml.hpp>
#include <brainweave/lems/expression.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace brainweave::lems {

struct action {
    enum class kind { assign, event_out, transition };
    kind what = kind::assign;
    std::string target;  ///< variable, port or regime
    expression value;    ///< assign
};

struct on_condition {
    expression test;
    std::vector<action> actions;
};

struct on_event {
    std::string port;
    std::vector<action> actions;
};

struct derived_variable {
    std::string name;
    expression value;                                     ///< plain derived variable
    std::string select, reduce;                           ///< select="synapses[*]/i" reduce="add"
    std::vector<std::pair<expression, expression>> cases; ///< conditional: (condition, or empty for the default; value)
};

struct regime {
    std::string name;
    bool initial = false;
    std::vector<std::pair<std::string, expression>> derivatives;
    std::vector<action> on_entry;
    std::vector<on_condition> conditions;
};

struct component_type {
    std::string name, extends, file;
    std::vector<std::string> parameters;
    std::vector<std::pair<std::string, expression>> derived_parameters;
    std::vector<std::pair<std::string, double>> constants;   ///< SI values
    std::vector<std::pair<std::string, double>> properties;  ///< name, default
    std::vector<std::string> requirements, exposures;
    std::vector<std::pair<std::string, std::string>> component_references;  ///< name, type
    std::vector<std::pair<std::string, std::string>> children;              ///< <Children>/<Child>: name, type
    std::vector<std::pair<std::string, std::string>> attachments;           ///< name, type
    bool has_dynamics = false;
    struct dynamics_def {
        std::vector<std::string> state_variables;
        std::vector<derived_variable> derived;
        std::vector<std::pair<std::string, expression>> derivatives;
        std::vector<action> on_start;
        std::vector<on_condition> conditions;
        std::vector<on_event> events;
        std::vector<regime> regimes;
    } dynamics;  ///< a type's own Dynamics replaces the one it extends
    std::vector<std::string> child_instances;  ///< <Structure><ChildInstance component=".."/>
    bool events_to_parent = false;             ///< <EventConnection> from this to the parent
    bool events_to_child_instance = false;     ///< <EventConnection> from this to its ChildInstance
};

struct component {
    std::string id, type, file;
    std::size_t line = 0;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<component> children;  ///< nested components (e.g. a spikeArray's <spike> elements)
    std::optional<std::string> attribute(std::string_view k) const {
        for (const auto& [a, v] : attributes)
            if (a == k) return v;
        return std::nullopt;
    }
};

class model {
public:
    model() = default;

    /// Reads `file` and everything it includes; `include_dirs` are searched after the including
    /// file's own folder.
    void load(const std::filesystem::path& file, std::vector<std::filesystem::path> include_dirs = {}) {
        dirs_ = std::move(include_dirs);
        read(file);
    }

    /// The type with everything it inherits (io_error naming the type if unknown).
    const component_type& type(const std::string& name) const {
        if (auto it = flat_.find(name); it != flat_.end()) return it->second;
        if (auto b = broken_.find(name); b != broken_.end()) throw io_error(b->second);
        auto it = types_.find(name);
        if (it == types_.end()) throw io_error("LEMS: unknown ComponentType '" + name + "'");
        component_type t = it->second;
        if (!t.extends.empty()) {
            const component_type& base = type(t.extends);
            component_type merged = base;
            merged.name = t.name;
            merged.extends = t.extends;
            merged.file = t.file;
            auto merge_names = [](auto& into, const auto& from) {
                for (const auto& x : from)
                    if (std::find(into.begin(), into.end(), x) == into.end()) into.push_back(x);
            };
            auto merge_pairs = [](auto& into, const auto& from) {
                for (const auto& x : from) {
                    auto f = std::find_if(into.begin(), into.end(), [&](const auto& y) { return y.first == x.first; });
                    if (f == into.end()) into.push_back(x);
                    else *f = x;
                }
            };
            merge_names(merged.parameters, t.parameters);
            merge_pairs(merged.derived_parameters, t.derived_parameters);
            merge_pairs(merged.constants, t.constants);
            merge_pairs(merged.properties, t.properties);
            merge_names(merged.requirements, t.requirements);
            merge_names(merged.exposures, t.exposures);
            merge_pairs(merged.component_references, t.component_references);
            merge_pairs(merged.children, t.children);
            merge_pairs(merged.attachments, t.attachments);
            if (t.has_dynamics) {
                merged.has_dynamics = true;
                merged.dynamics = t.dynamics;
            }
            if (!t.child_instances.empty()) merged.child_instances = t.child_instances;
            merged.events_to_parent = merged.events_to_parent || t.events_to_parent;
            merged.events_to_child_instance = merged.events_to_child_instance || t.events_to_child_instance;
            t = std::move(merged);
        }
        return flat_.emplace(name, std::move(t)).first->second;
    }
    bool has_type(const std::string& name) const { return types_.count(name) != 0 || broken_.count(name) != 0; }

    const component& get(const std::string& id) const {
        auto it = components_.find(id);
        if (it == components_.end()) throw io_error("LEMS: no component with id '" + id + "'");
        return it->second;
    }
    bool has_component(const std::string& id) const { return components_.count(id) != 0; }

    /// A <network> (NeuroML2) by id.
    const io::xml::element& network(const std::string& id) const {
        auto it = networks_.find(id);
        if (it == networks_.end()) throw io_error("LEMS: no network with id '" + id + "'");
        return it->second;
    }
    /// The <Simulation> named by <Target> (or the only one).
    const io::xml::element& simulation() const {
        for (const auto& s : simulations_)
            if (target_.empty() || s.attribute("id") == target_) return s;
        throw io_error("LEMS: no <Simulation>" + (target_.empty() ? std::string() : " with id '" + target_ + "'"));
    }
    /// Folder of the file that defined the Simulation (output files are written relative to it).
    const std::filesystem::path& base_dir() const { return base_; }

private:
    std::filesystem::path find_include(const std::string& name, const std::filesystem::path& from) const {
        std::vector<std::filesystem::path> candidates{from.parent_path() / name};
        for (const auto& d : dirs_) candidates.push_back(d / name);
        for (const auto& c : candidates)
            if (std::filesystem::exists(c)) return c;
        std::string tried;
        for (const auto& c : candidates) tried += "\n  " + c.string();
        throw io_error("'" + from.string() + "': included file '" + name + "' not found; tried:" + tried +
                       "\n(pass the folder of NeuroML2CoreTypes with -I)");
    }

    void read(const std::filesystem::path& file) {
        const auto canonical = std::filesystem::weakly_canonical(file);
        if (!read_.insert(canonical.string()).second) return;
        if (base_.empty()) base_ = canonical.parent_path();
        const auto root = io::xml::load(file);
        const std::string where = file.string();
        // Types first (a file may use types it defines further down).
        for (const auto& e : root.children)
            if (e.name == "Include") read(find_include(e.required(root.name == "neuroml" ? "href" : "file", where), file));
            else if (e.name == "include") read(find_include(e.required("href", where), file));
        // A type this reader cannot parse (a unit or function it does not know) is an error only
        // when a model uses it.
        for (const auto& e : root.children)
            if (e.name == "ComponentType") {
                try {
                    read_type(e, where);
                } catch (const io_error& x) {
                    broken_[e.attribute("name").value_or("")] = x.what();
                }
            }
        for (const auto& e : root.children) {
            if (e.name == "Include" || e.name == "include" || e.name == "ComponentType" || e.name == "Dimension" ||
                e.name == "Unit" || e.name == "Constant" || e.name == "notes" || e.name == "property" || e.name == "annotation")
                continue;
            if (e.name == "Target") target_ = e.required("component", where);
            else if (e.name == "Simulation") simulations_.push_back(e);
            else if (e.name == "network") networks_[e.required("id", where)] = e;
            else if (auto id = e.attribute("id")) components_[*id] = read_component(e, where);
        }
    }

    static component read_component(const io::xml::element& e, const std::string& where) {
        component c;
        c.file = where;
        c.line = e.line;
        c.type = e.name == "Component" ? e.required("type", where) : e.name;
        for (const auto& [k, v] : e.attributes)
            if (k == "id") c.id = v;
            else if (k != "type" || e.name != "Component") c.attributes.emplace_back(k, v);
        for (const auto& ch : e.children)
            if (ch.name != "notes" && ch.name != "property" && ch.name != "annotation") c.children.push_back(read_component(ch, where));
        return c;
    }

    static std::vector<action> read_actions(const io::xml::element& e, const std::string& where) {
        std::vector<action> out;
        for (const auto& a : e.children) {
            if (a.name == "StateAssignment")
                out.push_back({action::kind::assign, a.required("variable", where),
                               parse_expression(a.required("value", where), where + " line " + std::to_string(a.line))});
            else if (a.name == "EventOut") out.push_back({action::kind::event_out, a.required("port", where), {}});
            else if (a.name == "Transition") out.push_back({action::kind::transition, a.required("regime", where), {}});
        }
        return out;
    }

    void read_type(const io::xml::element& e, const std::string& where) {
        component_type t;
        t.name = e.required("name", where);
        t.extends = e.attribute("extends").value_or("");
        t.file = where;
        auto expr = [&](const io::xml::element& x, const char* key) {
            return parse_expression(x.required(key, where), where + " line " + std::to_string(x.line) + " (" + t.name + ")");
        };
        for (const auto& c : e.children) {
            if (c.name == "Parameter") t.parameters.push_back(c.required("name", where));
            else if (c.name == "DerivedParameter") t.derived_parameters.emplace_back(c.required("name", where), expr(c, "value"));
            else if (c.name == "Constant")
                t.constants.emplace_back(c.required("name", where), io::neuroml::si_value(c.required("value", where), where + " Constant"));
            else if (c.name == "Property")
                t.properties.emplace_back(c.required("name", where), c.attribute("defaultValue") ? parse_number<double>(*c.attribute("defaultValue"), where + " Property defaultValue") : 0.0);
            else if (c.name == "Requirement") t.requirements.push_back(c.required("name", where));
            else if (c.name == "Exposure") t.exposures.push_back(c.required("name", where));
            else if (c.name == "ComponentReference") t.component_references.emplace_back(c.required("name", where), c.required("type", where));
            else if (c.name == "Children" || c.name == "Child") t.children.emplace_back(c.required("name", where), c.required("type", where));
            else if (c.name == "Attachments") t.attachments.emplace_back(c.required("name", where), c.required("type", where));
            else if (c.name == "Structure") {
                std::map<std::string, std::string> with;  // alias -> instance
                for (const auto& s : c.children) {
                    if (s.name == "ChildInstance") t.child_instances.push_back(s.required("component", where));
                    else if (s.name == "With") with[s.required("as", where)] = s.required("instance", where);
                    else if (s.name == "EventConnection") {
                        const std::string from = with.count(s.required("from", where)) ? with[s.required("from", where)] : s.required("from", where);
                        const std::string to = with.count(s.required("to", where)) ? with[s.required("to", where)] : s.required("to", where);
                        if (from == "this" && to == "parent") t.events_to_parent = true;
                        else if (from == "this") t.events_to_child_instance = true;
                    }
                }
            } else if (c.name == "Dynamics") {
                t.has_dynamics = true;
                for (const auto& d : c.children) {
                    if (d.name == "StateVariable") t.dynamics.state_variables.push_back(d.required("name", where));
                    else if (d.name == "DerivedVariable") {
                        derived_variable v;
                        v.name = d.required("name", where);
                        if (d.attribute("value")) v.value = expr(d, "value");
                        v.select = d.attribute("select").value_or("");
                        v.reduce = d.attribute("reduce").value_or("");
                        if (v.value.empty() && v.select.empty())
                            throw io_error(where + " line " + std::to_string(d.line) + ": DerivedVariable '" + v.name + "' has neither value nor select");
                        t.dynamics.derived.push_back(std::move(v));
                    } else if (d.name == "ConditionalDerivedVariable") {
                        derived_variable v;
                        v.name = d.required("name", where);
                        for (const auto* k : d.all("Case"))
                            v.cases.emplace_back(k->attribute("condition") ? expr(*k, "condition") : expression{}, expr(*k, "value"));
                        t.dynamics.derived.push_back(std::move(v));
                    } else if (d.name == "TimeDerivative") t.dynamics.derivatives.emplace_back(d.required("variable", where), expr(d, "value"));
                    else if (d.name == "OnStart") t.dynamics.on_start = read_actions(d, where);
                    else if (d.name == "OnCondition") t.dynamics.conditions.push_back({expr(d, "test"), read_actions(d, where)});
                    else if (d.name == "OnEvent") t.dynamics.events.push_back({d.required("port", where), read_actions(d, where)});
                    else if (d.name == "Regime") {
                        regime r;
                        r.name = d.required("name", where);
                        r.initial = d.attribute("initial") == "true";
                        for (const auto& x : d.children) {
                            if (x.name == "TimeDerivative") r.derivatives.emplace_back(x.required("variable", where), expr(x, "value"));
                            else if (x.name == "OnEntry") r.on_entry = read_actions(x, where);
                            else if (x.name == "OnCondition") r.conditions.push_back({expr(x, "test"), read_actions(x, where)});
                        }
                        t.dynamics.regimes.push_back(std::move(r));
                    }
                }
            }
        }
        types_[t.name] = std::move(t);
    }

    std::vector<std::filesystem::path> dirs_;
    std::set<std::string> read_;
    std::map<std::string, component_type> types_;
    std::map<std::string, std::string> broken_;
    mutable std::map<std::string, component_type> flat_;
    std::map<std::string, component> components_;
    std::map<std::string, io::xml::element> networks_;
    std::vector<io::xml::element> simulations_;
    std::string target_;
    std::filesystem::path base_;
};

}  // namespace brainweave::lems
