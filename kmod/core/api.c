// SPDX-License-Identifier: GPL-2.0
/*
 * The application side: what the glue's socket calls map to.  Blocking is
 * the glue's business; these calls never wait and report -AT_EAGAIN.
 */
#include "at_internal.h"

static void start_seq(struct at_conn *c, at_u64 now)
{
	if (!c->iss_set)
		c->iss = at_isn(c->ctx, &c->tuple, now);
	c->snd_una = c->iss;
	c->snd_nxt = c->iss;
	c->snd_max = c->iss;
	c->snd_buf_seq = c->iss + 1;
	c->recover = c->iss;
}

int at_connect(struct at_conn *c, at_u64 now)
{
	if (c->state != AT_CLOSED || c->err)
		return -AT_EISCONN;
	start_seq(c, now);
	at_set_state(c, AT_SYN_SENT, AT_R_APP_CONNECT);
	AT_INC(c->ctx, ACTIVE_OPENS);
	c->rtt_time = now;
	c->una_stamp = now;
	at_send_syn(c, now);
	c->rtx_at = now + c->rto;
	return 0;
}

int at_connect_reuse_tw(struct at_conn *c, struct at_tw *tw, at_u64 now)
{
	if (c->state != AT_CLOSED)
		return -AT_EISCONN;
	if (!at_tw_can_reuse(tw, now, c->loopback))
		return -AT_EADDRNOTAVAIL;
	c->iss = tw->snd_nxt + 65535 + 2;
	c->iss_set = 1;
	AT_INC(c->ctx, TW_REUSED);
	at_tw_kill(tw, AT_R_TW_REUSED);
	return at_connect(c, now);
}

int at_listen(struct at_conn *c, int backlog, at_u64 now)
{
	int somaxconn = c->ctx->params->somaxconn;

	(void)now;
	if (c->state != AT_CLOSED && c->state != AT_LISTEN)
		return -AT_EINVAL;
	c->backlog = AT_MIN(backlog, somaxconn);
	if (c->state == AT_LISTEN)
		return 0;
	/* A listener moves no data: give the rings back. */
	at_ring_free(c->ctx, &c->snd_ring);
	at_ring_free(c->ctx, &c->rcv_ring);
	at_set_state(c, AT_LISTEN, AT_R_APP_LISTEN);
	return 0;
}

static at_bool send_state_ok(const struct at_conn *c)
{
	return c->state == AT_ESTABLISHED || c->state == AT_CLOSE_WAIT ||
	       c->state == AT_SYN_SENT || c->state == AT_SYN_RECV;
}

long at_send(struct at_conn *c, const void *data, at_u32 len,
	     unsigned int flags, at_u64 now)
{
	at_u32 n;

	if (c->err)
		return -c->err;
	if (c->state == AT_LISTEN || (c->state == AT_CLOSED && !c->shut_wr))
		return -AT_ENOTCONN;
	if (c->shut_wr || !send_state_ok(c))
		return -AT_EPIPE;
	if (len && at_ring_reserve(c->ctx, &c->snd_ring))
		return -AT_ENOMEM;
	n = at_ring_push(&c->snd_ring, data, len);
	if (!n && len)
		return -AT_EAGAIN;
	if (n)
		c->cork_pushed = 0;
	c->send_more = !!(flags & AT_SEND_MORE);
	if (c->send_more)
		at_output_more(c, now);
	else
		at_output(c, now);
	return n;
}

/*
 * After a read, as Linux's tcp_cleanup_rbuf(): tell the peer only once what
 * it may still send has fallen to half of the most we offer, and the read
 * at least doubled it.  RFC 9293's SWS rule (an update each MSS the window
 * opens) leaves the choice; Linux's sends far fewer pure ACKs.
 */
static void window_update(struct at_conn *c, at_u64 now)
{
	at_u32 old = at_seq_gt(c->rcv_adv, c->rcv_nxt) ?
		     c->rcv_adv - c->rcv_nxt : 0;
	at_u32 now_wnd = (at_u32)at_rcv_window(c, 0) << c->rcv_wscale;

	if (c->state != AT_ESTABLISHED && c->state != AT_FIN_WAIT1 &&
	    c->state != AT_FIN_WAIT2)
		return;
	if (2 * old <= c->rcv_ring.size && now_wnd && now_wnd >= 2 * old)
		at_send_ack(c, now);
}

/*
 * The application took LEN of the bytes a peek showed it: the glue peeks,
 * copies to user memory that may fault, then consumes only what arrived,
 * so a bad buffer loses no data.
 */
void at_recv_consume(struct at_conn *c, at_u32 len, at_u64 now)
{
	if (!len || !c->rcv_ring.len)
		return;
	at_ring_pop(&c->rcv_ring, len);
	window_update(c, now);
}

long at_recv(struct at_conn *c, void *buf, at_u32 len, at_bool peek,
	     at_u64 now)
{
	at_u32 n;

	if (c->state == AT_LISTEN)
		return -AT_ENOTCONN;
	/* A zero-length read probes for end of stream: data is not EOF. */
	if (!len && c->rcv_ring.len)
		return -AT_EAGAIN;
	n = at_ring_peek(&c->rcv_ring, 0, buf, len);
	if (n) {
		if (!peek)
			at_recv_consume(c, n, now);
		return n;
	}
	/* Linux's tcp_recvmsg() order: the peer's FIN, an error, SHUT_RD. */
	if (c->rcv_fin)
		return 0;
	if (c->err)
		return -c->err;
	if (c->shut_rd || c->state == AT_CLOSED)
		return 0;
	return -AT_EAGAIN;
}

/* Queue the FIN behind the data already queued (C13). */
static void close_send_side(struct at_conn *c, enum at_reason reason,
			    at_u64 now)
{
	c->shut_wr = 1;
	switch (c->state) {
	case AT_SYN_SENT:
		at_conn_done(c, reason, 0);
		return;
	case AT_SYN_RECV:
	case AT_ESTABLISHED:
		at_set_state(c, AT_FIN_WAIT1, reason);
		break;
	case AT_CLOSE_WAIT:
		at_set_state(c, AT_LAST_ACK, reason);
		break;
	default:
		return;
	}
	at_output(c, now);
}

int at_shutdown(struct at_conn *c, int how, at_u64 now)
{
	if (how < AT_SHUT_RD || how > AT_SHUT_RDWR)
		return -AT_EINVAL;
	if (c->state == AT_LISTEN || c->state == AT_CLOSED)
		return -AT_ENOTCONN;
	if (c->state == AT_SYN_SENT) {
		/*
		 * As Linux's inet_shutdown(): any shutdown of a connecting
		 * socket disconnects it, silently, and the connect() that
		 * waits sees ECONNRESET.
		 */
		c->shut_wr = 1;
		at_conn_done(c, AT_R_APP_SHUTDOWN, AT_ECONNRESET);
		at_conn_release(c);
		return 0;
	}
	if (how != AT_SHUT_WR) {
		/* As Linux: what is queued, or arrives later, stays readable. */
		c->shut_rd = 1;
		at_event_conn(c, AT_EV_READABLE);
	}
	if (how != AT_SHUT_RD && !c->shut_wr)
		close_send_side(c, AT_R_APP_SHUTDOWN, now);
	at_conn_release(c);
	return 0;
}

static void orphan_fin_wait2(struct at_conn *c, at_u64 now)
{
	int linger2 = at_conn_get_param(c, c->ov.linger2,
					c->ctx->params->fin_timeout);

	if (linger2 < 0) {
		AT_INC(c->ctx, ABORT_ON_LINGER);
		at_conn_abort(c, AT_R_FIN_TIMEOUT, 0, 1, now);
		return;
	}
	if (!c->state_at)
		c->state_at = now + (at_u64)linger2 * AT_USEC_PER_SEC;
}

/* The application lets go; an orphan (C4/C5) lives on until it is done. */
static void close_conn(struct at_conn *c, at_u64 now)
{
	const struct at_params *p = c->ctx->params;

	c->orphan = 1;
	AT_ADD(&c->ctx->orphan_count, 1);
	if (c->rcv_ring.len) {
		AT_INC(c->ctx, ABORT_ON_CLOSE);
		at_conn_abort(c, AT_R_CLOSE_UNREAD_DATA, 0, 1, now);
	} else if (c->linger_on && !c->linger_secs) {
		AT_INC(c->ctx, ABORT_ON_DATA);
		at_conn_abort(c, AT_R_LINGER_ABORT, 0, 1, now);
	} else if (c->ctx->orphan_count > (at_u32)p->max_orphans) {
		AT_INC(c->ctx, ABORT_ON_MEMORY);
		at_conn_abort(c, AT_R_NO_MEMORY, 0, 1, now);
	} else if (c->state == AT_FIN_WAIT2) {
		orphan_fin_wait2(c, now);
	} else if (!c->shut_wr || c->state == AT_SYN_SENT) {
		close_send_side(c, AT_R_APP_CLOSE, now);
	}
}

void at_close(struct at_conn *c, at_u64 now)
{
	if (c->state == AT_LISTEN) {
		at_listen_stop(c, now);
		at_set_state(c, AT_CLOSED, AT_R_APP_CLOSE);
		c->dead = 1;
	} else if (c->state == AT_CLOSED) {
		c->dead = 1;
	} else if (c->state == AT_TIME_WAIT) {
		c->orphan = 1;
		AT_ADD(&c->ctx->orphan_count, 1);
		if (at_tw_create(c, now)) {
			c->state = AT_CLOSED;	/* the entry owns the count */
		} else {
			AT_INC(c->ctx, TW_OVERFLOW);
			at_conn_done(c, AT_R_TW_OVERFLOW, 0);
		}
		c->dead = 1;
	} else {
		close_conn(c, now);
	}
	if (c->state == AT_CLOSED)
		c->dead = 1;
	at_conn_release(c);
}

/* As Linux, setting TCP_NODELAY pushes what is queued, corked or not. */
void at_set_nodelay(struct at_conn *c, at_bool on, at_u64 now)
{
	c->nodelay = !!on;
	if (on)
		c->cork_pushed = 1;
	if (on && c->state != AT_LISTEN)
		at_output(c, now);
}

void at_set_cork(struct at_conn *c, at_bool on, at_u64 now)
{
	c->cork = !!on;
	if (!on && c->state != AT_LISTEN)
		at_output(c, now);
}

void at_set_keepalive(struct at_conn *c, at_bool on, at_u64 now)
{
	c->keepalive = !!on;
	c->probes_out = 0;
	c->ka_at = 0;
	at_arm_keepalive(c, now);
}

void at_set_linger(struct at_conn *c, at_bool onoff, int secs)
{
	c->linger_on = !!onoff;
	c->linger_secs = secs < 0 ? 0 : secs;
}

void at_set_overrides(struct at_conn *c, const struct at_overrides *o,
		      at_u64 now)
{
	c->ov = *o;
	c->ka_at = 0;
	at_arm_keepalive(c, now);
}

int at_conn_state(const struct at_conn *c)
{
	return c->state;
}

int at_conn_error(const struct at_conn *c)
{
	return c->err;
}

at_u32 at_conn_readable(const struct at_conn *c)
{
	return c->rcv_ring.len;
}

at_u32 at_conn_send_space(const struct at_conn *c)
{
	return at_ring_free_space(&c->snd_ring);
}

at_bool at_conn_linger_done(const struct at_conn *c)
{
	return c->fin_acked || c->state == AT_CLOSED ||
	       c->state == AT_TIME_WAIT || c->state == AT_FIN_WAIT2;
}

/*
 * Free a connection now, without a word on the wire: for the glue's
 * namespace teardown (and the simulator's).  A listener drops its requests
 * and lets go of its unaccepted children, which the glue destroys in turn.
 */
void at_conn_destroy(struct at_conn *c)
{
	struct at_conn *l = c->listener, **pp, *prev = NULL;

	while (c->state == AT_LISTEN && c->req_head)
		at_req_free(c->req_head, AT_R_LISTENER_CLOSED);
	while (c->state == AT_LISTEN && at_accept(c))
		;
	if (l && !c->accepted) {
		for (pp = &l->acc_head; *pp; prev = *pp, pp = &(*pp)->acc_next) {
			if (*pp != c)
				continue;
			*pp = c->acc_next;
			if (l->acc_tail == c)
				l->acc_tail = prev;
			l->acc_len--;
			break;
		}
	}
	at_conn_free(c);
}

/*
 * An administrator's reset (ALTTCP_CMD_KILL_CONN): the peer gets an RST,
 * the application ECONNABORTED, as Linux's tcp_abort().  Listeners are
 * left alone; a connection that is already closed has nothing to kill.
 */
int at_kill(struct at_conn *c, at_u64 now)
{
	if (c->state == AT_LISTEN || c->state == AT_CLOSED)
		return -AT_EINVAL;
	at_conn_abort(c, AT_R_ADMIN_KILL, AT_ECONNABORTED, 1, now);
	at_conn_release(c);
	return 0;
}
