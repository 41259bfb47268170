include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(DIRECTORY include/brainweave DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS brainweave EXPORT brainweaveTargets)
install(EXPORT brainweaveTargets NAMESPACE brainweave:: DESTINATION ${CMAKE_INSTALL_DATADIR}/cmake/brainweave)
export(EXPORT brainweaveTargets NAMESPACE brainweave:: FILE ${CMAKE_CURRENT_BINARY_DIR}/brainweaveTargets.cmake)
if(TARGET brainweave_mpi)  # a component of its own: loaded by the config file only where MPI is found
  install(TARGETS brainweave_mpi EXPORT brainweaveMpiTargets)
  install(EXPORT brainweaveMpiTargets NAMESPACE brainweave:: DESTINATION ${CMAKE_INSTALL_DATADIR}/cmake/brainweave)
  export(EXPORT brainweaveMpiTargets NAMESPACE brainweave:: FILE ${CMAKE_CURRENT_BINARY_DIR}/brainweaveMpiTargets.cmake)
endif()
if(TARGET brainweave_hdf5)  # likewise for HDF5
  install(TARGETS brainweave_hdf5 EXPORT brainweaveHdf5Targets)
  install(EXPORT brainweaveHdf5Targets NAMESPACE brainweave:: DESTINATION ${CMAKE_INSTALL_DATADIR}/cmake/brainweave)
  export(EXPORT brainweaveHdf5Targets NAMESPACE brainweave:: FILE ${CMAKE_CURRENT_BINARY_DIR}/brainweaveHdf5Targets.cmake)
endif()

configure_package_config_file(cmake/brainweaveConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/brainweaveConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_DATADIR}/cmake/brainweave)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/brainweaveConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/brainweaveConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/brainweaveConfigVersion.cmake
              cmake/BrainweaveDependencies.cmake
        DESTINATION ${CMAKE_INSTALL_DATADIR}/cmake/brainweave)

# pkg-config files for non-CMake users (header-only: under share/pkgconfig). The backends' files
# name Debian's pkg-config modules of their dependency (hdf5, mpi).
configure_file(cmake/brainweave.pc.in ${CMAKE_CURRENT_BINARY_DIR}/brainweave.pc @ONLY)
set(_bw_pc_files ${CMAKE_CURRENT_BINARY_DIR}/brainweave.pc)
foreach(_bw_backend hdf5 mpi)
  if(TARGET brainweave_${_bw_backend})
    string(TOUPPER "${_bw_backend}" _bw_backend_upper)
    set(_bw_backend_requires ${_bw_backend})
    configure_file(cmake/brainweave-backend.pc.in ${CMAKE_CURRENT_BINARY_DIR}/brainweave-${_bw_backend}.pc @ONLY)
    list(APPEND _bw_pc_files ${CMAKE_CURRENT_BINARY_DIR}/brainweave-${_bw_backend}.pc)
  endif()
endforeach()
install(FILES ${_bw_pc_files} DESTINATION ${CMAKE_INSTALL_DATADIR}/pkgconfig)
