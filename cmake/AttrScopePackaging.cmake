# CPack: `cpack --config CPackConfig.cmake` in the build folder writes attrscope_<v>_<arch>.deb
# (app, CLI, demo models, desktop files) and, with ATTRSCOPE_PYTHON, python3-attrscope_<v>_<arch>.deb.
# Configure with -DCMAKE_INSTALL_PREFIX=/usr so that the compiled-in model folder is /usr/share/...
set(ATTRSCOPE_MAINTAINER "AttrScope maintainers <maintainers@users.noreply.r-seed-8dfd4d66.example>"
    CACHE STRING "Debian package maintainer")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME attrscope)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${ATTRSCOPE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${ATTRSCOPE_HOMEPAGE}")
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
# libopenblas0-openmp: without it LibTorch's matrix products are ~35x slower on Debian (shlibdeps
# cannot see it: it is an alternative of libblas.so.3). graphviz: the dot layout plugins.
set(_runtime_extra "libopenblas0-openmp, libgvplugin-dot-layout | graphviz, fonts-dejavu-core")

set(CPACK_DEBIAN_ATTRSCOPE_PACKAGE_NAME attrscope)
set(CPACK_DEBIAN_ATTRSCOPE_PACKAGE_SECTION science)
set(CPACK_DEBIAN_ATTRSCOPE_PACKAGE_DEPENDS "${_runtime_extra}")
set(CPACK_DEBIAN_ATTRSCOPE_DESCRIPTION
"self-attention attribution viewer for Transformer classifiers
AttrScope shows which attention links a BERT-style classifier's decision
rests on, using Self-Attention Attribution (Hao et al., AAAI 2021):
attention and attribution heatmaps, per-head importance, attribution trees,
head pruning and adversarial triggers. Includes the Qt desktop application,
the attrscope-cli command-line tool and two small demo models.")
set(CPACK_COMPONENT_ATTRSCOPE_DISPLAY_NAME "AttrScope")

set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-attrscope)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS
    "python3 (>= ${Python_VERSION_MAJOR}.${Python_VERSION_MINOR}), python3 (<< ${Python_VERSION_MAJOR}.${_py_next_minor}), python3-numpy, ${_runtime_extra}")
set(CPACK_DEBIAN_PYTHON_DESCRIPTION
"self-attention attribution for Transformer classifiers (Python 3)
The attrscope module runs AttrScope's engine from Python: load a BERT
checkpoint folder, predict, attribute, build attribution trees and run head
importance over a dataset, with results as NumPy arrays and inline SVG
heatmaps in notebooks.")
set(CPACK_COMPONENT_PYTHON_DEPENDS attrscope)
# Byte-compile on install and remove the .pyc files before removal (py3compile / py3clean).
set(CPACK_DEBIAN_PYTHON_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/deb/python3-attrscope/postinst;${PROJECT_SOURCE_DIR}/packaging/deb/python3-attrscope/prerm")
set(CPACK_DEBIAN_PYTHON_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_COMPONENTS_ALL attrscope)
if(TARGET attrscope_python)
  list(APPEND CPACK_COMPONENTS_ALL python)
endif()
include(CPack)
