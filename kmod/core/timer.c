// SPDX-License-Identifier: GPL-2.0
/*
 * Timers.  A connection has four deadlines (retransmit/persist, delayed
 * ACK, keepalive, FIN_WAIT_2/TIME_WAIT); the glue arms one kernel timer at
 * at_conn_poll_at() and calls at_conn_timer() when it fires.  Firing early
 * or late is harmless: each handler checks its own deadline.
 */
#include "at_internal.h"

static int ka_param(const struct at_conn *c, int ov, int param)
{
	return at_conn_get_param(c, ov, param);
}

static at_u64 ka_time(const struct at_conn *c)
{
	return (at_u64)ka_param(c, c->ov.keepalive_time,
				c->ctx->params->keepalive_time) *
	       AT_USEC_PER_SEC;
}

static at_u64 ka_intvl(const struct at_conn *c)
{
	return (at_u64)ka_param(c, c->ov.keepalive_intvl,
				c->ctx->params->keepalive_intvl) *
	       AT_USEC_PER_SEC;
}

static at_bool ka_state(const struct at_conn *c)
{
	return c->keepalive && c->state != AT_CLOSED &&
	       c->state != AT_SYN_SENT && c->state != AT_LISTEN &&
	       c->state != AT_SYN_RECV && c->state != AT_TIME_WAIT;
}

void at_arm_keepalive(struct at_conn *c, at_u64 now)
{
	(void)now;
	if (!ka_state(c)) {
		c->ka_at = 0;
		return;
	}
	if (!c->probes_out || !c->ka_at)
		c->ka_at = c->last_rcv + ka_time(c);
}

/* D1/D2: probe after keepalive_time idle, every intvl, give up after n. */
static void keepalive_timeout(struct at_conn *c, at_u64 now)
{
	int probes = ka_param(c, c->ov.keepalive_probes,
			      c->ctx->params->keepalive_probes);
	int ut = c->ov.user_timeout_ms;
	/* TCP_USER_TIMEOUT 0 is off, as unset: the probe count rules. */
	at_bool ut_on = ut != AT_UNSET && ut > 0;
	at_u64 idle = now - c->last_rcv;
	struct at_out out;

	c->ka_at = 0;
	if (!ka_state(c))
		return;
	if (at_in_flight(c) || c->snd_ring.len) {
		/* The retransmit timer is in charge while data is out. */
		c->ka_at = now + ka_time(c);
		return;
	}
	if (idle < ka_time(c)) {
		c->ka_at = c->last_rcv + ka_time(c);
		return;
	}
	if ((ut_on && c->probes_out &&
	     idle >= (at_u64)ut * AT_USEC_PER_MSEC) ||
	    (!ut_on && (int)c->probes_out >= probes)) {
		/* Linux resets the peer, should it be alive after all. */
		AT_INC(c->ctx, ABORT_ON_TIMEOUT);
		at_conn_abort(c, ut_on ? AT_R_USER_TIMEOUT :
			      AT_R_KEEPALIVE_TIMEOUT, AT_ETIMEDOUT, 1, now);
		return;
	}
	at_out_init(c, &out);
	out.seq = c->snd_una - 1;	/* out of window: forces an ACK */
	at_emit_conn(c, &out, now);
	AT_INC(c->ctx, KEEPALIVE_PROBES);
	c->probes_out++;
	c->ka_at = now + ka_intvl(c);
}

static void state_timeout(struct at_conn *c)
{
	c->state_at = 0;
	if (c->state == AT_FIN_WAIT2) {
		at_conn_done(c, AT_R_FIN_TIMEOUT, 0);
	} else if (c->state == AT_TIME_WAIT) {
		AT_INC(c->ctx, TW);
		at_conn_done(c, AT_R_TW_EXPIRED, 0);
	}
}

static at_u64 earliest(at_u64 a, at_u64 b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return AT_MIN(a, b);
}

at_u64 at_conn_poll_at(const struct at_conn *c)
{
	at_u64 t = earliest(c->rtx_at, c->delack_at);

	t = earliest(t, c->ka_at);
	return earliest(t, c->state_at);
}

void at_conn_timer(struct at_conn *c, at_u64 now)
{
	if (c->delack_at && now >= c->delack_at) {
		c->delack_at = 0;
		at_send_ack(c, now);
	}
	if (c->rtx_at && now >= c->rtx_at) {
		c->rtx_at = 0;
		at_rtx_timeout(c, now);
		if (c->state != AT_CLOSED)
			at_output(c, now);
	}
	if (c->ka_at && now >= c->ka_at && c->state != AT_CLOSED)
		keepalive_timeout(c, now);
	if (c->state_at && now >= c->state_at && c->state != AT_CLOSED)
		state_timeout(c);
	at_conn_release(c);
}
