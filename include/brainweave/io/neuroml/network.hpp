#pragma once
// NeuroML2 export and import of spiking networks, and the LEMS simulation file that runs them.
//
//   auto d = bw::spiking::describe(net);                         // before net.run
//   auto files = bw::io::neuroml::save(d, "out/nml", "brunel");  // brunel.net.nml, LEMS_brunel.xml
//   auto back = bw::io::neuroml::load("out/nml/brunel.net.nml", "out/nml/LEMS_brunel.xml");
//
// Mapping (NeuroML2 v2.3 standard types; the PyNN cells carry NEST's parameters, in PyNN's units
// mV, ms, nF, nA, uS):
//   iaf_psc_exp     -> IF_curr_exp            + expCurrSynapse per receptor (ex, in)
//   iaf_psc_alpha   -> IF_curr_alpha          + alphaCurrSynapse
//   iaf_cond_exp    -> IF_cond_exp            + expCondSynapse (e_rev = E_ex, E_in)
//   iaf_cond_alpha  -> IF_cond_alpha          + alphaCondSynapse
//   aeif_cond_exp   -> EIF_cond_exp_isfa_ista + expCondSynapse
//   aeif_cond_alpha -> EIF_cond_alpha_isfa_ista + alphaCondSynapse
//   spike_generator -> one spikeArray and one population of size 1 per unit (a NeuroML2 population
//                      holds identical components); properties brainweave:group/unit/group_size
//                      let import join them again
//   poisson_generator (constant rate) -> spikeGeneratorPoisson population
//   poisson_input   -> poissonFiringSynapse (rate n_sources * rate) through the target receptor's
//                      synapse, inputW weight per neuron
//   step currents, drive -> pulseGenerator per segment, input list over the target neurons
//   projections     -> projection with connectionWD (weight in nA or uS, delay in ms) per synapse
//   recordings      -> LEMS OutputFile (v, w) and EventOutputFile (spikes) in LEMS_<name>.xml
// What NeuroML2 cannot hold is reported in `warnings` (and in the document's notes): initial
// membrane potentials that differ between neurons (v_init is one value per cell type; their
// mean is written), recording intervals other than every step, state variables the cell type does
// not expose (synaptic currents and conductances live in the synapses), Poisson generator seeds.
//
// A LEMS simulator integrates with forward Euler at the Simulation's step, so its spike times
// follow brainweave's exact integration up to the time discretisation (docs/neuroml.md).
#include <brainweave/core/error.hpp>
#include <brainweave/core/parse.hpp>
#include <brainweave/core/parameters.hpp>
#include <brainweave/io/neuroml/quantities.hpp>
#include <brainweave/io/xml.hpp>
#include <brainweave/spiking/description.hpp>
#include <brainweave/spiking/models/aeif_cond.hpp>
#include <brainweave/spiking/models/iaf_cond.hpp>
#include <brainweave/spiking/models/iaf_psc.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace brainweave::io::neuroml {

inline constexpr std::string_view namespace_uri = "http://www.neuroml.org/schema/neuroml2";
inline constexpr std::string_view schema_location =
    "http://www.neuroml.org/schema/neuroml2 "
    "https://raw.github.com/NeuroML/NeuroML2/development/Schemas/NeuroML2/NeuroML_v2.3.1.xsd";

enum class dimension { time, voltage, current, capacitance, conductance, none, conductance_per_voltage };

/// A network's unit system: the decimal exponent of each dimension's unit relative to SI.
struct unit_system {
    int time, voltage, current, capacitance, conductance;

    /// NEST's units (ms, mV, pA, pF, nS) for seconds_per_time_unit 1e-3; SI for 1.
    static unit_system of(double seconds_per_time_unit) {
        if (seconds_per_time_unit == 1e-3) return {-3, -3, -12, -12, -9};
        if (seconds_per_time_unit == 1.0) return {0, 0, 0, 0, 0};
        throw config_error("NeuroML: networks in ms (NEST units) or s (SI) can be exported, not a time unit of " +
                           std::to_string(seconds_per_time_unit) + " s");
    }
    int exponent(dimension d) const noexcept {
        switch (d) {
            case dimension::time: return time;
            case dimension::voltage: return voltage;
            case dimension::current: return current;
            case dimension::capacitance: return capacitance;
            case dimension::conductance: return conductance;
            case dimension::none: return 0;
            case dimension::conductance_per_voltage: return conductance - voltage;
        }
        return 0;
    }
};

/// The SI unit symbol of a dimension, as NeuroMLCoreDimensions.xml names it.
inline std::string_view si_unit(dimension d) {
    switch (d) {
        case dimension::time: return "s";
        case dimension::voltage: return "V";
        case dimension::current: return "A";
        case dimension::capacitance: return "F";
        case dimension::conductance: return "S";
        case dimension::none: return "";
        case dimension::conductance_per_voltage: return "S_per_V";
    }
    return "";
}

/// How a neuron model without a standard NeuroML2 cell is exported: as a LEMS ComponentType of
/// its own (written with an instance per population into <name>.types.xml, which the NeuroML2
/// document names in an <include> and the LEMS simulation includes), its receptors as standard
/// PyNN synapses. The type must extend a spiking cell, expose `v` (V_m; other state variables
/// under their own names), sum its synapses' currents (`select="synapses[*]/i"`) and emit `spike`.
struct custom_parameter {
    std::string lems;        ///< the ComponentType's parameter
    std::string brainweave;  ///< the model's parameter, or "V_m" for the initial membrane potential
    dimension dim;           ///< written in SI units
};
/// A synapse without a standard NeuroML2 type (for the receptors of a custom cell): a LEMS
/// ComponentType with a Property `weight`, an `in` event port and a current exposure `i`. Each
/// receptor gets an instance with its own parameters; connection weights are written in the SI
/// unit of `weight`.
struct custom_synapse {
    std::string component_type;  ///< the LEMS <ComponentType> element, as XML text
    std::vector<custom_parameter> ex, in;  ///< the type's parameters for receptor ex and receptor in
    dimension weight = dimension::current;

    std::string type_name() const { return xml::parse(component_type, "custom_synapse").required("name", "custom_synapse"); }
};

struct custom_cell {
    std::string model;           ///< the brainweave model's name
    std::string component_type;  ///< the LEMS <ComponentType> element, as XML text
    std::vector<custom_parameter> parameters;
    std::string synapse = "expCurrSynapse";  ///< PyNN synapse element of each receptor (tau from tau_syn_ex/in)
    bool conductance = false;                 ///< synapses carry e_rev (from E_ex, E_in)
    std::optional<custom_synapse> receptor_type;  ///< instead of `synapse`: a custom synapse type
    std::vector<std::string> exposed{"V_m"};  ///< state variables the type exposes
    std::vector<std::string> parameter_order, state_names;  ///< the model's, for import (make_custom_cell fills them)

    /// The ComponentType's name.
    std::string type_name() const { return xml::parse(component_type, "custom_cell '" + model + "'").required("name", "custom_cell '" + model + "'"); }
};

/// A custom_cell for neuron model M (its name, parameter order and state names filled in).
template <class M>
custom_cell make_custom_cell(std::string component_type, std::vector<custom_parameter> parameters) {
    custom_cell c;
    c.model = std::string(M::name);
    c.component_type = std::move(component_type);
    c.parameters = std::move(parameters);
    c.parameter_order = parameter_names<typename M::parameters>();
    c.state_names.assign(M::state_names.begin(), M::state_names.end());
    return c;
}

namespace detail {

/// Decimal exponent of PyNN's unit of each dimension (ms, mV, nA, nF, uS).
inline int pynn_exponent(dimension d) {
    switch (d) {
        case dimension::time: return -3;
        case dimension::voltage: return -3;
        case dimension::current: return -9;
        case dimension::capacitance: return -9;
        case dimension::conductance: return -6;
        case dimension::none: return 0;
        case dimension::conductance_per_voltage: return -3;  // uS/mV
    }
    return 0;
}
/// A value in network units expressed in PyNN units, and back.
inline double to_pynn(const unit_system& u, dimension d, double x) { return scale10(x, u.exponent(d) - pynn_exponent(d)); }
inline double from_pynn(const unit_system& u, dimension d, double x) { return scale10(x, pynn_exponent(d) - u.exponent(d)); }

struct field {
    std::string_view attribute, parameter;
    dimension dim;
};

/// A brainweave neuron model and the standard NeuroML2 cell and synapse types that express it.
struct cell_type {
    std::string_view model, element, synapse;
    bool conductance;          ///< synapses carry a reversal potential; tau_m = C_m / g_L
    std::vector<field> extra;  ///< fields beyond the common ones
    std::vector<std::string> (*parameter_names)();
    std::vector<std::string_view> state_names;
    std::vector<std::string_view> exposed;  ///< state variables the cell exposes, as NeuroML names (V_m -> v)
    const custom_synapse* custom_receptor = nullptr;  ///< custom cells' own synapse type, if any
};

/// A connection weight as the file holds it (PyNN's nA or uS, or the SI unit of a custom
/// synapse's weight), and back.
inline double weight_out(const unit_system& u, const cell_type& t, double w) {
    if (t.custom_receptor) return scale10(w, u.exponent(t.custom_receptor->weight));
    return to_pynn(u, t.conductance ? dimension::conductance : dimension::current, w);
}
inline double weight_in(const unit_system& u, const cell_type& t, double w) {
    if (t.custom_receptor) return scale10(w, -u.exponent(t.custom_receptor->weight));
    return from_pynn(u, t.conductance ? dimension::conductance : dimension::current, w);
}

template <class M>
std::vector<std::string_view> state_names_of() {
    return {M::state_names.begin(), M::state_names.end()};
}

inline const std::vector<cell_type>& cell_types() {
    using namespace brainweave::spiking::models;
    static const std::vector<field> adex{{"a", "a", dimension::conductance},
                                         {"b", "b", dimension::current},
                                         {"delta_T", "Delta_T", dimension::voltage},
                                         {"tau_w", "tau_w", dimension::time},
                                         {"v_spike", "V_peak", dimension::voltage}};
    static const std::vector<cell_type> table{
        {"iaf_psc_exp", "IF_curr_exp", "expCurrSynapse", false, {{"tau_m", "tau_m", dimension::time}},
         &parameter_names<iaf_psc_parameters>, state_names_of<iaf_psc_exp>(), {"V_m"}},
        {"iaf_psc_alpha", "IF_curr_alpha", "alphaCurrSynapse", false, {{"tau_m", "tau_m", dimension::time}},
         &parameter_names<iaf_psc_parameters>, state_names_of<iaf_psc_alpha>(), {"V_m"}},
        {"iaf_cond_exp", "IF_cond_exp", "expCondSynapse", true, {},
         &parameter_names<iaf_cond_parameters>, state_names_of<iaf_cond_exp<>>(), {"V_m"}},
        {"iaf_cond_alpha", "IF_cond_alpha", "alphaCondSynapse", true, {},
         &parameter_names<iaf_cond_parameters>, state_names_of<iaf_cond_alpha<>>(), {"V_m"}},
        {"aeif_cond_exp", "EIF_cond_exp_isfa_ista", "expCondSynapse", true, adex,
         &parameter_names<aeif_cond_parameters>, state_names_of<aeif_cond_exp<>>(), {"V_m", "w"}},
        {"aeif_cond_alpha", "EIF_cond_alpha_isfa_ista", "alphaCondSynapse", true, adex,
         &parameter_names<aeif_cond_parameters>, state_names_of<aeif_cond_alpha<>>(), {"V_m", "w"}},
    };
    return table;
}

/// Fields every PyNN integrate-and-fire cell has.
inline const std::vector<field>& common_fields() {
    static const std::vector<field> f{{"cm", "C_m", dimension::capacitance},       {"v_rest", "E_L", dimension::voltage},
                                      {"v_reset", "V_reset", dimension::voltage},  {"v_thresh", "V_th", dimension::voltage},
                                      {"tau_refrac", "t_ref", dimension::time},     {"i_offset", "I_e", dimension::current},
                                      {"tau_syn_E", "tau_syn_ex", dimension::time}, {"tau_syn_I", "tau_syn_in", dimension::time}};
    return f;
}

inline const cell_type* by_model(std::string_view model) {
    for (const auto& c : cell_types())
        if (c.model == model) return &c;
    return nullptr;
}
inline const cell_type* by_element(std::string_view element) {
    for (const auto& c : cell_types())
        if (c.element == element) return &c;
    return nullptr;
}

/// NeuroML name of an exposed state variable.
inline std::string_view exposure_name(std::string_view variable) { return variable == "V_m" ? "v" : variable; }
inline dimension exposure_dimension(std::string_view variable) {
    return variable == "V_m" ? dimension::voltage : dimension::current;
}

/// Rank of a top-level element in the schema's sequence for <neuroml> (elements of one rank keep
/// their order).
inline int document_rank(std::string_view element) {
    static constexpr std::string_view order[] = {
        "notes", "property", "include", "alphaCurrentSynapse", "alphaSynapse", "expOneSynapse", "expTwoSynapse",
        "biophysicalProperties", "cell", "iafTauCell", "iafTauRefCell", "iafCell", "iafRefCell", "izhikevichCell",
        "izhikevich2007Cell", "adExIaFCell", "pulseGenerator", "sineGenerator", "rampGenerator", "spikeArray",
        "timedSynapticInput", "spikeGenerator", "spikeGeneratorRandom", "spikeGeneratorPoisson", "spikeGeneratorRefPoisson",
        "poissonFiringSynapse", "IF_curr_alpha", "IF_curr_exp", "IF_cond_alpha", "IF_cond_exp", "EIF_cond_exp_isfa_ista",
        "EIF_cond_alpha_isfa_ista", "expCondSynapse", "alphaCondSynapse", "expCurrSynapse", "alphaCurrSynapse",
        "SpikeSourcePoisson", "network", "ComponentType"};
    for (std::size_t k = 0; k < std::size(order); ++k)
        if (order[k] == element) return static_cast<int>(k);
    return static_cast<int>(std::size(order));
}

/// A valid NmlId ([a-zA-Z_][a-zA-Z0-9_]*) made from `name`.
inline std::string nml_id(std::string_view name) {
    std::string id;
    for (char c : name) id += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
    if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0]))) id.insert(id.begin(), '_');
    return id;
}

inline xml::element property(std::string tag, std::string value) {
    xml::element p("property");
    p.set("tag", std::move(tag)).set("value", std::move(value));
    return p;
}
inline std::optional<std::string> property_of(const xml::element& e, std::string_view tag) {
    for (const auto* p : e.all("property"))
        if (p->attribute("tag") == tag) return p->attribute("value");
    return std::nullopt;
}

/// Pulse durations at or beyond this stand for "until the end" (a step_current's last segment).
inline constexpr double forever_ms = 1e12;

}  // namespace detail

/// The NeuroML2 document, the LEMS simulation that runs it, and what could not be expressed.
struct exported {
    xml::element document;  ///< <neuroml>
    xml::element lems;      ///< <Lems> with the Simulation
    xml::element types;     ///< <Lems> with the custom ComponentTypes and their instances (empty without)
    std::vector<std::string> warnings;
};

struct export_options {
    std::string name = "network";          ///< document id, network id (with "_net") and file stem
    std::string network_file;              ///< the name LEMS includes (default <name>.net.nml)
    double duration = 0;                   ///< simulated time, time units of the network (LEMS Simulation length)
    std::uint64_t seed = 1;                ///< LEMS Simulation seed
    std::size_t display_lines = 10;        ///< at most this many traces per Display
    std::vector<custom_cell> custom_cells;  ///< models without a standard NeuroML2 cell
};

/// Translates a network description into NeuroML2 (and a LEMS simulation of `options.duration`).
inline exported to_neuroml(const spiking::network_description& net, const export_options& options = {}) {
    using detail::from_pynn;
    using detail::to_pynn;
    const unit_system u = unit_system::of(net.seconds_per_time_unit);
    exported out;
    xml::element doc("neuroml");
    doc.set("xmlns", std::string(namespace_uri))
        .set("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
        .set("xsi:schemaLocation", std::string(schema_location))
        .set("id", detail::nml_id(options.name));
    std::vector<xml::element> components;
    xml::element network("network");
    const std::string net_id = detail::nml_id(options.name) + "_net";
    network.set("id", net_id);
    std::vector<xml::element> populations, projections, inputs;
    std::set<std::string> used_ids;
    auto unique = [&](std::string id) {
        std::string u_id = id;
        for (int k = 2; used_ids.count(u_id); ++k) u_id = id + "_" + std::to_string(k);
        used_ids.insert(u_id);
        return u_id;
    };
    std::map<std::string, std::string> pop_id;             // group -> population id (neuron models, poisson)
    std::map<std::string, const detail::cell_type*> cells;  // group -> cell type
    std::map<std::pair<std::string, std::string>, std::string> synapse_id;  // (group, receptor) -> synapse id
    auto warn = [&](std::string w) { out.warnings.push_back(std::move(w)); };
    out.types = xml::element("Lems");
    std::deque<detail::cell_type> custom_types;  // stable addresses for `cells`
    std::deque<std::string> type_names;           // storage for their string_views
    std::set<std::string> types_added;
    const std::string types_file = detail::nml_id(options.name) + ".types.xml";

    for (const auto& g : net.groups) {
        const std::string gid = detail::nml_id(g.name);
        auto add_population = [&](const std::string& id, const std::string& component, std::size_t size) -> xml::element& {
            xml::element p("population");
            p.set("id", id).set("component", component).set("size", std::to_string(size));
            if (gid != g.name) p.add(detail::property("brainweave:name", g.name));
            populations.push_back(std::move(p));
            return populations.back();
        };
        if (g.model == "spike_generator") {
            std::vector<std::vector<double>> times(g.size);
            for (std::size_t k = 0; k < g.spike_index.size(); ++k) times[g.spike_index[k]].push_back(g.spike_time[k]);
            for (std::size_t i = 0; i < g.size; ++i) {
                std::ranges::stable_sort(times[i]);
                const std::string pid = unique(gid + "_" + std::to_string(i));
                xml::element a("spikeArray");
                a.set("id", unique(pid + "_spikes"));
                for (std::size_t k = 0; k < times[i].size(); ++k) {
                    xml::element s("spike");
                    s.set("id", std::to_string(k)).set("time", quantity(to_pynn(u, dimension::time, times[i][k]), "ms"));
                    a.add(std::move(s));
                }
                auto& p = add_population(pid, *a.attribute("id"), 1);
                p.add(detail::property("brainweave:group", g.name));
                p.add(detail::property("brainweave:unit", std::to_string(i)));
                p.add(detail::property("brainweave:group_size", std::to_string(g.size)));
                components.push_back(std::move(a));
            }
            continue;
        }
        if (g.model == "poisson_generator") {
            if (g.rates.size() != 1)
                throw config_error("NeuroML export: poisson_generator '" + g.name +
                                   "' has a rate time series; NeuroML2's spikeGeneratorPoisson has one constant rate");
            xml::element c("spikeGeneratorPoisson");
            const std::string cid = unique(gid + "_source");
            c.set("id", cid).set("averageRate", quantity(g.rates[0], "Hz"));
            c.add(detail::property("brainweave:seed", std::to_string(g.seed)));
            components.push_back(std::move(c));
            pop_id[g.name] = unique(gid);
            add_population(pop_id[g.name], cid, g.size);
            warn("poisson_generator '" + g.name + "': a LEMS simulator draws its own Poisson trains (same rate, not the same spikes)");
            continue;
        }
        const auto* type = detail::by_model(g.model);
        const custom_cell* custom = nullptr;
        if (!type) {
            for (const auto& c : options.custom_cells)
                if (c.model == g.model) custom = &c;
            if (!custom) {
                std::string known;
                for (const auto& c : detail::cell_types()) known += (known.empty() ? "" : ", ") + std::string(c.model);
                throw config_error("NeuroML export: group '" + g.name + "' uses model '" + g.model +
                                   "', which has no NeuroML2 cell type here (exportable: " + known +
                                   "; others through export_options::custom_cells)");
            }
            custom_types.push_back({custom->model, {}, custom->synapse, custom->conductance, {}, nullptr, {}, {},
                                    custom->receptor_type ? &*custom->receptor_type : nullptr});
            auto& t = custom_types.back();
            t.element = type_names.emplace_back(custom->type_name());
            for (const auto& v : custom->exposed) t.exposed.push_back(type_names.emplace_back(v));
            type = &t;
        }
        cells[g.name] = type;
        const std::string cid = unique(gid + "_cell");
        double v_init = custom ? 0.0 : g.parameter("E_L");
        if (const auto* v = g.initial("V_m"); v && !v->empty()) {
            v_init = std::accumulate(v->begin(), v->end(), 0.0) / static_cast<double>(v->size());
            if (std::ranges::any_of(*v, [&](double x) { return x != (*v)[0]; }))
                warn("group '" + g.name + "': initial V_m differs between neurons; NeuroML2 cells share v_init, the mean " +
                     number(v_init) + " is written");
        }
        for (const auto& [var, values] : g.state)
            if (var != "V_m" && std::ranges::any_of(values, [](double x) { return x != 0.0; }))
                warn("group '" + g.name + "': initial " + var + " is not zero; NeuroML2's " + std::string(type->element) +
                     " starts it at zero");
        if (custom) {  // an instance of the custom type, in SI units
            if (!types_added.count(std::string(type->element))) {
                out.types.add(xml::parse(custom->component_type, "custom_cell '" + custom->model + "'"));
                types_added.insert(std::string(type->element));
            }
            xml::element inst("Component");
            inst.set("id", cid).set("type", std::string(type->element));
            for (const auto& p : custom->parameters) {
                const double v = p.brainweave == "V_m" ? v_init : g.parameter(p.brainweave);
                inst.set(p.lems, quantity(scale10(v, u.exponent(p.dim)), si_unit(p.dim)));
            }
            out.types.add(std::move(inst));
        } else {
            xml::element cell{std::string(type->element)};
            cell.set("id", cid);
            for (const auto& f : detail::common_fields()) cell.set(std::string(f.attribute), number(to_pynn(u, f.dim, g.parameter(f.parameter))));
            for (const auto& f : type->extra) cell.set(std::string(f.attribute), number(to_pynn(u, f.dim, g.parameter(f.parameter))));
            if (type->conductance) {
                // tau_m = C_m / g_L, in ms
                cell.set("tau_m", number(scale10(g.parameter("C_m") / g.parameter("g_L"), u.capacitance - u.conductance + 3)));
                cell.set("e_rev_E", number(to_pynn(u, dimension::voltage, g.parameter("E_ex"))));
                cell.set("e_rev_I", number(to_pynn(u, dimension::voltage, g.parameter("E_in"))));
            }
            cell.set("v_init", number(to_pynn(u, dimension::voltage, v_init)));
            components.push_back(std::move(cell));
        }
        for (const auto& [receptor, tau, erev] : {std::tuple{"ex", "tau_syn_ex", "E_ex"}, std::tuple{"in", "tau_syn_in", "E_in"}}) {
            const std::string sid = unique(gid + "_" + receptor);
            synapse_id[{g.name, receptor}] = sid;
            if (const auto* cs = type->custom_receptor) {  // an instance of the custom synapse type, in SI units
                const std::string tname = cs->type_name();
                if (!types_added.count(tname)) {
                    out.types.add(xml::parse(cs->component_type, "custom_synapse '" + tname + "'"));
                    types_added.insert(tname);
                }
                xml::element inst("Component");
                inst.set("id", sid).set("type", tname);
                for (const auto& p : std::string_view(receptor) == "ex" ? cs->ex : cs->in)
                    inst.set(p.lems, quantity(scale10(g.parameter(p.brainweave), u.exponent(p.dim)), si_unit(p.dim)));
                out.types.add(std::move(inst));
                continue;
            }
            xml::element s{std::string(type->synapse)};
            s.set("id", sid).set("tau_syn", number(to_pynn(u, dimension::time, g.parameter(tau))));
            if (type->conductance) s.set("e_rev", number(to_pynn(u, dimension::voltage, g.parameter(erev))));
            components.push_back(std::move(s));
        }
        pop_id[g.name] = unique(gid);
        add_population(pop_id[g.name], cid, g.size);
        // Step currents and the drive: one pulse per segment with a non-zero amplitude.
        auto pulses = [&](const spiking::step_current& c, const std::string& stem, std::vector<std::uint32_t> targets,
                          const char* role) {
            for (std::size_t k = 0; k < c.times.size(); ++k) {
                if (c.amplitudes[k] == 0.0) continue;
                const double start = to_pynn(u, dimension::time, c.times[k]);
                const double dur = k + 1 < c.times.size() ? to_pynn(u, dimension::time, c.times[k + 1]) - start : detail::forever_ms;
                xml::element p("pulseGenerator");
                const std::string id = unique(stem + "_" + std::to_string(k));
                p.set("id", id).set("delay", quantity(start, "ms")).set("duration", quantity(dur, "ms"))
                    .set("amplitude", quantity(to_pynn(u, dimension::current, c.amplitudes[k]), "nA"));
                p.add(detail::property("brainweave:role", role));
                components.push_back(std::move(p));
                xml::element list("inputList");
                list.set("id", unique(id + "_input")).set("population", pop_id[g.name]).set("component", id);
                for (std::size_t t = 0; t < targets.size(); ++t) {
                    xml::element in("input");
                    in.set("id", std::to_string(t))
                        .set("target", "../" + pop_id[g.name] + "[" + std::to_string(targets[t]) + "]")
                        .set("destination", "synapses");
                    list.add(std::move(in));
                }
                inputs.push_back(std::move(list));
            }
        };
        for (std::size_t k = 0; k < g.currents.size(); ++k)
            pulses(g.currents[k], gid + "_current" + std::to_string(k), g.currents[k].targets, "current");
        if (g.drive != 0.0) {
            std::vector<std::uint32_t> all(g.size);
            std::iota(all.begin(), all.end(), 0u);
            pulses(spiking::step_current::dc(g.drive, {}), gid + "_drive", all, "drive");
        }
    }

    for (const auto& in : net.poisson_inputs) {
        const auto it = cells.find(in.target);
        if (it == cells.end())
            throw config_error("NeuroML export: poisson_input into '" + in.target + "', which is not a neuron population");
        const std::string sid = synapse_id.at({in.target, in.receptor});
        xml::element c("poissonFiringSynapse");
        const std::string cid = unique(detail::nml_id(in.target) + "_poisson_" + in.receptor);
        c.set("id", cid).set("averageRate", quantity(in.n_sources * in.rate, "Hz")).set("synapse", sid)
            .set("spikeTarget", "./" + sid);
        c.add(detail::property("brainweave:n_sources", number(in.n_sources)));
        c.add(detail::property("brainweave:seed", std::to_string(in.seed)));
        components.push_back(std::move(c));
        const auto& g = net.group(in.target);
        const double w = detail::weight_out(u, *it->second, in.weight);
        xml::element list("inputList");
        list.set("id", unique(cid + "_input")).set("population", pop_id[in.target]).set("component", cid);
        for (std::size_t i = 0; i < g.size; ++i) {
            xml::element x("inputW");
            x.set("id", std::to_string(i))
                .set("target", "../" + pop_id[in.target] + "[" + std::to_string(i) + "]")
                .set("destination", "synapses")
                .set("weight", number(w));
            list.add(std::move(x));
        }
        inputs.push_back(std::move(list));
    }

    for (const auto& p : net.projections) {
        const auto& pre = net.group(p.pre);
        const auto post = cells.find(p.post);
        if (post == cells.end())
            throw config_error("NeuroML export: projection into '" + p.post + "', which is not a neuron population");
        const detail::cell_type& post_type = *post->second;
        const std::string sid = synapse_id.at({p.post, p.receptor});
        auto connection = [&](std::size_t id, const std::string& pre_pop, std::uint32_t pre_cell, std::size_t k) {
            xml::element c("connectionWD");
            c.set("id", std::to_string(id))
                .set("preCellId", "../" + pre_pop + "[" + std::to_string(pre_cell) + "]")
                .set("postCellId", "../" + pop_id.at(p.post) + "[" + std::to_string(p.target[k]) + "]")
                .set("weight", number(detail::weight_out(u, post_type, p.weight[k])))
                .set("delay", quantity(to_pynn(u, dimension::time, p.delay[k]), "ms"));
            return c;
        };
        auto projection = [&](const std::string& pre_pop) {
            xml::element e("projection");
            e.set("id", unique(detail::nml_id(p.pre) + "_to_" + pop_id.at(p.post) + "_" + p.receptor))
                .set("presynapticPopulation", pre_pop).set("postsynapticPopulation", pop_id.at(p.post)).set("synapse", sid);
            return e;
        };
        if (pre.model == "spike_generator") {  // one projection per unit population
            std::map<std::uint32_t, xml::element> per_unit;
            for (std::size_t k = 0; k < p.source.size(); ++k) {
                const std::string unit_pop = detail::nml_id(pre.name) + "_" + std::to_string(p.source[k]);
                auto [it, fresh] = per_unit.try_emplace(p.source[k]);
                if (fresh) it->second = projection(unit_pop);
                it->second.add(connection(it->second.children.size(), unit_pop, 0, k));
            }
            for (auto& [unit, e] : per_unit) projections.push_back(std::move(e));
        } else {
            xml::element e = projection(pop_id.at(p.pre));
            for (std::size_t k = 0; k < p.source.size(); ++k) e.add(connection(k, pop_id.at(p.pre), p.source[k], k));
            projections.push_back(std::move(e));
        }
    }

    std::ranges::stable_sort(components, {}, [](const xml::element& e) { return detail::document_rank(e.name); });
    if (!out.types.children.empty()) doc.add(xml::element("include")).set("href", types_file);
    for (auto& c : components) doc.add(std::move(c));
    for (auto& p : populations) network.add(std::move(p));
    for (auto& p : projections) network.add(std::move(p));
    for (auto& i : inputs) network.add(std::move(i));
    doc.add(std::move(network));
    out.document = std::move(doc);

    // --- LEMS simulation ---------------------------------------------------------------------------
    xml::element lems("Lems");
    const std::string sim_id = "sim_" + detail::nml_id(options.name);
    lems.add(xml::element("Target")).set("component", sim_id);
    for (const char* f : {"Cells.xml", "Networks.xml", "Simulation.xml", "PyNN.xml"}) lems.add(xml::element("Include")).set("file", f);
    if (!out.types.children.empty()) lems.add(xml::element("Include")).set("file", types_file);
    lems.add(xml::element("Include")).set("file", options.network_file.empty() ? options.name + ".net.nml" : options.network_file);
    xml::element sim("Simulation");
    sim.set("id", sim_id).set("length", quantity(to_pynn(u, dimension::time, options.duration), "ms")).set("step", quantity(to_pynn(u, dimension::time, net.dt), "ms"))
        .set("target", net_id).set("seed", std::to_string(options.seed));
    const std::string stem = detail::nml_id(options.name);
    for (const auto& r : net.recordings) {
        const auto it = pop_id.find(r.group);
        if (it == pop_id.end()) {
            warn("recording of '" + r.group + "' is not exported (only neuron and Poisson populations are)");
            continue;
        }
        const std::string pid = it->second;
        if (r.variables.empty()) {
            xml::element f("EventOutputFile");
            f.set("id", unique("spikes_" + pid)).set("fileName", stem + "." + pid + ".spikes").set("format", "ID_TIME");
            const auto& g = net.group(r.group);
            for (std::size_t i = 0; i < g.size; ++i) {
                xml::element s("EventSelection");
                s.set("id", std::to_string(i)).set("select", pid + "[" + std::to_string(i) + "]").set("eventPort", "spike");
                f.add(std::move(s));
            }
            sim.add(std::move(f));
            continue;
        }
        if (r.interval != 1)
            warn("recording of '" + r.group + "' every " + std::to_string(r.interval) +
                 " steps: a LEMS OutputFile records every step");
        const auto* type = cells.at(r.group);
        for (const auto& var : r.variables) {
            if (std::ranges::find(type->exposed, var) == type->exposed.end()) {
                warn("recording of " + var + " in '" + r.group + "': " + std::string(type->element) +
                     " does not expose it (synaptic variables live in the synapses)");
                continue;
            }
            const std::string nml = std::string(detail::exposure_name(var));
            const bool voltage = detail::exposure_dimension(var) == dimension::voltage;
            xml::element display("Display");
            display.set("id", unique("display_" + pid + "_" + nml)).set("title", r.group + ": " + nml)
                .set("timeScale", "1ms").set("xmin", "0").set("xmax", number(to_pynn(u, dimension::time, options.duration)))
                .set("ymin", voltage ? "-90" : "-1").set("ymax", voltage ? "40" : "1");
            xml::element file("OutputFile");
            file.set("id", unique("of_" + pid + "_" + nml)).set("fileName", stem + "." + pid + "." + nml + ".dat");
            static constexpr const char* colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
            for (std::size_t k = 0; k < r.neurons.size(); ++k) {
                const std::string q = pid + "[" + std::to_string(r.neurons[k]) + "]/" + nml;
                const std::string id = nml + "_" + std::to_string(r.neurons[k]);
                if (k < options.display_lines) {
                    xml::element line("Line");
                    line.set("id", id).set("quantity", q).set("scale", voltage ? "1mV" : "1").set("color", colours[k % 10])
                        .set("timeScale", "1ms");
                    display.add(std::move(line));
                }
                xml::element col("OutputColumn");
                col.set("id", id).set("quantity", q);
                file.add(std::move(col));
            }
            sim.add(std::move(display));
            sim.add(std::move(file));
        }
    }
    // Displays first, then output files (the order LEMS examples use).
    std::ranges::stable_sort(sim.children, {}, [](const xml::element& e) { return e.name == "Display" ? 0 : 1; });
    lems.add(std::move(sim));
    out.lems = std::move(lems);
    if (!out.warnings.empty()) {  // notes come first in a <neuroml> document
        xml::element notes("notes");
        notes.text = "Exported by brainweave. Not expressible in NeuroML2:";
        for (const auto& w : out.warnings) notes.text += "\n- " + w;
        out.document.children.insert(out.document.children.begin(), std::move(notes));
    }
    return out;
}

/// Paths written by save().
struct saved_files {
    std::filesystem::path network, lems, types;  ///< types: empty unless custom cells were written
};

/// Writes <dir>/<name>.net.nml and <dir>/LEMS_<name>.xml (the directory is created).
inline saved_files save(const spiking::network_description& net, const std::filesystem::path& dir, export_options options,
                        std::vector<std::string>* warnings = nullptr) {
    std::filesystem::create_directories(dir);
    if (options.network_file.empty()) options.network_file = options.name + ".net.nml";
    const exported e = to_neuroml(net, options);
    saved_files f{dir / options.network_file, dir / ("LEMS_" + options.name + ".xml"), {}};
    xml::save(f.network, e.document);
    xml::save(f.lems, e.lems);
    if (!e.types.children.empty()) {
        f.types = dir / (detail::nml_id(options.name) + ".types.xml");
        xml::save(f.types, e.types);
    }
    if (warnings) *warnings = e.warnings;
    return f;
}

// --- import ---------------------------------------------------------------------------------------

struct import_options {
    double seconds_per_time_unit = 1e-3;    ///< the description's units: 1e-3 NEST's (ms, mV, pA, pF, nS), 1 SI
    std::vector<custom_cell> custom_cells;  ///< how to read populations of custom ComponentTypes
    std::vector<xml::element> included;     ///< documents the NeuroML2 file includes (load() reads them)
};

namespace detail {
inline spiking::group_description new_group(std::string name, std::string model, std::size_t size) {
    spiking::group_description g;
    g.name = std::move(name);
    g.model = std::move(model);
    g.size = size;
    return g;
}

struct reader {
    std::string file;
    const xml::element* find_component(const xml::element& doc, const std::string& id) const {
        for (const auto& c : doc.children)
            if (c.attribute("id") == id) return &c;
        return nullptr;
    }
    /// A quantity attribute in units of 10^exponent of its SI unit.
    double in(const xml::element& e, std::string_view key, int exponent) const {
        return value_in(e.required(key, file), exponent, "'" + file + "', <" + e.name + " id=\"" + e.attribute("id").value_or("") +
                                                   "\"> attribute '" + std::string(key) + "'");
    }
    double plain(const xml::element& e, std::string_view key) const {
        return plain_value(e.required(key, file), "'" + file + "', <" + e.name + " id=\"" + e.attribute("id").value_or("") +
                                                      "\"> attribute '" + std::string(key) + "'");
    }
    /// (population id, cell index) from "../pop[3]" or "../pop/3/cell".
    std::pair<std::string, std::uint32_t> cell_path(const std::string& path, const xml::element& where) const {
        std::string p = path.rfind("../", 0) == 0 ? path.substr(3) : path;
        std::size_t b = p.find('['), e = p.find(']');
        std::string pop, index;
        if (b != std::string::npos && e != std::string::npos && e > b) {
            pop = p.substr(0, b);
            index = p.substr(b + 1, e - b - 1);
        } else if (const auto s = p.find('/'); s != std::string::npos) {
            pop = p.substr(0, s);
            const auto s2 = p.find('/', s + 1);
            index = p.substr(s + 1, s2 == std::string::npos ? std::string::npos : s2 - s - 1);
        }
        if (pop.empty() || index.empty() || !std::ranges::all_of(index, [](char c) { return c >= '0' && c <= '9'; }))
            throw io_error("'" + file + "', line " + std::to_string(where.line) + ": '" + path +
                           "' is not a cell path such as ../pop[3] or ../pop/3/cell");
        return {pop, parse_number<std::uint32_t>(index, "'" + file + "', line " + std::to_string(where.line) + ": cell index of '" + path + "'")};
    }
};
}  // namespace detail

/// Reads a network written by to_neuroml/save (and, optionally, its LEMS simulation for dt and the
/// recordings) into a description in `seconds_per_time_unit`'s unit system.
inline spiking::network_description from_neuroml(const xml::element& doc, const std::string& file, const import_options& options = {},
                                                 const xml::element* lems = nullptr, const std::string& lems_file = "") {
    using detail::from_pynn;
    using detail::to_pynn;
    if (doc.name != "neuroml") throw io_error("'" + file + "': the root element is <" + doc.name + ">, expected <neuroml>");
    const double seconds_per_time_unit = options.seconds_per_time_unit;
    const unit_system u = unit_system::of(seconds_per_time_unit);
    std::deque<detail::cell_type> custom_types;  // cell types of custom cells, stable addresses for `cells`
    std::deque<std::string> type_names;
    detail::reader rd{file};
    spiking::network_description net;
    net.seconds_per_time_unit = seconds_per_time_unit;
    const xml::element* network = doc.first("network");
    if (!network) throw io_error("'" + file + "': no <network> element");
    std::map<std::string, std::string> group_of_pop;      // population id -> group name
    std::map<std::string, std::uint32_t> unit_of_pop;      // spike generator unit populations
    std::map<std::string, const detail::cell_type*> cells;  // group -> cell type
    std::map<std::string, std::pair<std::string, std::string>> receptor_of;  // synapse id -> (group, receptor)
    auto group_index = [&](const std::string& name) -> spiking::group_description& {
        for (auto& g : net.groups)
            if (g.name == name) return g;
        throw io_error("'" + file + "': no group '" + name + "'");
    };
    for (const auto* pop : network->all("population")) {
        const std::string pid = pop->required("id", file);
        const std::string cid = pop->required("component", file);
        const auto* comp = rd.find_component(doc, cid);
        for (std::size_t k = 0; !comp && k < options.included.size(); ++k) comp = rd.find_component(options.included[k], cid);
        if (!comp)
            throw io_error("'" + file + "', line " + std::to_string(pop->line) + ": population '" + pid + "' uses component '" +
                           cid + "', which neither the document nor the files it includes define");
        const std::size_t size = pop->attribute("size") ? parse_number<std::size_t>(*pop->attribute("size"), "'" + file + "', line " + std::to_string(pop->line) + ": population size") : pop->all("instance").size();
        if (comp->name == "spikeArray") {
            const std::string group = detail::property_of(*pop, "brainweave:group").value_or(pid);
            const std::uint32_t unit = parse_number<std::uint32_t>(detail::property_of(*pop, "brainweave:unit").value_or("0"), "'" + file + "': brainweave:unit");
            const std::size_t gsize = parse_number<std::size_t>(detail::property_of(*pop, "brainweave:group_size").value_or("1"), "'" + file + "': brainweave:group_size");
            group_of_pop[pid] = group;
            unit_of_pop[pid] = unit;
            if (std::ranges::none_of(net.groups, [&](const auto& g) { return g.name == group; }))
                net.groups.push_back(detail::new_group(group, "spike_generator", gsize));
            auto& g = group_index(group);
            for (const auto* s : comp->all("spike")) {
                g.spike_index.push_back(unit);
                g.spike_time.push_back(rd.in(*s, "time", u.time));
            }
            continue;
        }
        const std::string group = detail::property_of(*pop, "brainweave:name").value_or(pid);
        group_of_pop[pid] = group;
        if (comp->name == "spikeGeneratorPoisson") {
            auto g = detail::new_group(group, "poisson_generator", size);
            g.rates = {rd.in(*comp, "averageRate", 0)};
            g.seed = parse_number<std::uint64_t>(detail::property_of(*comp, "brainweave:seed").value_or("1"), "'" + file + "': brainweave:seed");
            net.groups.push_back(std::move(g));
            continue;
        }
        const auto* type = detail::by_element(comp->name);
        const custom_cell* custom = nullptr;
        if (!type && comp->name == "Component") {
            const std::string tname = comp->required("type", file);
            for (const auto& c : options.custom_cells)
                if (c.type_name() == tname) custom = &c;
            if (!custom)
                throw io_error("'" + file + "': population '" + pid + "' uses a component of type '" + tname +
                               "', which no import_options::custom_cells entry describes");
            custom_types.push_back({type_names.emplace_back(custom->model), type_names.emplace_back(tname), custom->synapse,
                                    custom->conductance, {}, nullptr, {}, {}, custom->receptor_type ? &*custom->receptor_type : nullptr});
            for (const auto& v : custom->state_names) custom_types.back().state_names.push_back(type_names.emplace_back(v));
            type = &custom_types.back();
        }
        if (!type)
            throw io_error("'" + file + "': population '" + pid + "' uses <" + comp->name +
                           ">, which brainweave cannot import (it reads the PyNN cell types and the custom cells it exports)");
        cells[group] = type;
        auto g = detail::new_group(group, std::string(type->model), size);
        std::map<std::string, double> values;
        double v_init = 0;
        if (custom) {
            for (const auto& p : custom->parameters) {
                const double v = scale10(rd.in(*comp, p.lems, 0), -u.exponent(p.dim));
                if (p.brainweave == "V_m") v_init = v;
                else values[p.brainweave] = v;
            }
            // The receptors' parameters (time constants, reversal potentials) live in the synapses.
            for (const auto& [r, tau, erev] : {std::tuple{"_ex", "tau_syn_ex", "E_ex"}, std::tuple{"_in", "tau_syn_in", "E_in"}})
                if (const auto& cs = custom->receptor_type) {
                    const xml::element* syn = nullptr;
                    for (std::size_t k = 0; !syn && k < options.included.size(); ++k)
                        syn = rd.find_component(options.included[k], detail::nml_id(group) + r);
                    if (!syn) throw io_error("'" + file + "': no synapse component '" + detail::nml_id(group) + r + "' in the included files");
                    for (const auto& p : std::string_view(r) == "_ex" ? cs->ex : cs->in)
                        values[p.brainweave] = scale10(rd.in(*syn, p.lems, 0), -u.exponent(p.dim));
                } else if (const auto* syn = rd.find_component(doc, detail::nml_id(group) + r)) {
                    values[tau] = from_pynn(u, dimension::time, rd.plain(*syn, "tau_syn"));
                    if (custom->conductance) values[erev] = from_pynn(u, dimension::voltage, rd.plain(*syn, "e_rev"));
                }
        } else {
            for (const auto& f : detail::common_fields()) values[std::string(f.parameter)] = from_pynn(u, f.dim, rd.plain(*comp, f.attribute));
            for (const auto& f : type->extra) values[std::string(f.parameter)] = from_pynn(u, f.dim, rd.plain(*comp, f.attribute));
            if (type->conductance) {
                values["g_L"] = scale10(values["C_m"] / rd.plain(*comp, "tau_m"), u.capacitance - u.conductance + 3);
                values["E_ex"] = from_pynn(u, dimension::voltage, rd.plain(*comp, "e_rev_E"));
                values["E_in"] = from_pynn(u, dimension::voltage, rd.plain(*comp, "e_rev_I"));
            }
            v_init = from_pynn(u, dimension::voltage, rd.plain(*comp, "v_init"));
        }
        const auto names = custom ? custom->parameter_order : type->parameter_names();
        for (const auto& n : names) {
            const auto it = values.find(n);
            if (it == values.end())
                throw io_error("'" + file + "': <" + comp->name + " id=\"" + cid + "\"> gives no value for " + std::string(type->model) +
                               " parameter '" + n + "'");
            g.parameters.emplace_back(n, it->second);
        }
        for (auto v : type->state_names) g.state.emplace_back(std::string(v), std::vector<double>(size, v == "V_m" ? v_init : 0.0));
        net.groups.push_back(std::move(g));
    }
    // Synapse components: which receptor of which group each one is (named <group>_<receptor>).
    for (const auto& [group, type] : cells)
        for (const char* r : {"ex", "in"}) receptor_of[detail::nml_id(group) + "_" + r] = {group, r};
    auto receptor = [&](const std::string& sid, const xml::element& where) {
        const auto it = receptor_of.find(sid);
        if (it == receptor_of.end())
            throw io_error("'" + file + "', line " + std::to_string(where.line) + ": synapse '" + sid +
                           "' is not one of the receptors brainweave exports (<group>_ex, <group>_in)");
        return it->second;
    };
    std::map<std::tuple<std::string, std::string, std::string>, std::size_t> projection_index;
    for (const auto* pr : network->all("projection")) {
        const std::string pre_pop = pr->required("presynapticPopulation", file);
        const auto [post_group, rec] = receptor(pr->required("synapse", file), *pr);
        if (!group_of_pop.count(pre_pop))
            throw io_error("'" + file + "': projection '" + pr->required("id", file) + "' starts at unknown population '" + pre_pop + "'");
        const std::string pre_group = group_of_pop[pre_pop];
        const auto key = std::tuple{pre_group, post_group, rec};
        if (!projection_index.count(key)) {
            projection_index[key] = net.projections.size();
            spiking::projection_description p;
            p.pre = pre_group;
            p.post = post_group;
            p.receptor = rec;
            net.projections.push_back(std::move(p));
        }
        auto& p = net.projections[projection_index[key]];
        const detail::cell_type& post_type = *cells.at(post_group);
        for (const auto& c : pr->children) {
            if (c.name != "connectionWD") {
                if (c.name == "connection") throw io_error("'" + file + "', line " + std::to_string(c.line) + ": <connection> without weight and delay; brainweave reads <connectionWD>");
                continue;
            }
            const auto [a, i] = rd.cell_path(c.required("preCellId", file), c);
            const auto [b, j] = rd.cell_path(c.required("postCellId", file), c);
            p.source.push_back(unit_of_pop.count(a) ? unit_of_pop[a] : i);
            p.target.push_back(j);
            p.weight.push_back(detail::weight_in(u, post_type, rd.plain(c, "weight")));
            p.delay.push_back(rd.in(c, "delay", u.time));
        }
    }
    // Sources are stored by source, each row by target (the network's CSR order).
    for (auto& p : net.projections) {
        std::vector<std::size_t> o(p.source.size());
        std::iota(o.begin(), o.end(), std::size_t{0});
        std::ranges::stable_sort(o, [&](auto x, auto y) { return p.source[x] != p.source[y] ? p.source[x] < p.source[y] : p.target[x] < p.target[y]; });
        auto permute = [&](auto& v) {
            auto c = v;
            for (std::size_t k = 0; k < o.size(); ++k) v[k] = c[o[k]];
        };
        permute(p.source);
        permute(p.target);
        permute(p.weight);
        permute(p.delay);
    }
    for (const auto* list : network->all("inputList")) {
        const std::string cid = list->required("component", file);
        const auto* comp = rd.find_component(doc, cid);
        if (!comp) throw io_error("'" + file + "': input list '" + list->required("id", file) + "' uses undefined component '" + cid + "'");
        const std::string group = group_of_pop.at(list->required("population", file));
        std::vector<std::uint32_t> targets;
        std::vector<double> weights;
        for (const auto& in : list->children) {
            if (in.name != "input" && in.name != "inputW") continue;
            targets.push_back(rd.cell_path(in.required("target", file), in).second);
            weights.push_back(in.name == "inputW" ? rd.plain(in, "weight") : 1.0);
        }
        auto& g = group_index(group);
        if (comp->name == "pulseGenerator") {
            const double start = rd.in(*comp, "delay", u.time), dur = rd.in(*comp, "duration", -3);
            const double stop = dur >= detail::forever_ms ? std::numeric_limits<double>::infinity()
                                                          : from_pynn(u, dimension::time, to_pynn(u, dimension::time, start) + dur);
            const double amp = rd.in(*comp, "amplitude", u.current);
            if (detail::property_of(*comp, "brainweave:role") == "drive") g.drive = amp;
            else g.currents.push_back(spiking::step_current::dc(amp, targets, start, stop));
        } else if (comp->name == "poissonFiringSynapse") {
            const auto [tg, rec] = receptor(comp->required("synapse", file), *comp);
            const double n_sources = parse_number<double>(detail::property_of(*comp, "brainweave:n_sources").value_or("1"), "'" + file + "': brainweave:n_sources");
            if (std::ranges::any_of(weights, [&](double w) { return w != weights.front(); }))
                throw io_error("'" + file + "': input list '" + list->required("id", file) +
                               "' gives neurons different weights; brainweave's poisson_input has one weight");
            net.poisson_inputs.push_back({tg, rec, n_sources, rd.in(*comp, "averageRate", 0) / n_sources,
                                          weights.empty() ? 0.0 : detail::weight_in(u, *cells.at(tg), weights.front()),
                                          parse_number<std::uint64_t>(detail::property_of(*comp, "brainweave:seed").value_or("1"), "'" + file + "': brainweave:seed")});
        } else {
            throw io_error("'" + file + "': input component <" + comp->name + " id=\"" + cid + "\"> is not one brainweave imports");
        }
    }
    if (lems) {
        const auto* sim = lems->first("Simulation");
        if (!sim) throw io_error("'" + lems_file + "': no <Simulation> element");
        detail::reader lr{lems_file};
        net.dt = lr.in(*sim, "step", u.time);
        auto pop_index = [&](const std::string& q, const xml::element& where) {
            const auto [pop, i] = lr.cell_path(q.substr(0, q.find(']') + 1), where);
            return std::pair{group_of_pop.at(pop), i};
        };
        for (const auto& f : sim->children) {
            if (f.name == "EventOutputFile") {
                std::string group;
                for (const auto* s : f.all("EventSelection")) group = pop_index(s->required("select", lems_file), *s).first;
                if (!group.empty()) net.recordings.push_back({group, {}, {}, 1});
            } else if (f.name == "OutputFile") {
                spiking::recording_description r;
                for (const auto* c : f.all("OutputColumn")) {
                    const std::string q = c->required("quantity", lems_file);
                    const auto [group, i] = pop_index(q, *c);
                    const std::string var = q.substr(q.rfind('/') + 1) == "v" ? "V_m" : q.substr(q.rfind('/') + 1);
                    r.group = group;
                    if (r.variables.empty()) r.variables.push_back(var);
                    if (r.variables.front() == var) r.neurons.push_back(i);
                }
                if (r.group.empty()) continue;
                // Variables of one group recorded from the same neurons form one recording.
                auto same = std::ranges::find_if(net.recordings, [&](const auto& x) {
                    return x.group == r.group && !x.variables.empty() && x.neurons == r.neurons;
                });
                if (same != net.recordings.end()) same->variables.push_back(r.variables.front());
                else net.recordings.push_back(std::move(r));
            }
        }
    }
    return net;
}

/// Reads <name>.net.nml, the files it includes (custom cell types), and LEMS_<name>.xml for dt and
/// the recordings if given.
inline spiking::network_description load(const std::filesystem::path& network_file, const std::filesystem::path& lems_file = {},
                                         import_options options = {}) {
    const auto doc = xml::load(network_file);
    for (const auto* inc : doc.all("include")) options.included.push_back(xml::load(network_file.parent_path() / inc->required("href", network_file.string())));
    if (lems_file.empty()) return from_neuroml(doc, network_file.string(), options);
    const auto lems = xml::load(lems_file);
    return from_neuroml(doc, network_file.string(), options, &lems, lems_file.string());
}

}  // namespace brainweave::io::neuroml
