# Installs the build tree into a fresh prefix, then, against it:
#   1. tests/consumer with find_package(brainweave CONFIG) and its optional components;
#   2. test_package/ (the Conan test package's CMake project), as Conan would build it;
#   3. test_package.cpp compiled with the flags of `pkg-config --cflags --libs brainweave`.
# With MODE=subdirectory instead: tests/consumer_subdirectory, brainweave by add_subdirectory.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${what}: ok")
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
if(MODE STREQUAL "subdirectory")
  run("configuring the add_subdirectory consumer" ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}/build"
      -DCMAKE_BUILD_TYPE=Release "-DBRAINWEAVE_SOURCE_DIR=${BRAINWEAVE_SOURCE_DIR}")
  run("building it" ${CMAKE_COMMAND} --build "${WORK_DIR}/build")
  run("running it" "${WORK_DIR}/build/consumer")
  return()
endif()

run("installing" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK_DIR}/prefix")
run("configuring the consumer against the installed package" ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}/build"
    -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
run("building the consumer" ${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run("running the consumer" "${WORK_DIR}/build/consumer" "${DATA}/connectivity/connectivity_76.zip")
if(EXISTS "${WORK_DIR}/build/consumer_hdf5")
  execute_process(COMMAND "${WORK_DIR}/build/consumer_hdf5" WORKING_DIRECTORY "${WORK_DIR}/build" RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "the HDF5 consumer failed")
  endif()
endif()

run("configuring test_package against the installed package" ${CMAKE_COMMAND} -S "${PACKAGE_DIR}"
    -B "${WORK_DIR}/test_package" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
run("building test_package" ${CMAKE_COMMAND} --build "${WORK_DIR}/test_package")
run("running test_package" "${WORK_DIR}/test_package/test_package")

find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} "${WORK_DIR}/prefix/share/pkgconfig")
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs brainweave RESULT_VARIABLE rc OUTPUT_VARIABLE flags
                  ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc)
    message(FATAL_ERROR "pkg-config brainweave failed: ${err}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run("compiling test_package.cpp with pkg-config's flags (${flags})" ${CXX} -O1 "${PACKAGE_DIR}/test_package.cpp"
      ${flags} -o "${WORK_DIR}/pkg_config_consumer")
  run("running it" "${WORK_DIR}/pkg_config_consumer")
  foreach(backend hdf5 mpi)
    if(EXISTS "${WORK_DIR}/prefix/share/pkgconfig/brainweave-${backend}.pc")
      run("pkg-config brainweave-${backend}" ${PKG_CONFIG} --cflags --libs brainweave-${backend})
    endif()
  endforeach()
else()
  message(STATUS "pkg-config not found: the pkg-config consumer is not tried")
endif()
