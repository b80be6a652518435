# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The invariant of rri, checked from the outside: the routes of rri's
# protocols in a namespace's FIB are exactly the routes its maps derive from
# the kernel's IPsec state as it is now, and `rrictl route show` never calls
# a route installed that the FIB does not hold. Sourced after lib_route.sh.
#
# The expected routes are computed from the kernel's truth only, never from
# rri's own record: `ip xfrm policy`, `ip xfrm state` (text: iproute2 6.1
# ignores -j there), the namespace's links and routes, `ip route get` for
# next hops, and `rrictl -j map show` for the maps. The rules, as DESIGN.md
# and rri.h state them:
#
#   - policies: dir out, ptype main, action allow, with a tunnel-mode
#     template; the outermost (last) one gives the tunnel and the reqid;
#   - the first map (map show order) whose match keys all hold owns it;
#   - mode static: the policy suffices; mode dynamic: also a VALID SA
#     (one with keys: larval and acquire states have none) of the
#     template's tunnel source and destination, protocol, mode tunnel,
#     reqid (any if the template's is 0), the policy's if_id, and a mark
#     the policy's masked mark satisfies;
#   - the route goes to the selector's destination (never a /0) and, with
#     remote-peer, also to the tunnel endpoint (/32, /128); it is
#     identified by (family, table, prefix, metric), IPv6 metric 0 being
#     1024;
#   - next hop peer: `ip route get PEER from TUNNEL_SRC` must give a
#     unicast route: "via GW dev DEV", "via PEER dev DEV" on-link, "dev
#     DEV" for the endpoint's own host route when on-link and for a route
#     of another family than the tunnel; the route to the remote proxy of
#     a policy with if_id N: "dev" the XFRM interface of if_id N, absent
#     while there is none or it is down; of a policy whose masked mark is
#     not 0 (and no if_id): none (it could only leave in the clear); the
#     remote-peer route always takes the underlay path; next hop gateway:
#     "via GW dev DEV" if GW is of the route's family and on-link (through
#     DEV if the map names it, while DEV is up); next hop dev: "dev DEV"
#     while DEV is up; a map whose VRF is gone: none;
#   - a route identical to a foreign one (same family, table, prefix and
#     metric, a protocol no map uses) is absent.
#
# Expected and actual routes are lines
#
#   FAMILY TABLE PREFIX METRIC [via GW] dev DEV proto P [realm N] [type T]
#
# (numbers for tables, protocols and types, as `ip -N` prints them). When
# several policies give one route different shapes (the first one to come
# wins, which the outside cannot know), the expected line lists them:
# "FAMILY TABLE PREFIX METRIC one of: SHAPE | SHAPE [| absent]".
#
# Known limits: next hops are resolved with the namespace's global lookup
# (rri does the same for peers; the kernel checks a gateway in the route's
# own table first), and a route of rri that changes how a peer or gateway
# is reached (a remote proxy covering a tunnel endpoint, a remote-peer host
# route with another next hop than the peer's path) is not modelled: rri
# resolved before its own route existed, the lookup here sees it;
# neither are selector host bits nor a foreign route using one of the maps'
# protocols.

declare -F settle >/dev/null ||
	source "$(dirname "${BASH_SOURCE[0]}")/lib_route.sh"

# Protocols whose routes are rri's, besides the ones the maps name now: a
# test whose maps change protocol lists the old ones here, so that a route
# left behind with one of them is seen.
INV_PROTOS=${INV_PROTOS:-201}

# jq: the maps, links, FIB and rri's routes as one line each, fields
# separated by spaces, "-" for none.
# shellcheck disable=SC2016
readonly INV_JQ='
def s: if . == null or . == "" then "-" else tostring end;
def fam: if (.dst | test(":")) or (.dst == "default" and ((.gateway // "") | test(":")))
	then "inet6" else "inet" end;
def norm($f): if . == "default" then (if $f == "inet" then "0.0.0.0/0" else "::/0" end)
	elif test("/") then . else . + (if $f == "inet" then "/32" else "/128" end) end;
($maps[0][] | ["M", .name, (.mode|s), (.nexthop|s), (.gateway|s), (.dev|s),
	(.remote_peer|s), (.table|s), (.metric|s), (.tag|s), (.proto|s),
	(.match.family|s), (.match.reqid|s), (.match.if_id|s), (.match.mark|s),
	(.match.mark_mask|s), (.match.remote|s), (.match.local|s), (.vrf|s)] | join(" ")),
($links[0][] | ["L", .ifname, (if any(.flags[]; . == "UP") then "1" else "0" end),
	(.linkinfo.info_kind|s), (.linkinfo.info_data.if_id|s)] | join(" ")),
($fib[0][] | fam as $f | ["F", $f, (.table // "254" | s), (.dst | norm($f)),
	(.metric // 0 | s), (.protocol // "3" | s), (.type // "1" | s),
	(.gateway|s), (.dev|s), (.flow.to|s)] | join(" ")),
($rri[0][] | ["R", (.family|s), (.table|s), (.prefix|s), (.metric|s), (.proto|s),
	(.gateway|s), (.dev|s), (.state|s), (.map|s)] | join(" "))
'

# awk (mawk: no bit operations, no asort): the rules above. Reads the jq
# lines, then `ip xfrm policy`, then `ip xfrm state`; runs one `ip -batch`
# of `route get`s for the next hops. mode=expected|actual prints routes;
# mode=check prints "count N" (expected routes), "diff ..." for each
# difference and "claim ..." for each route rri calls installed that the
# FIB lacks.
# shellcheck disable=SC2016
readonly INV_AWK='
function hex2dec(s,   i, n) {
	sub(/^0[xX]/, "", s)
	n = 0
	for (i = 1; i <= length(s); i++)
		n = n * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
	return n
}
function num(s) { return s ~ /^0[xX]/ ? hex2dec(s) : s + 0 }
function bits(n, w,   b, i) {
	b = ""
	for (i = 0; i < w; i++) { b = (n % 2) b; n = int(n / 2) }
	return b
}
function band(a, b,   r, i) {
	r = ""
	for (i = 1; i <= length(a); i++)
		r = r (substr(a, i, 1) == "1" && substr(b, i, 1) == "1" ? "1" : "0")
	return r
}
function v4bits(a,   p, r, i) {
	split(a, p, ".")
	r = ""
	for (i = 1; i <= 4; i++) r = r bits(p[i] + 0, 8)
	return r
}
function v6bits(a,   l, r, nl, nr, L, R, g, i, out) {
	if (index(a, "::")) {
		l = substr(a, 1, index(a, "::") - 1)
		r = substr(a, index(a, "::") + 2)
	} else {
		l = a
		r = ""
	}
	nl = l == "" ? 0 : split(l, L, ":")
	nr = r == "" ? 0 : split(r, R, ":")
	out = ""
	for (i = 1; i <= nl; i++) out = out bits(hex2dec(L[i]), 16)
	for (i = nl + nr; i < 8; i++) out = out bits(0, 16)
	for (i = 1; i <= nr; i++) out = out bits(hex2dec(R[i]), 16)
	return out
}
function abits(a) { return index(a, ":") ? v6bits(a) : v4bits(a) }
function family(a) { return index(a, ":") ? "inet6" : "inet" }
function plen(p,   x) { split(p, x, "/"); return x[2] + 0 }
# Whether prefix "inner" lies within prefix "outer".
function within(outer, inner,   o, n) {
	split(outer, o, "/")
	split(inner, n, "/")
	if (family(o[1]) != family(n[1]) || n[2] + 0 < o[2] + 0)
		return 0
	return substr(abits(o[1]), 1, o[2]) == substr(abits(n[1]), 1, o[2])
}
# "V/M" (hex) masked, as a bit string.
function markbits(vm,   x) {
	split(vm, x, "/")
	return band(bits(num(x[1]), 32), bits(num(x[2]), 32))
}
function isproto(p) { return (" " protos " ") ~ (" " p " ") }

# Input 1: the jq lines.
FILENAME == ARGV[1] && $1 == "M" {
	nm++
	for (i = 2; i <= NF; i++) M[nm, i] = $i
	protos = protos " " $11
	next
}
FILENAME == ARGV[1] && $1 == "L" {
	UP[$2] = $3
	if ($4 == "xfrm" && $5 != "-") XFRMI[num($5)] = $2
	next
}
FILENAME == ARGV[1] && $1 == "F" { nf++; for (i = 2; i <= NF; i++) F[nf, i] = $i; next }
FILENAME == ARGV[1] && $1 == "R" { nr++; for (i = 2; i <= NF; i++) R[nr, i] = $i; next }

# Input 2: ip xfrm policy.
FILENAME == ARGV[2] && /^[^ \t]/ {
	np++
	Psrc[np] = $2; Pdst[np] = $4; Pdir[np] = ""; Ptype[np] = "main"; Pact[np] = "allow"
	Pmark[np] = "0/0"; Pifid[np] = 0; Ptun[np] = 0; tsrc = ""
	next
}
FILENAME == ARGV[2] && $1 == "dir" {
	Pdir[np] = $2
	for (i = 3; i < NF; i++) {
		if ($i == "ptype") Ptype[np] = $(i + 1)
		if ($i == "action") Pact[np] = $(i + 1)
	}
	next
}
FILENAME == ARGV[2] && $1 == "mark" { Pmark[np] = $2; next }
FILENAME == ARGV[2] && $1 == "if_id" { Pifid[np] = num($2); next }
FILENAME == ARGV[2] && $1 == "tmpl" { tsrc = $3; tdst = $5; next }
FILENAME == ARGV[2] && $1 == "proto" && tsrc != "" {
	tmode = ""; reqid = 0
	for (i = 2; i < NF; i++) {
		if ($i == "mode") tmode = $(i + 1)
		if ($i == "reqid") reqid = $(i + 1) + 0
	}
	if (tmode == "tunnel") {
		Ptun[np] = 1; Ptsrc[np] = tsrc; Ptdst[np] = tdst; Ptproto[np] = $2; Preqid[np] = reqid
	}
	tsrc = ""
	next
}

# Input 3: ip xfrm state.
FILENAME == ARGV[3] && /^[^ \t]/ {
	ns_++
	Ssrc[ns_] = $2; Sdst[ns_] = $4; Svalid[ns_] = 0; Smark[ns_] = "0/0"; Sifid[ns_] = 0
	Sbad[ns_] = 0
	next
}
FILENAME == ARGV[3] && $1 == "proto" {
	Sproto[ns_] = $2
	for (i = 3; i < NF; i++) {
		if ($i == "reqid") Sreqid[ns_] = $(i + 1) + 0
		if ($i == "mode") Smode[ns_] = $(i + 1)
	}
	next
}
FILENAME == ARGV[3] && $1 ~ /^(enc|aead|auth|auth-trunc|comp)$/ { Svalid[ns_] = 1; next }
FILENAME == ARGV[3] && $1 == "mark" { Smark[ns_] = $2; next }
FILENAME == ARGV[3] && $1 == "if_id" { Sifid[ns_] = num($2); next }
FILENAME == ARGV[3] && $1 == "replay-window" && /wildrecv/ { Sbad[ns_] = 1; next }

function selects(m, p,   f, x, mask) {
	f = family(Pdst[p])
	if (M[m, 12] != "-" && M[m, 12] != f) return 0
	if (M[m, 13] != "-" && M[m, 13] + 0 != Preqid[p]) return 0
	if (M[m, 14] != "-" && M[m, 14] + 0 != Pifid[p]) return 0
	if (M[m, 15] != "-") {
		split(Pmark[p], x, "/")
		mask = M[m, 16] == "-" ? 4294967295 : M[m, 16] + 0
		if (band(bits(num(x[1]), 32), bits(mask, 32)) != bits(M[m, 15] + 0, 32))
			return 0
	}
	if (M[m, 17] != "-" && !within(M[m, 17], Pdst[p])) return 0
	if (M[m, 18] != "-" && !within(M[m, 18], Psrc[p])) return 0
	return 1
}
function has_sa(p,   s, pm, x) {
	pm = markbits(Pmark[p])
	for (s = 1; s <= ns_; s++) {
		if (!Svalid[s] || Sbad[s] || Smode[s] != "tunnel" || Ssrc[s] != Ptsrc[p] ||
		    Sdst[s] != Ptdst[p] || Sproto[s] != Ptproto[p] || Sifid[s] != Pifid[p])
			continue
		if (Preqid[p] && Sreqid[s] != Preqid[p]) continue
		split(Smark[s], x, "/")
		if (band(pm, bits(num(x[2]), 32)) != bits(num(x[1]), 32)) continue
		return 1
	}
	return 0
}
function zeroaddr(a) { return a == "0.0.0.0" || a == "::" }
# The ip -batch line that resolves a candidate next hop, if it needs one.
function query(c,   m, p) {
	m = Cm[c]; p = Cp[c]
	if (M[m, 4] == "gateway")
		return "route get " M[m, 5] (M[m, 6] != "-" ? " oif " M[m, 6] : "")
	if (M[m, 4] != "peer" || (Ck[c] == "proxy" && (Pifid[p] || markbits(Pmark[p]) ~ /1/)))
		return ""
	return "route get " Ptdst[p] (zeroaddr(Ptsrc[p]) ? "" : " from " Ptsrc[p])
}
# The shape ("[via GW] dev DEV proto P [realm N]") of candidate c; "" if
# it gets no route.
function shape(c,   m, p, f, tf, r, g, nh) {
	m = Cm[c]; p = Cp[c]; f = Cf[c]; tf = family(Ptdst[p])
	if (M[m, 19] != "-" && !(M[m, 19] in UP)) return ""
	if (M[m, 4] == "gateway") {
		if (family(M[m, 5]) != f || !((M[m, 5], M[m, 6]) in GET)) return ""
		if (M[m, 6] != "-" && !UP[M[m, 6]]) return ""
		split(GET[M[m, 5], M[m, 6]], r, " ")
		if (r[1] != "unicast" || r[2] != "-" || r[3] == "lo") return ""
		nh = "via " M[m, 5] " dev " r[3]
	} else if (M[m, 4] == "dev") {
		if (!UP[M[m, 6]]) return ""
		nh = "dev " M[m, 6]
	} else if (Ck[c] == "proxy" && Pifid[p]) {
		if (!(Pifid[p] in XFRMI) || !UP[XFRMI[Pifid[p]]]) return ""
		nh = "dev " XFRMI[Pifid[p]]
	} else if (Ck[c] == "proxy" && markbits(Pmark[p]) ~ /1/) {
		return ""
	} else {
		g = zeroaddr(Ptsrc[p]) ? "-" : Ptsrc[p]
		if (!((Ptdst[p], g) in GET)) return ""
		split(GET[Ptdst[p], g], r, " ")
		if (r[1] != "unicast" || r[3] == "lo" || r[4]) return ""
		g = r[2] == "-" ? Ptdst[p] : r[2]
		if (f != tf || (Ck[c] == "peer" && g == Ptdst[p]))
			nh = "dev " r[3]
		else
			nh = "via " g " dev " r[3]
	}
	return nh " proto " M[m, 11] (f == "inet" && M[m, 10] != "-" ? " realm " M[m, 10] : "")
}
function candidate(p, m, kind, f, prefix,   metric, key) {
	metric = M[m, 9] + 0
	if (f == "inet6" && !metric) metric = 1024
	nc++
	Cp[nc] = p; Cm[nc] = m; Ck[nc] = kind; Cf[nc] = f
	Ckey[nc] = f " " M[m, 8] " " prefix " " metric
}
function add_alt(key, s,   i, n, a) {
	n = split(ALT[key], a, "|")
	for (i = 1; i <= n; i++) if (a[i] == s) return
	ALT[key] = ALT[key] == "" ? s : ALT[key] "|" s
}
function sort_lines(a, n,   i, j, t) {
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
		a[j + 1] = t
	}
}
# "S1|S2|..." as "S1 | S2 | ...", sorted.
function sorted_alts(s,   a, n, i, out) {
	n = split(s, a, "|")
	sort_lines(a, n)
	out = a[1]
	for (i = 2; i <= n; i++) out = out " | " a[i]
	return out
}
# The n lines of array a, sorted, each printed after prefix pre.
function sorted_print(a, n, pre,   i) {
	sort_lines(a, n)
	for (i = 1; i <= n; i++) print pre a[i]
}

END {
	protos = protos " " extra
	# Routes in the FIB: those of rri (by protocol) and foreign identities.
	for (i = 1; i <= nf; i++) {
		key = F[i, 2] " " F[i, 3] " " F[i, 4] " " F[i, 5]
		if (!isproto(F[i, 6])) { FOREIGN[key] = 1; continue }
		line = key (F[i, 8] != "-" ? " via " F[i, 8] : "") (F[i, 9] != "-" ? " dev " F[i, 9] : "") \
			" proto " F[i, 6] (F[i, 10] != "-" ? " realm " F[i, 10] : "") \
			(F[i, 7] != "1" ? " type " F[i, 7] : "")
		na++; ACT[na] = line; AKEY[na] = key
	}

	# Candidates: each owned, satisfied policy and the routes it wants.
	for (p = 1; p <= np; p++) {
		if (Pdir[p] != "out" || Ptype[p] != "main" || Pact[p] != "allow" || !Ptun[p])
			continue
		for (m = 1; m <= nm && !selects(m, p); m++)
			;
		if (m > nm) continue
		if (M[m, 3] != "static" && !has_sa(p)) continue
		if (plen(Pdst[p]) > 0) candidate(p, m, "proxy", family(Pdst[p]), Pdst[p])
		if (M[m, 7] == "true")
			candidate(p, m, "peer", family(Ptdst[p]),
				  Ptdst[p] (family(Ptdst[p]) == "inet" ? "/32" : "/128"))
	}

	# Next hops: one ip -batch of route gets; answers are told apart by
	# their destination and source (or device).
	for (c = 1; c <= nc; c++) {
		q = query(c)
		if (q != "" && !(q in ASKED)) {
			ASKED[q] = 1; print q > qfile; nq++
			# A kernel without IPV6_SUBTREES answers without the source.
			split(q, t, " ")
			if (t[4] == "from") QFROM[t[3]] = QFROM[t[3]] " " t[5]
		}
	}
	if (nq) {
		close(qfile)
		cmd = "ip -n " netns " -force -batch " qfile " 2>/dev/null"
		while ((cmd | getline l) > 0) {
			if (l ~ /^[ \t]/) continue
			n = split(l, t, " ")
			k = 1; type = "unicast"
			if (t[1] !~ /[.:]/) { type = t[1]; k = 2 }
			dst = t[k]; from = "-"; via = "-"; dev = "-"; v6gw = 0
			for (i = k + 1; i < n; i++) {
				if (t[i] == "from" && !zeroaddr(t[i + 1])) from = t[i + 1]
				if (t[i] == "dev") dev = t[i + 1]
				if (t[i] == "via") {
					via = t[i + 1]
					if (via == "inet6" || via == "inet") { v6gw = via == "inet6"; via = t[i + 2] }
				}
			}
			v = type " " via " " dev " " v6gw
			GET[dst, from] = v
			if (from == "-") GET[dst, dev] = v
			if (from == "-" && (dst in QFROM)) {
				n = split(QFROM[dst], t, " ")
				for (i = 1; i <= n; i++) GET[dst, t[i]] = v
			}
		}
		close(cmd)
	}

	for (c = 1; c <= nc; c++) {
		key = Ckey[c]
		if (!(key in SEEN)) { SEEN[key] = 1; nk++; KEYS[nk] = key }
		s = shape(c)
		add_alt(key, s == "" ? "absent" : s)
	}
	ne = 0
	for (i = 1; i <= nk; i++) {
		key = KEYS[i]
		if (key in FOREIGN || ALT[key] == "absent") continue
		ne++
		if (index(ALT[key], "|")) {
			EXP[ne] = key " one of: " sorted_alts(ALT[key])
			AMBIG[key] = ALT[key]
		} else {
			EXP[ne] = key " " ALT[key]
		}
	}

	if (mode == "explain") {
		for (c = 1; c <= nc; c++) {
			p = Cp[c]
			print "policy " Psrc[p] " > " Pdst[p] " tunnel " Ptsrc[p] " > " Ptdst[p] \
				" reqid " Preqid[p] " mark " Pmark[p] " if_id " Pifid[p] " map " M[Cm[c], 2] \
				" " Ck[c] ": " Ckey[c] " " (shape(c) == "" ? "absent" : shape(c))
		}
		for (q in ASKED) print "asked " q
		for (q in GET) { split(q, t, SUBSEP); print "got " t[1] " " t[2] ": " GET[q] }
		exit
	}
	if (mode == "expected") { sorted_print(EXP, ne, ""); exit }
	if (mode == "actual") { sorted_print(ACT, na, ""); exit }

	print "count " ne
	for (i = 1; i <= na; i++) { INACT[ACT[i]]++; NKEY[AKEY[i]]++ }
	nd = 0
	for (i = 1; i <= ne; i++) {
		split(EXP[i], t, " ")
		key = t[1] " " t[2] " " t[3] " " t[4]
		if (!(key in AMBIG)) {
			if (INACT[EXP[i]]) { INACT[EXP[i]]--; continue }
			D[++nd] = "missing " EXP[i]
			continue
		}
		# One of the shapes, or none if "absent" is one.
		ok = 0
		if (!NKEY[key]) {
			ok = ("|" AMBIG[key] "|") ~ /\|absent\|/
		} else if (NKEY[key] == 1) {
			for (j = 1; j <= na; j++)
				if (AKEY[j] == key) l = ACT[j]
			sh = substr(l, length(key) + 2)
			if (index("|" AMBIG[key] "|", "|" sh "|")) { ok = 1; INACT[l]-- }
		}
		if (!ok) D[++nd] = "missing " EXP[i]
	}
	for (i = 1; i <= na; i++)
		if (INACT[ACT[i]] > 0) { INACT[ACT[i]]--; D[++nd] = "unexpected " ACT[i] }
	sorted_print(D, nd, "diff ")

	# rri must not call installed what the FIB lacks.
	nb = 0
	for (i = 1; i <= nr; i++) {
		if (R[i, 9] != "installed") continue
		key = R[i, 2] " " R[i, 3] " " R[i, 4] " " R[i, 5]
		found = 0
		for (j = 1; j <= nf && !found; j++)
			found = F[j, 2] " " F[j, 3] " " F[j, 4] " " F[j, 5] == key && F[j, 6] == R[i, 6] &&
				(R[i, 7] == "-" || F[j, 8] == R[i, 7]) && (R[i, 8] == "-" || F[j, 9] == R[i, 8])
		if (!found)
			B[++nb] = key (R[i, 7] != "-" ? " via " R[i, 7] : "") \
				(R[i, 8] != "-" ? " dev " R[i, 8] : "") " proto " R[i, 6] " (map " R[i, 10] ")"
	}
	sorted_print(B, nb, "claim ")
}
'

# inv_snapshot NS: the kernel's state and rri's, read into $route_tmp/inv.NS,
# and the awk of the rules run on it with the arguments given after NS.
inv_snapshot() {
	local ns=$1 d=$route_tmp/inv.$1
	shift
	mkdir -p "$d" || return 1
	# rri's record first: what it calls installed was installed before the
	# FIB is read.
	rrictl_ns "$ns" -j route show > "$d/rri" &&
		rrictl_ns "$ns" -j map show > "$d/maps" &&
		ip -n "$ns" xfrm policy > "$d/pol" &&
		ip -n "$ns" xfrm state > "$d/sa" &&
		ip -n "$ns" -d -j link show > "$d/links" &&
		ip -n "$ns" -N -j route show table all > "$d/fib" &&
		jq -r -n --slurpfile maps "$d/maps" --slurpfile links "$d/links" \
			--slurpfile fib "$d/fib" --slurpfile rri "$d/rri" "$INV_JQ" > "$d/lines" ||
		return 1
	awk -v netns="$ns" -v qfile="$d/get" -v extra="$INV_PROTOS" "$@" \
		"$INV_AWK" "$d/lines" "$d/pol" "$d/sa"
}

# inv_expected NS: the routes rri should have in NS's FIB, one line each,
# sorted.
inv_expected() {
	inv_snapshot "$1" -v mode=expected
}

# inv_actual NS: the routes of rri's protocols (INV_PROTOS and those of the
# maps) in NS's FIB, every table, both families, in the same form.
inv_actual() {
	inv_snapshot "$1" -v mode=actual
}

# inv_compare NS: compare once. Sets inv_count (routes expected), inv_diff
# (what differs, "; "-joined, at most ten items) and inv_claims (routes
# rrictl calls installed that the FIB lacks); true if both are empty.
inv_count=0 inv_diff='' inv_claims=''
inv_compare() {
	local out

	if ! out=$(inv_snapshot "$1" -v mode=check); then
		inv_count=0 inv_diff="cannot read the state of $1" inv_claims=
		return 1
	fi
	inv_count=$(sed -n 's/^count //p' <<< "$out")
	inv_diff=$(inv_join diff <<< "$out")
	inv_claims=$(inv_join claim <<< "$out")
	[ -z "$inv_diff" ] && [ -z "$inv_claims" ]
}

# inv_join TAG: the lines tagged TAG on stdin, untagged, "; "-joined, the
# first ten and a count of the rest.
inv_join() {
	awk -v tag="$1" '$1 == tag {
		n++
		if (n <= 10) out = out (n > 1 ? "; " : "") substr($0, length(tag) + 2)
	}
	END { if (n > 10) out = out "; ... and " n - 10 " more"; printf "%s", out }'
}

# inv_explain NS: how the expected routes came about (policy, owner, route
# key, shape) and the next hops looked up, for a human.
inv_explain() {
	inv_snapshot "$1" -v mode=explain
}

# inv_check DESCRIPTION NS...: in each NS, once the worker had time to
# catch up (bounded poll), the FIB holds exactly the routes rri should have,
# and rrictl calls no route installed that the FIB lacks. With INV_DEBUG=1
# a failure also logs inv_explain and the XFRM state.
inv_check() {
	local what=$1 ns d
	shift

	for ns in "$@"; do
		if ! busywait "$ROUTE_WAIT_MS" inv_compare "$ns" && [ "${INV_DEBUG:-0}" = 1 ]; then
			d=$route_tmp/inv.$ns
			{
				inv_explain "$ns"
				sed 's/^/maps: /' "$d/maps"
				sed 's/^/rri: /' "$d/rri"
				sed 's/^/policy: /' "$d/pol"
				sed 's/^/state: /' "$d/sa"
			} | sed 's/^/# /'
		fi
		check_eq "$what: $ns: the FIB holds the $inv_count routes rri should have, no other" \
			"" "$inv_diff"
		check_eq "$what: $ns: rrictl calls installed only routes the FIB holds" \
			"" "$inv_claims"
	done
}
