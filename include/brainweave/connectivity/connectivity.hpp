#pragma once
// The structural connectome: TVB's `Connectivity` (weights, tract lengths, centres, labels,
// orientations, areas, cortical and hemisphere flags), conduction delays, and the sparse form the
// simulator uses.
//
// Convention (TVB's): weights(i, j) is the weight of the connection from node j to node i, i.e.
// rows are targets. Tract lengths in mm, speed in mm/ms, times in ms.
#include <brainweave/core/error.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace brainweave {

struct connectivity {
    Eigen::MatrixXd weights;        ///< (n, n), rows are targets
    Eigen::MatrixXd tract_lengths;  ///< (n, n), mm
    Eigen::MatrixX3d centres;       ///< (n, 3), mm
    Eigen::MatrixX3d orientations;  ///< (n, 3), average orientations (may be empty)
    std::vector<std::string> region_labels;
    std::vector<double> areas;      ///< may be empty
    std::vector<bool> cortical;     ///< may be empty (TVB then assumes all cortical)
    std::vector<bool> hemispheres;  ///< true = right hemisphere (may be empty)
    double speed = 3.0;             ///< conduction speed, mm/ms (TVB's default)

    std::size_t n_regions() const noexcept { return static_cast<std::size_t>(weights.rows()); }

    /// A copy with another conduction speed.
    connectivity with_speed(double s) const {
        connectivity c = *this;
        c.speed = s;
        c.validate();
        return c;
    }

    /// Checks shapes and values; throws config_error naming the field.
    void validate() const {
        const auto n = weights.rows();
        if (weights.cols() != n) throw config_error("connectivity: weights must be square, got " + std::to_string(n) + "x" + std::to_string(weights.cols()));
        if (tract_lengths.rows() != n || tract_lengths.cols() != n)
            throw config_error("connectivity: tract_lengths must be " + std::to_string(n) + "x" + std::to_string(n) +
                               " like the weights, got " + std::to_string(tract_lengths.rows()) + "x" +
                               std::to_string(tract_lengths.cols()));
        if (!weights.allFinite()) throw config_error("connectivity: weights contain NaN or Inf");
        if (!tract_lengths.allFinite() || (tract_lengths.array() < 0).any())
            throw config_error("connectivity: tract_lengths must be finite and >= 0");
        if (!(speed > 0.0) || !std::isfinite(speed))
            throw config_error("connectivity: speed must be > 0 mm/ms, got " + std::to_string(speed));
        if (centres.rows() != 0 && centres.rows() != n) throw config_error("connectivity: centres must have one row per region");
        if (!region_labels.empty() && region_labels.size() != static_cast<std::size_t>(n))
            throw config_error("connectivity: region_labels must have one entry per region");
    }

    /// Integer delays in steps: rint(tract_length / speed / dt), rounding half to even as numpy.
    Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> delays_in_steps(double dt) const {
        if (!(dt > 0.0)) throw config_error("connectivity: dt must be > 0, got " + std::to_string(dt));
        Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> d(weights.rows(), weights.cols());
        for (Eigen::Index i = 0; i < d.rows(); ++i)
            for (Eigen::Index j = 0; j < d.cols(); ++j)
                d(i, j) = static_cast<std::int64_t>(std::nearbyint(tract_lengths(i, j) / speed / dt));
        return d;
    }

    /// A connectome from matrices alone (labels r0, r1, ...).
    static connectivity from_matrices(Eigen::MatrixXd w, Eigen::MatrixXd tl, double speed = 3.0) {
        connectivity c;
        c.weights = std::move(w);
        c.tract_lengths = std::move(tl);
        c.speed = speed;
        for (Eigen::Index i = 0; i < c.weights.rows(); ++i) c.region_labels.push_back("r" + std::to_string(i));
        c.validate();
        return c;
    }
};

/// Non-zero weights in compressed sparse rows (by target), each with its delay in steps.
struct sparse_connectivity {
    std::size_t n_nodes = 0;
    std::vector<std::size_t> row_begin;   ///< n_nodes + 1 offsets
    std::vector<std::uint32_t> source;    ///< afferent node of each entry
    std::vector<std::uint32_t> delay;     ///< delay in steps of each entry
    std::vector<double> weight;
    std::size_t max_delay = 0;

    std::size_t nnz() const noexcept { return weight.size(); }

    /// Builds the CSR from dense weights and integer delays (entries with zero weight are dropped).
    template <class W, class D>
    static sparse_connectivity from_dense(const W& weights, const D& delays) {
        sparse_connectivity s;
        s.n_nodes = static_cast<std::size_t>(weights.rows());
        if (static_cast<std::size_t>(weights.cols()) != s.n_nodes || delays.rows() != weights.rows() ||
            delays.cols() != weights.cols())
            throw config_error("sparse_connectivity: weights and delays must be square and of the same shape");
        s.row_begin.assign(s.n_nodes + 1, 0);
        for (std::size_t i = 0; i < s.n_nodes; ++i) {
            for (std::size_t j = 0; j < s.n_nodes; ++j) {
                const double w = weights(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
                const auto d = delays(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
                if (d < 0) throw config_error("sparse_connectivity: delay from node " + std::to_string(j) + " to " + std::to_string(i) + " is negative");
                if (w == 0.0) continue;
                s.source.push_back(static_cast<std::uint32_t>(j));
                s.delay.push_back(static_cast<std::uint32_t>(d));
                s.weight.push_back(w);
                s.max_delay = std::max<std::size_t>(s.max_delay, static_cast<std::size_t>(d));
            }
            s.row_begin[i + 1] = s.weight.size();
        }
        return s;
    }
};

}  // namespace brainweave
