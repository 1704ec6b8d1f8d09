# `cxharness run`: the conformance runner. The suites of scenarios/ are embedded so that a bare
# `cxharness run` works anywhere; the reporters are linked when reporters/ is built.
include(${PROJECT_SOURCE_DIR}/cmake/EmbedJson.cmake)
cxh_embed_json(cxh_embedded_suites_cpp DIR "${PROJECT_SOURCE_DIR}/scenarios"
  GLOBS "*.yaml" NAMESPACE cxh::cli FUNC embedded_suites KEY path PREFIX "scenarios/")
target_sources(cxharness PRIVATE ${CMAKE_CURRENT_LIST_DIR}/run_command.cpp ${CMAKE_CURRENT_LIST_DIR}/lint_suites.cpp
  "${cxh_embedded_suites_cpp}")
target_link_libraries(cxharness PRIVATE cxh::runner cxh::scenario)
target_compile_definitions(cxharness PRIVATE CXH_WITH_RUN_COMMAND)
if(TARGET cxh_reporters)
  target_link_libraries(cxharness PRIVATE cxh::reporters)
  target_compile_definitions(cxharness PRIVATE CXH_WITH_REPORTERS)
endif()
