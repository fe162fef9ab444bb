/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * alttcp: an alternative, tunable and observable TCP for Linux.
 *
 * Applications open alttcp sockets with
 *
 *     socket(AF_INET, SOCK_STREAM, IPPROTO_ALTTCP);
 *
 * On the wire alttcp is plain TCP (IP protocol 6); IPPROTO_ALTTCP only selects
 * the implementation inside this host.
 *
 * Configuration and observation go through the generic netlink family
 * ALTTCP_GENL_NAME, version ALTTCP_GENL_VERSION.  Every request acts on the
 * network namespace of the socket it is sent on.
 *
 * ALTTCP_CMD_GET_CONFIG
 *     Any user.  The request carries no attribute.  The reply carries one
 *     ALTTCP_A_CONFIG nest holding every ALTTCP_CFG_* attribute:
 *
 *     ALTTCP_A_CONFIG: NLA_NESTED
 *         ALTTCP_CFG_SYN_RETRIES ... ALTTCP_CFG_RTO_INITIAL_MS: NLA_U32
 *         ALTTCP_CFG_LOCAL_PORT_RANGE: NLA_NESTED
 *             ALTTCP_PORT_RANGE_LOW: NLA_U16
 *             ALTTCP_PORT_RANGE_HIGH: NLA_U16
 *         ALTTCP_CFG_RMEM: NLA_NESTED, bytes, as Linux's tcp_rmem
 *             ALTTCP_BUF_MIN: NLA_U32
 *             ALTTCP_BUF_DEFAULT: NLA_U32
 *             ALTTCP_BUF_MAX: NLA_U32
 *
 *     Each ALTTCP_CFG_* value is the one shown by the sysctl of the same
 *     name under /proc/sys/net/alttcp/ (ALTTCP_CFG_SYN_RETRIES is
 *     net.alttcp.syn_retries, and so on).
 *
 * ALTTCP_CMD_SET_CONFIG
 *     Needs CAP_NET_ADMIN in the user namespace that owns the network
 *     namespace.  The request carries one ALTTCP_A_CONFIG nest with any
 *     subset of the attributes above.  Either every value is applied or,
 *     when one is out of range or malformed, none is, and the extended ack
 *     names the attribute and the reason.  Unknown attributes are rejected
 *     (strict validation).
 *
 * ALTTCP_CMD_GET_STATS
 *     Any user.  The reply carries one ALTTCP_A_STATS nest with every
 *     counter of the namespace: attribute type ALTTCP_STATS_ATTR(id) for
 *     counter id ALTTCP_MIB_*, a u64 (padded with ALTTCP_STATS_PAD).
 *     Counter ids are stable; new ones are only ever appended.
 *
 * ALTTCP_CMD_RESET_STATS
 *     Needs CAP_NET_ADMIN in the user namespace that owns the network
 *     namespace.  Zeroes every counter but the gauge CurrEstab.
 *
 * ALTTCP_CMD_GET_CONN (dump)
 *     Any user.  Every connection of the namespace: listeners, connections
 *     in any state, SYN_RECV requests and TIME_WAIT entries, one message
 *     each with an ALTTCP_A_CONN nest of ALTTCP_CONN_* attributes (what a
 *     kind of entry does not have is left out).  An optional ALTTCP_A_FILTER
 *     nest in the request narrows it: ALTTCP_FILTER_STATES, a bit mask of
 *     (1 << ALTTCP_STATE_*), and any of the local and remote address and
 *     port.  A dump spanning several messages whose table changed meanwhile
 *     has NLM_F_DUMP_INTR set on its messages: repeat it for a consistent
 *     view.
 *
 * ALTTCP_CMD_KILL_CONN
 *     Needs CAP_NET_ADMIN.  Resets every connection that matches the
 *     ALTTCP_A_FILTER in the request (required) as `ss -K` does: an RST to
 *     the peer, ECONNABORTED to the application; TIME_WAIT entries that
 *     match are dropped.  Listeners are not touched.  The reply carries
 *     ALTTCP_A_COUNT, the number killed; when none matches the request
 *     fails with ENOENT.
 *
 * ALTTCP_CMD_SET_LISTENER
 *     Needs CAP_NET_ADMIN.  Per-listener overrides of the namespace's
 *     tunables, for connections made by the listeners on one local port
 *     (and address, if given): an ALTTCP_A_LISTENER nest with
 *     ALTTCP_LISTENER_PORT (required), ALTTCP_LISTENER_ADDR (optional,
 *     0 = any) and any ALTTCP_LISTENER_* value; a value of
 *     ALTTCP_OVERRIDE_UNSET drops that override.  The rule applies at once
 *     to the listeners that exist and to later ones.
 *
 * ALTTCP_CMD_GET_LISTENER
 *     Any user.  The reply carries one ALTTCP_A_LISTENER nest per rule.
 *
 * ALTTCP_CMD_EVENT (multicast group ALTTCP_MCGRP_EVENTS)
 *     Any user may listen.  One message per state change of any
 *     connection, with an ALTTCP_A_EVENT nest: old and new state, the
 *     reason (ALTTCP_REASON_*), the 4-tuple and a CLOCK_REALTIME stamp.
 *     Nothing is built while nobody listens.
 *
 * ALTTCP_CMD_GET_VERSION
 *     Any user.  The request carries no attribute.  The reply carries
 *     ALTTCP_A_VERSION, the module's release as a NUL-terminated string
 *     (e.g. "0.6.0").  Modules older than 0.6.0 do not know the command
 *     and answer EOPNOTSUPP.
 *
 * Values are validated exactly as the sysctls are; Documentation/alttcp.rst
 * lists every bound.  ALTTCP_STATE_* follow Linux's TCP_* numbering so that
 * tools which know `ss` need no new table; ALTTCP_MIB_* name the per-netns
 * counters, and ALTTCP_REASON_* the causes recorded for state changes.
 */
#ifndef _UAPI_LINUX_ALTTCP_H
#define _UAPI_LINUX_ALTTCP_H

#include <linux/types.h>

/* RFC 3692 experimental protocol number; below IPPROTO_MAX, not MPTCP's. */
#define IPPROTO_ALTTCP		253

#define ALTTCP_GENL_NAME	"alttcp"
#define ALTTCP_GENL_VERSION	1

enum alttcp_cmd {
	ALTTCP_CMD_UNSPEC,
	ALTTCP_CMD_GET_CONFIG,
	ALTTCP_CMD_SET_CONFIG,
	ALTTCP_CMD_GET_STATS,
	ALTTCP_CMD_RESET_STATS,
	ALTTCP_CMD_GET_CONN,
	ALTTCP_CMD_KILL_CONN,
	ALTTCP_CMD_SET_LISTENER,
	ALTTCP_CMD_GET_LISTENER,
	ALTTCP_CMD_EVENT,
	ALTTCP_CMD_GET_VERSION,
	__ALTTCP_CMD_MAX
};
#define ALTTCP_CMD_MAX (__ALTTCP_CMD_MAX - 1)

enum alttcp_attr {
	ALTTCP_A_UNSPEC,
	ALTTCP_A_CONFIG,		/* nest of ALTTCP_CFG_* */
	ALTTCP_A_STATS,			/* nest of ALTTCP_STATS_ATTR(id) */
	ALTTCP_A_CONN,			/* nest of ALTTCP_CONN_* */
	ALTTCP_A_FILTER,		/* nest of ALTTCP_FILTER_* */
	ALTTCP_A_COUNT,			/* u32 */
	ALTTCP_A_LISTENER,		/* nest of ALTTCP_LISTENER_* */
	ALTTCP_A_EVENT,			/* nest of ALTTCP_EVENT_* */
	ALTTCP_A_VERSION,		/* string, NUL-terminated */
	__ALTTCP_A_MAX
};
#define ALTTCP_A_MAX (__ALTTCP_A_MAX - 1)

enum alttcp_cfg_attr {
	ALTTCP_CFG_UNSPEC,
	ALTTCP_CFG_SYN_RETRIES,		/* u32 */
	ALTTCP_CFG_SYNACK_RETRIES,	/* u32 */
	ALTTCP_CFG_FIN_TIMEOUT,		/* u32, seconds */
	ALTTCP_CFG_TW_TIMEOUT,		/* u32, seconds */
	ALTTCP_CFG_MAX_TW_BUCKETS,	/* u32 */
	ALTTCP_CFG_TW_REUSE,		/* u32: 0 off, 1 on, 2 loopback only */
	ALTTCP_CFG_TIMESTAMPS,		/* u32 */
	ALTTCP_CFG_SYNCOOKIES,		/* u32: 0 never, 1 on overflow, 2 always */
	ALTTCP_CFG_MAX_SYN_BACKLOG,	/* u32 */
	ALTTCP_CFG_SOMAXCONN,		/* u32 */
	ALTTCP_CFG_ABORT_ON_OVERFLOW,	/* u32 */
	ALTTCP_CFG_ORPHAN_RETRIES,	/* u32: 0 means 8 */
	ALTTCP_CFG_MAX_ORPHANS,		/* u32 */
	ALTTCP_CFG_KEEPALIVE_TIME,	/* u32, seconds */
	ALTTCP_CFG_KEEPALIVE_INTVL,	/* u32, seconds */
	ALTTCP_CFG_KEEPALIVE_PROBES,	/* u32 */
	ALTTCP_CFG_RETRIES1,		/* u32 */
	ALTTCP_CFG_RETRIES2,		/* u32 */
	ALTTCP_CFG_RFC1337,		/* u32 */
	ALTTCP_CFG_LOCAL_PORT_RANGE,	/* nest of ALTTCP_PORT_RANGE_* */
	ALTTCP_CFG_WINDOW_SCALING,	/* u32 */
	ALTTCP_CFG_SACK,		/* u32 */
	ALTTCP_CFG_RTO_MIN_MS,		/* u32, milliseconds */
	ALTTCP_CFG_RTO_MAX_MS,		/* u32, milliseconds */
	ALTTCP_CFG_RTO_INITIAL_MS,	/* u32, milliseconds */
	ALTTCP_CFG_RMEM,		/* nest of ALTTCP_BUF_*, bytes */
	__ALTTCP_CFG_MAX
};
#define ALTTCP_CFG_MAX (__ALTTCP_CFG_MAX - 1)

enum alttcp_port_range_attr {
	ALTTCP_PORT_RANGE_UNSPEC,
	ALTTCP_PORT_RANGE_LOW,		/* u16 */
	ALTTCP_PORT_RANGE_HIGH,		/* u16 */
	__ALTTCP_PORT_RANGE_MAX
};
#define ALTTCP_PORT_RANGE_MAX (__ALTTCP_PORT_RANGE_MAX - 1)

/* A buffer's sizes, "min default max" in its sysctl; all three together. */
enum alttcp_buf_attr {
	ALTTCP_BUF_UNSPEC,
	ALTTCP_BUF_MIN,			/* u32 */
	ALTTCP_BUF_DEFAULT,		/* u32 */
	ALTTCP_BUF_MAX,			/* u32 */
	__ALTTCP_BUF_ATTR_MAX
};
#define ALTTCP_BUF_ATTR_MAX (__ALTTCP_BUF_ATTR_MAX - 1)

/* Connection states, numbered as Linux's TCP_* states. */
enum alttcp_state {
	ALTTCP_STATE_ESTABLISHED = 1,
	ALTTCP_STATE_SYN_SENT,
	ALTTCP_STATE_SYN_RECV,
	ALTTCP_STATE_FIN_WAIT1,
	ALTTCP_STATE_FIN_WAIT2,
	ALTTCP_STATE_TIME_WAIT,
	ALTTCP_STATE_CLOSE,
	ALTTCP_STATE_CLOSE_WAIT,
	ALTTCP_STATE_LAST_ACK,
	ALTTCP_STATE_LISTEN,
	ALTTCP_STATE_CLOSING,
	__ALTTCP_STATE_MAX
};

/* Per-netns counters, named as in Linux's TcpExt/Tcp MIBs where they exist. */
enum alttcp_mib {
	ALTTCP_MIB_ACTIVE_OPENS,
	ALTTCP_MIB_PASSIVE_OPENS,
	ALTTCP_MIB_ATTEMPT_FAILS,
	ALTTCP_MIB_ESTAB_RESETS,
	ALTTCP_MIB_CURR_ESTAB,
	ALTTCP_MIB_IN_SEGS,
	ALTTCP_MIB_OUT_SEGS,
	ALTTCP_MIB_RETRANS_SEGS,
	ALTTCP_MIB_IN_ERRS,
	ALTTCP_MIB_OUT_RSTS,
	ALTTCP_MIB_SYNCOOKIES_SENT,
	ALTTCP_MIB_SYNCOOKIES_RECV,
	ALTTCP_MIB_SYNCOOKIES_FAILED,
	ALTTCP_MIB_LISTEN_OVERFLOWS,
	ALTTCP_MIB_LISTEN_DROPS,
	ALTTCP_MIB_TW,
	ALTTCP_MIB_TW_REUSED,
	ALTTCP_MIB_TW_OVERFLOW,
	ALTTCP_MIB_ABORT_ON_TIMEOUT,
	ALTTCP_MIB_ABORT_ON_CLOSE,
	ALTTCP_MIB_ABORT_ON_DATA,
	ALTTCP_MIB_ABORT_ON_LINGER,
	ALTTCP_MIB_ABORT_ON_MEMORY,
	ALTTCP_MIB_KEEPALIVE_PROBES,
	ALTTCP_MIB_CHALLENGE_ACKS,
	ALTTCP_MIB_SYN_RETRANSMITS,
	ALTTCP_MIB_SYNACK_RETRANSMITS,
	ALTTCP_MIB_FIN_RETRANSMITS,
	ALTTCP_MIB_PAWS_REJECTED,
	ALTTCP_MIB_MIN_TTL_DROP,
	__ALTTCP_MIB_MAX
};

#define ALTTCP_MCGRP_EVENTS	"events"

/* What a connection's pending timer is for. */
enum alttcp_timer {
	ALTTCP_TIMER_NONE,
	ALTTCP_TIMER_RETRANSMIT,	/* data, SYN or FIN */
	ALTTCP_TIMER_PERSIST,		/* zero-window probe */
	ALTTCP_TIMER_DELACK,
	ALTTCP_TIMER_KEEPALIVE,
	ALTTCP_TIMER_FIN_WAIT2,
	ALTTCP_TIMER_TIME_WAIT,
	ALTTCP_TIMER_SYN_ACK,		/* a SYN_RECV request's retransmission */
	__ALTTCP_TIMER_MAX
};

enum alttcp_conn_attr {
	ALTTCP_CONN_UNSPEC,
	ALTTCP_CONN_PAD,
	ALTTCP_CONN_STATE,		/* u8, ALTTCP_STATE_* */
	ALTTCP_CONN_LADDR,		/* be32 */
	ALTTCP_CONN_LPORT,		/* u16 */
	ALTTCP_CONN_RADDR,		/* be32 */
	ALTTCP_CONN_RPORT,		/* u16 */
	ALTTCP_CONN_AGE_MS,		/* u64, since the entry was created */
	ALTTCP_CONN_RX_QUEUE,		/* u32, bytes not read by the app */
	ALTTCP_CONN_TX_QUEUE,		/* u32, bytes not acked by the peer */
	ALTTCP_CONN_TIMER,		/* u8, ALTTCP_TIMER_* */
	ALTTCP_CONN_TIMER_EXPIRES_MS,	/* u32, from now */
	ALTTCP_CONN_RETRANSMITS,	/* u32, consecutive timeouts */
	ALTTCP_CONN_TOTAL_RETRANS,	/* u32 */
	ALTTCP_CONN_PROBES,		/* u32, unanswered keepalive/zwp */
	ALTTCP_CONN_RTO_US,		/* u32 */
	ALTTCP_CONN_RTT_US,		/* u32, smoothed */
	ALTTCP_CONN_RTTVAR_US,		/* u32 */
	ALTTCP_CONN_CWND,		/* u32, bytes */
	ALTTCP_CONN_SSTHRESH,		/* u32, bytes */
	ALTTCP_CONN_SND_MSS,		/* u32 */
	ALTTCP_CONN_RCV_MSS,		/* u32 */
	ALTTCP_CONN_SND_WSCALE,		/* u8 */
	ALTTCP_CONN_RCV_WSCALE,		/* u8 */
	ALTTCP_CONN_TIMESTAMPS,		/* flag */
	ALTTCP_CONN_SACK,		/* flag */
	ALTTCP_CONN_ORPHAN,		/* flag: closed by its application */
	ALTTCP_CONN_BYTES_ACKED,	/* u64 */
	ALTTCP_CONN_BYTES_RECEIVED,	/* u64 */
	ALTTCP_CONN_SEGS_IN,		/* u64 */
	ALTTCP_CONN_SEGS_OUT,		/* u64 */
	ALTTCP_CONN_UID,		/* u32, of the socket's owner */
	ALTTCP_CONN_INODE,		/* u64, of the socket */
	ALTTCP_CONN_ACCEPT_QUEUE,	/* u32, listeners */
	ALTTCP_CONN_ACCEPT_MAX,		/* u32, listeners */
	ALTTCP_CONN_SYN_QUEUE,		/* u32, listeners */
	ALTTCP_CONN_SND_WND,		/* u32, bytes */
	ALTTCP_CONN_RCV_WND,		/* u32, bytes */
	ALTTCP_CONN_LISTEN_OVERFLOWS,	/* u32, listeners: accept queue full */
	ALTTCP_CONN_LISTEN_DROPS,	/* u32, listeners: SYNs/ACKs dropped */
	__ALTTCP_CONN_MAX
};
#define ALTTCP_CONN_MAX (__ALTTCP_CONN_MAX - 1)

enum alttcp_filter_attr {
	ALTTCP_FILTER_UNSPEC,
	ALTTCP_FILTER_STATES,		/* u32, bit (1 << ALTTCP_STATE_*) */
	ALTTCP_FILTER_LADDR,		/* be32 */
	ALTTCP_FILTER_LPORT,		/* u16 */
	ALTTCP_FILTER_RADDR,		/* be32 */
	ALTTCP_FILTER_RPORT,		/* u16 */
	__ALTTCP_FILTER_MAX
};
#define ALTTCP_FILTER_MAX (__ALTTCP_FILTER_MAX - 1)

#define ALTTCP_OVERRIDE_UNSET	0xffffffffU

enum alttcp_listener_attr {
	ALTTCP_LISTENER_UNSPEC,
	ALTTCP_LISTENER_ADDR,		/* be32, 0 = any */
	ALTTCP_LISTENER_PORT,		/* u16 */
	ALTTCP_LISTENER_SYNACK_RETRIES,	/* u32 */
	ALTTCP_LISTENER_TW_TIMEOUT,	/* u32, seconds */
	ALTTCP_LISTENER_ORPHAN_RETRIES,	/* u32 */
	ALTTCP_LISTENER_KEEPALIVE_TIME,	/* u32, seconds */
	ALTTCP_LISTENER_KEEPALIVE_INTVL, /* u32, seconds */
	ALTTCP_LISTENER_KEEPALIVE_PROBES, /* u32 */
	__ALTTCP_LISTENER_MAX
};
#define ALTTCP_LISTENER_MAX (__ALTTCP_LISTENER_MAX - 1)

enum alttcp_event_attr {
	ALTTCP_EVENT_UNSPEC,
	ALTTCP_EVENT_PAD,
	ALTTCP_EVENT_OLD_STATE,		/* u8 */
	ALTTCP_EVENT_NEW_STATE,		/* u8 */
	ALTTCP_EVENT_REASON,		/* u16, ALTTCP_REASON_* */
	ALTTCP_EVENT_LADDR,		/* be32 */
	ALTTCP_EVENT_LPORT,		/* u16 */
	ALTTCP_EVENT_RADDR,		/* be32 */
	ALTTCP_EVENT_RPORT,		/* u16 */
	ALTTCP_EVENT_TIME_NS,		/* u64, CLOCK_REALTIME */
	__ALTTCP_EVENT_MAX
};
#define ALTTCP_EVENT_MAX (__ALTTCP_EVENT_MAX - 1)

/* Why a state changed: ALTTCP_EVENT_REASON. Names as `alttcpctl monitor` prints them. */
enum alttcp_reason {
	ALTTCP_REASON_NONE,		/* none */
	ALTTCP_REASON_APP_CONNECT,		/* app_connect */
	ALTTCP_REASON_APP_LISTEN,		/* app_listen */
	ALTTCP_REASON_APP_CLOSE,		/* app_close */
	ALTTCP_REASON_APP_SHUTDOWN,		/* app_shutdown */
	ALTTCP_REASON_SYN_RECEIVED,		/* syn_received */
	ALTTCP_REASON_SYNACK_RECEIVED,	/* synack_received */
	ALTTCP_REASON_SIMULTANEOUS_OPEN,	/* simultaneous_open */
	ALTTCP_REASON_HANDSHAKE_COMPLETE,	/* handshake_complete */
	ALTTCP_REASON_COOKIE_ACK,		/* cookie_ack */
	ALTTCP_REASON_FIN_RECEIVED,		/* fin_received */
	ALTTCP_REASON_ACK_OF_FIN,		/* ack_of_fin */
	ALTTCP_REASON_SYN_RETRIES_EXHAUSTED,	/* syn_retries_exhausted */
	ALTTCP_REASON_SYNACK_RETRIES_EXHAUSTED,	/* synack_retries_exhausted */
	ALTTCP_REASON_ORPHAN_RETRIES_EXHAUSTED,	/* orphan_retries_exhausted */
	ALTTCP_REASON_RETRANSMIT_TIMEOUT,	/* retransmit_timeout */
	ALTTCP_REASON_USER_TIMEOUT,		/* user_timeout */
	ALTTCP_REASON_KEEPALIVE_TIMEOUT,	/* keepalive_timeout */
	ALTTCP_REASON_FIN_TIMEOUT,		/* fin_timeout */
	ALTTCP_REASON_TW_EXPIRED,		/* tw_expired */
	ALTTCP_REASON_TW_OVERFLOW,		/* tw_overflow */
	ALTTCP_REASON_TW_REUSED,		/* tw_reused */
	ALTTCP_REASON_TW_KILLED_BY_RST,	/* tw_killed_by_rst */
	ALTTCP_REASON_TW_NEW_SYN,		/* tw_new_syn */
	ALTTCP_REASON_RST_RECEIVED,		/* rst_received */
	ALTTCP_REASON_LINGER_ABORT,		/* linger_abort */
	ALTTCP_REASON_CLOSE_UNREAD_DATA,	/* close_unread_data */
	ALTTCP_REASON_LISTEN_OVERFLOW,	/* listen_overflow */
	ALTTCP_REASON_LISTENER_CLOSED,	/* listener_closed */
	ALTTCP_REASON_NO_MEMORY,		/* no_memory */
	ALTTCP_REASON_BAD_ACK,		/* bad_ack */
	ALTTCP_REASON_DATA_AFTER_CLOSE,	/* data_after_close */
	ALTTCP_REASON_ADMIN_KILL,		/* admin_kill */
	__ALTTCP_REASON_MAX
};

/* Attribute types inside ALTTCP_A_STATS. */
#define ALTTCP_STATS_ATTR(id)	((id) + 1)
#define ALTTCP_STATS_PAD	(__ALTTCP_MIB_MAX + 1)

#endif /* _UAPI_LINUX_ALTTCP_H */
