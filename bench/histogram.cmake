# cxh::histogram micro-benchmarks (Google Benchmark). Included from bench/CMakeLists.txt before
# its own find_package(benchmark), hence the local lookup; no return() here, it would end the
# including file.
find_package(benchmark QUIET)
if(benchmark_FOUND AND TARGET cxh::histogram)
  add_executable(histogram_bench ${CMAKE_CURRENT_LIST_DIR}/histogram_bench.cpp)
  target_link_libraries(histogram_bench PRIVATE cxh::histogram benchmark::benchmark)
endif()
