#pragma once
// The single source of brainweave's version; CMakeLists.txt reads these three lines.
#define BRAINWEAVE_VERSION_MAJOR 0
#define BRAINWEAVE_VERSION_MINOR 1
#define BRAINWEAVE_VERSION_PATCH 0

#define BRAINWEAVE_VERSION_STRING "0.1.0"

namespace brainweave {
inline constexpr int version_major = BRAINWEAVE_VERSION_MAJOR;
inline constexpr int version_minor = BRAINWEAVE_VERSION_MINOR;
inline constexpr int version_patch = BRAINWEAVE_VERSION_PATCH;
}  // namespace brainweave
