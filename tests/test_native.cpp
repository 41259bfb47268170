// Built for the machine it runs on (-march=native, as docs/performance.md builds simulations): the
// widest SIMD batches (8 doubles with AVX-512) and their in-register paths. With test_sweep.cpp
// compiled into the same executable, every sweep case also runs with these batches.
#include "test_helpers.hpp"

#include <array>
#include <vector>

namespace bw = brainweave;

TEST_CASE("simd::to_lanes splits batches into one row per lane", "[core][simd]") {
    using batch = bw::simd::native_double;
    constexpr std::size_t L = bw::simd::lanes_v<batch>;
    for (std::size_t count : {std::size_t{1}, L - 1, L, 2 * L + 3, 19 * L}) {  // whole blocks and remainders
        std::vector<batch> in(count);
        for (std::size_t k = 0; k < count; ++k) {
            std::array<double, L> v;
            for (std::size_t l = 0; l < L; ++l) v[l] = 1000.0 * static_cast<double>(l) + static_cast<double>(k);
            in[k] = batch::load_unaligned(v.data());
        }
        std::vector<double> out(L * count, -1.0);
        bw::simd::to_lanes(in.data(), count, out.data(), count);
        bool ok = true;
        for (std::size_t l = 0; l < L; ++l)
            for (std::size_t k = 0; k < count; ++k) ok &= out[l * count + k] == 1000.0 * static_cast<double>(l) + static_cast<double>(k);
        CHECK(ok);
    }
    std::vector<float> f{1.5f, 2.5f};
    std::vector<double> d(2);
    bw::simd::to_lanes(f.data(), 2, d.data(), 2);  // a scalar type: one lane
    CHECK(d == std::vector<double>{1.5, 2.5});
}

