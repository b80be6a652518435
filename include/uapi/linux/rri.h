/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * rri: Reverse Route Injection for Linux IPsec gateways.
 *
 * Documentation
 * =============
 *
 * The module is driven over generic netlink, family RRI_GENL_NAME, version
 * RRI_GENL_VERSION. The family is available in every network namespace
 * (netnsok) and every command acts on the namespace of the requesting
 * socket only: each namespace is an independent gateway with its own state
 * and counters.
 *
 * Validation is strict. An attribute a command does not list below ("attribute
 * not accepted by this command"), an unknown attribute type, an attribute of
 * the wrong type or length, and trailing bytes after the attributes are
 * refused with -EINVAL and an extended ACK message saying which, pointing
 * at the attribute where there is one (a missing required top-level
 * attribute is also named in the ACK's missing-attribute fields; one
 * missing inside a nest is reported at the nest). A flag attribute with
 * a payload gets -ERANGE from the netlink core. A value out of its
 * range gets -ERANGE, an address family other than AF_INET/AF_INET6
 * -EAFNOSUPPORT, a device the namespace lacks -ENODEV, an unknown map
 * or group -ENOENT, an existing one -EEXIST, a map past RRI_MAPS_MAX or a
 * group past RRI_GROUPS_MAX -ENOSPC, each with a message. Repeated
 * attributes: the last one counts, as elsewhere in netlink. Every command
 * but RRI_CMD_VERSION_GET requires CAP_NET_ADMIN in the user namespace that
 * owns the network namespace, queries included (maps, routes and counters
 * reveal peers, reqids, marks and if_ids, which xfrm_user too shows only
 * to CAP_NET_ADMIN); without it a command fails with -EPERM before its
 * attributes are looked at. Requests of different namespaces run in
 * parallel. An unknown command number is refused with -EOPNOTSUPP by the
 * generic netlink core (which, on 6.1, sets no message).
 *
 * RRI_CMD_VERSION_GET
 * -------------------
 *
 * Takes no attribute. Replies with:
 *
 *    RRI_A_VERSION: NLA_NUL_STRING, the module version, e.g. "0.1.0"
 *
 * RRI_CMD_STATS_GET
 * -----------------
 *
 * Takes no attribute. Replies with the counters of the caller's namespace
 * (which, like everything but the version, requires CAP_NET_ADMIN):
 *
 *    RRI_A_STATS: NLA_NESTED
 *        RRI_A_STATS_SA_ADD: NLA_U64
 *        RRI_A_STATS_SA_UPDATE: NLA_U64
 *        RRI_A_STATS_SA_DELETE: NLA_U64
 *        RRI_A_STATS_SA_EXPIRE: NLA_U64
 *        RRI_A_STATS_SA_FLUSH: NLA_U64
 *        RRI_A_STATS_POLICY_ADD: NLA_U64
 *        RRI_A_STATS_POLICY_UPDATE: NLA_U64
 *        RRI_A_STATS_POLICY_DELETE: NLA_U64
 *        RRI_A_STATS_POLICY_EXPIRE: NLA_U64
 *        RRI_A_STATS_POLICY_FLUSH: NLA_U64
 *        RRI_A_STATS_ACQUIRE: NLA_U64
 *        RRI_A_STATS_EVENTS_DROPPED: NLA_U64
 *        RRI_A_STATS_ROUTE_ADD: NLA_U64
 *        RRI_A_STATS_ROUTE_DEL: NLA_U64
 *        RRI_A_STATS_ROUTE_CONFLICT: NLA_U64
 *        RRI_A_STATS_ROUTE_UNRESOLVED: NLA_U64
 *        RRI_A_STATS_ROUTE_ERROR: NLA_U64
 *        RRI_A_STATS_ROUTE_RESTORED: NLA_U64
 *        RRI_A_STATS_RESYNC: NLA_U64
 *
 * Every counter is present; RRI_A_STATS_PAD only aligns the 64-bit values
 * and carries nothing.
 * The XFRM counters count the kernel's IPsec key-manager notifications as
 * the module has processed them: one per SA added (XFRM_MSG_NEWSA), updated
 * (XFRM_MSG_UPDSA, which is also how a larval SA becomes valid), deleted
 * (XFRM_MSG_DELSA), expired soft or hard (XFRM_MSG_EXPIRE), one per SA flush
 * that removed at least one SA (XFRM_MSG_FLUSHSA; flushing an empty table
 * is not notified by the kernel), and likewise for policies, plus one per
 * ACQUIRE (a packet matched a policy that has no SA yet). They are counted
 * in the notifier; what the worker needs is queued and applied in order by
 * a per-namespace worker, but only in a namespace that has maps. The
 * queue is bounded (module parameter max_events, default 4096; a repeat
 * of the last queued event is folded into it): EVENTS_DROPPED counts
 * events that found it full or could not be allocated in atomic context.
 * None is lost: the namespace is then resynced, i.e. everything is
 * derived anew from the kernel's state, and RESYNC counts those resyncs
 * (also the ones after memory ran out in the worker). The ROUTE counters
 * count routes rri installed and removed, attempts refused because an
 * identical foreign route exists, routes whose next hop did not resolve,
 * route changes the kernel refused for any other reason or did not
 * answer, and ROUTE_RESTORED the routes
 * rri added again after the FIB lost them (a device went down or away,
 * an admin deleted one).
 *
 * RRI_CMD_STATS_RESET
 * -------------------
 *
 * Takes no attribute. Sets every counter of the caller's namespace to zero.
 *
 * Maps
 * ====
 *
 * A map selects IPsec policies and says how to turn them into routes. The
 * policies rri considers are the namespace's outbound (XFRM_POLICY_OUT)
 * main-type policies with at least one tunnel-mode template; the remote
 * proxy of such a policy is its selector's destination prefix, its tunnel
 * endpoint ("peer") the destination of its outermost tunnel-mode template.
 * Socket policies, inbound and forward policies, and transport-only
 * policies are never considered. A map with no match attribute selects
 * every such policy. When several maps select a policy, the map added first
 * owns it.
 *
 * For each policy it owns, a map derives a route to the remote proxy:
 * in mode RRI_MODE_DYNAMIC (the default) while at least one VALID SA
 * satisfies the policy's template (same tunnel source and destination,
 * protocol and mode, the template's reqid if that is not zero, the
 * policy's mark and if_id), in mode RRI_MODE_STATIC while the policy
 * exists. A route is identified by (family, table, prefix, metric); it is
 * installed once (RTM_NEWROUTE with NLM_F_CREATE|NLM_F_EXCL, protocol
 * RRI_A_MAP_PROTO; where the kernel accepts one, through a nexthop object,
 * RTA_NH_ID, that rri adds and shares among the routes of one next hop)
 * and removed when the last policy that justifies it goes.
 * A remote proxy of prefix length 0 is never installed (state
 * RRI_ROUTE_STATE_SKIPPED). rri never replaces or deletes a route it did
 * not install: when an identical route exists, the route shows state
 * RRI_ROUTE_STATE_CONFLICT and the foreign route stays.
 *
 * The FIB is the truth. rri listens to the namespace's route
 * notifications and device changes; when the FIB loses one of its routes
 * (a device went down or away, a VRF was deleted, an admin removed it) or
 * the path to a peer changes, it checks which of its routes the FIB holds,
 * adds back the ones that should be there as soon as they can be (within
 * tens of milliseconds of the change), moves next hops to the new path,
 * and installs a route in conflict once the foreign route is gone. A route
 * shows RRI_ROUTE_STATE_INSTALLED only while the FIB holds it.
 *
 * Next hops rri chooses itself (RRI_NEXTHOP_PEER) never send protected
 * traffic in the clear: a policy with an if_id only matches traffic routed
 * into the XFRM interface with that if_id, so its route is a device route
 * into that interface (unresolved, RRI_ROUTE_REASON_NO_XFRM_IF, while no
 * running one exists); a policy with a mark (value under mask not zero)
 * only matches marked traffic, which a route cannot mark, so it gets none
 * (RRI_ROUTE_REASON_MARK). A remote-peer route always follows the
 * underlay path to the peer: it carries the ESP packets.
 *
 * A namespace has at most RRI_MAPS_MAX maps.
 *
 * RRI_CMD_MAP_ADD
 * ---------------
 *
 * Requires CAP_NET_ADMIN. Takes one RRI_A_MAP nest:
 *
 *    RRI_A_MAP: NLA_NESTED
 *        RRI_A_MAP_NAME: NLA_NUL_STRING, 1..RRI_MAP_NAME_MAX-1 bytes of
 *            [A-Za-z0-9_.-], required, unique in the namespace
 *        RRI_A_MAP_MATCH_FAMILY: NLA_U16, AF_INET or AF_INET6: the
 *            policy's selector family
 *        RRI_A_MAP_MATCH_REQID: NLA_U32, the outermost tunnel template's
 *            reqid
 *        RRI_A_MAP_MATCH_IF_ID: NLA_U32, the policy's if_id
 *        RRI_A_MAP_MATCH_MARK: NLA_U32, with RRI_A_MAP_MATCH_MARK_MASK
 *            (NLA_U32, default 0xffffffff): selects policies whose mark
 *            value, masked, equals it; it must not have bits outside
 *            the mask
 *        RRI_A_MAP_MATCH_REMOTE: NLA_NESTED, an RRI_A_PREFIX: the remote
 *            proxy lies within it
 *        RRI_A_MAP_MATCH_LOCAL: NLA_NESTED, an RRI_A_PREFIX: the
 *            selector's source prefix lies within it
 *        RRI_A_MAP_MODE: NLA_U8, enum rri_map_mode
 *        RRI_A_MAP_NEXTHOP: NLA_U8, enum rri_nexthop: RRI_NEXTHOP_PEER
 *            (default) routes via the path the kernel itself uses to
 *            reach the tunnel endpoint (resolved in the namespace, with
 *            the template's source address, which a map in an HA group
 *            leaves out while the namespace does not hold it: the VIP
 *            on the standby; "via PEER" when the peer is on-link);
 *            RRI_NEXTHOP_GATEWAY via RRI_A_MAP_GATEWAY
 *            (required, an RRI_A_PREFIX without RRI_A_PREFIX_LEN, of the
 *            route's family) and optionally RRI_A_MAP_OIF;
 *            RRI_NEXTHOP_DEV a device route out of RRI_A_MAP_OIF
 *            (required)
 *        RRI_A_MAP_OIF: NLA_U32, an ifindex of the namespace
 *        RRI_A_MAP_FLAGS: NLA_BITFIELD32 of RRI_MAP_F_*: the flags in
 *            the selector take the values given; unknown bits are
 *            refused. RRI_MAP_F_REMOTE_PEER: also a host route to each
 *            tunnel endpoint, along the underlay path to it
 *        RRI_A_MAP_REMOTE_PEER: NLA_FLAG, the same as RRI_MAP_F_REMOTE_PEER
 *            set in RRI_A_MAP_FLAGS
 *        RRI_A_MAP_TABLE: NLA_U32, routing table (default RT_TABLE_MAIN;
 *            not 0)
 *        RRI_A_MAP_VRF: NLA_U32, ifindex of a VRF device whose table to
 *            use (not with RRI_A_MAP_TABLE)
 *        RRI_A_MAP_METRIC: NLA_U32, route priority (default 0)
 *        RRI_A_MAP_TAG: NLA_U32, IPv4 route realm (RTA_FLOW), non-zero;
 *            refused for a map that can select IPv6 policies, i.e. one
 *            without RRI_A_MAP_MATCH_FAMILY AF_INET or an IPv4 remote or
 *            local prefix
 *        RRI_A_MAP_PROTO: NLA_U8, route protocol (default RRI_RTPROT,
 *            named "rri" in iproute2's rt_protos.d); not 0
 *        RRI_A_MAP_GROUP: NLA_NUL_STRING, the HA group (RRI_CMD_GROUP_ADD)
 *            the map is in: its routes are in the FIB only while the
 *            group is active (-ENOENT if there is no such group); the
 *            empty string, with RRI_CMD_MAP_SET, takes the map out of
 *            its group
 *        RRI_A_MAP_PEERS: NLA_NESTED, the map's preferred-peer list (Cisco's
 *            `set peer A default` / `set peer B`), 1..RRI_PEERS_MAX
 *            RRI_A_PEER nests in order (the empty nest, with
 *            RRI_CMD_MAP_SET, removes the list), each:
 *            RRI_A_PEER_ADDR: NLA_NESTED, an RRI_A_PREFIX without
 *                RRI_A_PREFIX_LEN, 1..RRI_PEER_ADDRS_MAX times: the peer's
 *                tunnel endpoint addresses (a DNS name's, all of them)
 *            RRI_A_PEER_NAME: NLA_NUL_STRING, the DNS name the addresses
 *                were resolved from, 1..RRI_PEER_NAME_MAX-1 bytes
 *            RRI_A_PEER_DYNAMIC: NLA_FLAG, resolve the name again before
 *                each new tunnel to the peer (needs RRI_A_PEER_NAME)
 *            RRI_A_PEER_DEFAULT: NLA_FLAG, the default peer: only the
 *                first may be
 *            RRI_A_PEER_CONN: NLA_NUL_STRING, the IKE daemon's connection
 *                that reaches the peer, for the agent,
 *                1..RRI_PEER_CONN_MAX-1 bytes
 *            RRI_A_PEER_CURRENT: NLA_FLAG, in replies only: the current
 *                peer (see "Preferred peers" below)
 *            RRI_A_PEER_SAS: NLA_U32, in replies only: outbound SAs to the
 *                peer that were added VALID
 *            RRI_A_PEER_FAILURES: NLA_U32, in replies only: connection
 *                attempts while it was current (an ACQUIRE's larval state)
 *                that expired without an SA, and resolutions of its name
 *                that found no address
 *            RRI_A_PEER_ATTEMPTS: NLA_U32, in replies only: connection
 *                attempts (ACQUIREs the map selects) while the peer was
 *                current
 *            RRI_A_PEER_TIME: NLA_U32, in replies only: seconds the peer
 *                was current, up to now
 *        RRI_A_MAP_IDLE_TIME: NLA_U32, seconds (RRI_IDLE_TIME_MIN ..
 *            RRI_IDLE_TIME_MAX; 0 with RRI_CMD_MAP_SET: off) after which
 *            the SAs of an idle tunnel to the current peer are deleted;
 *            needs RRI_A_MAP_PEERS
 *        RRI_A_MAP_IDLE_DEFAULT: NLA_FLAG, and the default peer becomes
 *            current then
 *
 * The prefixes and gateway of one map must agree in family with each other
 * and with RRI_A_MAP_MATCH_FAMILY. Routes for the policies the map owns
 * appear before the reply is sent, as far as their next hop resolves. A
 * peer list given to RRI_CMD_MAP_SET replaces the map's: a peer of both
 * (the same name, or the same first address) keeps its counters, and
 * stays current if it was; otherwise the first peer becomes current.
 *
 * RRI_CMD_MAP_SET
 * ---------------
 *
 * Requires CAP_NET_ADMIN. Takes RRI_A_MAP with RRI_A_MAP_NAME of an
 * existing map and any of the attributes of RRI_CMD_MAP_ADD: each one
 * given replaces the map's setting, the others stay. RRI_A_MAP_NEXTHOP
 * drops the previous gateway and device (give them again with it), and
 * RRI_A_MAP_TABLE drops a VRF. RRI_A_MAP_FLAGS sets and clears flags. A
 * match key and RRI_A_MAP_TAG can be changed but not removed: delete and
 * add the map for that. The map keeps its place in the order. The routes
 * of the policies it owns or now selects are derived anew (other maps'
 * are not touched); a route whose identity and next hop do not change is
 * not touched, unresolved, conflicting and failed routes are tried again.
 * If the kernel's policies cannot be read (no memory), the change is
 * refused and nothing changes.
 *
 * RRI_CMD_MAP_DEL
 * ---------------
 *
 * Requires CAP_NET_ADMIN. Takes RRI_A_MAP with RRI_A_MAP_NAME. Removes the
 * map and every route rri installed for it; policies it owned pass to the
 * next map that selects them. It cannot fail once the map is found.
 *
 * RRI_CMD_MAP_GET
 * ---------------
 *
 * Requires CAP_NET_ADMIN. With RRI_A_MAP/RRI_A_MAP_NAME, replies with
 * that map; with NLM_F_DUMP
 * and no attribute, with every map of the namespace, in order. Each reply
 * holds an RRI_A_MAP nest with the map's settings as given to
 * RRI_CMD_MAP_ADD (defaults filled in; RRI_A_MAP_TABLE is the VRF's table
 * when RRI_A_MAP_VRF is set) and:
 *
 *        RRI_A_MAP_POLICIES: NLA_U32, policies the map owns
 *        RRI_A_MAP_ROUTES: NLA_U32, routes installed for it
 *        RRI_A_MAP_SHADOWED: NLA_U32, policies the map selects that an
 *            earlier map owns (an overlap)
 *
 * RRI_A_MAP_FLAGS comes with every flag in the selector.
 *
 * RRI_CMD_ROUTE_GET
 * -----------------
 *
 * Requires CAP_NET_ADMIN. NLM_F_DUMP only. Optionally
 * RRI_A_MAP/RRI_A_MAP_NAME to show only the routes of one map. One message
 * per route rri derived, installed or not, each with one RRI_A_ROUTE nest.
 * Routes may come and go while a dump is read; a dump that saw the table
 * change carries NLM_F_DUMP_INTR (it may have missed or repeated a route)
 * and should be read again.
 *
 *    RRI_A_ROUTE: NLA_NESTED
 *        RRI_A_ROUTE_DST: NLA_NESTED, RRI_A_PREFIX
 *        RRI_A_ROUTE_TABLE: NLA_U32
 *        RRI_A_ROUTE_METRIC: NLA_U32
 *        RRI_A_ROUTE_PROTO: NLA_U8
 *        RRI_A_ROUTE_GATEWAY: NLA_NESTED, RRI_A_PREFIX without
 *            RRI_A_PREFIX_LEN (if the route has a gateway)
 *        RRI_A_ROUTE_OIF: NLA_U32 (if any)
 *        RRI_A_ROUTE_TAG: NLA_U32 (if any)
 *        RRI_A_ROUTE_MAP: NLA_NUL_STRING, the owning map
 *        RRI_A_ROUTE_PEER: NLA_NESTED, RRI_A_PREFIX without
 *            RRI_A_PREFIX_LEN: the tunnel endpoint of the policy that
 *            justified the route first
 *        RRI_A_ROUTE_STATE: NLA_U8, enum rri_route_state: INSTALLED (the
 *            FIB holds it), UNRESOLVED (no next hop into the encrypting
 *            path, see RRI_A_ROUTE_REASON), CONFLICT (an identical route
 *            rri did not install exists), STANDBY (its map's HA group is
 *            on standby: kept out of the FIB until the group is active),
 *            SKIPPED (prefix length 0), ERROR
 *            (the kernel refused it for another reason, e.g. an
 *            unreachable gateway, or did not answer, or the FIB lost it
 *            and rri is adding it again); all but INSTALLED are tried
 *            again on a map change and when the network changes
 *        RRI_A_ROUTE_SINCE: NLA_U64, when the state last changed, in
 *            seconds since the epoch
 *        RRI_A_ROUTE_REFS: NLA_U32, how many policies justify it
 *        RRI_A_ROUTE_KIND: NLA_U8, enum rri_route_kind
 *        RRI_A_ROUTE_REASON: NLA_U8, enum rri_route_reason (UNRESOLVED
 *            routes only)
 *
 * Events
 * ------
 *
 * The multicast group RRI_MCGRP_EVENTS of the family carries one
 * RRI_CMD_EVENT message per change of a namespace's routes, maps and HA
 * groups, to
 * the listeners of that namespace only. Joining the group requires
 * CAP_NET_ADMIN in the user namespace that owns the network namespace (as
 * every query does). Messages are sent as the changes happen, in order,
 * and only while some namespace has a listener; a listener that does not
 * read loses messages (its socket reports ENOBUFS) and never slows rri
 * down or changes its state: read the state again with the queries after
 * a loss. Each message has:
 *
 *    RRI_A_EVENT: NLA_U8, enum rri_event_type
 *    RRI_A_TIME: NLA_U64, when, in nanoseconds since the epoch
 *
 * and for the RRI_EVENT_ROUTE_* events the route as RRI_CMD_ROUTE_GET
 * shows it after the change (an RRI_A_ROUTE nest), for RRI_EVENT_MAP_*
 * the map's settings as RRI_CMD_MAP_GET shows them, without the
 * RRI_A_MAP_POLICIES, _ROUTES and _SHADOWED counts (an RRI_A_MAP nest;
 * only its name for RRI_EVENT_MAP_DELETED), for RRI_EVENT_GROUP_* the
 * group as RRI_CMD_GROUP_GET shows it, counts included (an RRI_A_GROUP
 * nest; only its name for RRI_EVENT_GROUP_DELETED). Route events:
 *
 *    INSTALLED: the FIB took it
 *    REMOVED: rri removed it from the FIB (or found it gone, or the
 *        removal failed) and forgot it, or forgot it without its ever
 *        being in the FIB: no policy justifies it any more, or its next
 *        hop changed (a new route with the same destination follows)
 *    CONFLICT, UNRESOLVED, SKIPPED, ERROR: it entered that state (see
 *        RRI_A_ROUTE_STATE)
 *    LOST: the FIB lost it (a device went down or away, an admin removed
 *        it); rri adds it again as soon as it can
 *    RESTORED: added again after a loss
 *    STANDBY: withdrawn from the FIB, or held back from it, because its
 *        map's HA group is on standby
 *
 * A route event is sent when the state differs from the one announced
 * last, not again while it stays (a route retried into the same
 * conflict sends nothing); a route that passes to another map when its
 * map is deleted keeps its state and sends nothing. Map events: ADDED,
 * CHANGED (by RRI_CMD_MAP_SET), DELETED; the route events the change
 * caused follow them. A map add that fails after the map was listed
 * sends ADDED then DELETED, a map set that fails CHANGED twice (the new
 * settings, then the old ones again). Group events: ADDED, CHANGED (its
 * replay-interval, by RRI_CMD_GROUP_SET), DELETED, and ACTIVE and STANDBY
 * when its role changes, with its counts as they were before the routes
 * moved (RRI_A_GROUP_ROUTES: the routes that follow); each route whose
 * state then changes (INSTALLED, STANDBY, ...) sends its event after it.
 *
 * Preferred peers
 * ===============
 *
 * A map's peer list (RRI_A_MAP_PEERS; Cisco's "set peer A default" and
 * "set peer B") names the peers that can reach its remote sites, in order.
 * rri decides which of them is current and announces every change on the
 * event stream; an agent (rrictl agent) makes the IKE daemon connect only
 * to the current peer. Which peer is current (starting with the first)
 * changes by these rules, in the order the namespace's XFRM events occur:
 *
 *  1. an SA to one of its addresses (any map's, any reqid) is VALID: that
 *     peer (RRI_EVENT_PEER_UP);
 *  2. the larval state of the map's last ACQUIRE (one whose packet the
 *     map's match keys select, as they would select a policy with that
 *     selector; reqid: the template's) expires (hard EXPIRE, SPI 0; after
 *     net.core.xfrm_acq_expires) while the current peer has no VALID SA:
 *     the attempt failed, the next peer is current, after the last the
 *     first (RRI_EVENT_PEER_FAILED). The larval's addresses do not
 *     matter: strongSwan's traps name the peer, libreswan's none;
 *  3. the last SA to the current peer goes (deleted, expired) and no VALID
 *     SA between the same addresses is left: the default peer, if the
 *     list has one (RRI_EVENT_PEER_LOST); a dynamic peer that stays
 *     current is asked to be resolved again;
 *  4. idle-time: every 10 s rri adds up the packets of the SAs to and
 *     from the current peer; once that sum has not changed for idle-time
 *     seconds, those SAs are expired (RRI_EVENT_PEER_IDLE) and, with
 *     RRI_A_MAP_IDLE_DEFAULT, the default peer becomes current
 *     (RRI_EVENT_PEER_LOST); rule 3 follows from the expiry anyway.
 *
 * rri expires an SA as its hard lifetime would (its state is set to
 * expired and its timer fired): XFRM deletes it and multicasts a hard
 * XFRM_MSG_EXPIRE, the path on which IKE daemons learn of an SA's end.
 * Only VALID tunnel-mode ESP and AH SAs are expired.
 *
 * RRI_CMD_PEER_RESET
 * ------------------
 *
 * Requires CAP_NET_ADMIN. RRI_A_MAP with RRI_A_MAP_NAME: the map's first
 * peer becomes current (RRI_EVENT_PEER_RESET, unless it was). -ENOENT if
 * the map has no peer list.
 *
 * RRI_CMD_SA_CLEAR
 * ----------------
 *
 * Requires CAP_NET_ADMIN. Cisco's "clear crypto sa": expires the SAs to
 * and from the peers of every map's list, or of the map RRI_A_MAP names
 * (RRI_A_MAP_NAME only), or only those of the address in RRI_A_PEER_SEL
 * (one RRI_A_PEER_ADDR), with one RRI_EVENT_PEER_CLEARED per map and peer
 * whose SAs were expired. The routes follow the SAs; rule 3 above applies.
 *
 * RRI_CMD_PEER_RESOLVE
 * --------------------
 *
 * Requires CAP_NET_ADMIN. The answer to RRI_EVENT_PEER_RESOLVE (or an
 * admin's): RRI_A_MAP with RRI_A_MAP_NAME, and RRI_A_PEER_SEL with the
 * RRI_A_PEER_NAME of one of the map's peers and the addresses that name
 * has now (RRI_A_PEER_ADDR, 0..RRI_PEER_ADDRS_MAX). The peer takes the
 * addresses and keeps everything else (RRI_EVENT_PEER_RESOLVED). No
 * address: the name did not resolve, which counts as a failed attempt
 * (rule 2) if the peer is current. -ENOENT if no peer has that name,
 * -EINVAL if an address is another peer's.
 *
 * Peer events carry the map (as for RRI_EVENT_MAP_CHANGED); PEER_IDLE,
 * PEER_CLEARED and PEER_RESOLVE also an RRI_A_PEER_SEL nest naming the
 * peer (its RRI_A_PEER_ADDRs, _NAME, _CONN, _DYNAMIC, _DEFAULT).
 * PEER_RESOLVE is sent when a dynamic peer becomes current other than by
 * an SA of its own, and when its SAs are gone while it stays current:
 * before the next connection to it.
 *
 * HA groups
 * =========
 *
 * An HA group (Cisco: "crypto map ... redundancy GROUP") holds the routes
 * of the maps in it (RRI_A_MAP_GROUP) out of the FIB while it is on
 * standby. Its maps keep everything they derived meanwhile (policies,
 * SAs, routes with their next hops, in state RRI_ROUTE_STATE_STANDBY);
 * when the group becomes active they are all added at once, in batches,
 * as they are, and when it goes standby removed (one RTM_NEWROUTE or
 * RTM_DELROUTE per route); routes that were unresolved, in conflict or
 * refused are derived anew on activation. A group of kind RRI_GROUP_VIP
 * is active while its address (RRI_A_GROUP_VIP) is assigned to an
 * interface of the namespace, whoever assigns it (keepalived adds a VRRP
 * VIP as master and removes it as backup or on a fault), within
 * milliseconds of the change; the address is looked at when the worker
 * runs, so a VIP removed and added again in between, or added where it is
 * assigned already, changes nothing. An IPv6 VIP counts from when it is
 * added, also while duplicate address detection runs (keepalived adds
 * VIPs without it). A group of kind RRI_GROUP_MANUAL starts standby and
 * takes the role RRI_CMD_GROUP_SET gives it. A route that maps of
 * different groups both justify (the same prefix, table and metric)
 * follows the group of the map whose policy took it first. A namespace
 * has at most RRI_GROUPS_MAX groups.
 *
 * replay-interval (Cisco: "crypto map redundancy replay-interval inbound
 * N outbound M") sets the XFRM async-event thresholds of the group's SAs,
 * so that a sync daemon listening to XFRM_MSG_NEWAE on XFRMNLGRP_AEVENTS
 * learns their replay state at that granularity: replay_maxdiff of the
 * inbound SAs to the inbound interval (0: no events, replay_maxage 0 too),
 * of the outbound SAs to the outbound one; replay_maxage stays the
 * namespace's default (net.core.xfrm_aevent_etime). An SA is the group's
 * when a map of the group owns an outbound policy whose outermost tunnel
 * template has the SA's endpoints (outbound SA) or the reversed ones
 * (inbound SA) and the SA's reqid (or none). The thresholds are set for
 * the SAs present when the group's replay-interval or a map of the group
 * is configured, after a resync, and for each SA that appears later, as
 * its event is applied; rri never puts the kernel's defaults back.
 *
 * Stateful failover: a sync daemon (rri-syncd) streams the replay state of
 * the group's SAs from the active node to the standby. A group with a hold
 * (RRI_A_GROUP_HOLD, milliseconds) keeps its routes back when it becomes
 * active (RRI_A_GROUP_HELD in its replies; RRI_EVENT_GROUP_ACTIVE is sent
 * at once), so that the daemon moves the SAs' sequence numbers ahead
 * before traffic is steered to them; the daemon then releases the group
 * (RRI_A_GROUP_RELEASE), or the hold runs out (RRI_A_GROUP_HOLD_EXPIRED
 * counts those). Either way the routes go in and RRI_EVENT_GROUP_RELEASED
 * is sent. Going standby ends a hold. The daemon reports the group's sync
 * state (RRI_A_GROUP_SYNC) for display; a change of its RRI_A_SYNC_STATE
 * is announced (RRI_EVENT_GROUP_SYNC), and when the socket the report came
 * on closes, however the daemon ended, the state becomes RRI_SYNC_DOWN and
 * that is announced too.
 *
 * RRI_CMD_GROUP_ADD
 * -----------------
 *
 * Requires CAP_NET_ADMIN. Takes one RRI_A_GROUP nest:
 *
 *    RRI_A_GROUP: NLA_NESTED
 *        RRI_A_GROUP_NAME: NLA_NUL_STRING, as RRI_A_MAP_NAME, required,
 *            unique among the namespace's groups
 *        RRI_A_GROUP_KIND: NLA_U8, enum rri_group_kind, required
 *        RRI_A_GROUP_VIP: NLA_NESTED, an RRI_A_PREFIX without
 *            RRI_A_PREFIX_LEN: the VIP (RRI_GROUP_VIP only, required)
 *        RRI_A_GROUP_REPLAY: NLA_FLAG, replay-interval with the default
 *            thresholds, RRI_REPLAY_INBOUND_DEFAULT and
 *            RRI_REPLAY_OUTBOUND_DEFAULT; implied by either of:
 *        RRI_A_GROUP_REPLAY_INBOUND: NLA_U32, 0..RRI_REPLAY_INBOUND_MAX
 *            packets
 *        RRI_A_GROUP_REPLAY_OUTBOUND: NLA_U32,
 *            RRI_REPLAY_OUTBOUND_MIN..RRI_REPLAY_OUTBOUND_MAX packets
 *        RRI_A_GROUP_HOLD: NLA_U32, 0..RRI_GROUP_HOLD_MAX milliseconds
 *            (default 0, no hold)
 *
 * A vip group starts in the role its address gives it, a manual group
 * standby. -EEXIST for an existing name, -ENOSPC past RRI_GROUPS_MAX.
 *
 * RRI_CMD_GROUP_SET
 * -----------------
 *
 * Requires CAP_NET_ADMIN. RRI_A_GROUP with RRI_A_GROUP_NAME of an existing
 * group and any of: RRI_A_GROUP_ROLE (NLA_U8, enum rri_group_role; manual
 * groups only: -EINVAL for a vip group), the replay-interval attributes
 * and RRI_A_GROUP_HOLD of RRI_CMD_GROUP_ADD (each given replaces the
 * group's setting), RRI_A_GROUP_RELEASE (NLA_FLAG: an active group's held
 * routes go in now; nothing for an active group without a hold under way,
 * -EINVAL for a standby group), RRI_A_GROUP_SYNC (a sync daemon's report,
 * below); a request with none is refused.
 * The kind and VIP cannot change: delete and add the group for that. The
 * routes follow the role before the reply is sent (unless a hold keeps
 * them back); setting the role the group has changes nothing.
 *
 *    RRI_A_GROUP_SYNC: NLA_NESTED
 *        RRI_A_SYNC_STATE: NLA_U8, enum rri_sync_state, required
 *        RRI_A_SYNC_PEER: NLA_NUL_STRING, at most RRI_SYNC_PEER_MAX - 1
 *            bytes: the peer node, as the daemon names it
 *        RRI_A_SYNC_SAS: NLA_U32, SAs in step
 *        RRI_A_SYNC_LAG: NLA_U32, how old the newest state from the peer
 *            is, in milliseconds
 *        RRI_A_SYNC_UPDATES: NLA_U64, SA states sent (active node) or
 *            applied (standby) since the daemon started
 *
 * Each report replaces the last one; the attributes not given are 0. The
 * report belongs to the socket it came on (see the HA groups section).
 *
 * RRI_CMD_GROUP_DEL
 * -----------------
 *
 * Requires CAP_NET_ADMIN. RRI_A_GROUP with RRI_A_GROUP_NAME. A group that
 * a map is in is refused with -EBUSY.
 *
 * RRI_CMD_GROUP_GET
 * -----------------
 *
 * Requires CAP_NET_ADMIN. With RRI_A_GROUP/RRI_A_GROUP_NAME, replies with
 * that group; with NLM_F_DUMP and no attribute, with every group, in the
 * order they were added. Each reply holds an RRI_A_GROUP nest with the
 * settings given to RRI_CMD_GROUP_ADD (the thresholds filled in when
 * RRI_A_GROUP_REPLAY is set) and:
 *
 *        RRI_A_GROUP_ROLE: NLA_U8, enum rri_group_role
 *        RRI_A_GROUP_SINCE: NLA_U64, when the role last changed (or the
 *            group was added), in seconds since the epoch
 *        RRI_A_GROUP_TRANSITIONS: NLA_U32, role changes since it was added
 *        RRI_A_GROUP_MAPS: NLA_U32, maps in the group
 *        RRI_A_GROUP_ROUTES: NLA_U32, routes those maps hold (installed
 *            or not)
 *        RRI_A_GROUP_INSTALLED: NLA_U32, of those, the ones the FIB holds
 *        RRI_A_GROUP_HOLD_EXPIRED: NLA_U32, holds that ran out without a
 *            release (with RRI_A_GROUP_HOLD, if the group has a hold)
 *        RRI_A_GROUP_HELD: NLA_FLAG, active with its routes held back
 *        RRI_A_GROUP_SYNC: the last sync report, if a daemon ever sent
 *            one, with RRI_A_SYNC_LAST (NLA_U64): when RRI_A_SYNC_UPDATES
 *            last grew, in seconds since the epoch
 *
 * RRI_CMD_GROUP_SA_GET
 * --------------------
 *
 * Requires CAP_NET_ADMIN and NLM_F_DUMP. RRI_A_GROUP with RRI_A_GROUP_NAME
 * of a group with a replay-interval (-EINVAL otherwise): its SAs, the ones
 * rri gives the group's thresholds, one reply each with an RRI_A_SA nest:
 *
 *    RRI_A_SA: NLA_NESTED
 *        RRI_A_SA_FAMILY: NLA_U16, AF_INET or AF_INET6
 *        RRI_A_SA_DADDR, RRI_A_SA_SADDR: NLA_BINARY, 4 or 16 bytes
 *        RRI_A_SA_SPI: NLA_U32, network byte order (as XFRM's)
 *        RRI_A_SA_PROTO: NLA_U8, IPPROTO_ESP or IPPROTO_AH
 *        RRI_A_SA_MARK: NLA_U32, the SA's mark value
 *        RRI_A_SA_REQID: NLA_U32
 *        RRI_A_SA_DIR: NLA_U8, enum rri_sa_dir
 *
 * Prefixes
 * --------
 *
 *    RRI_A_PREFIX_FAMILY: NLA_U16, AF_INET or AF_INET6
 *    RRI_A_PREFIX_ADDR: NLA_BINARY, 4 or 16 bytes as the family says,
 *        network byte order; no bits set beyond RRI_A_PREFIX_LEN
 *    RRI_A_PREFIX_LEN: NLA_U8, 0..32 or 0..128
 */

#ifndef _UAPI_LINUX_RRI_H
#define _UAPI_LINUX_RRI_H

#define RRI_GENL_NAME		"rri"
#define RRI_GENL_VERSION	1
#define RRI_MCGRP_EVENTS	"events"

enum rri_cmd {
	RRI_CMD_UNSPEC,
	RRI_CMD_VERSION_GET,
	RRI_CMD_STATS_GET,
	RRI_CMD_STATS_RESET,
	RRI_CMD_MAP_ADD,
	RRI_CMD_MAP_SET,
	RRI_CMD_MAP_DEL,
	RRI_CMD_MAP_GET,
	RRI_CMD_ROUTE_GET,
	RRI_CMD_EVENT,
	RRI_CMD_GROUP_ADD,
	RRI_CMD_GROUP_SET,
	RRI_CMD_GROUP_DEL,
	RRI_CMD_GROUP_GET,
	RRI_CMD_PEER_RESET,
	RRI_CMD_SA_CLEAR,
	RRI_CMD_PEER_RESOLVE,
	RRI_CMD_GROUP_SA_GET,

	__RRI_CMD_MAX,
};

#define RRI_CMD_MAX (__RRI_CMD_MAX - 1)

enum rri_attr {
	RRI_A_UNSPEC,
	RRI_A_VERSION,
	RRI_A_STATS,
	RRI_A_MAP,
	RRI_A_ROUTE,
	RRI_A_PAD,
	RRI_A_EVENT,
	RRI_A_TIME,
	RRI_A_GROUP,
	RRI_A_PEER_SEL,
	RRI_A_SA,

	__RRI_A_MAX,
};

#define RRI_A_MAX (__RRI_A_MAX - 1)

enum rri_stats_attr {
	RRI_A_STATS_UNSPEC,
	RRI_A_STATS_PAD,
	RRI_A_STATS_SA_ADD,
	RRI_A_STATS_SA_UPDATE,
	RRI_A_STATS_SA_DELETE,
	RRI_A_STATS_SA_EXPIRE,
	RRI_A_STATS_SA_FLUSH,
	RRI_A_STATS_POLICY_ADD,
	RRI_A_STATS_POLICY_UPDATE,
	RRI_A_STATS_POLICY_DELETE,
	RRI_A_STATS_POLICY_EXPIRE,
	RRI_A_STATS_POLICY_FLUSH,
	RRI_A_STATS_ACQUIRE,
	RRI_A_STATS_EVENTS_DROPPED,
	RRI_A_STATS_ROUTE_ADD,
	RRI_A_STATS_ROUTE_DEL,
	RRI_A_STATS_ROUTE_CONFLICT,
	RRI_A_STATS_ROUTE_UNRESOLVED,
	RRI_A_STATS_ROUTE_ERROR,
	RRI_A_STATS_ROUTE_RESTORED,
	RRI_A_STATS_RESYNC,

	__RRI_A_STATS_MAX,
};

#define RRI_A_STATS_MAX (__RRI_A_STATS_MAX - 1)

#define RRI_MAP_NAME_MAX	32
/* Most maps one namespace may have. */
#define RRI_MAPS_MAX		256
/* The default route protocol of rri's routes. */
#define RRI_RTPROT		201

enum rri_map_mode {
	RRI_MODE_DYNAMIC = 1,
	RRI_MODE_STATIC,
};

enum rri_nexthop {
	RRI_NEXTHOP_PEER = 1,
	RRI_NEXTHOP_GATEWAY,
	RRI_NEXTHOP_DEV,
};

enum rri_route_state {
	RRI_ROUTE_STATE_INSTALLED = 1,
	RRI_ROUTE_STATE_UNRESOLVED,
	RRI_ROUTE_STATE_CONFLICT,
	RRI_ROUTE_STATE_STANDBY,
	RRI_ROUTE_STATE_SKIPPED,
	RRI_ROUTE_STATE_ERROR,
};

/* Why a route is RRI_ROUTE_STATE_UNRESOLVED. */
enum rri_route_reason {
	RRI_ROUTE_REASON_NO_PATH = 1,	/* no route to the tunnel endpoint */
	RRI_ROUTE_REASON_NO_XFRM_IF,	/* no running XFRM interface has the if_id */
	RRI_ROUTE_REASON_MARK,		/* mark-scoped policy: a route marks nothing */
	RRI_ROUTE_REASON_DEV,		/* the map's device or VRF is down or gone */
	RRI_ROUTE_REASON_FAMILY,	/* the gateway is of the other family */
};

/* Map flags (RRI_A_MAP_FLAGS). */
#define RRI_MAP_F_REMOTE_PEER	(1U << 0)
#define RRI_MAP_F_ALL		RRI_MAP_F_REMOTE_PEER

enum rri_route_kind {
	RRI_ROUTE_KIND_PROXY = 1,	/* to a remote proxy */
	RRI_ROUTE_KIND_PEER,		/* remote-peer: to a tunnel endpoint */
};

enum rri_event_type {
	RRI_EVENT_UNSPEC,
	RRI_EVENT_ROUTE_INSTALLED,
	RRI_EVENT_ROUTE_REMOVED,
	RRI_EVENT_ROUTE_CONFLICT,
	RRI_EVENT_ROUTE_UNRESOLVED,
	RRI_EVENT_ROUTE_SKIPPED,
	RRI_EVENT_ROUTE_ERROR,
	RRI_EVENT_ROUTE_LOST,
	RRI_EVENT_ROUTE_RESTORED,
	RRI_EVENT_MAP_ADDED,
	RRI_EVENT_MAP_CHANGED,
	RRI_EVENT_MAP_DELETED,
	RRI_EVENT_ROUTE_STANDBY,
	RRI_EVENT_GROUP_ADDED,
	RRI_EVENT_GROUP_CHANGED,
	RRI_EVENT_GROUP_DELETED,
	RRI_EVENT_GROUP_ACTIVE,
	RRI_EVENT_GROUP_STANDBY,
	RRI_EVENT_PEER_UP,	/* an SA to a peer made it current */
	RRI_EVENT_PEER_FAILED,	/* an attempt failed: the next peer is current */
	RRI_EVENT_PEER_LOST,	/* the current peer's SAs went: the default is */
	RRI_EVENT_PEER_RESET,	/* peer reset: the first peer is current */
	RRI_EVENT_PEER_IDLE,	/* idle-time expired the SAs of a peer */
	RRI_EVENT_PEER_CLEARED,	/* sa clear expired the SAs of a peer */
	RRI_EVENT_PEER_RESOLVE,	/* resolve a dynamic peer's name, please */
	RRI_EVENT_PEER_RESOLVED, /* a peer's name was resolved again */
	RRI_EVENT_GROUP_RELEASED, /* an active group's held routes went in */
	RRI_EVENT_GROUP_SYNC,	/* a group's sync state changed */

	__RRI_EVENT_MAX,
};

#define RRI_EVENT_MAX (__RRI_EVENT_MAX - 1)

enum rri_prefix_attr {
	RRI_A_PREFIX_UNSPEC,
	RRI_A_PREFIX_FAMILY,
	RRI_A_PREFIX_ADDR,
	RRI_A_PREFIX_LEN,

	__RRI_A_PREFIX_MAX,
};

#define RRI_A_PREFIX_MAX (__RRI_A_PREFIX_MAX - 1)

enum rri_map_attr {
	RRI_A_MAP_UNSPEC,
	RRI_A_MAP_NAME,
	RRI_A_MAP_MATCH_FAMILY,
	RRI_A_MAP_MATCH_REQID,
	RRI_A_MAP_MATCH_IF_ID,
	RRI_A_MAP_MATCH_MARK,
	RRI_A_MAP_MATCH_MARK_MASK,
	RRI_A_MAP_MATCH_REMOTE,
	RRI_A_MAP_MATCH_LOCAL,
	RRI_A_MAP_MODE,
	RRI_A_MAP_NEXTHOP,
	RRI_A_MAP_GATEWAY,
	RRI_A_MAP_OIF,
	RRI_A_MAP_REMOTE_PEER,
	RRI_A_MAP_TABLE,
	RRI_A_MAP_VRF,
	RRI_A_MAP_METRIC,
	RRI_A_MAP_TAG,
	RRI_A_MAP_PROTO,
	RRI_A_MAP_POLICIES,
	RRI_A_MAP_ROUTES,
	RRI_A_MAP_SHADOWED,
	RRI_A_MAP_FLAGS,
	RRI_A_MAP_GROUP,
	RRI_A_MAP_PEERS,
	RRI_A_MAP_IDLE_TIME,
	RRI_A_MAP_IDLE_DEFAULT,

	__RRI_A_MAP_MAX,
};

#define RRI_A_MAP_MAX (__RRI_A_MAP_MAX - 1)

/* Preferred peers (RRI_A_MAP_PEERS). */
#define RRI_PEERS_MAX		10
#define RRI_PEER_ADDRS_MAX	8
#define RRI_PEER_NAME_MAX	256
#define RRI_PEER_CONN_MAX	64
#define RRI_IDLE_TIME_MIN	60
#define RRI_IDLE_TIME_MAX	86400

enum rri_peer_list_attr {
	RRI_A_PEERS_UNSPEC,
	RRI_A_PEER,

	__RRI_A_PEERS_MAX,
};

#define RRI_A_PEERS_MAX (__RRI_A_PEERS_MAX - 1)

enum rri_peer_attr {
	RRI_A_PEER_UNSPEC,
	RRI_A_PEER_ADDR,
	RRI_A_PEER_NAME,
	RRI_A_PEER_DYNAMIC,
	RRI_A_PEER_DEFAULT,
	RRI_A_PEER_CONN,
	RRI_A_PEER_CURRENT,
	RRI_A_PEER_SAS,
	RRI_A_PEER_FAILURES,
	RRI_A_PEER_ATTEMPTS,
	RRI_A_PEER_TIME,

	__RRI_A_PEER_MAX,
};

#define RRI_A_PEER_MAX (__RRI_A_PEER_MAX - 1)

enum rri_route_attr {
	RRI_A_ROUTE_UNSPEC,
	RRI_A_ROUTE_PAD,
	RRI_A_ROUTE_DST,
	RRI_A_ROUTE_TABLE,
	RRI_A_ROUTE_METRIC,
	RRI_A_ROUTE_PROTO,
	RRI_A_ROUTE_GATEWAY,
	RRI_A_ROUTE_OIF,
	RRI_A_ROUTE_TAG,
	RRI_A_ROUTE_MAP,
	RRI_A_ROUTE_PEER,
	RRI_A_ROUTE_STATE,
	RRI_A_ROUTE_SINCE,
	RRI_A_ROUTE_REFS,
	RRI_A_ROUTE_KIND,
	RRI_A_ROUTE_REASON,

	__RRI_A_ROUTE_MAX,
};

#define RRI_A_ROUTE_MAX (__RRI_A_ROUTE_MAX - 1)

#define RRI_GROUP_NAME_MAX	32
/* Most HA groups one namespace may have. */
#define RRI_GROUPS_MAX		64

enum rri_group_kind {
	RRI_GROUP_VIP = 1,	/* active while its VIP is assigned */
	RRI_GROUP_MANUAL,	/* active or standby as RRI_CMD_GROUP_SET says */
};

enum rri_group_role {
	RRI_ROLE_STANDBY = 1,
	RRI_ROLE_ACTIVE,
};

/* replay-interval: the ranges and defaults (packets) */
#define RRI_REPLAY_INBOUND_MAX		1000
#define RRI_REPLAY_INBOUND_DEFAULT	1000
#define RRI_REPLAY_OUTBOUND_MIN		1000
#define RRI_REPLAY_OUTBOUND_MAX		100000
#define RRI_REPLAY_OUTBOUND_DEFAULT	100000

enum rri_group_attr {
	RRI_A_GROUP_UNSPEC,
	RRI_A_GROUP_PAD,
	RRI_A_GROUP_NAME,
	RRI_A_GROUP_KIND,
	RRI_A_GROUP_VIP,
	RRI_A_GROUP_ROLE,
	RRI_A_GROUP_REPLAY,
	RRI_A_GROUP_REPLAY_INBOUND,
	RRI_A_GROUP_REPLAY_OUTBOUND,
	RRI_A_GROUP_SINCE,
	RRI_A_GROUP_TRANSITIONS,
	RRI_A_GROUP_MAPS,
	RRI_A_GROUP_ROUTES,
	RRI_A_GROUP_INSTALLED,
	RRI_A_GROUP_HOLD,
	RRI_A_GROUP_HELD,
	RRI_A_GROUP_RELEASE,
	RRI_A_GROUP_HOLD_EXPIRED,
	RRI_A_GROUP_SYNC,

	__RRI_A_GROUP_MAX,
};

#define RRI_A_GROUP_MAX (__RRI_A_GROUP_MAX - 1)

/* The longest takeover hold (RRI_A_GROUP_HOLD), in milliseconds. */
#define RRI_GROUP_HOLD_MAX	10000

/* A group's sync state, as its sync daemon reports it (RRI_A_SYNC_STATE). */
enum rri_sync_state {
	RRI_SYNC_DOWN = 1,	/* no stream: no peer, or no daemon any more */
	RRI_SYNC_RESYNC,	/* a full resync is under way */
	RRI_SYNC_UP,		/* in step with the peer */
};

#define RRI_SYNC_PEER_MAX	64

enum rri_sync_attr {
	RRI_A_SYNC_UNSPEC,
	RRI_A_SYNC_PAD,
	RRI_A_SYNC_STATE,
	RRI_A_SYNC_PEER,
	RRI_A_SYNC_SAS,
	RRI_A_SYNC_UPDATES,
	RRI_A_SYNC_LAG,
	RRI_A_SYNC_LAST,

	__RRI_A_SYNC_MAX,
};

#define RRI_A_SYNC_MAX (__RRI_A_SYNC_MAX - 1)

/* Which way a group's SA carries traffic (RRI_A_SA_DIR). */
enum rri_sa_dir {
	RRI_SA_DIR_OUT = 1,
	RRI_SA_DIR_IN,
};

enum rri_sa_attr {
	RRI_A_SA_UNSPEC,
	RRI_A_SA_FAMILY,
	RRI_A_SA_DADDR,
	RRI_A_SA_SADDR,
	RRI_A_SA_SPI,
	RRI_A_SA_PROTO,
	RRI_A_SA_MARK,
	RRI_A_SA_REQID,
	RRI_A_SA_DIR,

	__RRI_A_SA_MAX,
};

#define RRI_A_SA_MAX (__RRI_A_SA_MAX - 1)

#endif /* _UAPI_LINUX_RRI_H */
