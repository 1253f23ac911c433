# TROP_BUILD_FUZZERS: instruments trop's code for libFuzzer's coverage and
# builds the harnesses of tools/fuzzers.
#
# TROP_SANITIZERS: builds trop's own code with AddressSanitizer and/or
# UndefinedBehaviorSanitizer. MLIR and LLVM (Debian's packages) stay
# uninstrumented, which ASan supports.
#
# The runtime is linked as a shared library (-shared-libsan): libTropCAPI.so
# links with -z defs, so its sanitizer symbols must come from a library, and a
# host that loads it (python3) must preload that same library; scripts/check.sh
# does so through TROP_SANITIZER_PRELOAD, written to the build tree below.
if(TROP_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TROP_BUILD_FUZZERS needs clang (clang++-22)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(NOT TROP_SANITIZERS)
  file(REMOVE ${CMAKE_BINARY_DIR}/sanitizer-preload.txt)
  return()
endif()

set(_trop_known address undefined)
foreach(_san IN LISTS TROP_SANITIZERS)
  if(NOT _san IN_LIST _trop_known)
    message(FATAL_ERROR "TROP_SANITIZERS: unknown sanitizer '${_san}' "
      "(known: ${_trop_known})")
  endif()
endforeach()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "TROP_SANITIZERS needs clang (clang++-22)")
endif()

list(JOIN TROP_SANITIZERS "," _trop_san_list)
# Every UB check is fatal: a report must fail the test that triggered it.
add_compile_options(-fsanitize=${_trop_san_list} -fno-omit-frame-pointer
  -fno-sanitize-recover=all)
add_link_options(-fsanitize=${_trop_san_list} -shared-libsan)

# The runtime a non-instrumented host (python3) must preload.
if("address" IN_LIST TROP_SANITIZERS)
  set(_trop_rt asan)
else()
  set(_trop_rt ubsan_standalone)
endif()
execute_process(
  COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libclang_rt.${_trop_rt}-x86_64.so
  OUTPUT_VARIABLE TROP_SANITIZER_PRELOAD OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT EXISTS "${TROP_SANITIZER_PRELOAD}")
  message(FATAL_ERROR "TROP_SANITIZERS: ${TROP_SANITIZER_PRELOAD} not found; "
    "install libclang-rt-22-dev (scripts/setup.sh libclang-rt-22-dev)")
endif()
# The shared runtime is not on the loader's default path.
get_filename_component(_trop_rt_dir "${TROP_SANITIZER_PRELOAD}" DIRECTORY)
add_link_options("LINKER:-rpath,${_trop_rt_dir}")
file(WRITE ${CMAKE_BINARY_DIR}/sanitizer-preload.txt "${TROP_SANITIZER_PRELOAD}\n")
message(STATUS "trop: sanitizers ${_trop_san_list} (runtime ${TROP_SANITIZER_PRELOAD})")
