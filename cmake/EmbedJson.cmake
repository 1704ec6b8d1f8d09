# cxh_embed_json(OUTPUT_VAR DIR <dir> GLOBS <globs...> NAMESPACE <ns> FUNC <name> KEY id|path
#                [PREFIX <uri prefix>])
# Adds a build step that turns the JSON files into a C++ source; the source path goes to OUTPUT_VAR.
function(cxh_embed_json out_var)
  cmake_parse_arguments(E "" "DIR;NAMESPACE;FUNC;KEY;PREFIX" "GLOBS" ${ARGN})
  set(deps "")
  foreach(g IN LISTS E_GLOBS)
    file(GLOB found CONFIGURE_DEPENDS "${E_DIR}/${g}")
    list(APPEND deps ${found})
  endforeach()
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${E_FUNC}.cpp")
  string(REPLACE ";" "\\;" globs "${E_GLOBS}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} "-DDIR=${E_DIR}" "-DGLOBS=${globs}" "-DOUT=${out}"
            "-DNAMESPACE=${E_NAMESPACE}" "-DFUNC=${E_FUNC}" "-DKEY=${E_KEY}" "-DPREFIX=${E_PREFIX}"
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_json.cmake"
    DEPENDS ${deps} "${PROJECT_SOURCE_DIR}/cmake/embed_json.cmake"
    COMMENT "Embedding ${E_FUNC}")
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()
