// SPDX-License-Identifier: GPL-2.0
/*
 * The connection dump (ALTTCP_CMD_GET_CONN): what `ss -tanoie` shows for
 * Linux's TCP, for every listener, connection, request and TIME_WAIT entry
 * of the namespace.
 *
 * A dump takes the namespace lock once per message and walks the
 * listeners, then the connection table, from a cursor kept in the netlink
 * callback.  Every table change bumps alttcp_net.gen; a dump that saw it
 * move between messages is marked NLM_F_DUMP_INTR.
 */
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/alttcp.h>

#include "compat.h"
#include "diag.h"
#include "netlink.h"
#include "netns.h"
#include "obj.h"
#include "sock.h"

const struct nla_policy alttcp_filter_policy[ALTTCP_FILTER_MAX + 1] = {
	[ALTTCP_FILTER_STATES] = { .type = NLA_U32 },
	[ALTTCP_FILTER_LADDR] = { .type = NLA_BE32 },
	[ALTTCP_FILTER_LPORT] = { .type = NLA_U16 },
	[ALTTCP_FILTER_RADDR] = { .type = NLA_BE32 },
	[ALTTCP_FILTER_RPORT] = { .type = NLA_U16 },
};

/* Where a dump stands, in netlink_callback.args. */
enum {
	CUR_PHASE,		/* 0 listeners, 1 connection table, 2 done */
	CUR_BUCKET,
	CUR_SKIP,		/* entries of the bucket already sent */
};

/* One entry, in the terms a dump reports and a filter selects. */
struct entry {
	struct at_tuple tuple;
	u8 state;
	u8 timer;
	u64 timer_at;
	u64 born_us;
	const struct at_conn *conn;	/* full connections and listeners */
	const struct sock *sk;		/* when an application holds it */
};

static const u8 timer_kind[] = {
	[AT_TIMER_NONE] = ALTTCP_TIMER_NONE,
	[AT_TIMER_RETRANSMIT] = ALTTCP_TIMER_RETRANSMIT,
	[AT_TIMER_PERSIST] = ALTTCP_TIMER_PERSIST,
	[AT_TIMER_DELACK] = ALTTCP_TIMER_DELACK,
	[AT_TIMER_KEEPALIVE] = ALTTCP_TIMER_KEEPALIVE,
	[AT_TIMER_FIN_WAIT2] = ALTTCP_TIMER_FIN_WAIT2,
	[AT_TIMER_TIME_WAIT] = ALTTCP_TIMER_TIME_WAIT,
};

struct filter {
	u32 states;
	__be32 laddr, raddr;
	u16 lport, rport;
};

static int parse_filter(const struct nlattr *attr, struct filter *f,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[ALTTCP_FILTER_MAX + 1];
	int err;

	memset(f, 0, sizeof(*f));
	f->states = ~0U;
	if (!attr)
		return 0;
	err = nla_parse_nested(tb, ALTTCP_FILTER_MAX, attr,
			       alttcp_filter_policy, extack);
	if (err)
		return err;
	if (tb[ALTTCP_FILTER_STATES])
		f->states = nla_get_u32(tb[ALTTCP_FILTER_STATES]);
	if (tb[ALTTCP_FILTER_LADDR])
		f->laddr = nla_get_be32(tb[ALTTCP_FILTER_LADDR]);
	if (tb[ALTTCP_FILTER_RADDR])
		f->raddr = nla_get_be32(tb[ALTTCP_FILTER_RADDR]);
	if (tb[ALTTCP_FILTER_LPORT])
		f->lport = nla_get_u16(tb[ALTTCP_FILTER_LPORT]);
	if (tb[ALTTCP_FILTER_RPORT])
		f->rport = nla_get_u16(tb[ALTTCP_FILTER_RPORT]);
	return 0;
}

static bool filter_match(const struct filter *f, const struct entry *e)
{
	return (f->states & BIT(e->state)) &&
	       (!f->laddr || alttcp_addr(f->laddr) == e->tuple.laddr) &&
	       (!f->raddr || alttcp_addr(f->raddr) == e->tuple.raddr) &&
	       (!f->lport || f->lport == e->tuple.lport) &&
	       (!f->rport || f->rport == e->tuple.rport);
}

static void entry_of_conn(const struct at_conn *c, struct entry *e,
			  struct at_conn_info *info, u64 now)
{
	const struct alttcp_sock *as = at_conn_glue(c);

	at_conn_info(c, now, info);
	e->tuple = info->tuple;
	e->state = info->state;
	e->timer = info->timer < ARRAY_SIZE(timer_kind) ?
		   timer_kind[info->timer] : ALTTCP_TIMER_NONE;
	e->timer_at = info->timer_expires;
	e->born_us = alttcp_obj_of(c)->born_us;
	e->conn = c;
	e->sk = as ? &as->inet.sk : NULL;
}

static void entry_of_obj(const struct alttcp_obj *obj, struct entry *e)
{
	memset(e, 0, sizeof(*e));
	e->tuple = obj->tuple;
	e->born_us = obj->born_us;
	if (obj->kind == AT_ALLOC_REQ) {
		e->state = ALTTCP_STATE_SYN_RECV;
		e->timer = ALTTCP_TIMER_SYN_ACK;
		e->timer_at = at_req_poll_at((const struct at_req *)obj->core);
	} else {
		e->state = ALTTCP_STATE_TIME_WAIT;
		e->timer = ALTTCP_TIMER_TIME_WAIT;
		e->timer_at = at_tw_poll_at((const struct at_tw *)obj->core);
	}
}

static int put_tuple(struct sk_buff *skb, const struct entry *e)
{
	if (nla_put_u8(skb, ALTTCP_CONN_STATE, e->state) ||
	    nla_put_be32(skb, ALTTCP_CONN_LADDR, alttcp_be_addr(e->tuple.laddr)) ||
	    nla_put_u16(skb, ALTTCP_CONN_LPORT, e->tuple.lport) ||
	    nla_put_be32(skb, ALTTCP_CONN_RADDR, alttcp_be_addr(e->tuple.raddr)) ||
	    nla_put_u16(skb, ALTTCP_CONN_RPORT, e->tuple.rport))
		return -EMSGSIZE;
	return 0;
}

static int put_timer(struct sk_buff *skb, const struct entry *e, u64 now)
{
	u64 ms = e->timer_at > now ? div_u64(e->timer_at - now, 1000) : 0;

	if (!e->timer_at)
		return nla_put_u8(skb, ALTTCP_CONN_TIMER, ALTTCP_TIMER_NONE);
	if (nla_put_u8(skb, ALTTCP_CONN_TIMER, e->timer) ||
	    nla_put_u32(skb, ALTTCP_CONN_TIMER_EXPIRES_MS, min_t(u64, ms, U32_MAX)))
		return -EMSGSIZE;
	return 0;
}

static int put_listener(struct sk_buff *skb, const struct at_conn_info *i)
{
	if (nla_put_u32(skb, ALTTCP_CONN_ACCEPT_QUEUE, i->rx_queue) ||
	    nla_put_u32(skb, ALTTCP_CONN_ACCEPT_MAX, i->tx_queue) ||
	    nla_put_u32(skb, ALTTCP_CONN_SYN_QUEUE, i->syn_queue) ||
	    nla_put_u32(skb, ALTTCP_CONN_LISTEN_OVERFLOWS, i->listen_overflows) ||
	    nla_put_u32(skb, ALTTCP_CONN_LISTEN_DROPS, i->listen_drops))
		return -EMSGSIZE;
	return 0;
}

static int put_flag(struct sk_buff *skb, int type, bool on)
{
	return on ? nla_put_flag(skb, type) : 0;
}

static int put_conn_detail(struct sk_buff *skb, const struct at_conn_info *i)
{
	if (nla_put_u32(skb, ALTTCP_CONN_RX_QUEUE, i->rx_queue) ||
	    nla_put_u32(skb, ALTTCP_CONN_TX_QUEUE, i->tx_queue) ||
	    nla_put_u32(skb, ALTTCP_CONN_RETRANSMITS, i->retransmits) ||
	    nla_put_u32(skb, ALTTCP_CONN_TOTAL_RETRANS, i->total_retrans) ||
	    nla_put_u32(skb, ALTTCP_CONN_PROBES, i->probes) ||
	    nla_put_u32(skb, ALTTCP_CONN_RTO_US, i->rto_us) ||
	    nla_put_u32(skb, ALTTCP_CONN_RTT_US, i->rtt_us) ||
	    nla_put_u32(skb, ALTTCP_CONN_RTTVAR_US, i->rttvar_us) ||
	    nla_put_u32(skb, ALTTCP_CONN_CWND, i->cwnd) ||
	    nla_put_u32(skb, ALTTCP_CONN_SSTHRESH, i->ssthresh) ||
	    nla_put_u32(skb, ALTTCP_CONN_SND_MSS, i->snd_mss) ||
	    nla_put_u32(skb, ALTTCP_CONN_RCV_MSS, i->rcv_mss) ||
	    nla_put_u8(skb, ALTTCP_CONN_SND_WSCALE, i->snd_wscale) ||
	    nla_put_u8(skb, ALTTCP_CONN_RCV_WSCALE, i->rcv_wscale) ||
	    nla_put_u32(skb, ALTTCP_CONN_SND_WND, i->snd_wnd) ||
	    nla_put_u32(skb, ALTTCP_CONN_RCV_WND, i->rcv_wnd) ||
	    put_flag(skb, ALTTCP_CONN_TIMESTAMPS, i->ts_ok) ||
	    put_flag(skb, ALTTCP_CONN_SACK, i->sack_ok) ||
	    put_flag(skb, ALTTCP_CONN_ORPHAN, i->orphan) ||
	    nla_put_u64_64bit(skb, ALTTCP_CONN_BYTES_ACKED, i->bytes_acked,
			      ALTTCP_CONN_PAD) ||
	    nla_put_u64_64bit(skb, ALTTCP_CONN_BYTES_RECEIVED,
			      i->bytes_received, ALTTCP_CONN_PAD) ||
	    nla_put_u64_64bit(skb, ALTTCP_CONN_SEGS_IN, i->segs_in,
			      ALTTCP_CONN_PAD) ||
	    nla_put_u64_64bit(skb, ALTTCP_CONN_SEGS_OUT, i->segs_out,
			      ALTTCP_CONN_PAD))
		return -EMSGSIZE;
	return 0;
}

/* uid as the dump's reader sees it, from its own user namespace. */
static int put_owner(struct sk_buff *skb, struct netlink_callback *cb,
		     const struct sock *sk)
{
	struct user_namespace *ns;

	if (!sk)
		return 0;
	ns = sk_user_ns(NETLINK_CB(cb->skb).sk);
	if (nla_put_u32(skb, ALTTCP_CONN_UID,
			from_kuid_munged(ns, sock_i_uid((struct sock *)sk))) ||
	    nla_put_u64_64bit(skb, ALTTCP_CONN_INODE,
			      sock_i_ino((struct sock *)sk), ALTTCP_CONN_PAD))
		return -EMSGSIZE;
	return 0;
}

/* One message for one entry; -EMSGSIZE when the skb is full. */
static int fill_entry(struct sk_buff *skb, struct netlink_callback *cb,
		      const struct entry *e, const struct at_conn_info *info,
		      u64 now)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &alttcp_genl_family, NLM_F_MULTI, ALTTCP_CMD_GET_CONN);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, ALTTCP_A_CONN);
	if (!nest || put_tuple(skb, e) || put_timer(skb, e, now) ||
	    nla_put_u64_64bit(skb, ALTTCP_CONN_AGE_MS,
			      div_u64(now - e->born_us, 1000), ALTTCP_CONN_PAD))
		goto err_cancel;
	if (e->conn && e->state == ALTTCP_STATE_LISTEN &&
	    put_listener(skb, info))
		goto err_cancel;
	if (e->conn && e->state != ALTTCP_STATE_LISTEN &&
	    put_conn_detail(skb, info))
		goto err_cancel;
	if (put_owner(skb, cb, e->sk))
		goto err_cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Listeners: phase 0.  Returns -EMSGSIZE when the message is full. */
static int dump_listeners(struct sk_buff *skb, struct netlink_callback *cb,
			  struct alttcp_net *an, const struct filter *f, u64 now)
{
	struct at_conn_info info;
	struct alttcp_sock *as;
	struct entry e;
	long idx;

	for (; cb->args[CUR_BUCKET] < ALTTCP_PORT_HASH_SIZE;
	     cb->args[CUR_BUCKET]++, cb->args[CUR_SKIP] = 0) {
		idx = 0;
		hlist_for_each_entry(as, &an->lhash[cb->args[CUR_BUCKET]],
				     listen_node) {
			if (idx++ < cb->args[CUR_SKIP] || !as->conn)
				continue;
			entry_of_conn(as->conn, &e, &info, now);
			if (filter_match(f, &e) &&
			    fill_entry(skb, cb, &e, &info, now))
				return -EMSGSIZE;
			cb->args[CUR_SKIP] = idx;
		}
	}
	return 0;
}

static int dump_table(struct sk_buff *skb, struct netlink_callback *cb,
		      struct alttcp_net *an, const struct filter *f, u64 now)
{
	struct at_conn_info info;
	struct alttcp_obj *obj;
	struct entry e;
	long idx;

	for (; cb->args[CUR_BUCKET] <= an->ehash_mask;
	     cb->args[CUR_BUCKET]++, cb->args[CUR_SKIP] = 0) {
		idx = 0;
		hlist_for_each_entry(obj, &an->ehash[cb->args[CUR_BUCKET]],
				     hnode) {
			if (idx++ < cb->args[CUR_SKIP])
				continue;
			if (obj->kind == AT_ALLOC_CONN)
				entry_of_conn((struct at_conn *)obj->core, &e,
					      &info, now);
			else
				entry_of_obj(obj, &e);
			if (filter_match(f, &e) &&
			    fill_entry(skb, cb, &e, &info, now))
				return -EMSGSIZE;
			cb->args[CUR_SKIP] = idx;
		}
	}
	return 0;
}

int alttcp_conn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct alttcp_net *an = alttcp_net(sock_net(skb->sk));
	struct filter f;
	int err;

	err = parse_filter(alttcp_dump_attrs(cb)[ALTTCP_A_FILTER], &f, cb->extack);
	if (err)
		return err;

	alttcp_lock(an);
	/*
	 * The generation this part of the dump reads (never 0, which
	 * genl_dump_check_consistent() takes as "not tracked").  The last
	 * call, which finds nothing left and only ends the dump, keeps the
	 * one before: a dump read in one lock hold is whole, whatever
	 * changed after it.
	 */
	if (cb->args[CUR_PHASE] != 2)
		cb->seq = an->gen | 1U << 31;
	if (cb->args[CUR_PHASE] == 0) {
		if (dump_listeners(skb, cb, an, &f, alttcp_now()))
			goto out_unlock;
		cb->args[CUR_PHASE] = 1;
		cb->args[CUR_BUCKET] = 0;
		cb->args[CUR_SKIP] = 0;
	}
	if (cb->args[CUR_PHASE] == 1 &&
	    !dump_table(skb, cb, an, &f, alttcp_now()))
		cb->args[CUR_PHASE] = 2;
out_unlock:
	alttcp_unlock(an);
	return skb->len;
}

/* Kill what matches in the connection table; under the lock. */
static u32 kill_matching(struct alttcp_net *an, const struct filter *f)
{
	struct at_conn_info info;
	struct alttcp_obj *obj;
	struct hlist_node *tmp;
	struct entry e;
	unsigned int i;
	u64 now = alttcp_now();
	u32 killed = 0;

	for (i = 0; i <= an->ehash_mask; i++) {
		hlist_for_each_entry_safe(obj, tmp, &an->ehash[i], hnode) {
			if (obj->kind == AT_ALLOC_CONN) {
				struct at_conn *c = (struct at_conn *)obj->core;

				entry_of_conn(c, &e, &info, now);
				if (filter_match(f, &e) && !at_kill(c, now))
					killed++;
			} else if (obj->kind == AT_ALLOC_TW) {
				entry_of_obj(obj, &e);
				if (filter_match(f, &e)) {
					at_tw_kill((struct at_tw *)obj->core,
						   AT_R_ADMIN_KILL);
					killed++;
				}
			}
		}
	}
	return killed;
}

static int fill_count(struct sk_buff *msg, void *arg)
{
	return nla_put_u32(msg, ALTTCP_A_COUNT, *(u32 *)arg);
}

int alttcp_conn_kill(struct sk_buff *skb, struct genl_info *info)
{
	struct alttcp_net *an = alttcp_net(genl_info_net(info));
	struct filter f;
	u32 killed;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, ALTTCP_A_FILTER))
		return -EINVAL;
	err = parse_filter(info->attrs[ALTTCP_A_FILTER], &f, info->extack);
	if (err)
		return err;

	alttcp_lock(an);
	killed = kill_matching(an, &f);
	alttcp_unlock(an);

	if (!killed) {
		NL_SET_ERR_MSG(info->extack, "no connection matches the filter");
		return -ENOENT;
	}
	return alttcp_genl_reply(info, ALTTCP_CMD_KILL_CONN, fill_count,
				 &killed);
}
