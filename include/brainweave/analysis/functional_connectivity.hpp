#pragma once
// Functional connectivity of monitor outputs (TVB's `CorrelationCoefficients` analyser) and its
// comparison with structure.
//
//   functional_connectivity(out, {...})  Pearson correlation between the time series of every
//                                        pair of nodes (or sensors) of one variable and mode,
//                                        over the samples at or after t_start (ms)
//   upper_triangle_correlation(a, b)     Pearson correlation of the entries above the diagonal
//                                        of two square matrices (e.g. FC against SC weights)
#include <brainweave/core/error.hpp>
#include <brainweave/monitors/output.hpp>

#include <Eigen/Core>

#include <cmath>
#include <string>

namespace brainweave::analysis {

struct fc_options {
    std::size_t variable = 0;  ///< index into the monitor's variables
    std::size_t mode = 0;
    double t_start = 0.0;      ///< ms: leave out earlier samples (transients)
};

/// n_space x n_space correlation matrix; a node whose series is constant gets NaN correlations
/// (as numpy.corrcoef), 1 on the diagonal excepted.
inline Eigen::MatrixXd functional_connectivity(const monitor_output& out, fc_options opt = {}) {
    if (opt.variable >= out.n_var || opt.mode >= out.n_modes)
        throw config_error("functional_connectivity: variable " + std::to_string(opt.variable) + " / mode " +
                           std::to_string(opt.mode) + " out of range (the output has " + std::to_string(out.n_var) +
                           " variables and " + std::to_string(out.n_modes) + " modes)");
    std::size_t first = 0;
    while (first < out.n_samples() && out.time[first] < opt.t_start) ++first;
    const std::size_t T = out.n_samples() - first, n = out.n_space;
    if (T < 2)
        throw config_error("functional_connectivity: needs at least 2 samples at or after t = " +
                           std::to_string(opt.t_start) + " ms, got " + std::to_string(T));
    Eigen::MatrixXd x(static_cast<Eigen::Index>(T), static_cast<Eigen::Index>(n));
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t i = 0; i < n; ++i)
            x(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(i)) = out(first + t, opt.variable, i, opt.mode);
    x.rowwise() -= x.colwise().mean();
    const Eigen::MatrixXd cov = x.transpose() * x;
    const Eigen::VectorXd sd = cov.diagonal().cwiseSqrt();
    Eigen::MatrixXd fc(cov.rows(), cov.cols());
    for (Eigen::Index i = 0; i < cov.rows(); ++i)
        for (Eigen::Index j = 0; j < cov.cols(); ++j)
            fc(i, j) = i == j ? 1.0 : cov(i, j) / (sd(i) * sd(j));
    return fc;
}

/// Pearson correlation of the strictly upper-triangular entries of a and b (same square shape).
inline double upper_triangle_correlation(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    if (a.rows() != a.cols() || a.rows() != b.rows() || b.rows() != b.cols() || a.rows() < 3)
        throw config_error("upper_triangle_correlation: expected two square matrices of the same size (at least 3 x 3), "
                           "got " + std::to_string(a.rows()) + " x " + std::to_string(a.cols()) + " and " +
                           std::to_string(b.rows()) + " x " + std::to_string(b.cols()));
    double ma = 0.0, mb = 0.0, n = 0.0;
    for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = i + 1; j < a.cols(); ++j) {
            ma += a(i, j);
            mb += b(i, j);
            n += 1.0;
        }
    ma /= n;
    mb /= n;
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = i + 1; j < a.cols(); ++j) {
            sab += (a(i, j) - ma) * (b(i, j) - mb);
            saa += (a(i, j) - ma) * (a(i, j) - ma);
            sbb += (b(i, j) - mb) * (b(i, j) - mb);
        }
    return sab / std::sqrt(saa * sbb);
}

}  // namespace brainweave::analysis
