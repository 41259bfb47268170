#pragma once
// Long-range coupling through a connectome with conduction delays: the delay buffer of the
// coupling variables, the sparse connectome (CSR, row = target) and the summation
//   c_i(n) = post( sum_j w_ij pre(x_i(n), x_j(n - d_ij)) ).
// Shared by the region simulator (one node per region) and the surface simulator (the buffer
// holds region means of the vertex states). Value is the simulation's value type (double, float or
// a SIMD batch of parameter sets); Coupling a coupling policy or a std::variant of them.
// Layouts: states handed to write() are [var][mode][node]; coupling terms are written
// [term][mode][node].
#include <brainweave/concepts/coupling.hpp>
#include <brainweave/concepts/model.hpp>
#include <brainweave/connectivity/connectivity.hpp>
#include <brainweave/core/error.hpp>
#include <brainweave/core/simd.hpp>
#include <brainweave/history/delay_buffer.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace brainweave {

namespace detail {
template <class T>
struct is_variant : std::false_type {};
template <class... Ts>
struct is_variant<std::variant<Ts...>> : std::true_type {};

/// Calls f with the policy itself, or with its active alternative if it is a std::variant.
template <class P, class F>
decltype(auto) visit_policy(P& p, F&& f) {
    if constexpr (is_variant<std::remove_const_t<P>>::value)
        return std::visit(std::forward<F>(f), p);
    else
        return f(p);
}

/// Number of coupling terms a coupling (or every alternative of a variant) hands the model.
template <class C, std::size_t NC>
struct coupling_outputs {
    static constexpr std::size_t value = C::n_out(NC);
};
template <class... Cs, std::size_t NC>
struct coupling_outputs<std::variant<Cs...>, NC> {
    static constexpr std::size_t value = std::max({Cs::n_out(NC)...});
};
}  // namespace detail

template <class Value, class Model, class Coupling>
class delayed_coupling {
public:
    using scalar_type = simd::scalar_t<Value>;
    static constexpr std::size_t n_cvar = model_traits<Model>::n_cvar;
    static constexpr std::size_t n_modes = model_traits<Model>::n_modes;
    static constexpr std::size_t n_coupling = detail::coupling_outputs<Coupling, n_cvar>::value;

    void set_connectivity(sparse_connectivity csr) {
        csr_ = std::move(csr);
        buffer_ = {};
        read_offset_.clear();
    }
    const sparse_connectivity& sparse() const noexcept { return csr_; }
    std::size_t n_nodes() const noexcept { return csr_.n_nodes; }
    /// Steps of history needed: longest delay + 1.
    std::size_t horizon() const noexcept { return csr_.max_delay + 1; }
    const basic_delay_buffer<Value>& buffer() const noexcept { return buffer_; }

    /// A zeroed history of n_time steps (at least horizon()).
    void reset(std::size_t n_time) {
        const std::size_t n = n_nodes();
        buffer_ = basic_delay_buffer<Value>(n_time, n, n_modes * n_cvar);
        if (2 * buffer_.horizon() * buffer_.slot_stride() > std::numeric_limits<std::uint32_t>::max())
            throw config_error("history: " + std::to_string(n_time) + " steps x " + std::to_string(n) +
                               " nodes exceed the delay buffer's 32-bit addressing");
        read_offset_.resize(csr_.nnz());
        for (std::size_t e = 0; e < csr_.nnz(); ++e)
            read_offset_[e] = static_cast<std::uint32_t>(buffer_.read_offset(csr_.delay[e], csr_.source[e]));
    }

    /// The stored history (a checkpoint). Restoring resizes the buffer to the saved length first
    /// (an initial history may have been longer than horizon()).
    template <class Archive>
    void serialize(Archive& ar) {
        std::size_t length = buffer_.horizon();
        ar("history steps", length);
        if constexpr (Archive::loading) {
            if (length < horizon())
                throw config_error(ar.source() + ": the saved history holds " + std::to_string(length) +
                                   " steps; this connectome's delays need " + std::to_string(horizon()));
            reset(length);
        }
        ar("history", buffer_);
    }

    /// Stores the coupling variables of `state` ([var][mode][node], n_nodes() per row) as step `step`.
    void write(std::int64_t step, const Value* state) {
        const std::size_t n = n_nodes();
        for (std::size_t i = 0; i < n; ++i) {
            Value* dst = buffer_.at(step, i);
            Value* twin = dst + buffer_.twin();
            for (std::size_t m = 0; m < n_modes; ++m)
                for (std::size_t k = 0; k < n_cvar; ++k)
                    dst[m * n_cvar + k] = twin[m * n_cvar + k] = state[(Model::cvar[k] * n_modes + m) * n + i];
        }
    }

    /// c(step) from x_j(step - d_ij) and x_i(step) for every node, into out [term][mode][node].
    void compute(const Coupling& coupling, std::int64_t step, Value* out) const {
        detail::visit_policy(coupling, [&](const auto& c) {
            using C = std::decay_t<decltype(c)>;
            BRAINWEAVE_ASSERT_COUPLING(C, n_cvar);
            if constexpr (!coupling_valid_for<C, n_cvar>())
                throw config_error(std::string(C::name) + " coupling needs " + std::string(C::requirement) + "; model " +
                                   std::string(Model::name) + " has " + std::to_string(n_cvar));
            else
                accumulate<1>(c, step, 1, out);
        });
    }

    /// Most steps of coupling compute_block fills at once.
    static constexpr std::size_t max_block = 8;

    /// How many steps of coupling can be computed at once from the history up to the current
    /// step n: c(n + k) reads x(n + k - d), known for k <= the shortest delay. 1 if a delay is
    /// zero or the coupling reads the target's own state (which is not known ahead).
    std::size_t block_steps(const Coupling& coupling) const {
        std::size_t k = 1;
        detail::visit_policy(coupling, [&](const auto& c) {
            using C = std::decay_t<decltype(c)>;
            if constexpr (!coupling_reads_target<C>()) {
                std::uint32_t shortest = std::numeric_limits<std::uint32_t>::max();
                for (auto d : csr_.delay) shortest = std::min(shortest, d);
                k = std::min<std::size_t>(max_block, csr_.delay.empty() ? max_block : std::size_t{shortest} + 1);
            }
        });
        return k;
    }

    /// c(step), ..., c(step + K - 1) into out (K blocks of [term][mode][node]), K <= block_steps():
    /// the same bits as K calls of compute() a step apart, with each connection's K delayed values
    /// read in one pass (a constant stride the prefetchers follow).
    void compute_block(const Coupling& coupling, std::int64_t step, std::size_t K, Value* out) const {
        if (K == 1) return compute(coupling, step, out);
        detail::visit_policy(coupling, [&](const auto& c) {
            using C = std::decay_t<decltype(c)>;
            if constexpr (coupling_valid_for<C, n_cvar>() && !coupling_reads_target<C>()) accumulate<max_block>(c, step, K, out);
        });
    }

    /// The coupling terms node `node` receives at step `step` ([term][mode]), computed now from the
    /// history of `current` and before: needs every afferent delay d to satisfy
    /// current - horizon < step - d <= current. Same bits as compute().
    void ahead(const Coupling& coupling, std::size_t node, std::int64_t step, std::int64_t current,
               std::span<double> out) const {
        detail::visit_policy(coupling, [&](const auto& c) {
            using C = std::decay_t<decltype(c)>;
            static_assert(!coupling_reads_target<C>(),
                          "brainweave: coupling_ahead needs a coupling that does not read the target's own state "
                          "(Difference, Kuramoto and the dynamic PreSigmoidal do)");
            if constexpr (coupling_valid_for<C, n_cvar>()) {
                constexpr std::size_t n_pre = C::n_pre(n_cvar), n_out = C::n_out(n_cvar);
                const std::size_t e0 = csr_.row_begin[node], e1 = csr_.row_begin[node + 1];
                for (std::size_t e = e0; e < e1; ++e) {
                    const std::int64_t at = step - static_cast<std::int64_t>(csr_.delay[e]);
                    if (at > current || at <= current - static_cast<std::int64_t>(buffer_.horizon()))
                        throw config_error("coupling_ahead: step " + std::to_string(step) + " of node " +
                                           std::to_string(node) + " needs history outside the buffer (current step " +
                                           std::to_string(current) + ")");
                }
                const Value* xi = buffer_.at(current, node);
                for (std::size_t m = 0; m < n_modes; ++m) {
                    std::array<Value, n_pre> gx;
                    gx.fill(Value(0.0));
                    for (std::size_t e = e0; e < e1; ++e) {
                        const Value* xj =
                            buffer_.at(step - static_cast<std::int64_t>(csr_.delay[e]), csr_.source[e]) + m * n_cvar;
                        std::array<Value, n_pre> pre;
                        c.template pre<n_cvar>(xi + m * n_cvar, xj, pre.data());
                        const auto w = static_cast<scalar_type>(csr_.weight[e]);
                        for (std::size_t k = 0; k < n_pre; ++k) gx[k] += w * pre[k];
                    }
                    std::array<Value, n_out> post;
                    c.template post<n_cvar>(gx.data(), xi + m * n_cvar, post.data());
                    for (std::size_t k = 0; k < n_coupling; ++k)
                        out[k * n_modes + m] = k < n_out ? static_cast<double>(post[k]) : 0.0;
                }
            }
        });
    }

private:
    /// c(step), ..., c(step + K - 1) into out (K blocks of [term][mode][node]); K <= KMax. With
    /// KMax = 1 (one step, any coupling) the loops over k vanish at compile time; with K > 1 the
    /// coupling must not read the target (xi is its state at `step` only).
    template <std::size_t KMax, class C>
    void accumulate(const C& c, std::int64_t step, std::size_t K, Value* out) const {
        constexpr std::size_t n_pre = C::n_pre(n_cvar), n_out = C::n_out(n_cvar);
        constexpr std::size_t block = n_modes * n_cvar;
        const std::size_t kn = KMax == 1 ? 1 : K;
        const Value* now = buffer_.slot(buffer_.slot_of(step));
        const std::size_t stride = buffer_.slot_stride();  // one step later; the twin makes it wrap-free
        const std::uint32_t* offset = read_offset_.data();
        const std::size_t n = n_nodes(), per_step = n_coupling * n_modes * n;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t e0 = csr_.row_begin[i], e1 = csr_.row_begin[i + 1];
            for (std::size_t m = 0; m < n_modes; ++m) {
                const Value* xi = now + i * block + m * n_cvar;
                // gx_k = sum_j w_ij pre_k(x_i, x_j(t - d_ij)), summed in connection order. (TVB sums
                // with NumPy's pairwise order; the two agree to round-off, ~1e-15 on the references.)
                std::array<std::array<Value, n_pre>, KMax> gx;
                for (auto& g : gx) g.fill(Value(0.0));
                for (std::size_t e = e0; e < e1; ++e) {
                    const Value* xj = now + offset[e] + m * n_cvar;  // x_j(t - d_ij), see delay_buffer
                    const auto w = static_cast<scalar_type>(csr_.weight[e]);
                    for (std::size_t k = 0; k < kn; ++k) {
                        std::array<Value, n_pre> pre;
                        c.template pre<n_cvar>(xi, xj + k * stride, pre.data());
                        for (std::size_t p = 0; p < n_pre; ++p) gx[k][p] += w * pre[p];
                    }
                }
                for (std::size_t k = 0; k < kn; ++k) {
                    std::array<Value, n_out> post;
                    c.template post<n_cvar>(gx[k].data(), xi, post.data());
                    Value* o = out + k * per_step;
                    for (std::size_t q = 0; q < n_out; ++q) o[(q * n_modes + m) * n + i] = post[q];
                    for (std::size_t q = n_out; q < n_coupling; ++q) o[(q * n_modes + m) * n + i] = Value(0.0);
                }
            }
        }
    }

    sparse_connectivity csr_;
    basic_delay_buffer<Value> buffer_;
    std::vector<std::uint32_t> read_offset_;  // per connection: x_j(t - d_ij) relative to slot(t)
};

}  // namespace brainweave
