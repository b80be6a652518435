#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check's part on the host: make install-tools into a staging
# directory installs rrictl, its man page and bash completion, the
# iproute2 protocol name and the systemd units (rri.service and the
# per-namespace rri@.service, and the same two for rrictl agent and for
# rri-syncd) with the real paths in them, and systemd-analyze accepts them
# all; rri-syncd and its man page too. Prints TAP and a count line.
source "$(dirname "$0")/lib_host.sh"

top=$host_top
tmp=$(mktemp -d /tmp/rri-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
host_begin "make install-tools into a staging directory"

dest=$tmp/root
units=$dest/usr/local/lib/systemd/system
if make -s -C "$top" install-tools DESTDIR="$dest" > "$tmp/log" 2>&1; then
	ok "make install-tools"
else
	bad "make install-tools"
	sed 's/^/#     /' "$tmp/log" | tail -20
fi
for f in usr/local/sbin/rrictl usr/local/share/man/man8/rrictl.8 \
	usr/local/share/bash-completion/completions/rrictl \
	etc/iproute2/rt_protos.d/rri.conf \
	usr/local/lib/systemd/system/rri.service \
	usr/local/lib/systemd/system/rri@.service \
	usr/local/lib/systemd/system/rri-agent.service \
	usr/local/lib/systemd/system/rri-agent@.service \
	usr/local/sbin/rri-syncd usr/local/share/man/man8/rri-syncd.8 \
	usr/local/lib/systemd/system/rri-syncd.service \
	usr/local/lib/systemd/system/rri-syncd@.service; do
	check "installs /$f" test -s "$dest/$f"
done
check "installs /etc/rri" test -d "$dest/etc/rri"
check "the units run /usr/local/sbin/rrictl" \
	grep -q 'exec /usr/local/sbin/rrictl -n %I -b /etc/rri/%I.conf' "$units/rri@.service"
check "rri.service applies /etc/rri/rri.conf" \
	grep -q 'exec /usr/local/sbin/rrictl -b /etc/rri/rri.conf' "$units/rri.service"
check "no placeholder is left" bash -c "! grep -q @ '$units/rri.service'"
check "the agent units run rrictl agent with the configured daemon" \
	grep -q 'exec /usr/local/sbin/rrictl -n %I agent $RRI_AGENT' "$units/rri-agent@.service"
check "the syncd units run rri-syncd with the configured options" \
	grep -q 'exec /usr/local/sbin/rri-syncd -n %I $RRI_SYNCD' "$units/rri-syncd@.service"
if command -v systemd-analyze >/dev/null; then
	(cd "$units" && SYSTEMD_UNIT_PATH=$units: systemd-analyze verify --man=no \
		rri.service rri@gw.service rri-agent.service rri-agent@gw.service \
		rri-syncd.service rri-syncd@gw.service) > "$tmp/verify" 2>&1
	check "systemd-analyze verify of the six units" \
		test ! -s "$tmp/verify"
	sed 's/^/#     /' "$tmp/verify"
else
	bad "systemd-analyze is missing"
fi

host_end
