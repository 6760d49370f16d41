# `cmake --install`: the tether program, libtether (static and shared),
# tether.h, tether.pc, the CMake package (find_package(tether), targets
# tether::tether and tether::tether_static), the rule docs and the other
# docs (README.md, docs/*.md: SARIF's helpUri points at them). Everything
# installed finds the rest relative to itself: the tree can be moved.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set_target_properties(tether_runtime_shared PROPERTIES EXPORT_NAME tether)
set_target_properties(tether_runtime PROPERTIES EXPORT_NAME tether_static)
install(TARGETS tether_runtime tether_runtime_shared EXPORT tetherTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_SOURCE_DIR}/runtime/include/tether.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET tether)
  install(TARGETS tether RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  file(GLOB tether_rule_docs ${CMAKE_SOURCE_DIR}/rules/*.md)
  install(FILES ${tether_rule_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR}/rules)
  file(GLOB tether_docs ${CMAKE_SOURCE_DIR}/docs/*.md)
  install(FILES ${CMAKE_SOURCE_DIR}/README.md ${tether_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()

set(tether_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/tether)
install(EXPORT tetherTargets NAMESPACE tether:: DESTINATION ${tether_cmake_dir})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/tetherConfig.cmake.in
  ${CMAKE_BINARY_DIR}/tetherConfig.cmake
  INSTALL_DESTINATION ${tether_cmake_dir}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/tetherConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/tetherConfig.cmake ${CMAKE_BINARY_DIR}/tetherConfigVersion.cmake
  DESTINATION ${tether_cmake_dir})

# tether.pc: ${pcfiledir}/.. once per folder of LIBDIR/pkgconfig
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  message(FATAL_ERROR "tether's install needs relative CMAKE_INSTALL_LIBDIR and "
                      "CMAKE_INSTALL_INCLUDEDIR (the installed tree is relocatable)")
endif()
file(RELATIVE_PATH TETHER_PC_UP "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" TETHER_PC_UP "${TETHER_PC_UP}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/tether.pc.in ${CMAKE_BINARY_DIR}/tether.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/tether.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
