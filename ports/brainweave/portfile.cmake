# vcpkg overlay port: installs brainweave from this checkout (the port lives in its ports/ folder).
#   vcpkg install brainweave[hdf5] --overlay-ports=<checkout>/ports
# For a registry, replace SOURCE_PATH by vcpkg_from_git/vcpkg_from_github of a release tag.
set(VCPKG_BUILD_TYPE release)  # headers only
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        hdf5 BRAINWEAVE_WITH_HDF5
        mpi  BRAINWEAVE_WITH_MPI
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -DBRAINWEAVE_BUILD_TESTS=OFF
        -DBRAINWEAVE_BUILD_TOOLS=OFF
        -DBRAINWEAVE_BUILD_EXAMPLES=OFF
        -DBRAINWEAVE_BUILD_BENCHMARKS=OFF
        -DBRAINWEAVE_INSTALL=ON
        ${FEATURE_OPTIONS}
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME brainweave CONFIG_PATH share/cmake/brainweave)
vcpkg_fixup_pkgconfig()
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug" "${CURRENT_PACKAGES_DIR}/lib")
file(WRITE "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright"
     "brainweave: no licence has been chosen yet; see CHANGELOG.md in the source.\n")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
