# bench/load-vs-wrk runs the release cxharness beside wrk; nothing to build here beyond cxharness.
# load_rss: RSS of the load engine with 1,000 connections open (bench/load-vs-wrk prints it).
add_executable(load_rss ${CMAKE_CURRENT_LIST_DIR}/load_rss.cpp)
target_link_libraries(load_rss PRIVATE cxh::load)
