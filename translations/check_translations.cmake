# SPDX-License-Identifier: GPL-3.0-or-later
# CTest check_translations: runs lupdate over the dashboard's sources into a scratch copy of
# spotkeeper_de.ts and fails when any German string is unfinished, i.e. when a tr() string
# was added or changed without `cmake --build <build> --target update_translations` and a
# translation in translations/fill_de.py (then `python3 translations/fill_de.py`).
# cmake -DLUPDATE=<lupdate> -DTS=<spotkeeper_de.ts> -DSOURCE_DIR=<repo> -DWORK=<dir>
#       [-DPROJECT=<qt_add_translations' .lupdate/<target>_project.cmake>] -P this
foreach(var LUPDATE TS SOURCE_DIR WORK)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check_translations: -D${var}=... is required")
    endif()
endforeach()
# The sources and include paths as qt_add_translations wrote them for its update target:
# lupdate resolves tr() contexts through the includes. The plain glob is the fallback.
if(DEFINED PROJECT AND EXISTS "${PROJECT}")
    include(${PROJECT})
    set(entries ${lupdate_sources})
    foreach(dir IN LISTS lupdate_include_paths)
        list(APPEND entries "-I${dir}")
    endforeach()
else()
    file(GLOB entries
        ${SOURCE_DIR}/app/models/*.cpp ${SOURCE_DIR}/app/models/*.h
        ${SOURCE_DIR}/app/ui/*.cpp ${SOURCE_DIR}/app/ui/*.h)
endif()
list(JOIN entries "\n" listing)
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/sources.lst "${listing}\n")
configure_file(${TS} ${WORK}/check_de.ts COPYONLY)
execute_process(
    COMMAND ${LUPDATE} -silent -no-obsolete -locations none @${WORK}/sources.lst
            -ts ${WORK}/check_de.ts
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check_translations: lupdate failed (${rc}): ${out}${err}")
endif()
file(STRINGS ${WORK}/check_de.ts lines)
set(unfinished 0)
set(current "")
set(names "")
foreach(line IN LISTS lines)
    if(line MATCHES "<source>(.*)</source>")
        set(current "${CMAKE_MATCH_1}")
    elseif(line MATCHES "type=\"unfinished\"")
        math(EXPR unfinished "${unfinished} + 1")
        string(APPEND names "\n  ${current}")
    endif()
endforeach()
if(unfinished GREATER 0)
    message(FATAL_ERROR "check_translations: ${unfinished} German string(s) unfinished "
                        "(run the update_translations target, translate them in "
                        "translations/fill_de.py, run it):${names}")
endif()
message(STATUS "check_translations: every German string is translated")
