# Sanitizer and fuzzer builds (scripts/test-sanitizers, scripts/fuzz). Each lives in its own build
# directory; the default build (./build) uses none of this.
#
#   -DULTRASEARCH_SANITIZE=address,undefined   AddressSanitizer + UndefinedBehaviorSanitizer
#   -DULTRASEARCH_SANITIZE=thread              ThreadSanitizer
#   -DULTRASEARCH_FUZZ=ON                      libFuzzer targets under fuzz/ (clang only)

set(ULTRASEARCH_SANITIZE "" CACHE STRING
    "Sanitizers applied to every target: address,undefined or thread; empty for none")
option(ULTRASEARCH_FUZZ "Build the libFuzzer targets under fuzz/ (needs clang)" OFF)

if(ULTRASEARCH_SANITIZE)
  # Frame pointers give the sanitizers' fast unwinder whole stacks; no recovery makes every UBSan
  # finding fail the test that triggered it instead of printing a line nobody reads.
  add_compile_options(-fsanitize=${ULTRASEARCH_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${ULTRASEARCH_SANITIZE})
endif()

if(ULTRASEARCH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ULTRASEARCH_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  # Coverage feedback for libFuzzer in every library the fuzz targets reach; only the targets
  # themselves link libFuzzer's main (fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# jemalloc replaces malloc, which the address and thread sanitizers must own; sanitized programs
# use the sanitizer's allocator instead.
if(ULTRASEARCH_SANITIZE)
  set(ULTRASEARCH_MALLOC_LIBRARY "")
else()
  find_library(JEMALLOC_LIBRARY NAMES jemalloc REQUIRED)
  set(ULTRASEARCH_MALLOC_LIBRARY ${JEMALLOC_LIBRARY})
endif()
