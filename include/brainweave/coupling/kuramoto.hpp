#pragma once
// Kuramoto coupling (TVB `coupling.Kuramoto`): c = (a / N) sum_j w_ij sin(x_j - x_i).
//
// As TVB implements it, N is the number of coupling variables (the first axis of its summed
// array), i.e. 1 for the Kuramoto model, not the number of nodes. That is kept as the default so
// that TVB's results are reproduced; set `normalise_by_nodes` to divide by the node count instead
// (the textbook K/N form), which the simulator supplies through `n_nodes`.
#include <brainweave/concepts/coupling.hpp>
#include <brainweave/coupling/linear.hpp>

#include <boost/hana/adapt_struct.hpp>

#include <cmath>

namespace brainweave::coupling {

struct kuramoto {
    static constexpr std::string_view name = "Kuramoto";
    static constexpr bool vectorizable = true;
    static constexpr bool reads_target = true;
    double a = 1.0;
    bool normalise_by_nodes = false;
    double n_nodes = 1.0;  ///< set by the simulator when normalise_by_nodes is true
    BRAINWEAVE_PER_VARIABLE_COUPLING
    template <std::size_t NC, class T>
    void pre(const T* xi, const T* xj, T* out) const noexcept {
        using std::sin;
        for (std::size_t k = 0; k < NC; ++k) out[k] = sin(xj[k] - xi[k]);
    }
    template <std::size_t NC, class T>
    void post(const T* gx, const T*, T* out) const noexcept {
        const double n = normalise_by_nodes ? n_nodes : static_cast<double>(NC);
        for (std::size_t k = 0; k < NC; ++k) out[k] = a / n * gx[k];
    }
};

}  // namespace brainweave::coupling
BOOST_HANA_ADAPT_STRUCT(brainweave::coupling::kuramoto, a, normalise_by_nodes);
