# SPDX-License-Identifier: GPL-3.0-or-later
# CTest check_include_roots: every project include names its folder from its library's
# include root (`store/store.h`, `protocol/messages.h`, `support/http/fakehttpserver.h`; see
# docs/ARCHITECTURE.md "Include roots"), and no CMakeLists makes a subfolder an include root
# again. Fails listing each `#include "bare.h"` (moc's `#include "x.moc"` excepted) and each
# target_include_directories(... ${CMAKE_CURRENT_SOURCE_DIR}) below a root.
# Usage: cmake -DSOURCE_DIR=<repository> -P check_include_roots.cmake
if(NOT SOURCE_DIR)
    message(FATAL_ERROR "check_include_roots: -DSOURCE_DIR=... is required")
endif()
file(GLOB_RECURSE sources LIST_DIRECTORIES false RELATIVE "${SOURCE_DIR}"
    "${SOURCE_DIR}/agent/*.cpp" "${SOURCE_DIR}/agent/*.h"
    "${SOURCE_DIR}/app/*.cpp" "${SOURCE_DIR}/app/*.h"
    "${SOURCE_DIR}/tests/*.cpp" "${SOURCE_DIR}/tests/*.h")
set(offences "")
foreach(rel IN LISTS sources)
    file(STRINGS "${SOURCE_DIR}/${rel}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"[^\"/]+\"")
    foreach(line IN LISTS lines)
        if(NOT line MATCHES "\\.moc\"")
            string(APPEND offences "\n  ${rel}: ${line}")
        endif()
    endforeach()
endforeach()
# The roots are agent/, app/core/, app/ and tests/ (the agent's own CMakeLists names agent/).
file(GLOB_RECURSE lists LIST_DIRECTORIES false RELATIVE "${SOURCE_DIR}"
    "${SOURCE_DIR}/agent/*/CMakeLists.txt" "${SOURCE_DIR}/app/*/CMakeLists.txt"
    "${SOURCE_DIR}/tests/*/CMakeLists.txt")
foreach(rel IN LISTS lists)
    if(rel STREQUAL "app/core/CMakeLists.txt")
        continue()
    endif()
    file(STRINGS "${SOURCE_DIR}/${rel}" lines REGEX "(target_include_directories\\(|INCLUDE_ROOT ).*CMAKE_CURRENT_(SOURCE|LIST)_DIR")
    foreach(line IN LISTS lines)
        string(APPEND offences "\n  ${rel}: ${line}")
    endforeach()
endforeach()
list(LENGTH sources checked)
if(offences)
    message(FATAL_ERROR "includes without their folder or a subfolder made an include root "
        "(docs/ARCHITECTURE.md, \"Include roots\"):${offences}")
endif()
message("check_include_roots: ${checked} sources, every include names its folder")
