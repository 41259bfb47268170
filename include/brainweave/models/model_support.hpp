#pragma once
// What every model header needs: the Model concept, state-space types, reflection and math.
// Models write their equations on a generic scalar T (double, float or a SIMD batch), calling
// math functions unqualified after `using std::exp;` so that a SIMD library's overloads are found.
#include <brainweave/concepts/model.hpp>
#include <brainweave/core/state_space.hpp>

#include <boost/hana/adapt_struct.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <string_view>

namespace brainweave::models {
using sv = std::string_view;
}  // namespace brainweave::models
