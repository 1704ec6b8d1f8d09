# `cxharness load`: the load generator (harness/load).
target_sources(cxharness PRIVATE ${CMAKE_CURRENT_LIST_DIR}/load_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lint_profiles.cpp)
target_link_libraries(cxharness PRIVATE cxh::load cxh::load_self_test)
target_compile_definitions(cxharness PRIVATE CXH_WITH_LOAD_COMMAND)
