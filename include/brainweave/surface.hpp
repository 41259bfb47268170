#pragma once
// Cortical surfaces: meshes, geodesic distances, local connectivity, the Laplace-Beltrami operator,
// TVB's surface and MATLAB files, and the surface simulator (docs/surfaces.md).
#include <brainweave/io/matlab.hpp>
#include <brainweave/io/tvb_surface.hpp>
#include <brainweave/surface/exact_geodesic.hpp>
#include <brainweave/surface/geodesic.hpp>
#include <brainweave/surface/laplace_beltrami.hpp>
#include <brainweave/surface/local_connectivity.hpp>
#include <brainweave/surface/mesh.hpp>
#include <brainweave/surface/simulator.hpp>
#include <brainweave/surface/sparse_operator.hpp>
