# The core's dependencies, all from Debian packages:
#   libeigen3-dev, xtensor-dev (with xtl-dev), libxsimd-dev, libboost-dev (Hana), zlib1g-dev, libbz2-dev.
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(xtensor REQUIRED)
find_package(xsimd REQUIRED)
find_package(Boost 1.71 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(BZip2 REQUIRED)
find_package(Threads REQUIRED)
if(NOT TARGET Boost::headers)
  add_library(Boost::headers INTERFACE IMPORTED)
  target_include_directories(Boost::headers INTERFACE ${Boost_INCLUDE_DIRS})
endif()
