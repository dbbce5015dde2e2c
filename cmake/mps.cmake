# Helpers shared by every module's CMakeLists.txt.

function(mps_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  # g++ 12 reports false -Wrestrict positives inside libstdc++'s std::string at -O3
  # (GCC bug 105651); the warning is off only for that reason.
  target_compile_options(${target} PRIVATE -Wno-restrict)
  if(MPS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# mps_add_module(NAME [DEPS other-modules...] [LIBS targets...])
# Builds every *.cpp in the calling folder into the static library mps_NAME.
# Includes are rooted at the repository top: #include "physics/NAME/thing.hpp".
function(mps_add_module name)
  cmake_parse_arguments(M "" "" "DEPS;LIBS" ${ARGN})
  file(GLOB _src CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(mps_${name} STATIC ${_src})
  target_include_directories(mps_${name} PUBLIC ${CMAKE_SOURCE_DIR} ${RANDOM123_INCLUDE_DIR} ${XSIMD_INCLUDE_DIR})
  foreach(d IN LISTS M_DEPS)
    target_link_libraries(mps_${name} PUBLIC mps_${d})
  endforeach()
  target_link_libraries(mps_${name} PUBLIC ${M_LIBS})
  mps_warnings(mps_${name})
  set_property(GLOBAL APPEND PROPERTY MPS_MODULES mps_${name})
endfunction()

# Sources of batched SIMD kernels (physics/materials/lanes.hpp): compiled with MPS_SIMD_FLAGS.
# GCC 12 reports _mm512_undefined_pd() in its own avx512fintrin.h as uninitialised once inlined
# (GCC bug 105593), hence the two -Wno- for these files only. Further options may follow the
# file names (mps_lanes_sources(file.cpp OPTIONS ...)).
function(mps_lanes_sources)
  cmake_parse_arguments(L "" "" "OPTIONS" ${ARGN})
  set_source_files_properties(${L_UNPARSED_ARGUMENTS} PROPERTIES COMPILE_OPTIONS
    "${MPS_SIMD_FLAGS};${L_OPTIONS};-Wno-uninitialized;-Wno-maybe-uninitialized")
endfunction()
