# The language server's fuzz harness (tests/fuzz/fuzz_lsp.c), included from
# tests/lsp/CMakeLists.txt only while tests/fuzz/ has no CMakeLists.txt of
# its own (that one globs fuzz_*.c and takes the harness over, with its
# seeds in seeds/lsp/ and dictionary dict/lsp.dict).
#  - Always: fuzz_lsp_replay (any compiler) runs the seed corpus once, as
#    the test fuzz/lsp_corpus (so the ASan build runs it too).
#  - With clang (libfuzzer-14-dev): fuzz_lsp, the libFuzzer binary
#    (-fsanitize=fuzzer,address,undefined), and the test fuzz/lsp, a short
#    bounded fuzzing run from that corpus. Configure a fuzzing build as
#      CC=clang-14 cmake -S . -B build-fuzz -G Ninja -DTETHER_SANITIZE=address,undefined \
#        -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link
#    and run build-fuzz/tests/lsp/fuzz_lsp -dict=tests/fuzz/dict/lsp.dict tests/fuzz/seeds/lsp for longer.
set(TETHER_FUZZ_LSP_CORPUS ${CMAKE_SOURCE_DIR}/tests/fuzz/seeds/lsp)
file(GLOB TETHER_FUZZ_LSP_SEEDS CONFIGURE_DEPENDS ${TETHER_FUZZ_LSP_CORPUS}/*)

add_executable(fuzz_lsp_replay ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_lsp.c)
target_link_libraries(fuzz_lsp_replay PRIVATE tether_lsp)
target_compile_definitions(fuzz_lsp_replay PRIVATE TETHER_FUZZ_REPLAY _GNU_SOURCE)
add_test(NAME fuzz/lsp_corpus COMMAND fuzz_lsp_replay ${TETHER_FUZZ_LSP_SEEDS})

if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
  include(CheckCSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer")
  check_c_source_compiles("#include <stdint.h>
#include <stddef.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }" TETHER_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_FLAGS)
  if(TETHER_HAVE_LIBFUZZER)
    add_executable(fuzz_lsp ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_lsp.c)
    target_link_libraries(fuzz_lsp PRIVATE tether_lsp)
    target_compile_definitions(fuzz_lsp PRIVATE _GNU_SOURCE)
    target_compile_options(fuzz_lsp PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(fuzz_lsp PRIVATE -fsanitize=fuzzer,address,undefined)
    # A bounded run: a copy of the corpus grows in the build folder.
    add_test(NAME fuzz/lsp
      COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
              $<TARGET_FILE:fuzz_lsp> -dict=${CMAKE_SOURCE_DIR}/tests/fuzz/dict/lsp.dict -runs=20000 -max_total_time=120 -timeout=20 -rss_limit_mb=2048
              -artifact_prefix=${CMAKE_CURRENT_BINARY_DIR}/ ${TETHER_FUZZ_LSP_CORPUS})
    set_tests_properties(fuzz/lsp PROPERTIES TIMEOUT 300)
  endif()
endif()
