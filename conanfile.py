# Conan 2 recipe: brainweave is a header library; the options add the optional backends'
# requirements and their BRAINWEAVE_WITH_* defines (targets brainweave::hdf5, brainweave::mpi).
#
#   conan create . -o "brainweave/*:with_hdf5=True"
#
# The package holds the headers and the CMake package files that `cmake --install` writes; the
# consumer's find_package(brainweave CONFIG) is served by Conan's CMakeDeps from package_info below.
import os
import re

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load

required_conan_version = ">=2.0"


class BrainweaveConan(ConanFile):
    name = "brainweave"
    description = "Header-only C++20 library for multiscale brain simulation"
    license = "LicenseRef-brainweave"  # no licence has been chosen yet (see CHANGELOG.md)
    topics = ("neuroscience", "simulation", "neural-mass", "spiking", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"with_hdf5": [True, False], "with_mpi": [True, False]}
    default_options = {"with_hdf5": False, "with_mpi": False}
    exports_sources = "CMakeLists.txt", "cmake/*", "include/*"
    no_copy_source = True

    def set_version(self):
        text = load(self, os.path.join(self.recipe_folder, "include", "brainweave", "version.hpp"))
        parts = [re.search(r"#define BRAINWEAVE_VERSION_%s (\d+)" % p, text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
        self.version = ".".join(parts)

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        self.requires("eigen/3.4.0")
        self.requires("xtensor/0.24.7")
        self.requires("xsimd/11.1.0")
        self.requires("boost/1.83.0", options={"header_only": True})
        self.requires("zlib/[>=1.2.11 <2]")
        self.requires("bzip2/1.0.8")
        if self.options.with_hdf5:
            self.requires("hdf5/1.14.3")
        if self.options.with_mpi:
            self.requires("openmpi/4.1.6")

    def validate(self):
        check_min_cppstd(self, 20)

    def package_id(self):
        # Headers only: one package whatever the compiler and settings; the options stay (they
        # change the requirements).
        self.info.settings.clear()

    def generate(self):
        CMakeDeps(self).generate()
        tc = CMakeToolchain(self)
        for flag in ("BUILD_TESTS", "BUILD_TOOLS", "BUILD_EXAMPLES", "BUILD_BENCHMARKS"):
            tc.cache_variables["BRAINWEAVE_" + flag] = False
        tc.cache_variables["BRAINWEAVE_INSTALL"] = True
        tc.cache_variables["BRAINWEAVE_WITH_HDF5"] = bool(self.options.with_hdf5)
        tc.cache_variables["BRAINWEAVE_WITH_MPI"] = bool(self.options.with_mpi)
        tc.generate()

    def build(self):
        pass  # nothing to compile

    def package(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.install()
        copy(self, "LICENSE*", self.source_folder, os.path.join(self.package_folder, "licenses"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "brainweave")
        self.cpp_info.set_property("pkg_config_name", "brainweave")
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        # Conan's CMakeDeps writes the config package; the one `cmake --install` wrote is not used.
        self.cpp_info.builddirs = []

        core = self.cpp_info.components["core"]
        core.set_property("cmake_target_name", "brainweave::brainweave")
        core.requires = ["eigen::eigen", "xtensor::xtensor", "xsimd::xsimd", "boost::headers", "zlib::zlib", "bzip2::bzip2"]
        core.bindirs = []
        core.libdirs = []
        if self.settings.os in ("Linux", "FreeBSD"):
            core.system_libs = ["pthread"]
        backends = {"hdf5": "hdf5::hdf5", "mpi": "openmpi::openmpi"}  # component -> its requirement
        for backend, requirement in backends.items():
            if self.options.get_safe("with_" + backend):
                c = self.cpp_info.components[backend]
                c.set_property("cmake_target_name", "brainweave::" + backend)
                c.requires = ["core", requirement]
                c.defines = ["BRAINWEAVE_WITH_%s=1" % backend.upper()]
                c.bindirs = []
                c.libdirs = []
