#pragma once
// A LEMS simulator for NeuroML2 point-neuron networks: the dynamics of every cell, synapse and
// input come from their ComponentTypes (NeuroML2CoreTypes' Cells.xml, Synapses.xml, Inputs.xml,
// PyNN.xml, or a model's own), interpreted; the network layer (population, projection with
// connection/connectionWD, inputList with input/inputW, and the Simulation's OutputFile and
// EventOutputFile) is NeuroML2's, built here.
//
//   bw::lems::model m;
//   m.load("LEMS_net.xml", {"path/to/NeuroML2CoreTypes"});
//   bw::lems::simulation sim(m);
//   sim.run();
//   sim.write();                       // the files the Simulation names, next to the LEMS file
//
// Instances of one type in one role (the cells of a population, the synapses of a projection, the
// inputs of an input list, the children of those) form a group whose variables are columns, so
// every expression is evaluated over a whole group at a time.
//
// One step from t to t + dt (forward Euler, as jLEMS and pylems integrate):
//   1. derived variables (children first, so that a cell's iSyn sums its synapses' currents);
//   2. every TimeDerivative of the instance's regime, then x += dt * dx for all groups at once;
//   3. t += dt; derived variables again;
//   4. events due at t are delivered (OnEvent), then OnConditions are tested (creation order of
//      the groups); EventOut sends along connections after their delay (rounded to steps), and
//      at once along structural connections (a spike to its spikeArray, a Poisson input to its
//      synapse); Transitions run the new regime's OnEntry;
//   5. output columns are recorded (the first row holds the state after OnStart, at t = 0).
#include <brainweave/core/error.hpp>
#include <brainweave/core/parse.hpp>
#include <brainweave/io/neuroml/quantities.hpp>
#include <brainweave/lems/expression.hpp>
#include <brainweave/lems/model.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace brainweave::lems {

class simulation {
public:
    struct event {
        std::string id;
        double time;
    };
    struct output_file {
        std::string id, file_name;
        std::vector<std::string> quantities;
        std::vector<std::pair<std::size_t, std::size_t>> source;  // (group, slot) per column
        std::vector<std::size_t> instance;
        std::vector<double> rows;  ///< row-major: t, then one value per quantity
    };
    struct event_file {
        std::string id, file_name, format;
        std::vector<event> events;
    };

    explicit simulation(const model& m) : m_(m) {
        const auto& sim = m.simulation();
        where_ = "LEMS Simulation '" + sim.attribute("id").value_or("") + "'";
        dt_ = io::neuroml::si_value(sim.required("step", where_), where_ + " step");
        length_ = io::neuroml::si_value(sim.required("length", where_), where_ + " length");
        if (!(dt_ > 0) || !(length_ >= 0)) throw io_error(where_ + ": step must be > 0 and length >= 0");
        eval_ = evaluator(sim.attribute("seed") ? parse_number<std::uint64_t>(*sim.attribute("seed"), where_ + " seed") : 12345);
        build_network(m.network(sim.required("target", where_)));
        finalize();
        for (const auto& c : sim.children) {
            if (c.name == "OutputFile") add_output(c);
            else if (c.name == "EventOutputFile") add_event_output(c);
        }
    }

    double dt() const noexcept { return dt_; }
    double length() const noexcept { return length_; }
    const std::vector<output_file>& outputs() const noexcept { return outputs_; }
    const std::vector<event_file>& event_outputs() const noexcept { return event_outputs_; }
    std::size_t instances() const noexcept {
        std::size_t n = 0;
        for (const auto& g : groups_) n += g.n;
        return n;
    }

    void run() {
        const std::int64_t steps = std::llround(length_ / dt_);
        set_time(0.0);
        for (auto& g : groups_) start(g);
        compute_derived();
        record();
        for (std::int64_t s = 0; s < steps; ++s) {
            compute_derived();
            integrate();
            step_ = s + 1;
            set_time(static_cast<double>(step_) * dt_);
            compute_derived();
            if (auto it = due_.find(step_); it != due_.end()) {
                auto list = std::move(it->second);
                due_.erase(it);
                for (const auto& d : list) deliver(d.group, d.index, d.port);
            }
            for (std::size_t g = 0; g < groups_.size(); ++g) test_conditions(g);
            record();
        }
    }

    /// Writes every OutputFile (t and the columns, SI units, space-separated) and EventOutputFile
    /// (ID_TIME or TIME_ID, tab-separated) under `dir` (default: the Simulation file's folder).
    void write(std::filesystem::path dir = {}) const {
        if (dir.empty()) dir = m_.base_dir();
        auto number = [](double v) {
            char b[32];
            return std::string(b, std::to_chars(b, b + sizeof b, v).ptr);
        };
        for (const auto& f : outputs_) {
            std::ofstream o(dir / f.file_name);
            if (!o) throw io_error("cannot write '" + (dir / f.file_name).string() + "'");
            const std::size_t w = f.quantities.size() + 1;
            for (std::size_t r = 0; r < f.rows.size() / w; ++r) {
                for (std::size_t c = 0; c < w; ++c) o << (c ? " " : "") << number(f.rows[r * w + c]);
                o << '\n';
            }
        }
        for (const auto& f : event_outputs_) {
            std::ofstream o(dir / f.file_name);
            if (!o) throw io_error("cannot write '" + (dir / f.file_name).string() + "'");
            for (const auto& e : f.events)
                if (f.format == "TIME_ID") o << number(e.time) << '\t' << e.id << '\n';
                else o << e.id << '\t' << number(e.time) << '\n';
        }
    }

private:
    struct bound {
        const expression* e = nullptr;
        std::vector<const double*> cols;
    };
    struct bound_action {
        action::kind what;
        std::size_t slot = 0;
        bound value;
        std::string port;
        int regime = -1;
    };
    struct bound_condition {
        bound test;
        std::vector<bound_action> actions;
        int regime = -1;  ///< -1: tested in every regime
    };
    struct bound_derived {
        const derived_variable* def;
        std::size_t slot;
        bound value;
        std::vector<std::pair<bound, bound>> cases;
        std::string child, exposure;  ///< select "child[*]/exposure" or "child/exposure"
        bool reduce = false;
    };
    struct bound_derivative {
        std::size_t state, temp;
        bound value;
        int regime;
    };
    struct route {
        std::size_t group, index;
        std::string port;
        std::int64_t delay;  ///< steps
    };
    struct group {
        std::string name;
        const component_type* type = nullptr;
        std::size_t n = 0;
        std::map<std::string, std::size_t> slot;
        std::vector<std::vector<double>> col;
        long parent = -1;
        std::string attachment;
        std::vector<std::size_t> parent_index;
        std::vector<int> regime;
        std::vector<std::pair<std::size_t, std::size_t>> requirements;  // (own slot, parent slot)
        std::vector<bound_derived> derived;
        std::vector<bound_derivative> derivatives;
        std::vector<bound_action> on_start;
        std::vector<bound_condition> conditions;
        std::vector<std::pair<std::string, std::vector<bound_action>>> events;
        std::vector<std::vector<bound_action>> on_entry;  // per regime
        std::vector<std::vector<route>> routes;            // per instance
        std::vector<std::vector<std::pair<std::size_t, std::string>>> listeners;  // per instance: (event file, id)
        std::vector<const component*> components;         // per instance
    };
    struct delivery {
        std::size_t group, index;
        std::string port;
    };

    std::size_t add_slot(group& g, const std::string& name, double value = 0.0) {
        if (auto it = g.slot.find(name); it != g.slot.end()) return it->second;
        g.slot[name] = g.col.size();
        g.col.emplace_back(g.n, value);
        return g.col.size() - 1;
    }
    bound bind(const group& g, const expression& e) const {
        bound b{&e, {}};
        for (const auto& n : e.names) {
            const auto it = g.slot.find(n);
            if (it == g.slot.end())
                throw io_error("LEMS: '" + n + "' in '" + e.text + "' (ComponentType " + g.type->name + ", group " + g.name +
                               ") is not a parameter, constant, property, requirement or variable of it");
            b.cols.push_back(g.col[it->second].data());
        }
        return b;
    }
    int regime_index(const group& g, const std::string& name) const {
        for (std::size_t r = 0; r < g.type->dynamics.regimes.size(); ++r)
            if (g.type->dynamics.regimes[r].name == name) return static_cast<int>(r);
        throw io_error("LEMS: ComponentType " + g.type->name + " has no regime '" + name + "'");
    }
    std::vector<bound_action> bind_actions(group& g, const std::vector<action>& actions) {
        std::vector<bound_action> out;
        for (const auto& a : actions) {
            bound_action b{a.what, 0, {}, {}, -1};
            if (a.what == action::kind::assign) {
                if (!g.slot.count(a.target))
                    throw io_error("LEMS: StateAssignment to unknown variable '" + a.target + "' in " + g.type->name);
                b.slot = g.slot[a.target];
                b.value = bind(g, a.value);
            } else if (a.what == action::kind::event_out) {
                b.port = a.target;
            } else {
                b.regime = regime_index(g, a.target);
            }
            out.push_back(std::move(b));
        }
        return out;
    }

    /// A group of n instances; components[i] gives instance i's parameter values.
    std::size_t make_group(std::string name, const std::string& type, std::vector<const component*> components, long parent = -1,
                           std::string attachment = {}, std::vector<std::size_t> parent_index = {}) {
        group g;
        g.name = std::move(name);
        g.type = &m_.type(type);
        g.n = components.size();
        g.parent = parent;
        g.attachment = std::move(attachment);
        g.parent_index = std::move(parent_index);
        g.components = components;
        const auto& T = *g.type;
        add_slot(g, "t");
        for (const auto& p : T.parameters) {
            const std::size_t s = add_slot(g, p);
            for (std::size_t i = 0; i < g.n; ++i) {
                const auto v = components[i]->attribute(p);
                if (!v)
                    throw io_error("'" + components[i]->file + "', line " + std::to_string(components[i]->line) + ": <" +
                                   components[i]->type + " id=\"" + components[i]->id + "\"> has no value for parameter '" + p + "'");
                g.col[s][i] = io::neuroml::si_value(*v, "'" + components[i]->file + "', " + components[i]->id + " parameter " + p);
            }
        }
        for (const auto& [c, v] : T.constants) add_slot(g, c, v);
        for (const auto& [p, v] : T.properties) add_slot(g, p, v);
        for (const auto& r : T.requirements) add_slot(g, r);
        for (const auto& v : T.dynamics.state_variables) add_slot(g, v);
        for (const auto& d : T.dynamics.derived) add_slot(g, d.name);
        for (const auto& d : T.derived_parameters) add_slot(g, d.first);
        for (const auto& d : T.dynamics.derivatives) add_slot(g, "d/dt " + d.first);
        for (std::size_t r = 0; r < T.dynamics.regimes.size(); ++r)
            for (const auto& d : T.dynamics.regimes[r].derivatives) add_slot(g, "d/dt " + d.first + " @" + std::to_string(r));
        // Columns exist now (their buffers stay put); bind the expressions.
        for (const auto& [name, e] : T.derived_parameters) {
            const bound b = bind(g, e);
            eval_.run(*b.e, b.cols, 0, g.n, g.col[g.slot[name]].data());
        }
        for (const auto& d : T.dynamics.derived) {
            bound_derived b{&d, g.slot[d.name], {}, {}, {}, {}, false};
            if (!d.value.empty()) b.value = bind(g, d.value);
            for (const auto& [c, v] : d.cases) b.cases.emplace_back(c.empty() ? bound{} : bind(g, c), bind(g, v));
            if (!d.select.empty()) {
                const auto slash = d.select.rfind('/');
                std::string child = d.select.substr(0, slash);
                b.reduce = child.size() > 3 && child.substr(child.size() - 3) == "[*]";
                if (b.reduce) child.resize(child.size() - 3);
                b.child = child;
                b.exposure = d.select.substr(slash + 1);
            }
            g.derived.push_back(std::move(b));
        }
        for (const auto& [v, e] : T.dynamics.derivatives) {
            if (!g.slot.count(v)) throw io_error("LEMS: TimeDerivative of unknown state variable '" + v + "' in " + T.name);
            g.derivatives.push_back({g.slot[v], g.slot["d/dt " + v], bind(g, e), -1});
        }
        for (std::size_t r = 0; r < T.dynamics.regimes.size(); ++r)
            for (const auto& [v, e] : T.dynamics.regimes[r].derivatives)
                g.derivatives.push_back({g.slot[v], g.slot["d/dt " + v + " @" + std::to_string(r)], bind(g, e), static_cast<int>(r)});
        g.on_start = bind_actions(g, T.dynamics.on_start);
        for (const auto& c : T.dynamics.conditions) g.conditions.push_back({bind(g, c.test), bind_actions(g, c.actions), -1});
        for (std::size_t r = 0; r < T.dynamics.regimes.size(); ++r) {
            for (const auto& c : T.dynamics.regimes[r].conditions)
                g.conditions.push_back({bind(g, c.test), bind_actions(g, c.actions), static_cast<int>(r)});
            g.on_entry.push_back(bind_actions(g, T.dynamics.regimes[r].on_entry));
        }
        for (const auto& e : T.dynamics.events) g.events.emplace_back(e.port, bind_actions(g, e.actions));
        g.regime.assign(g.n, -1);
        for (std::size_t r = 0; r < T.dynamics.regimes.size(); ++r)
            if (T.dynamics.regimes[r].initial) g.regime.assign(g.n, static_cast<int>(r));
        g.routes.resize(g.n);
        g.listeners.resize(g.n);
        groups_.push_back(std::move(g));
        const std::size_t index = groups_.size() - 1;
        make_children(index);
        return index;
    }

    /// Nested child components (a spikeArray's spikes) and ChildInstances (a Poisson input's synapse).
    void make_children(std::size_t gi) {
        const component_type T = *groups_[gi].type;
        const std::size_t n = groups_[gi].n;
        for (const auto& [cname, ctype] : T.children) {
            std::vector<const component*> kids;
            std::vector<std::size_t> parents;
            for (std::size_t i = 0; i < n; ++i)
                for (const auto& k : groups_[gi].components[i]->children)
                    if (k.type == ctype || (m_.has_type(k.type) && extends(k.type, ctype))) {
                        kids.push_back(&k);
                        parents.push_back(i);
                    }
            if (kids.empty()) continue;
            const std::string type = kids.front()->type;
            const std::size_t c = make_group(groups_[gi].name + "/" + cname, type, kids, static_cast<long>(gi), cname, parents);
            if (groups_[c].type->events_to_parent)
                for (std::size_t k = 0; k < kids.size(); ++k) groups_[c].routes[k].push_back({gi, parents[k], "in", 0});
        }
        for (const auto& ref : T.child_instances) {
            std::vector<const component*> kids;
            std::vector<std::size_t> parents;
            for (std::size_t i = 0; i < n; ++i) {
                const auto id = groups_[gi].components[i]->attribute(ref);
                if (!id) throw io_error("LEMS: <" + T.name + " id=\"" + groups_[gi].components[i]->id + "\"> has no '" + ref + "'");
                kids.push_back(&m_.get(*id));
                parents.push_back(i);
            }
            if (kids.empty()) continue;
            const std::size_t c = make_group(groups_[gi].name + "/" + ref, kids.front()->type, kids, static_cast<long>(gi), ref, parents);
            if (T.events_to_child_instance)
                for (std::size_t i = 0; i < n; ++i) groups_[gi].routes[i].push_back({c, i, "in", 0});
        }
    }

    bool extends(const std::string& type, const std::string& base) const {
        for (std::string t = type; !t.empty(); t = m_.type(t).extends)
            if (t == base) return true;
        return false;
    }

    /// (population, index) from "pop[3]", "../pop[3]" or "pop/3/cell".
    std::pair<std::string, std::size_t> cell(const std::string& path) const {
        std::string p = path.rfind("../", 0) == 0 ? path.substr(3) : path;
        const auto b = p.find('['), s = p.find('/');
        if (b != std::string::npos && (s == std::string::npos || b < s))
            return {p.substr(0, b), parse_number<std::size_t>(p.substr(b + 1, p.find(']') - b - 1), where_ + ": cell path '" + path + "'")};
        if (s != std::string::npos) return {p.substr(0, s), parse_number<std::size_t>(p.substr(s + 1), where_ + ": cell path '" + path + "'")};
        throw io_error(where_ + ": '" + path + "' is not a cell path such as pop[3]");
    }
    std::size_t population(const std::string& id) const {
        const auto it = population_.find(id);
        if (it == population_.end()) throw io_error(where_ + ": no population '" + id + "'");
        return it->second;
    }

    void build_network(const io::xml::element& net) {
        const std::string w = "network '" + net.attribute("id").value_or("") + "'";
        for (const auto* p : net.all("population")) {
            const auto& c = m_.get(p->required("component", w));
            const std::size_t n = p->attribute("size") ? parse_number<std::size_t>(*p->attribute("size"), w + " population size")
                                                       : p->all("instance").size();
            population_[p->required("id", w)] = make_group(p->required("id", w), c.type, std::vector<const component*>(n, &c));
        }
        for (const auto* pr : net.all("projection")) {
            const std::size_t pre = population(pr->required("presynapticPopulation", w));
            const std::size_t post = population(pr->required("postsynapticPopulation", w));
            const auto& syn = m_.get(pr->required("synapse", w));
            std::vector<const io::xml::element*> conns;
            for (const auto& c : pr->children)
                if (c.name == "connection" || c.name == "connectionWD") conns.push_back(&c);
            std::vector<std::size_t> parents;
            for (const auto* c : conns) parents.push_back(cell(c->required("postCellId", w)).second);
            const std::size_t sg = make_group(pr->required("id", w), syn.type, std::vector<const component*>(conns.size(), &syn),
                                              static_cast<long>(post), "synapses", parents);
            const bool has_weight = groups_[sg].slot.count("weight") != 0;
            for (std::size_t k = 0; k < conns.size(); ++k) {
                const auto* c = conns[k];
                const std::size_t i = cell(c->required("preCellId", w)).second;
                if (i >= groups_[pre].n || parents[k] >= groups_[post].n)
                    throw io_error(w + ": connection " + c->attribute("id").value_or("?") + " of projection " +
                                   pr->required("id", w) + " names a cell outside its population");
                std::int64_t delay = 0;
                if (c->name == "connectionWD") {
                    delay = std::llround(io::neuroml::si_value(c->required("delay", w), w + " delay") / dt_);
                    if (has_weight) groups_[sg].col[groups_[sg].slot["weight"]][k] = parse_number<double>(c->required("weight", w), w + " connection weight");
                }
                groups_[pre].routes[i].push_back({sg, k, "in", delay});
            }
        }
        for (const auto* list : net.all("inputList")) {
            const std::size_t pop = population(list->required("population", w));
            const auto& comp = m_.get(list->required("component", w));
            std::vector<std::size_t> parents;
            std::vector<double> weights;
            std::string destination = "synapses";
            for (const auto& in : list->children) {
                if (in.name != "input" && in.name != "inputW") continue;
                parents.push_back(cell(in.required("target", w)).second);
                weights.push_back(in.name == "inputW" ? parse_number<double>(in.required("weight", w), w + " input weight") : 1.0);
                destination = in.attribute("destination").value_or("synapses");
            }
            const std::size_t g = make_group(list->required("id", w), comp.type, std::vector<const component*>(parents.size(), &comp),
                                             static_cast<long>(pop), destination, parents);
            if (groups_[g].slot.count("weight")) std::copy(weights.begin(), weights.end(), groups_[g].col[groups_[g].slot["weight"]].begin());
        }
    }

    void finalize() {
        for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
            auto& g = groups_[gi];
            if (g.parent < 0) continue;
            const auto& p = groups_[static_cast<std::size_t>(g.parent)];
            for (const auto& r : g.type->requirements) {
                const auto it = p.slot.find(r);
                if (it == p.slot.end())
                    throw io_error("LEMS: " + g.type->name + " requires '" + r + "', which " + p.type->name + " (group " + p.name +
                                   ") does not have");
                g.requirements.emplace_back(g.slot.at(r), it->second);
            }
        }
    }

    void add_output(const io::xml::element& f) {
        output_file o;
        o.id = f.required("id", where_);
        o.file_name = f.required("fileName", where_);
        for (const auto* c : f.all("OutputColumn")) {
            const std::string q = c->required("quantity", where_);
            const auto [pop, i] = cell(q);
            const std::string var = q.substr(q.rfind('/') + 1);
            const std::size_t g = population(pop);
            const auto it = groups_[g].slot.find(var);
            if (it == groups_[g].slot.end() || i >= groups_[g].n)
                throw io_error(where_ + ": OutputColumn '" + q + "': no variable '" + var + "' in cell " + std::to_string(i) + " of " + pop);
            o.quantities.push_back(q);
            o.source.emplace_back(g, it->second);
            o.instance.push_back(i);
        }
        outputs_.push_back(std::move(o));
    }
    void add_event_output(const io::xml::element& f) {
        event_file o{f.required("id", where_), f.required("fileName", where_), f.attribute("format").value_or("ID_TIME"), {}};
        const std::size_t k = event_outputs_.size();
        for (const auto* s : f.all("EventSelection")) {
            const auto [pop, i] = cell(s->required("select", where_));
            const std::size_t g = population(pop);
            if (i >= groups_[g].n) throw io_error(where_ + ": EventSelection '" + s->required("select", where_) + "' is outside the population");
            groups_[g].listeners[i].emplace_back(k, s->required("id", where_));
        }
        event_outputs_.push_back(std::move(o));
    }

    void set_time(double t) {
        for (auto& g : groups_) std::fill(g.col[0].begin(), g.col[0].end(), t);
    }
    void start(group& g) {
        for (std::size_t i = 0; i < g.n; ++i) run_actions(static_cast<std::size_t>(&g - groups_.data()), i, g.on_start);
        for (std::size_t i = 0; i < g.n; ++i)
            if (g.regime[i] >= 0) run_actions(static_cast<std::size_t>(&g - groups_.data()), i, g.on_entry[static_cast<std::size_t>(g.regime[i])]);
    }

    void compute_derived() {
        for (auto& g : groups_)
            for (const auto& [own, of] : g.requirements) {
                const auto& src = groups_[static_cast<std::size_t>(g.parent)].col[of];
                auto& dst = g.col[own];
                for (std::size_t i = 0; i < g.n; ++i) dst[i] = src[g.parent_index[i]];
            }
        for (std::size_t k = groups_.size(); k-- > 0;) {
            auto& g = groups_[k];
            for (auto& d : g.derived) {
                auto& out = g.col[d.slot];
                if (d.value.e) {
                    eval_.run(*d.value.e, d.value.cols, 0, g.n, out.data());
                } else if (!d.cases.empty()) {
                    std::vector<char> done(g.n, 0);
                    scratch_.resize(g.n);
                    for (auto& [cond, value] : d.cases) {
                        std::vector<double> v(g.n);
                        eval_.run(*value.e, value.cols, 0, g.n, v.data());
                        if (cond.e) eval_.run(*cond.e, cond.cols, 0, g.n, scratch_.data());
                        else std::fill(scratch_.begin(), scratch_.end(), 1.0);
                        for (std::size_t i = 0; i < g.n; ++i)
                            if (!done[i] && scratch_[i] != 0.0) {
                                out[i] = v[i];
                                done[i] = 1;
                            }
                    }
                } else {  // select over children
                    std::fill(out.begin(), out.end(), 0.0);
                    for (std::size_t c = k + 1; c < groups_.size(); ++c) {
                        const auto& ch = groups_[c];
                        if (ch.parent != static_cast<long>(k) || ch.attachment != d.child) continue;
                        const auto it = ch.slot.find(d.exposure);
                        if (it == ch.slot.end())
                            throw io_error("LEMS: " + g.type->name + " selects '" + d.def->select + "', but " + ch.type->name + " has no '" +
                                           d.exposure + "'");
                        const auto& x = ch.col[it->second];
                        for (std::size_t j = 0; j < ch.n; ++j) out[ch.parent_index[j]] += x[j];
                    }
                }
            }
        }
    }

    void integrate() {
        for (auto& g : groups_)
            for (const auto& d : g.derivatives) eval_.run(*d.value.e, d.value.cols, 0, g.n, g.col[d.temp].data());
        for (auto& g : groups_)
            for (const auto& d : g.derivatives) {
                auto& x = g.col[d.state];
                const auto& dx = g.col[d.temp];
                for (std::size_t i = 0; i < g.n; ++i)
                    if (d.regime < 0 || g.regime[i] == d.regime) x[i] += dt_ * dx[i];
            }
    }

    void test_conditions(std::size_t gi) {
        const std::size_t n = groups_[gi].n;
        for (std::size_t c = 0; c < groups_[gi].conditions.size(); ++c) {
            const auto& cond = groups_[gi].conditions[c];
            std::vector<double> hit(n);
            eval_.run(*cond.test.e, cond.test.cols, 0, n, hit.data());
            for (std::size_t i = 0; i < n; ++i)
                if (hit[i] != 0.0 && (cond.regime < 0 || groups_[gi].regime[i] == cond.regime))
                    run_actions(gi, i, groups_[gi].conditions[c].actions);
        }
    }

    void run_actions(std::size_t gi, std::size_t i, const std::vector<bound_action>& actions) {
        for (const auto& a : actions) {
            auto& g = groups_[gi];
            if (a.what == action::kind::assign) {
                g.col[a.slot][i] = eval_.value(*a.value.e, a.value.cols, i);
            } else if (a.what == action::kind::event_out) {
                emit(gi, i);
            } else {
                g.regime[i] = a.regime;
                run_actions(gi, i, groups_[gi].on_entry[static_cast<std::size_t>(a.regime)]);
            }
        }
    }

    void emit(std::size_t gi, std::size_t i) {
        const double t = static_cast<double>(step_) * dt_;
        for (const auto& [file, id] : groups_[gi].listeners[i]) event_outputs_[file].events.push_back({id, t});
        const auto routes = groups_[gi].routes[i];
        for (const auto& r : routes) {
            if (r.delay <= 0) deliver(r.group, r.index, r.port);
            else due_[step_ + r.delay].push_back({r.group, r.index, r.port});
        }
    }

    void deliver(std::size_t gi, std::size_t i, const std::string& port) {
        for (std::size_t k = 0; k < groups_[gi].events.size(); ++k)
            if (groups_[gi].events[k].first == port) run_actions(gi, i, groups_[gi].events[k].second);
    }

    void record() {
        for (auto& f : outputs_) {
            f.rows.push_back(static_cast<double>(step_) * dt_);
            for (std::size_t c = 0; c < f.source.size(); ++c)
                f.rows.push_back(groups_[f.source[c].first].col[f.source[c].second][f.instance[c]]);
        }
    }

    const model& m_;
    std::string where_;
    double dt_ = 0, length_ = 0;
    std::int64_t step_ = 0;
    evaluator eval_;
    std::vector<group> groups_;
    std::map<std::string, std::size_t> population_;
    std::map<std::int64_t, std::vector<delivery>> due_;
    std::vector<output_file> outputs_;
    std::vector<event_file> event_outputs_;
    std::vector<double> scratch_;
};

}  // namespace brainweave::lems
