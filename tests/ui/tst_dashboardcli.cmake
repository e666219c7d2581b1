# SPDX-License-Identifier: GPL-3.0-or-later
# CTest tst_dashboardcli: `spotkeeper --version` and `--help` answer over SSH, i.e. with no
# display at all (DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM unset): exit 0 and the expected
# text, no "could not connect to display" abort.
# Usage: cmake -DEXE=<spotkeeper> -DVERSION=<x.y.z> -P tst_dashboardcli.cmake
foreach(var EXE VERSION)
    if(NOT ${var})
        message(FATAL_ERROR "tst_dashboardcli: -D${var}=... is required")
    endif()
endforeach()
find_program(ENV_PROGRAM env REQUIRED)

function(run_without_display expect_regex)
    execute_process(
        COMMAND ${ENV_PROGRAM} -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "${EXE}" ${ARGN}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
    if(NOT rc STREQUAL "0")
        message(FATAL_ERROR "tst_dashboardcli: spotkeeper ${ARGN} without a display exited "
            "'${rc}' (expected 0)\nstdout: ${out}\nstderr: ${err}")
    endif()
    if(NOT out MATCHES "${expect_regex}")
        message(FATAL_ERROR "tst_dashboardcli: spotkeeper ${ARGN} printed no match for "
            "'${expect_regex}'\nstdout: ${out}\nstderr: ${err}")
    endif()
    message(STATUS "PASS spotkeeper ${ARGN}: ${out}")
endfunction()

string(REPLACE "." "\\." version_regex "${VERSION}")
run_without_display("^spotkeeper ${version_regex}\n$" --version)
run_without_display("^spotkeeper ${version_regex}\n$" -v)
run_without_display("Usage: .*spotkeeper.*--attach <url>.*--no-demo" --help)
run_without_display("Usage: .*spotkeeper.*--store <path>" -h)
