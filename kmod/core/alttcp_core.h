/* SPDX-License-Identifier: GPL-2.0 */
/*
 * alttcp core: the public API between the TCP protocol engine and its host
 * (the kernel glue in alttcp.ko, or the simulator in the tests).
 *
 * Rules of the boundary (DESIGN.md has the long version):
 *  - time is an argument of every call (u64 microseconds, monotonic); the
 *    core owns no timer and answers at_*_poll_at() with the next instant it
 *    wants at_*_timer() to be called (0 = never);
 *  - the glue parses IP, checks the checksum, calls at_parse_tcp_header()
 *    and hands the core a struct at_seg; the core hands back struct at_out
 *    through ops->emit and never builds a packet;
 *  - full connections, SYN_RECV request entries and compact TIME_WAIT
 *    entries are three object kinds, each with its own input and timer
 *    entry points; the glue keeps them in its lookup tables and is told
 *    through ops->event when one replaces another;
 *  - the core takes no lock: the glue serialises calls per object.
 */
#ifndef _ALTTCP_CORE_H
#define _ALTTCP_CORE_H

#include "at_platform.h"
#include "params.h"

#ifdef __cplusplus
extern "C" {
#endif

/* States, numbered as Linux's TCP_* (and ALTTCP_STATE_*). */
enum at_state {
	AT_ESTABLISHED = 1,
	AT_SYN_SENT,
	AT_SYN_RECV,
	AT_FIN_WAIT1,
	AT_FIN_WAIT2,
	AT_TIME_WAIT,
	AT_CLOSED,
	AT_CLOSE_WAIT,
	AT_LAST_ACK,
	AT_LISTEN,
	AT_CLOSING,
	AT_STATE_MAX
};

/* Counters, in the order of enum alttcp_mib of the uapi header. */
#define AT_MIBS(X)							\
	X(ACTIVE_OPENS, "ActiveOpens")					\
	X(PASSIVE_OPENS, "PassiveOpens")				\
	X(ATTEMPT_FAILS, "AttemptFails")				\
	X(ESTAB_RESETS, "EstabResets")					\
	X(CURR_ESTAB, "CurrEstab")					\
	X(IN_SEGS, "InSegs")						\
	X(OUT_SEGS, "OutSegs")						\
	X(RETRANS_SEGS, "RetransSegs")					\
	X(IN_ERRS, "InErrs")						\
	X(OUT_RSTS, "OutRsts")						\
	X(SYNCOOKIES_SENT, "SyncookiesSent")				\
	X(SYNCOOKIES_RECV, "SyncookiesRecv")				\
	X(SYNCOOKIES_FAILED, "SyncookiesFailed")			\
	X(LISTEN_OVERFLOWS, "ListenOverflows")				\
	X(LISTEN_DROPS, "ListenDrops")					\
	X(TW, "TW")							\
	X(TW_REUSED, "TWReused")					\
	X(TW_OVERFLOW, "TWOverflow")					\
	X(ABORT_ON_TIMEOUT, "AbortOnTimeout")				\
	X(ABORT_ON_CLOSE, "AbortOnClose")				\
	X(ABORT_ON_DATA, "AbortOnData")					\
	X(ABORT_ON_LINGER, "AbortOnLinger")				\
	X(ABORT_ON_MEMORY, "AbortOnMemory")				\
	X(KEEPALIVE_PROBES, "KeepAliveProbes")				\
	X(CHALLENGE_ACKS, "ChallengeACKs")				\
	X(SYN_RETRANSMITS, "SynRetransmits")				\
	X(SYNACK_RETRANSMITS, "SynAckRetransmits")			\
	X(FIN_RETRANSMITS, "FinRetransmits")				\
	X(PAWS_REJECTED, "PAWSRejected")					\
	X(MIN_TTL_DROP, "MinTTLDrop")

enum at_mib {
#define AT_MIB_ENUM(id, name) AT_MIB_##id,
	AT_MIBS(AT_MIB_ENUM)
#undef AT_MIB_ENUM
	AT_MIB_MAX
};

/*
 * Why a state changed (and why an object died); names in at_reason_names.
 * Append only: the glue exports the numbers.
 */
#define AT_REASONS(X)							\
	X(NONE, "none")							\
	X(APP_CONNECT, "app_connect")					\
	X(APP_LISTEN, "app_listen")					\
	X(APP_CLOSE, "app_close")					\
	X(APP_SHUTDOWN, "app_shutdown")					\
	X(SYN_RECEIVED, "syn_received")					\
	X(SYNACK_RECEIVED, "synack_received")				\
	X(SIMULTANEOUS_OPEN, "simultaneous_open")			\
	X(HANDSHAKE_COMPLETE, "handshake_complete")			\
	X(COOKIE_ACK, "cookie_ack")					\
	X(FIN_RECEIVED, "fin_received")					\
	X(ACK_OF_FIN, "ack_of_fin")					\
	X(SYN_RETRIES_EXHAUSTED, "syn_retries_exhausted")		\
	X(SYNACK_RETRIES_EXHAUSTED, "synack_retries_exhausted")		\
	X(ORPHAN_RETRIES_EXHAUSTED, "orphan_retries_exhausted")		\
	X(RETRANSMIT_TIMEOUT, "retransmit_timeout")			\
	X(USER_TIMEOUT, "user_timeout")					\
	X(KEEPALIVE_TIMEOUT, "keepalive_timeout")			\
	X(FIN_TIMEOUT, "fin_timeout")					\
	X(TW_EXPIRED, "tw_expired")					\
	X(TW_OVERFLOW, "tw_overflow")					\
	X(TW_REUSED, "tw_reused")					\
	X(TW_KILLED_BY_RST, "tw_killed_by_rst")				\
	X(TW_NEW_SYN, "tw_new_syn")					\
	X(RST_RECEIVED, "rst_received")					\
	X(LINGER_ABORT, "linger_abort")					\
	X(CLOSE_UNREAD_DATA, "close_unread_data")			\
	X(LISTEN_OVERFLOW, "listen_overflow")				\
	X(LISTENER_CLOSED, "listener_closed")				\
	X(NO_MEMORY, "no_memory")					\
	X(BAD_ACK, "bad_ack")						\
	X(DATA_AFTER_CLOSE, "data_after_close")				\
	X(ADMIN_KILL, "admin_kill")

enum at_reason {
#define AT_REASON_ENUM(id, name) AT_R_##id,
	AT_REASONS(AT_REASON_ENUM)
#undef AT_REASON_ENUM
	AT_R_MAX
};

extern const char *const at_mib_names[AT_MIB_MAX];
extern const char *const at_reason_names[AT_R_MAX];
extern const char *const at_state_names[AT_STATE_MAX];

/* TCP header flags. */
#define AT_FIN	0x01
#define AT_SYN	0x02
#define AT_RST	0x04
#define AT_PSH	0x08
#define AT_ACK	0x10
#define AT_URG	0x20

/* Addresses are opaque 32-bit values (IPv4, network order) to the core. */
struct at_tuple {
	at_u32 laddr;
	at_u32 raddr;
	at_u16 lport;
	at_u16 rport;
};

#define AT_OPT_MSS	0x01
#define AT_OPT_WSCALE	0x02
#define AT_OPT_TS	0x04
#define AT_OPT_SACK_OK	0x08
#define AT_MAX_SACK	4

struct at_sack_block {
	at_u32 start;
	at_u32 end;
};

struct at_opts {
	at_u8 present;		/* AT_OPT_* */
	at_u8 wscale;
	at_u16 mss;
	at_u32 tsval;
	at_u32 tsecr;
	at_u8 nr_sack;
	struct at_sack_block sack[AT_MAX_SACK];
};

/* A received segment, as parsed by at_parse_tcp_header() + the glue. */
struct at_seg {
	struct at_tuple tuple;	/* from the receiver's point of view */
	at_u32 seq;
	at_u32 ack;
	at_u8 flags;
	at_u16 window;		/* unscaled, as on the wire */
	at_u16 urg;
	struct at_opts opt;
	const at_u8 *data;
	at_u32 len;
	/* Set by the glue when a TIME_WAIT entry let this SYN through. */
	at_bool has_isn_hint;
	at_u32 isn_hint;
};

/*
 * A segment to send: header fields plus up to two payload pieces.
 *
 * seg_size != 0 makes it a GSO super-segment of new data (never with SYN or
 * RST, never a retransmission): the payload is a whole multiple of seg_size
 * and stands for len / seg_size wire segments of seg_size bytes each, with
 * consecutive sequence numbers and the same header and options; PSH and FIN
 * belong on the last one only, as the kernel's tcp_gso_segment() does.  As
 * in Linux, a super-segment always carries PSH.
 */
struct at_out {
	struct at_tuple tuple;	/* local = source */
	at_u32 seq;
	at_u32 ack;
	at_u8 flags;
	at_u16 window;		/* already scaled down */
	struct at_opts opt;
	const at_u8 *data[2];
	at_u32 len[2];
	at_bool retransmit;
	at_u32 seg_size;	/* GSO: payload per wire segment; 0 = one */
	void *conn_glue;	/* glue pointer of the connection, if any */
};

struct at_conn;
struct at_req;
struct at_tw;

enum at_event_kind {
	AT_EV_STATE,		/* conn or req: old_state -> new_state, reason */
	AT_EV_READABLE,		/* conn: data or EOF to read */
	AT_EV_WRITABLE,		/* conn: send space available */
	AT_EV_ERROR,		/* conn: err is set (ECONNRESET, ETIMEDOUT..) */
	AT_EV_REQ_NEW,		/* listener made req: hash it */
	AT_EV_REQ_FREED,	/* req is about to be freed: unhash it */
	AT_EV_CHILD_NEW,	/* listener made conn (from req or a cookie):
				 * hash conn in req's place */
	AT_EV_ACCEPT_READY,	/* listener has conn on its accept queue */
	AT_EV_TW_ENTER,		/* conn becomes tw: rehash tw in its place */
	AT_EV_TW_FREED,		/* tw is about to be freed: unhash it */
	AT_EV_CONN_FREED,	/* conn is about to be freed: unhash it */
	AT_EV_ROUTE_ADVICE,	/* retries1 exceeded: re-validate the route */
};

struct at_event {
	enum at_event_kind kind;
	struct at_conn *conn;
	struct at_conn *listener;
	struct at_req *req;
	struct at_tw *tw;
	void *conn_glue;
	at_u8 old_state;
	at_u8 new_state;
	at_u16 reason;		/* enum at_reason */
	int err;
};

/*
 * Per-connection or per-listener overrides of the netns parameters
 * (TCP_SYNCNT, TCP_LINGER2, TCP_KEEPIDLE ...).  AT_UNSET means "use the
 * netns value"; children inherit their listener's overrides.
 */
#define AT_UNSET (-0x7fffffff - 1)
struct at_overrides {
	int syn_retries;
	int synack_retries;
	int orphan_retries;
	int tw_timeout;		/* seconds */
	int linger2;		/* seconds; < 0: no FIN_WAIT_2 for orphans */
	int keepalive_time;	/* seconds */
	int keepalive_intvl;	/* seconds */
	int keepalive_probes;
	int user_timeout_ms;	/* 0: off */
};

/* Per-netns (per-ctx) state; the glue embeds and owns it. */
struct at_ctx {
	const struct at_params *params;
	const struct at_ops *ops;
	void *glue;
	at_u64 mib[AT_MIB_MAX];
	at_u64 isn_key[2];
	at_u64 ts_key[2];
	at_u64 cookie_key[2][2];
	/* Accounting of objects the glue keeps in its tables. */
	at_u32 tw_count;
	at_u32 req_count;
	at_u32 orphan_count;
	/* RFC 5961 challenge ACK limit: count per one-second window. */
	at_u32 challenge_limit;
	at_u32 challenge_count;
	at_u64 challenge_window;
};

/* Per-connection settings fixed at creation. */
struct at_conn_cfg {
	at_u32 sndbuf;		/* bytes of send ring */
	at_u32 rcvbuf;		/* bytes of receive ring: SO_RCVBUF */
	at_bool rcvbuf_locked;	/* set by the application: caps the scale */
	at_u32 rmem_max;	/* net.core.rmem_max: sizes the scale */
	at_u16 mtu;		/* route MTU: clamps our MSS */
	at_bool loopback;	/* for tw_reuse = 2 */
	/*
	 * Largest payload of one GSO super-segment (struct at_out.seg_size)
	 * the glue can send on this route; below two MSS, or 0: no GSO.
	 */
	at_u32 gso_max;
};

enum at_timer_kind {
	AT_TIMER_NONE,
	AT_TIMER_RETRANSMIT,
	AT_TIMER_PERSIST,
	AT_TIMER_DELACK,
	AT_TIMER_KEEPALIVE,
	AT_TIMER_FIN_WAIT2,
	AT_TIMER_TIME_WAIT,
};

/* Observability snapshot (ss -tani). */
struct at_conn_info {
	struct at_tuple tuple;
	at_u8 state;
	at_u8 timer;		/* enum at_timer_kind of the earliest timer */
	at_u64 timer_expires;	/* absolute us, 0 if none */
	at_u32 rx_queue;	/* bytes received not read (or accept queue) */
	at_u32 tx_queue;	/* bytes queued not acked (or backlog) */
	at_u32 syn_queue;	/* listener: request entries */
	at_u32 listen_overflows; /* listener: accept queue was full */
	at_u32 listen_drops;	/* listener: SYNs and ACKs dropped */
	at_u32 retransmits;	/* consecutive timeouts */
	at_u32 total_retrans;
	at_u32 probes;
	at_u32 rto_us;
	at_u32 rtt_us;
	at_u32 rttvar_us;
	at_u32 cwnd;		/* bytes */
	at_u32 ssthresh;	/* bytes */
	at_u32 snd_mss;
	at_u32 rcv_mss;
	at_u8 snd_wscale;
	at_u8 rcv_wscale;
	at_bool ts_ok;
	at_bool sack_ok;
	at_bool orphan;
	at_u32 snd_wnd;
	at_u32 rcv_wnd;
	at_u64 bytes_acked;
	at_u64 bytes_received;
	at_u64 segs_in;
	at_u64 segs_out;
	int err;
};

/* ctx */
void at_ctx_init(struct at_ctx *ctx, const struct at_params *params,
		 const struct at_ops *ops, void *glue);

/* Header helpers shared by the glue and the tests. */
int at_parse_tcp_header(const at_u8 *buf, at_u32 len, struct at_seg *seg);
int at_write_tcp_header(const struct at_out *out, at_u8 *buf, at_u32 size);

/*
 * Connections.  at_conn_new() allocates a CLOSED connection with its rings
 * (NULL on allocation failure); at_connect() sends the SYN, at_listen()
 * makes it a listener (backlog capped by somaxconn).  at_send() copies into
 * the send ring and returns the bytes taken (-AT_EAGAIN when full);
 * at_recv() returns bytes, 0 at EOF, -AT_EAGAIN or -error (len 0 answers
 * 0 exactly at end of stream, with no data left to read); after a peek,
 * at_recv_consume() drops the bytes the application took.  at_close()
 * gives the handle back: the core frees the connection when it is done
 * (AT_EV_CONN_FREED); at_conn_destroy() frees at once, silently.
 */
struct at_conn *at_conn_new(struct at_ctx *ctx, const struct at_tuple *t,
			    const struct at_conn_cfg *cfg, void *glue);
void at_conn_set_glue(struct at_conn *c, void *glue);
void *at_conn_glue(const struct at_conn *c);
int at_connect(struct at_conn *c, at_u64 now);
int at_connect_reuse_tw(struct at_conn *c, struct at_tw *tw, at_u64 now);
int at_listen(struct at_conn *c, int backlog, at_u64 now);
struct at_conn *at_accept(struct at_conn *listener);
/* at_send() flags: MSG_MORE, more data follows (hold a partial tail). */
#define AT_SEND_MORE	0x1
long at_send(struct at_conn *c, const void *data, at_u32 len,
	     unsigned int flags, at_u64 now);
long at_recv(struct at_conn *c, void *buf, at_u32 len, at_bool peek,
	     at_u64 now);
void at_recv_consume(struct at_conn *c, at_u32 len, at_u64 now);
#define AT_SHUT_RD	0
#define AT_SHUT_WR	1
#define AT_SHUT_RDWR	2
int at_shutdown(struct at_conn *c, int how, at_u64 now);
void at_close(struct at_conn *c, at_u64 now);
void at_conn_destroy(struct at_conn *c);
/* Reset a connection from outside, as `ss -K`: RST, then ECONNABORTED. */
int at_kill(struct at_conn *c, at_u64 now);
void at_set_nodelay(struct at_conn *c, at_bool on, at_u64 now);
void at_set_cork(struct at_conn *c, at_bool on, at_u64 now);
void at_set_keepalive(struct at_conn *c, at_bool on, at_u64 now);
void at_set_linger(struct at_conn *c, at_bool onoff, int secs);
void at_set_overrides(struct at_conn *c, const struct at_overrides *o,
		      at_u64 now);
void at_overrides_unset(struct at_overrides *o);
int at_conn_state(const struct at_conn *c);
int at_conn_error(const struct at_conn *c);
at_u32 at_conn_readable(const struct at_conn *c);
at_u32 at_conn_send_space(const struct at_conn *c);
/* True once our FIN is acked or the connection is gone (linger waits). */
at_bool at_conn_linger_done(const struct at_conn *c);
void at_conn_info(const struct at_conn *c, at_u64 now,
		  struct at_conn_info *info);
void at_tw_info(const struct at_tw *tw, at_u64 now,
		struct at_conn_info *info);
void at_req_info(const struct at_req *r, at_u64 now,
		 struct at_conn_info *info);

/*
 * Input and timers.  seg may be modified (a SYN+ACK in SYN_RECV has its SYN
 * stripped).  poll_at is the absolute time the object next needs its timer
 * entry point, 0 for never; recompute it after every call into the core.
 */
void at_conn_input(struct at_conn *c, struct at_seg *seg, at_u64 now);
at_u64 at_conn_poll_at(const struct at_conn *c);
void at_conn_timer(struct at_conn *c, at_u64 now);

/* Nothing matched the segment: answer per RFC 9293 (RST unless RST). */
void at_input_no_conn(struct at_ctx *ctx, const struct at_seg *seg);

/* SYN_RECV request entries */
void at_req_input(struct at_req *r, struct at_seg *seg, at_u64 now);
at_u64 at_req_poll_at(const struct at_req *r);
void at_req_timer(struct at_req *r, at_u64 now);
const struct at_tuple *at_req_tuple(const struct at_req *r);

/* Compact TIME_WAIT entries */
enum at_tw_verdict {
	AT_TW_DONE,		/* segment consumed */
	AT_TW_SYN_OK,		/* new SYN may reuse the tuple: glue frees the
				 * entry (at_tw_kill) and hands the SYN to the
				 * listener with seg->isn_hint set */
};
enum at_tw_verdict at_tw_input(struct at_tw *tw, struct at_seg *seg,
			       at_u64 now);
at_u64 at_tw_poll_at(const struct at_tw *tw);
void at_tw_timer(struct at_tw *tw, at_u64 now);
void at_tw_kill(struct at_tw *tw, enum at_reason reason);
at_bool at_tw_can_reuse(const struct at_tw *tw, at_u64 now,
			at_bool loopback);
const struct at_tuple *at_tw_tuple(const struct at_tw *tw);

/* Building blocks exposed for tests and the glue. */
at_u64 at_siphash(const at_u64 key[2], const void *data, at_usize len);
at_u32 at_isn(struct at_ctx *ctx, const struct at_tuple *t, at_u64 now);

/* Sizes of the three object kinds (for the benchmark and DESIGN.md). */
at_usize at_sizeof_conn(void);
at_usize at_sizeof_req(void);
at_usize at_sizeof_tw(void);

#ifdef __cplusplus
}
#endif

#endif /* _ALTTCP_CORE_H */
