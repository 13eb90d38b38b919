# Install layout (GNU dirs under CMAKE_INSTALL_PREFIX) and the desktop integration files.
# Models go where core/src/model/model_paths.cpp looks: ${datadir}/attrscope/models.
include(GNUInstallDirs)

set(ATTRSCOPE_HOMEPAGE "https://attrscope.example.org" CACHE STRING
    "Project home page (AppStream metadata, screenshot URLs are below it)")
set(ATTRSCOPE_LICENSE "LicenseRef-proprietary" CACHE STRING "SPDX licence of the project")
set(_pkg ${PROJECT_SOURCE_DIR}/packaging)
set(_share ${CMAKE_INSTALL_DATADIR})

install(DIRECTORY ${ATTRSCOPE_MODELS_DIR}/ DESTINATION ${_share}/attrscope/models)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/examples/ DESTINATION ${_share}/attrscope/examples)
# Debian's /usr/share/doc/<package>/{copyright,changelog.gz}, for each .deb.
set(_doc ${_share}/doc)
install(FILES ${_pkg}/copyright DESTINATION ${_doc}/attrscope)
install(FILES ${_pkg}/copyright DESTINATION ${_doc}/python3-attrscope COMPONENT python)

# Debian wants the changelog gzipped (-n: no timestamp, reproducible).
add_custom_command(OUTPUT changelog.gz
  COMMAND gzip -9n -c ${_pkg}/changelog > changelog.gz
  DEPENDS ${_pkg}/changelog VERBATIM)
add_custom_target(attrscope_changelog ALL DEPENDS changelog.gz)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz DESTINATION ${_doc}/attrscope)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz DESTINATION ${_doc}/python3-attrscope
        COMPONENT python)

if(ATTRSCOPE_BUILD_GUI)
  install(FILES ${_pkg}/attrscope.desktop DESTINATION ${_share}/applications)
  install(FILES ${_pkg}/attrscope-mime.xml DESTINATION ${_share}/mime/packages
          RENAME attrscope.xml)
  configure_file(${_pkg}/attrscope.metainfo.xml.in org.attrscope.AttrScope.metainfo.xml @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/org.attrscope.AttrScope.metainfo.xml
          DESTINATION ${_share}/metainfo)
  install(FILES ${_pkg}/icons/attrscope.svg DESTINATION ${_share}/icons/hicolor/scalable/apps)
  foreach(size 16 24 32 48 64 128 256)
    install(FILES ${_pkg}/icons/attrscope-${size}.png
            DESTINATION ${_share}/icons/hicolor/${size}x${size}/apps RENAME attrscope.png)
  endforeach()
endif()

# Man pages from each program's --help (help2man); skipped with a note when it is missing.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(_man ${CMAKE_CURRENT_BINARY_DIR}/man)
  file(MAKE_DIRECTORY ${_man})
  add_custom_command(OUTPUT ${_man}/attrscope-cli.1.gz
    COMMAND ${_pkg}/make-manpage.sh $<TARGET_FILE:attrscope-cli> ${_man}/attrscope-cli.1.gz
            ${PROJECT_VERSION} "self-attention attribution for BERT classifiers, headless"
            predict attribute tree pretrain train evaluate heads prune triggers
    DEPENDS attrscope-cli ${_pkg}/make-manpage.sh VERBATIM)
  set(_pages ${_man}/attrscope-cli.1.gz)
  if(ATTRSCOPE_BUILD_GUI)
    add_custom_command(OUTPUT ${_man}/attrscope.1.gz
      COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
              ${_pkg}/make-manpage.sh $<TARGET_FILE:attrscope> ${_man}/attrscope.1.gz
              ${PROJECT_VERSION} "see which attention links a Transformer classifier's decision rests on"
      DEPENDS attrscope ${_pkg}/make-manpage.sh VERBATIM)
    list(APPEND _pages ${_man}/attrscope.1.gz)
  endif()
  add_custom_target(attrscope_man ALL DEPENDS ${_pages})
  install(FILES ${_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man pages (apt install help2man)")
endif()
