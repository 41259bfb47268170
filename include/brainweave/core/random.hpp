#pragma once
// Counter-based random numbers: Philox4x32-10 (Salmon et al. 2011, "Parallel random numbers: as
// easy as 1, 2, 3"). A draw is a pure function of (key, counter), so every consumer addresses its
// numbers by what they are for (step, neuron, synapse, ...) rather than by the order in which they
// are requested: results do not depend on the number of threads or on the order of the work.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace brainweave::random {

/// One Philox4x32-10 block: four 32-bit words from a 64-bit key and a 128-bit counter (c0, c1).
inline std::array<std::uint32_t, 4> philox4x32(std::uint64_t key, std::uint64_t c0, std::uint64_t c1) noexcept {
    std::array<std::uint32_t, 4> ctr{static_cast<std::uint32_t>(c0), static_cast<std::uint32_t>(c0 >> 32),
                                     static_cast<std::uint32_t>(c1), static_cast<std::uint32_t>(c1 >> 32)};
    std::uint32_t k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
    for (int round = 0; round < 10; ++round) {
        const std::uint64_t p0 = std::uint64_t{0xD2511F53u} * ctr[0];
        const std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * ctr[2];
        ctr = {static_cast<std::uint32_t>(p1 >> 32) ^ ctr[1] ^ k0, static_cast<std::uint32_t>(p1),
               static_cast<std::uint32_t>(p0 >> 32) ^ ctr[3] ^ k1, static_cast<std::uint32_t>(p0)};
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return ctr;
}

/// A uniform double in [0, 1) from two 32-bit words (53 random bits).
inline double to_unit(std::uint32_t hi, std::uint32_t lo) noexcept {
    return static_cast<double>((static_cast<std::uint64_t>(hi) << 21) ^ lo) * 0x1p-53;
}

/// A stream of uniforms addressed by (key, stream): the n-th call returns the n-th number of that
/// stream, whoever asks and in whatever order the streams are used. The stream's state is seeded
/// from two Philox blocks; the numbers are then drawn with xoshiro256** (Blackman & Vigna 2018),
/// about 1 ns each, for consumers that need many draws per address (a connection rule's
/// candidates, the inputs of a block of neurons in one step).
class uniform_stream {
public:
    uniform_stream(std::uint64_t key, std::uint64_t stream) noexcept {
        const auto a = philox4x32(key, stream, 0), b = philox4x32(key, stream, 1);
        s_[0] = (std::uint64_t{a[0]} << 32) | a[1];
        s_[1] = (std::uint64_t{a[2]} << 32) | a[3];
        s_[2] = (std::uint64_t{b[0]} << 32) | b[1];
        s_[3] = ((std::uint64_t{b[2]} << 32) | b[3]) | 1u;  // never the all-zero state
    }
    /// A uniform double in [0, 1).
    double operator()() noexcept { return static_cast<double>(next() >> 11) * 0x1p-53; }
    /// An integer in [0, n) (n > 0), by multiplication (bias below 2^-53 * n).
    std::uint64_t below(std::uint64_t n) noexcept {
        return static_cast<std::uint64_t>((*this)() * static_cast<double>(n));
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    std::array<std::uint64_t, 4> s_{};
};

/// A standard normal number from a uniform stream (Box-Muller, one of the pair; two draws).
inline double standard_normal(uniform_stream& u) noexcept {
    const double u1 = 1.0 - u();  // (0, 1]
    const double u2 = u();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

/// A Poisson-distributed count of mean `mean` from a uniform stream, by inversion (sequential
/// search; exact, cost proportional to the mean). The two-argument form sums independent counts of
/// mean <= 256 so that exp(-mean) never underflows; the three-argument form (mean <= 256) takes
/// exp(-mean) precomputed.
/// `exp_minus_mean` = exp(-mean) lets a caller that draws many counts of one mean compute it once.
inline std::uint64_t poisson_count(double mean, double exp_minus_mean, uniform_stream& u) noexcept {
    double p = exp_minus_mean, cumulative = p;
    const double x = u();
    std::uint64_t k = 0;
    while (x >= cumulative && k < 100000) {
        ++k;
        p *= mean / static_cast<double>(k);
        cumulative += p;
        if (p == 0.0) break;
    }
    return k;
}

inline std::uint64_t poisson_count(double mean, uniform_stream& u) noexcept {
    std::uint64_t total = 0;
    for (; mean > 256.0; mean -= 256.0) total += poisson_count(256.0, std::exp(-256.0), u);
    return total + poisson_count(mean, std::exp(-mean), u);
}

/// Poisson counts of one mean, with exp(-mean) computed once (for the many draws of one step).
class poisson_sampler {
public:
    explicit poisson_sampler(double mean) noexcept : mean_(mean), e_(std::exp(-std::min(mean, 256.0))) {}
    std::uint64_t operator()(uniform_stream& u) const noexcept {
        if (!(mean_ > 0.0)) return 0;
        return mean_ <= 256.0 ? poisson_count(mean_, e_, u) : poisson_count(mean_, u);
    }

private:
    double mean_, e_;
};

}  // namespace brainweave::random
