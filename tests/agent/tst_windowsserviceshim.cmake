# SPDX-License-Identifier: GPL-3.0-or-later
# Cross-compiles the agent's Qt-free Windows service shim (agent/windows/servicecontrol.cpp)
# and a tiny Win32 test service using it (tests/agent/windows/servicedriver.cpp) with
# mingw-w64, C++20 and the project's warnings as errors, into servicedriver.exe. Qt for
# Windows is not available on the Linux CI, so the Qt glue (windowsservice.cpp) is not
# part of this check. Prints "SKIP:" (a skipped CTest test) without the cross compiler;
# packaging/scripts/install-deps test|all installs it.
# Usage: cmake -DSOURCE_DIR=<repo> -DBINARY_DIR=<dir> -P tst_windowsserviceshim.cmake
find_program(MINGW_CXX NAMES x86_64-w64-mingw32-g++-posix x86_64-w64-mingw32-g++)
if(NOT MINGW_CXX)
    message("SKIP: x86_64-w64-mingw32-g++ not found (apt-get install g++-mingw-w64-x86-64-posix)")
    return()
endif()
set(out "${BINARY_DIR}/servicedriver.exe")
file(REMOVE "${out}")
execute_process(
    COMMAND "${MINGW_CXX}" -std=c++20 -Wall -Wextra -Werror -Wpedantic -Wold-style-cast
        -Woverloaded-virtual -Wnon-virtual-dtor -Wshadow=local -Wcast-qual -Wformat=2
        -O2 -DUNICODE -D_UNICODE
        -I "${SOURCE_DIR}/agent"
        "${SOURCE_DIR}/agent/windows/servicecontrol.cpp"
        "${SOURCE_DIR}/tests/agent/windows/servicedriver.cpp"
        -static-libgcc -static-libstdc++ -ladvapi32 -o "${out}"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "mingw-w64 build of the Windows service shim failed (${result})")
endif()
# A PE32+ executable: "MZ" at the start, "PE\0\0" where e_lfanew (offset 0x3c) points.
file(READ "${out}" head LIMIT 4096 HEX)
string(SUBSTRING "${head}" 0 4 mz)
if(NOT mz STREQUAL "4d5a")
    message(FATAL_ERROR "${out} is not a Windows executable")
endif()
message("built ${out} with ${MINGW_CXX}")
