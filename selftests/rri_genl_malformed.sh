#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed generic netlink requests against the loaded module (the C
# program rri_genl_malformed does the sending): each is refused with the
# right errno and, where the module's policy refuses it, an extack message;
# the module answers well-formed requests afterwards. Run as root with the
# module loaded, so none of its cases may skip.
source "$(dirname "$0")/lib.sh"

rri_load || { fail "insmod rri.ko"; rri_exit; }
out=$("$RRI_TOP/selftests/rri_genl_malformed" 2>&1)
rc=$?
echo "$out"
check_eq "every malformed-request case passed" 0 "$rc"
check "no case was skipped" bash -c "! grep -q '# SKIP' <<< \"\$1\"" _ "$out"
check_match "all twenty-two cases ran" '*PASSED: 22 / 22 tests passed.*' "$out"
rri_exit
