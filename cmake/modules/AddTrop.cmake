# Helpers shared by trop's CMake files.

# add_trop_library(name sources...
#   [DEPENDS targets...]     tablegen targets this library needs
#   [LINK_LIBS libs...]      trop libraries (always linked directly)
#   [MLIR_LIBS libs...]      upstream MLIR libraries (mapped to libMLIR.so
#                            when TROP_LINK_MLIR_DYLIB is ON)
#   [LINK_COMPONENTS comps]) LLVM components
#
# Each library also gets an object library, obj.<name> (the archive is made
# from its objects, so nothing is compiled twice), from which libTropCAPI.so
# and TropPlugin.so are linked against libMLIR.so; and is installed into the
# TropTargets export set (upstream's install rules are disabled: they would
# put it into MLIR's own export set).
function(add_trop_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS;MLIR_LIBS;LINK_COMPONENTS" ${ARGN})
  add_mlir_library(${name} ${ARG_UNPARSED_ARGUMENTS}
    OBJECT
    EXCLUDE_FROM_LIBMLIR
    DISABLE_INSTALL
    DEPENDS ${ARG_DEPENDS} trop-headers
    LINK_COMPONENTS ${ARG_LINK_COMPONENTS}
    LINK_LIBS PUBLIC ${ARG_LINK_LIBS})
  mlir_target_link_libraries(${name} PUBLIC ${ARG_MLIR_LIBS})
  # trop's headers, for users of the installed package (trop's own targets
  # get them from include_directories).
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${TROP_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${TROP_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  install(TARGETS ${name} EXPORT TropTargets
    ARCHIVE DESTINATION lib
    LIBRARY DESTINATION lib)
  set_property(GLOBAL APPEND PROPERTY TROP_ALL_LIBS ${name})
endfunction()

# add_trop_doc(td_file output_name command)
# Generates Markdown from TableGen into ${TROP_BINARY_DIR}/docs/generated and
# hooks it onto `trop-doc-gen`; `trop-doc` copies the results into docs/generated/.
function(add_trop_doc td_filename output_file command)
  set(LLVM_TARGET_DEFINITIONS ${td_filename}.td)
  mlir_tablegen(${output_file}.md ${command} ${ARGN})
  set(gen_doc ${TROP_BINARY_DIR}/docs/generated/${output_file}.md)
  add_custom_command(OUTPUT ${gen_doc}
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_BINARY_DIR}/${output_file}.md ${gen_doc}
    DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/${output_file}.md)
  add_custom_target(${output_file}DocGen DEPENDS ${gen_doc})
  add_dependencies(trop-doc-gen ${output_file}DocGen)
  set_property(GLOBAL APPEND PROPERTY TROP_GENERATED_DOCS ${gen_doc})
endfunction()
