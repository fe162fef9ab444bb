/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the core shared between its files.  Not for the glue: the
 * glue only sees alttcp_core.h.  The tests include this for the sizes of the
 * object kinds and for white-box checks.
 */
#ifndef _ALTTCP_CORE_INTERNAL_H
#define _ALTTCP_CORE_INTERNAL_H

#include "alttcp_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Counters may be bumped from several CPUs at once in the kernel. */
#define AT_INC(ctx, id) \
	__atomic_fetch_add(&(ctx)->mib[AT_MIB_##id], 1, __ATOMIC_RELAXED)
#define AT_DEC(ctx, id) \
	__atomic_fetch_sub(&(ctx)->mib[AT_MIB_##id], 1, __ATOMIC_RELAXED)
#define AT_ADD(ptr, v) __atomic_fetch_add((ptr), (v), __ATOMIC_RELAXED)

/* A listener's overflows and drops count for the netns and for itself. */
#define AT_LISTEN_OVERFLOW(l)					\
	do {							\
		AT_INC((l)->ctx, LISTEN_OVERFLOWS);		\
		(l)->listen_overflows++;			\
	} while (0)
#define AT_LISTEN_DROP(l)					\
	do {							\
		AT_INC((l)->ctx, LISTEN_DROPS);			\
		(l)->listen_drops++;				\
	} while (0)
#define AT_SUB(ptr, v) __atomic_fetch_sub((ptr), (v), __ATOMIC_RELAXED)

#define AT_DEFAULT_MSS		536	/* RFC 9293: peer sent no MSS */
#define AT_TS_OPT_LEN		12	/* aligned timestamp option */
#define AT_SACK_OPT_BASE	4	/* NOP, NOP, kind, length */
#define AT_SACK_BLOCK_LEN	8
#define AT_MAX_WSCALE		14
#define AT_MAX_SCALED_WINDOW	(65535U << AT_MAX_WSCALE)
#define AT_DELACK_US		(40 * AT_USEC_PER_MSEC)
#define AT_INIT_CWND_SEGS	10	/* RFC 6928 */
#define AT_DUPTHRESH		3
#define AT_OOO_MAX		8	/* out-of-order ranges kept */
#define AT_SB_MAX		8	/* SACK scoreboard ranges */
#define AT_PAWS_IDLE_US		(24ULL * 24 * 3600 * AT_USEC_PER_SEC)
/* Timestamp ticks (ms) an older one may lag behind ts_recent. */
#define AT_PAWS_WINDOW		1
#define AT_TW_REUSE_US		AT_USEC_PER_SEC
#define AT_CHALLENGE_LIMIT	1000	/* per second per ctx */
#define AT_DEFAULT_BUF		(256 * 1024)
#define AT_OOW_RATELIMIT_US	(500 * AT_USEC_PER_MSEC)

/* A byte ring: len bytes starting at head. */
struct at_ring {
	at_u8 *buf;
	at_u32 size;
	at_u32 head;
	at_u32 len;
};

struct at_conn {
	struct at_ctx *ctx;
	void *glue;
	struct at_tuple tuple;
	at_u8 state;
	at_u8 snd_wscale;	/* peer's shift, applied to its windows */
	at_u8 rcv_wscale;	/* our shift */
	at_u8 nr_ooo;
	unsigned int orphan:1, nodelay:1, keepalive:1, shut_rd:1, shut_wr:1,
		ts_ok:1, sack_ok:1, ws_ok:1, loopback:1, linger_on:1,
		in_recovery:1, rcv_fin:1, rcv_fin_pending:1, rtt_pending:1,
		persist:1, accepted:1, quick_ack:1, fin_acked:1, rst_sent:1,
		ts_want:1, sack_want:1, ws_want:1, iss_set:1,
		dead:1, fin_sent:1, from_cookie:1, syn_acked:1,
		cork:1, cork_pushed:1, send_more:1;
	/*
	 * cork: TCP_CORK.  cork_pushed: TCP_NODELAY pushed what was queued
	 * past the cork (until the next write).  send_more: the last write had
	 * MSG_MORE, so its tail carries no PSH (as Linux's tcp_push()).
	 */
	int err;
	int linger_secs;
	struct at_overrides ov;

	/* send side */
	at_u32 iss;
	at_u32 snd_una;
	at_u32 snd_nxt;
	at_u32 snd_max;		/* highest sequence sent + 1 */
	at_u32 snd_wnd;		/* bytes, scaled */
	at_u32 snd_wl1;
	at_u32 snd_wl2;
	at_u32 max_window;
	at_u32 snd_buf_seq;	/* sequence of snd_ring's first byte */
	struct at_ring snd_ring;
	at_u32 snd_mss;		/* payload bytes per segment */
	at_u32 peer_mss;
	at_u32 adv_mss;

	/* receive side */
	at_u32 irs;
	at_u32 rcv_nxt;
	at_u32 rcv_adv;		/* right edge of the window we announced */
	at_u32 rcv_fin_seq;
	at_u32 last_ack_sent;
	at_u32 rcv_unacked;	/* bytes received since our last ACK */
	struct at_ring rcv_ring;
	struct at_sack_block ooo[AT_OOO_MAX];
	at_u8 ooo_recent;	/* index of the range last touched */

	/* timestamps (RFC 7323) */
	at_u32 ts_recent;
	at_u32 ts_off;
	at_u64 ts_recent_stamp;

	/* SACK scoreboard of the peer's blocks above snd_una */
	at_u8 nr_sacked;
	struct at_sack_block sacked[AT_SB_MAX];
	at_u32 rtx_next;	/* recovery: holes below are retransmitted */

	/* congestion control (NewReno, RFC 5681/6582) */
	at_u32 cwnd;
	at_u32 ssthresh;
	at_u32 recover;
	at_u32 dupacks;
	at_u32 ca_acked;	/* congestion avoidance: bytes toward +1 MSS */

	/* RTT and RTO (RFC 6298), microseconds */
	at_u32 srtt;
	at_u32 rttvar;
	at_u32 rto;
	at_u32 rtt_seq;
	at_u64 rtt_time;

	/* timers: absolute microseconds, 0 = off */
	at_u64 rtx_at;		/* retransmit or persist */
	at_u64 delack_at;
	at_u64 ka_at;
	at_u64 state_at;	/* FIN_WAIT_2 or TIME_WAIT deadline */
	at_u64 last_rcv;
	at_u64 cookie_stamp;	/* listener: last SYN cookie sent */
	at_u64 last_oow_ack;	/* rate limit of out-of-window answers */
	at_u64 una_stamp;	/* when the oldest unacked byte was sent */
	at_u32 retransmits;
	at_u32 probes_out;
	at_u32 total_retrans;

	/* listener */
	int backlog;
	at_u32 syn_qlen;
	at_u32 acc_len;
	at_u32 listen_overflows;	/* this listener's share of the MIBs */
	at_u32 listen_drops;
	struct at_req *req_head;
	struct at_conn *acc_head;
	struct at_conn *acc_tail;
	struct at_conn *acc_next;
	struct at_conn *listener;	/* child not yet accepted */

	struct at_conn_cfg cfg;

	at_u64 bytes_acked;
	at_u64 bytes_received;
	at_u64 segs_in;
	at_u64 segs_out;
};

/* A SYN_RECV request entry: just enough to answer the final ACK. */
struct at_req {
	struct at_conn *listener;
	struct at_req *next;
	struct at_req *prev;
	at_u64 deadline;
	struct at_tuple tuple;
	at_u32 iss;
	at_u32 irs;
	at_u32 ts_recent;
	at_u32 ts_off;
	at_u16 peer_mss;
	at_u8 snd_wscale;
	at_u8 rcv_wscale;
	at_u8 retrans;
	unsigned char ts_ok:1, sack_ok:1, ws_ok:1, sent:1;
	at_u32 sent_us;		/* first SYN+ACK, low bits: RTT sample */
};

/* A compact TIME_WAIT entry (or orphaned FIN_WAIT_2 would fit too). */
struct at_tw {
	struct at_ctx *ctx;
	at_u64 deadline;
	struct at_tuple tuple;
	at_u32 snd_nxt;
	at_u32 rcv_nxt;
	at_u32 ts_recent;
	at_u32 ts_off;
	at_u32 ts_recent_ms;	/* when ts_recent was taken, ms */
	at_u32 timeout_sec;	/* tw_timeout in force, for restarts */
	at_u16 rcv_wnd;		/* already scaled */
	at_u8 loopback;
	at_u8 ts_ok;
};

/* ring.c */
int at_ring_alloc(struct at_ctx *ctx, struct at_ring *r, at_u32 size);
int at_ring_reserve(struct at_ctx *ctx, struct at_ring *r);
void at_ring_free(struct at_ctx *ctx, struct at_ring *r);
at_u32 at_ring_free_space(const struct at_ring *r);
at_u32 at_ring_push(struct at_ring *r, const void *data, at_u32 len);
void at_ring_write_at(struct at_ring *r, at_u32 off, const void *data,
		      at_u32 len);
at_u32 at_ring_peek(const struct at_ring *r, at_u32 off, void *buf,
		    at_u32 len);
void at_ring_pop(struct at_ring *r, at_u32 len);
void at_ring_pieces(const struct at_ring *r, at_u32 off, at_u32 len,
		    const at_u8 **p, at_u32 *l);

/* conn.c */
void at_set_state(struct at_conn *c, int state, enum at_reason reason);
void at_conn_done(struct at_conn *c, enum at_reason reason, int err);
void at_conn_abort(struct at_conn *c, enum at_reason reason, int err,
		   at_bool send_rst, at_u64 now);
void at_event_conn(struct at_conn *c, enum at_event_kind kind);
void at_conn_free(struct at_conn *c);
struct at_conn *at_conn_alloc(struct at_ctx *ctx, const struct at_tuple *t,
			      const struct at_conn_cfg *cfg);
int at_conn_get_param(const struct at_conn *c, int ov, int param);
at_bool at_seq_acceptable(const struct at_conn *c, const struct at_seg *seg);
void at_enter_time_wait(struct at_conn *c, enum at_reason reason,
			at_u64 now);
void at_conn_established(struct at_conn *c, at_u64 now);
void at_conn_init_mss(struct at_conn *c);
void at_conn_release(struct at_conn *c);
at_u32 at_fin_seq(const struct at_conn *c);
void at_fin_in(struct at_conn *c, at_u64 now);
void at_tw_full_input(struct at_conn *c, struct at_seg *seg, at_u64 now);

/* input.c */
void at_conn_input_sync(struct at_conn *c, struct at_seg *seg, at_u64 now);
void at_syn_sent_input(struct at_conn *c, struct at_seg *seg, at_u64 now);

/* output.c */
void at_out_init(const struct at_conn *c, struct at_out *out);
void at_emit(struct at_ctx *ctx, struct at_out *out);
void at_emit_conn(struct at_conn *c, struct at_out *out, at_u64 now);
void at_output(struct at_conn *c, at_u64 now);
void at_output_more(struct at_conn *c, at_u64 now);
void at_send_ack(struct at_conn *c, at_u64 now);
void at_send_syn(struct at_conn *c, at_u64 now);
void at_send_rst_conn(struct at_conn *c, at_u64 now);
void at_send_rst_reply(struct at_ctx *ctx, const struct at_seg *seg);
void at_send_challenge_ack(struct at_conn *c, at_u64 now);
void at_send_dupack(struct at_conn *c, const struct at_seg *seg, at_u64 now);
at_bool at_challenge_allowed(struct at_ctx *ctx, at_u64 now);
at_u16 at_rcv_window(struct at_conn *c, at_bool syn);
at_u16 at_syn_window(const struct at_conn_cfg *cfg, at_u32 mss);
at_u8 at_pick_wscale(const struct at_params *p, const struct at_conn_cfg *cfg);

/* The segment a SYN-ACK's window is counted in: Linux leaves room for TSopt. */
static inline at_u32 at_synack_mss(at_u32 adv_mss, at_bool ts_ok)
{
	return ts_ok && adv_mss > AT_TS_OPT_LEN ? adv_mss - AT_TS_OPT_LEN :
						 adv_mss;
}
at_u32 at_ts_now(at_u64 now, at_u32 off);
void at_schedule_ack(struct at_conn *c, at_u64 now);
/* at_send_segment() how: a resend; PSH whatever follows (a window probe). */
#define AT_SEG_RETRANS	0x1
#define AT_SEG_PUSH	0x2
at_u32 at_send_segment(struct at_conn *c, at_u32 seq, at_u32 max,
		       unsigned int how, at_u64 now);
at_u32 at_out_segs(const struct at_out *out);

/* options.c */
at_u32 at_opts_len(const struct at_opts *o);

/* rtx.c */
void at_rtt_sample(struct at_conn *c, at_u32 rtt_us);
void at_rto_init(struct at_conn *c);
void at_rearm_rtx(struct at_conn *c, at_u64 now);
void at_ack_received(struct at_conn *c, const struct at_seg *seg,
		     at_u64 now);
void at_rtx_timeout(struct at_conn *c, at_u64 now);
at_u32 at_in_flight(const struct at_conn *c);

/* sack.c */
void at_sack_update(struct at_conn *c, const struct at_seg *seg);
void at_sack_trim(struct at_conn *c);
at_u32 at_sack_pipe(const struct at_conn *c);
at_u32 at_unsacked_bytes(const struct at_conn *c, at_u32 from, at_u32 to);
at_bool at_sack_next_hole(struct at_conn *c, at_u32 *start, at_u32 *len);
at_bool at_seq_sacked(const struct at_conn *c, at_u32 seq, at_u32 *end);

/* cc.c */
void at_cc_dupack(struct at_conn *c, at_u64 now);
void at_cc_new_ack(struct at_conn *c, at_u32 acked, at_u64 now);

/* reass.c */
void at_rcv_data(struct at_conn *c, const struct at_seg *seg, at_u64 now);
at_u8 at_sack_blocks(const struct at_conn *c, struct at_sack_block *b,
		     at_u8 max);

/* timer.c */
void at_arm_keepalive(struct at_conn *c, at_u64 now);
at_u64 at_backoff(const struct at_conn *c, at_u32 base_us, at_u32 n);

/* listen.c */
at_u16 at_req_window(const struct at_req *r);
at_bool at_overflow_on_ack(struct at_conn *l, const struct at_seg *seg);
void at_child_start(struct at_conn *l, struct at_req *r, struct at_conn *c,
		    struct at_seg *seg, at_u64 now);
void at_listen_input(struct at_conn *l, struct at_seg *seg, at_u64 now);
void at_listen_stop(struct at_conn *l, at_u64 now);
int at_accept_queue_full(const struct at_conn *l);
void at_accept_enqueue(struct at_conn *l, struct at_conn *c);
struct at_conn *at_child_create(struct at_conn *l, const struct at_seg *seg,
				const struct at_req *r, at_u64 now);

/* req.c */
void at_req_send_synack(struct at_req *r, at_bool retrans, at_u64 now);
void at_req_free(struct at_req *r, enum at_reason reason);
void at_synack_build(const struct at_req *r, struct at_out *out, at_u64 now);
void at_req_from_syn(struct at_req *r, struct at_conn *l,
		     const struct at_seg *seg, at_u64 now);
void at_req_queue(struct at_conn *l, const struct at_seg *seg, at_u64 now);

/* cookie.c */
at_u32 at_cookie_make(struct at_ctx *ctx, const struct at_tuple *t,
		      at_u32 irs, at_u16 mss, at_u64 now, at_u16 *mss_out);
int at_cookie_check(struct at_ctx *ctx, const struct at_tuple *t,
		    at_u32 irs, at_u32 cookie, at_u64 now);
at_u32 at_cookie_ts(at_u64 now, at_u32 ts_off, const struct at_req *r);
void at_cookie_ts_decode(at_u32 tsecr, struct at_req *r);
extern const at_u16 at_cookie_mss_table[4];

/* isn.c */
at_u32 at_ts_offset(struct at_ctx *ctx, const struct at_tuple *t);

/* tw.c */
struct at_tw *at_tw_create(struct at_conn *c, at_u64 now);
void at_tw_fill(struct at_tw *tw, const struct at_conn *c, at_u64 now);

#ifdef __cplusplus
}
#endif

#endif /* _ALTTCP_CORE_INTERNAL_H */
