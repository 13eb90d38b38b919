# Compiler launcher, warnings and sanitizers shared by every target.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  # Paths relative to the checkout, so that every build folder and clone shares one cache
  # (CI's package build reuses the test build's objects).
  set(CMAKE_CXX_COMPILER_LAUNCHER env "CCACHE_BASEDIR=${CMAKE_SOURCE_DIR}" "${CCACHE_PROGRAM}")
endif()

add_library(attrscope_warnings INTERFACE)
target_compile_options(attrscope_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)

if(ATTRSCOPE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Qt's `slots`/`signals`/`emit` macros clash with torch headers; we use Q_SLOTS etc. everywhere.
add_compile_definitions(QT_NO_KEYWORDS)
