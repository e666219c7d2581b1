# SPDX-License-Identifier: GPL-3.0-or-later
# CTest check_self_contained: a clone of this repository must build and test on its own. Fails
# when a build file, source, script, CI step or document reaches outside the source tree for
# fixtures or documentation: a path into a sibling "shared" folder, the old cache variable for
# it, or a CMake path climbing above the project (${PROJECT_SOURCE_DIR}/..).
# Usage: cmake -DSOURCE_DIR=<repository> -P check_self_contained.cmake
if(NOT SOURCE_DIR)
    message(FATAL_ERROR "check_self_contained: -DSOURCE_DIR=... is required")
endif()

# Everything the build, the tests, CI and the docs consist of (of tests/data only the READMEs:
# the rest is data, not paths).
file(GLOB_RECURSE candidates LIST_DIRECTORIES false RELATIVE "${SOURCE_DIR}"
    "${SOURCE_DIR}/CMakeLists.txt" "${SOURCE_DIR}/CMakePresets.json" "${SOURCE_DIR}/README.md"
    "${SOURCE_DIR}/INSTALL.md" "${SOURCE_DIR}/CONTRIBUTING.md"
    "${SOURCE_DIR}/.ci/*"
    "${SOURCE_DIR}/agent/*" "${SOURCE_DIR}/app/*" "${SOURCE_DIR}/docs/*"
    "${SOURCE_DIR}/packaging/*" "${SOURCE_DIR}/tests/*" "${SOURCE_DIR}/translations/*")
set(this "tests/selfcontained/check_self_contained.cmake")
set(patterns
    # Written so that this file does not match itself (nor a plain grep for the same words):
    "\\.\\./shar[e]d" # a parent folder's "shared"
    "SHARE[D]_DIR"
    "(^|[^a-z_-])shared/(docs|azure-fixtures|webhook-vectors|hooks)"
    "(SOURCE_DIR|BINARY_DIR|_LIST_DIR)}/\\.\\.")
set(checked 0)
set(offences "")
foreach(rel IN LISTS candidates)
    if(rel STREQUAL this OR (rel MATCHES "^tests/data/" AND NOT rel MATCHES "\\.md$") OR NOT rel MATCHES
       "(CMakeLists\\.txt|\\.cmake|\\.json|\\.cpp|\\.h|\\.md|\\.in|\\.sh|\\.service|\\.conf|^\\.ci/.*|^packaging/scripts/.*|^packaging/cpack/.*)$")
        continue()
    endif()
    math(EXPR checked "${checked} + 1")
    file(READ "${SOURCE_DIR}/${rel}" text)
    set(hits "")
    foreach(pattern IN LISTS patterns)
        # The offending line itself (up to a semicolon: CMake lists cannot hold one).
        string(REGEX MATCHALL "[^\n;]*${pattern}[^\n;]*" found "${text}")
        list(APPEND hits ${found})
    endforeach()
    list(REMOVE_DUPLICATES hits)
    foreach(line IN LISTS hits)
        string(STRIP "${line}" line)
        string(APPEND offences "  ${rel}: ${line}\n")
    endforeach()
endforeach()
if(checked LESS 100)
    message(FATAL_ERROR "check_self_contained: only ${checked} files found under ${SOURCE_DIR}")
endif()
if(offences)
    message(FATAL_ERROR "check_self_contained: these lines reach outside the repository; "
        "copy what they need into the tree (fixtures: tests/data/ with a README.md saying "
        "where each file came from; Azure facts: docs/AZURE-PROTOCOL.md):\n${offences}")
endif()
message(STATUS "check_self_contained: ${checked} files, none reaches outside the repository")
