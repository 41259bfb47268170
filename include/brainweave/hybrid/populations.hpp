#pragma once
// The hybrid scheme's populations (hybridLFPy's Population / PopulationSuper, written anew):
// passive multicompartment cells placed in a cylinder, each receiving current-based synapses from
// the point-neuron network's populations.
//
// - Placement: somata uniform in a cylinder around the z axis (radius, depth range), redrawn until
//   every pair is at least `min_soma_distance` apart; each cell rotated about z by a uniform angle.
//   The centre of the morphology's root section (the soma) is what sits at the position.
// - Synapses: for each connection type Y -> X and each layer L, a cell receives a number of
//   synapses with mean k_YXL (the layer-resolved in-degree; the fractional part by a Bernoulli draw)
//   on segments whose midpoint lies in the layer, chosen with probability proportional to membrane
//   area (only segments of the listed SWC types, if any are listed; synapses of a layer where the
//   placed cell has no membrane are dropped and counted in cell_instance::unplaced). Each synapse's presynaptic
//   neuron is drawn uniformly from Y; its delay from a normal distribution, rounded to dt and at
//   least dt; its weight and kernel are the connection type's.
// Every draw comes from a stream addressed by (seed, cell), so the result depends on neither the
// number of threads nor the order in which cells are built.
#include <brainweave/core/error.hpp>
#include <brainweave/core/random.hpp>
#include <brainweave/multicompartment/cable.hpp>
#include <brainweave/multicompartment/discretization.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

namespace brainweave::hybrid {

/// A cortical layer (depth range in um, z upwards).
struct layer {
    std::string name;
    double z_min = 0, z_max = 0;
};

/// Synapses from presynaptic population `pre` (index into the network's populations).
struct connection_type {
    std::size_t pre = 0;
    std::vector<double> in_degree;  ///< mean synapses per cell, one entry per layer
    double weight_nA = 0.1;
    double tau_ms = 0.5;
    multicompartment::synapse_kernel kernel = multicompartment::synapse_kernel::exponential;
    double delay_mean_ms = 1.5, delay_sd_ms = 0.3;
    std::vector<int> section_types;  ///< SWC types that may receive them; empty = all
};

/// A population of identical passive cells (one morphology) at different positions and rotations.
struct cell_population {
    std::string name;
    multicompartment::morphology morphology;  ///< its root section's centre is the soma position
    multicompartment::passive_properties passive;
    std::size_t size = 0;
    double radius_um = 500;                     ///< of the placement cylinder
    double z_min_um = 0, z_max_um = 0;          ///< soma depth range
    double min_soma_distance_um = 1;
    bool random_rotation = true;                ///< about z
    std::vector<connection_type> inputs;
};

/// One placed cell with its synapses (in the population's segment numbering).
struct cell_instance {
    std::array<double, 3> position{};
    double rotation = 0;  ///< radians about z
    multicompartment::segment_geometry geometry;  ///< placed and rotated
    struct synapse {
        int segment;
        std::uint32_t type;         ///< index into the population's inputs
        std::uint32_t pre_neuron;   ///< within the presynaptic population
        double delay_ms;
    };
    std::vector<synapse> synapses;
    std::size_t unplaced = 0;  ///< synapses drawn for layers where the cell has no membrane (dropped)
};

/// A population after placement: its discretized cell and the placed instances.
struct placed_population {
    const cell_population* spec = nullptr;
    multicompartment::discretized_cell cell;
    std::vector<cell_instance> cells;
};

namespace detail {
inline multicompartment::segment_geometry place(const multicompartment::segment_geometry& g, double angle,
                                                const std::array<double, 3>& at) {
    const double c = std::cos(angle), s = std::sin(angle);
    auto move = [&](const std::array<double, 3>& p) {
        return std::array<double, 3>{c * p[0] - s * p[1] + at[0], s * p[0] + c * p[1] + at[1], p[2] + at[2]};
    };
    multicompartment::segment_geometry out = g;
    for (std::size_t i = 0; i < g.size(); ++i) {
        out.start[i] = move(g.start[i]);
        out.end[i] = move(g.end[i]);
    }
    return out;
}
}  // namespace detail

/// Places a population and draws its synapses. `pre_sizes` are the presynaptic populations' sizes.
inline placed_population place_population(const cell_population& pop, const std::vector<layer>& layers,
                                          const std::vector<std::size_t>& pre_sizes, double dt_ms, std::uint64_t seed,
                                          std::uint64_t population_index) {
    const std::string where = "population '" + pop.name + "'";
    if (pop.size == 0) throw config_error(where + ": size must be positive");
    if (!(pop.radius_um > 0)) throw config_error(where + ": radius_um must be positive");
    if (!(pop.z_max_um >= pop.z_min_um)) throw config_error(where + ": z_max_um must not be below z_min_um");
    if (!(pop.min_soma_distance_um >= 0)) throw config_error(where + ": min_soma_distance_um must be non-negative");
    if (!(dt_ms > 0)) throw config_error(where + ": dt must be positive");
    for (const layer& l : layers)
        if (!(l.z_max > l.z_min)) throw config_error("layer '" + l.name + "': z_max must be above z_min");
    for (std::size_t t = 0; t < pop.inputs.size(); ++t) {
        const connection_type& c = pop.inputs[t];
        const std::string at = where + ", input " + std::to_string(t);
        if (c.pre >= pre_sizes.size()) throw config_error(at + ": presynaptic population " + std::to_string(c.pre) + " does not exist");
        if (pre_sizes[c.pre] == 0) throw config_error(at + ": presynaptic population is empty");
        if (c.in_degree.size() != layers.size())
            throw config_error(at + ": in_degree needs one entry per layer (" + std::to_string(layers.size()) + ")");
        for (double k : c.in_degree)
            if (!(k >= 0) || !std::isfinite(k)) throw config_error(at + ": in-degrees must be non-negative");
        if (!(c.tau_ms > 0)) throw config_error(at + ": tau_ms must be positive");
        if (!std::isfinite(c.weight_nA)) throw config_error(at + ": weight_nA must be finite");
        if (!(c.delay_sd_ms >= 0) || !std::isfinite(c.delay_mean_ms)) throw config_error(at + ": delays need a finite mean and sd >= 0");
    }
    placed_population out;
    out.spec = &pop;
    out.cell = multicompartment::discretize(pop.morphology, pop.passive);
    {   // move the root section's centre (the soma) to the origin
        const auto& root = pop.morphology.sections.front();
        std::vector<double> arc(root.points.size(), 0.0);
        for (std::size_t i = 1; i < arc.size(); ++i) arc[i] = arc[i - 1] + multicompartment::section::distance(root.points[i - 1], root.points[i]);
        const auto c = multicompartment::detail::position_at(root, arc, arc.back() / 2);
        for (std::size_t i = 0; i < out.cell.geometry.size(); ++i)
            for (int k = 0; k < 3; ++k) {
                out.cell.geometry.start[i][static_cast<std::size_t>(k)] -= c[static_cast<std::size_t>(k)];
                out.cell.geometry.end[i][static_cast<std::size_t>(k)] -= c[static_cast<std::size_t>(k)];
            }
    }
    const auto& geo = out.cell.geometry;
    const std::size_t nseg = geo.size();

    // Positions: one stream for the whole population (rejection depends on earlier cells).
    random::uniform_stream placement(seed, (population_index << 32) | 0xffffffffu);
    std::vector<std::array<double, 3>> pos;
    const double d2 = pop.min_soma_distance_um * pop.min_soma_distance_um;
    for (std::size_t i = 0; i < pop.size; ++i) {
        for (std::size_t attempt = 0;; ++attempt) {
            if (attempt > 100000)
                throw config_error(where + ": cannot place " + std::to_string(pop.size) + " cells " + std::to_string(pop.min_soma_distance_um) +
                                   " um apart in the cylinder; enlarge it or lower min_soma_distance_um");
            const double r = pop.radius_um * std::sqrt(placement()), phi = 2 * std::numbers::pi * placement();
            const std::array<double, 3> p{r * std::cos(phi), r * std::sin(phi), pop.z_min_um + (pop.z_max_um - pop.z_min_um) * placement()};
            bool ok = true;
            for (const auto& q : pos)
                if ((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]) < d2) {
                    ok = false;
                    break;
                }
            if (ok) {
                pos.push_back(p);
                break;
            }
        }
    }

    out.cells.resize(pop.size);
    for (std::size_t i = 0; i < pop.size; ++i) {
        random::uniform_stream u(seed, (population_index << 32) | i);
        cell_instance& c = out.cells[i];
        c.position = pos[i];
        c.rotation = pop.random_rotation ? 2 * std::numbers::pi * u() : 0.0;
        c.geometry = detail::place(geo, c.rotation, c.position);
        for (std::size_t t = 0; t < pop.inputs.size(); ++t) {
            const connection_type& ct = pop.inputs[t];
            for (std::size_t l = 0; l < layers.size(); ++l) {
                const double k = ct.in_degree[l];
                if (k == 0) continue;
                // Candidate segments in the layer (placed midpoints), weighted by area.
                std::vector<int> cand;
                std::vector<double> cum;
                double total = 0;
                for (std::size_t s = 0; s < nseg; ++s) {
                    const double z = c.geometry.mid(s)[2];
                    if (z < layers[l].z_min || z >= layers[l].z_max) continue;
                    if (!ct.section_types.empty()) {
                        const int type = pop.morphology.sections[static_cast<std::size_t>(out.cell.segment_section[s])].type;
                        if (std::find(ct.section_types.begin(), ct.section_types.end(), type) == ct.section_types.end()) continue;
                    }
                    total += out.cell.segment_area[s];
                    cand.push_back(static_cast<int>(s));
                    cum.push_back(total);
                }
                auto count = static_cast<std::size_t>(std::floor(k));
                if (u() < k - std::floor(k)) ++count;
                if (count == 0) continue;
                if (cand.empty()) {  // no membrane of this cell in the layer: dropped, and counted
                    c.unplaced += count;
                    continue;
                }
                for (std::size_t n = 0; n < count; ++n) {
                    const double x = u() * total;
                    const auto it = std::upper_bound(cum.begin(), cum.end(), x);
                    const int seg = cand[std::min<std::size_t>(static_cast<std::size_t>(it - cum.begin()), cand.size() - 1)];
                    const auto pre = static_cast<std::uint32_t>(u.below(pre_sizes[ct.pre]));
                    double delay = ct.delay_mean_ms + ct.delay_sd_ms * random::standard_normal(u);
                    delay = std::max(dt_ms, std::round(delay / dt_ms) * dt_ms);
                    c.synapses.push_back({seg, static_cast<std::uint32_t>(t), pre, delay});
                }
            }
        }
    }
    return out;
}

}  // namespace brainweave::hybrid
