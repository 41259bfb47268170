#pragma once
// The cortical column of hybridLFPy's Brunel example, for a Brunel network (brunel.hpp): two
// populations of passive ball-and-stick cells, excitatory ("EX", with an apical dendrite) and
// inhibitory ("IN", without, a quarter as many), and a laminar probe. As in hybridLFPy's example:
//  - cells: soma 20 um long and wide; four oblique 3 um dendrites to (+-100, +-100, +-100) um from
//    the soma's ends; EX cells add a 490 um apical dendrite along z. Passive: Ra 150 ohm cm,
//    cm 1 uF/cm2, rm 20000 ohm cm2, e_pas = v_init = 0 (signals are deviations from rest).
//  - placement: somata in a cylinder of radius 564 um (1 mm^2 of cortex) at depths -450..-350 um,
//    random rotations about z;
//  - layers L1 (0..-300 um) and L2 (-300..-600 um); EX cells receive half their excitatory inputs
//    in each layer and their inhibitory inputs in L2; IN cells receive all inputs in L2. In-degrees
//    equal the network's (C_E excitatory, C_I inhibitory); weights are the network's currents
//    (J, -g J, in nA), exponential synapses of 0.5 ms; delays 1.5 +- 0.3 ms.
//  - a laminar probe at the column's axis, contacts every 100 um from 0 to -600 um; CSD in
//    cylinders of the same radius, 100 um high, centred on the contacts.
// Used by the hybrid_brunel example and the LFP benchmark.
#include "brunel.hpp"

#include <brainweave/lfp.hpp>

#include <string>
#include <vector>

namespace examples {

brainweave::multicompartment::morphology ball_and_sticks(bool apical) {
    brainweave::multicompartment::morphology m;
    m.source = apical ? "ball-and-sticks with apical dendrite" : "ball-and-sticks";
    m.sections.push_back({"soma", 1, {{0, 0, -10, 20}, {0, 0, 10, 20}}, -1, 1.0});
    const double ends[4][3] = {{100, -100, 100}, {-100, 100, 100}, {100, 100, -100}, {-100, -100, -100}};
    for (int k = 0; k < 4; ++k) {
        const double z0 = k < 2 ? 10 : -10;
        m.sections.push_back({"dend[" + std::to_string(k) + "]", 3, {{0, 0, z0, 3}, {ends[k][0], ends[k][1], ends[k][2], 3}}, 0, k < 2 ? 1.0 : 0.0});
    }
    if (apical) m.sections.push_back({"apic", 4, {{0, 0, 10, 3}, {0, 0, 500, 3}}, 0, 1.0});
    m.validate();
    return m;
}

struct hybrid_column {
    std::vector<brainweave::hybrid::layer> layers;
    std::vector<brainweave::hybrid::cell_population> populations;
    brainweave::hybrid::probes probe;
    std::vector<double> depth;  ///< of the contacts (um)
};

inline hybrid_column brunel_column(const brunel_parameters& b, std::size_t n_ex_cells) {
    namespace hy = brainweave::hybrid;
    namespace mc = brainweave::multicompartment;
    hybrid_column col;
    col.layers = {{"L1", -300, 0}, {"L2", -600, -300}};
    const double J_nA = b.J * 1e-3, ce = static_cast<double>(b.c_e), ci = static_cast<double>(b.c_i);
    auto population = [&](std::string name, bool apical, std::size_t size, std::vector<double> k_e, std::vector<double> k_i) {
        hy::cell_population p;
        p.name = std::move(name);
        p.morphology = ball_and_sticks(apical);
        p.size = size;
        p.radius_um = 564;
        p.z_min_um = -450;
        p.z_max_um = -350;
        p.min_soma_distance_um = 1;
        p.inputs = {{0, std::move(k_e), J_nA, 0.5, mc::synapse_kernel::exponential, 1.5, 0.3, {}},
                    {1, std::move(k_i), -b.g * J_nA, 0.5, mc::synapse_kernel::exponential, 1.5, 0.3, {}}};
        return p;
    };
    col.populations = {population("EX", true, n_ex_cells, {ce / 2, ce / 2}, {0, ci}),
                       population("IN", false, std::max<std::size_t>(1, n_ex_cells / 4), {0, ce}, {0, ci})};
    const int n_contacts = 7;
    col.probe.contacts.resize(n_contacts, 3);
    col.probe.csd_bounds.resize(n_contacts, 2);
    for (int k = 0; k < n_contacts; ++k) {
        col.depth.push_back(-100.0 * k);
        col.probe.contacts.row(k) << 0, 0, col.depth.back();
        col.probe.csd_bounds.row(k) << col.depth.back() - 50, col.depth.back() + 50;
    }
    col.probe.csd_radius = Eigen::VectorXd::Constant(n_contacts, 564.0);
    return col;
}

}  // namespace examples
