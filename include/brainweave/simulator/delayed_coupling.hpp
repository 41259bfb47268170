#pragma once
// Long-range coupling through a connectome with conduction delays: the delay buffer of the
// coupling variables, the sparse connectome (CSR, row = target) and the summation
//   c_i(n) = post( sum_j w_ij pre(x_i(n), x_j(n - d_ij)) ).
// Shared by the region simulator (one node per region) and the surface simulator (the buffer
// holds region means of the vertex states). Value is the simulation's value type (double, float or
// a SIMD batch of parameter sets); Coupling a coupling policy or a std::variant of them.
// Layouts: states handed to write() are [var][mode][node]; coupling terms are written
// [term][mode][node].
//
// Blocks. The connections of a node are stored far ones first (delay >= max_block - 1 steps),
// then near ones (shorter delays: e.g. TVB's zero-length self-connections), each group in the
// connectome's order. For a coupling that does not read the target, compute_block sums the far
// connections of the next max_block steps in one pass over the connections (each connection's
// delayed values of consecutive steps lie a constant stride apart; the sums of the steps are
// independent, so they pipeline), and complete() adds the near ones step by step, once the
// states they read exist. The sums run in the same order as compute()'s, so the bits are the same.
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

    void set_connectivity(const sparse_connectivity& csr) {
        csr_ = far_first(csr, near_begin_);
        buffer_ = {};
        read_offset_.clear();
    }
    /// The connectome; within a row, the far connections come first (see Blocks above).
    const sparse_connectivity& sparse() const noexcept { return csr_; }
    std::size_t n_nodes() const noexcept { return csr_.n_nodes; }
    /// Steps of history needed: longest delay + 1.
    std::size_t horizon() const noexcept { return csr_.max_delay + 1; }
    const basic_delay_buffer<Value>& buffer() const noexcept { return buffer_; }

    /// A zeroed history of n_time steps (at least horizon()).
    void reset(std::size_t n_time) {
        const std::size_t n = n_nodes();
        buffer_ = basic_delay_buffer<Value>(n_time, n, n_modes * n_cvar);
        if (n * buffer_.node_stride() > std::numeric_limits<std::uint32_t>::max())
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
        const std::size_t n = n_nodes(), node_stride = buffer_.node_stride(), twin_offset = buffer_.twin();
        Value* origin = buffer_.origin(step);
        for (std::size_t i = 0; i < n; ++i) {
            Value* dst = origin + i * node_stride;
            Value* twin = dst + twin_offset;
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
                accumulate<1>(c, step, all_end(), nullptr, out);
        });
    }

    /// Steps of coupling compute_block prepares at once.
    static constexpr std::size_t max_block = 8;

    /// Steps per block: max_block, or 1 if the coupling reads the target's own state (not known
    /// ahead): then every step is compute().
    std::size_t block_steps(const Coupling& coupling) const {
        std::size_t k = 1;
        detail::visit_policy(coupling, [&](const auto& c) {
            if constexpr (!coupling_reads_target<std::decay_t<decltype(c)>>()) k = max_block;
        });
        return k;
    }

    /// Prepares c(step), ..., c(step + max_block - 1): the sums over the far connections, read from
    /// the history up to `step` (needs block_steps() == max_block).
    void compute_block(const Coupling& coupling, std::int64_t step) {
        detail::visit_policy(coupling, [&](const auto& c) {
            using C = std::decay_t<decltype(c)>;
            if constexpr (coupling_valid_for<C, n_cvar>() && !coupling_reads_target<C>()) {
                partial_.resize(max_block * n_nodes() * n_modes * C::n_pre(n_cvar));
                accumulate<max_block>(c, step, far_end(), partial_.data(), nullptr);
            }
        });
    }

    /// c(step + k) for the block compute_block(step) prepared, into out ([term][mode][node]): the
    /// prepared sums plus the near connections, read from the history up to step + k.
    void complete(const Coupling& coupling, std::int64_t step, std::size_t k, Value* out) const {
        detail::visit_policy(coupling, [&](const auto& c) {
            using C = std::decay_t<decltype(c)>;
            if constexpr (coupling_valid_for<C, n_cvar>() && !coupling_reads_target<C>()) {
                const std::size_t per_step = n_nodes() * n_modes * C::n_pre(n_cvar);
                finish(c, step + static_cast<std::int64_t>(k), partial_.data() + k * per_step, out);
            }
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
                    std::array<std::array<Value, n_pre>, 1> gx;
                    gx[0].fill(Value(0.0));
                    add_connections<1>(c, xi + m * n_cvar, buffer_.origin(step), e0, e1, m, gx);
                    std::array<Value, n_out> post;
                    c.template post<n_cvar>(gx[0].data(), xi + m * n_cvar, post.data());
                    for (std::size_t k = 0; k < n_coupling; ++k)
                        out[k * n_modes + m] = k < n_out ? static_cast<double>(post[k]) : 0.0;
                }
            }
        });
    }

private:
    /// Every row of csr with its far connections (delay >= max_block - 1) first, then the near ones,
    /// each group in its order; near_begin[i] is where row i's near connections start.
    static sparse_connectivity far_first(const sparse_connectivity& csr, std::vector<std::size_t>& near_begin) {
        sparse_connectivity out;
        out.n_nodes = csr.n_nodes;
        out.row_begin = csr.row_begin;
        out.max_delay = csr.max_delay;
        out.source.reserve(csr.nnz());
        out.delay.reserve(csr.nnz());
        out.weight.reserve(csr.nnz());
        near_begin.assign(csr.n_nodes, 0);
        for (std::size_t i = 0; i < csr.n_nodes; ++i) {
            for (const bool far : {true, false}) {
                if (!far) near_begin[i] = out.nnz();
                for (std::size_t e = csr.row_begin[i]; e < csr.row_begin[i + 1]; ++e)
                    if ((csr.delay[e] + 1 >= max_block) == far) {
                        out.source.push_back(csr.source[e]);
                        out.delay.push_back(csr.delay[e]);
                        out.weight.push_back(csr.weight[e]);
                    }
            }
        }
        return out;
    }
    /// End of row i's connections for compute() (all of them) and compute_block() (the far ones).
    auto all_end() const noexcept {
        return [this](std::size_t i) { return csr_.row_begin[i + 1]; };
    }
    auto far_end() const noexcept {
        return [this](std::size_t i) { return near_begin_[i]; };
    }

    /// For K = 1: c(step) into out ([term][mode][node]), over every connection. For K = max_block
    /// (a coupling that does not read the target): the sums over the connections up to end(i) of
    /// steps step ... step + K - 1 into partial ([k][node][mode][pre]), K independent sums per
    /// connection (xi is only the state at `step`).
    template <std::size_t K, class C, class End>
    void accumulate(const C& c, std::int64_t step, End end, Value* partial, Value* out) const {
        constexpr std::size_t n_pre = C::n_pre(n_cvar);
        const Value* now = buffer_.origin(step);
        const std::size_t node_stride = buffer_.node_stride();
        const std::size_t n = n_nodes();
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t m = 0; m < n_modes; ++m) {
                const Value* xi = now + i * node_stride + m * n_cvar;
                std::array<std::array<Value, n_pre>, K> gx;
                for (auto& g : gx) g.fill(Value(0.0));
                add_connections<K>(c, xi, now, csr_.row_begin[i], end(i), m, gx);
                if constexpr (K == 1) {
                    post_into(c, gx[0].data(), xi, m, i, out);
                } else {
                    for (std::size_t k = 0; k < K; ++k)
                        std::copy(gx[k].begin(), gx[k].end(), partial + ((k * n + i) * n_modes + m) * n_pre);
                }
            }
        }
    }

    /// c(step) from the sums over the far connections (partial: [node][mode][pre] of this step)
    /// and the near connections, into out.
    template <class C>
    void finish(const C& c, std::int64_t step, const Value* partial, Value* out) const {
        constexpr std::size_t n_pre = C::n_pre(n_cvar);
        const Value* now = buffer_.origin(step);
        const std::size_t n = n_nodes(), node_stride = buffer_.node_stride();
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t m = 0; m < n_modes; ++m) {
                const Value* xi = now + i * node_stride + m * n_cvar;
                std::array<std::array<Value, n_pre>, 1> gx;
                std::copy_n(partial + (i * n_modes + m) * n_pre, n_pre, gx[0].begin());
                add_connections<1>(c, xi, now, near_begin_[i], csr_.row_begin[i + 1], m, gx);
                post_into(c, gx[0].data(), xi, m, i, out);
            }
        }
    }

    /// gx[k] += sum over connections [e0, e1) of w_ij pre(x_i, x_j(t + k - d_ij)), for k < K, mode m,
    /// in connection order: the one sum that compute(), compute_block(), complete() and ahead() all
    /// run, so that their bits agree. now = buffer_.origin(t). (TVB sums with NumPy's pairwise
    /// order; the two agree to round-off, ~1e-15 on the references.)
    template <std::size_t K, class C, std::size_t NP>
    void add_connections(const C& c, const Value* xi, const Value* now, std::size_t e0, std::size_t e1, std::size_t m,
                         std::array<std::array<Value, NP>, K>& gx) const {
        constexpr std::size_t stride = n_modes * n_cvar;  // = buffer_.step_stride(): one step later
        const std::uint32_t* offset = read_offset_.data();
        for (std::size_t e = e0; e < e1; ++e) {
            const Value* xj = now + offset[e] + m * n_cvar;  // x_j(t - d_ij); then t - d_ij + 1, ...
            const auto w = static_cast<scalar_type>(csr_.weight[e]);
#pragma GCC unroll 8
            for (std::size_t k = 0; k < K; ++k) {  // unrolled early, so that gx stays in registers
                std::array<Value, NP> pre;
                c.template pre<n_cvar>(xi, xj + k * stride, pre.data());
#pragma GCC unroll 8
                for (std::size_t p = 0; p < NP; ++p) gx[k][p] += w * pre[p];
            }
        }
    }

    /// post(gx) of node i, mode m into out ([term][mode][node]); terms past the coupling's own are 0.
    template <class C>
    void post_into(const C& c, const Value* gx, const Value* xi, std::size_t m, std::size_t i, Value* out) const {
        constexpr std::size_t n_out = C::n_out(n_cvar);
        const std::size_t n = n_nodes();
        std::array<Value, n_out> post;
        c.template post<n_cvar>(gx, xi, post.data());
        for (std::size_t q = 0; q < n_out; ++q) out[(q * n_modes + m) * n + i] = post[q];
        for (std::size_t q = n_out; q < n_coupling; ++q) out[(q * n_modes + m) * n + i] = Value(0.0);
    }

    sparse_connectivity csr_;
    basic_delay_buffer<Value> buffer_;
    std::vector<std::uint32_t> read_offset_;  // per connection: x_j(t - d_ij) relative to slot(t)
    std::vector<std::size_t> near_begin_;     // per node: its first near connection
    std::vector<Value> partial_;              // compute_block's sums: [k][node][mode][pre]
};

}  // namespace brainweave
