# `cxharness webhook certify|receive`: the harness as Genesys toward a vendor's webhook endpoint.
target_sources(cxharness PRIVATE ${CMAKE_CURRENT_LIST_DIR}/webhook_command.cpp)
target_link_libraries(cxharness PRIVATE cxh::webhook)
target_compile_definitions(cxharness PRIVATE CXH_WITH_WEBHOOK_COMMAND)
