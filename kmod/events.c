// SPDX-License-Identifier: GPL-2.0
/*
 * Live events: every state change of every connection, with the reason
 * the core gave, multicast to ALTTCP_MCGRP_EVENTS.  Called under the
 * namespace lock from any context, so it allocates atomically; when nobody
 * listens it returns before building anything.
 */
#include <net/genetlink.h>
#include <uapi/linux/alttcp.h>

#include "events.h"
#include "netlink.h"
#include "netns.h"
#include "obj.h"

static void event_tuple(const struct at_event *ev, struct at_tuple *t)
{
	struct at_conn_info info;
	struct alttcp_obj *obj;

	if (ev->tw) {
		*t = *at_tw_tuple(ev->tw);
	} else if (ev->req) {
		*t = *at_req_tuple(ev->req);
	} else {
		obj = alttcp_obj_of(ev->conn);
		if (obj->hashed) {
			*t = obj->tuple;
		} else {
			at_conn_info(ev->conn, 0, &info);
			*t = info.tuple;
		}
	}
}

static int fill_event(struct sk_buff *skb, const struct at_event *ev)
{
	struct at_tuple t;
	struct nlattr *nest;

	event_tuple(ev, &t);
	nest = nla_nest_start(skb, ALTTCP_A_EVENT);
	if (!nest ||
	    nla_put_u8(skb, ALTTCP_EVENT_OLD_STATE, ev->old_state) ||
	    nla_put_u8(skb, ALTTCP_EVENT_NEW_STATE, ev->new_state) ||
	    nla_put_u16(skb, ALTTCP_EVENT_REASON, ev->reason) ||
	    nla_put_be32(skb, ALTTCP_EVENT_LADDR, alttcp_be_addr(t.laddr)) ||
	    nla_put_u16(skb, ALTTCP_EVENT_LPORT, t.lport) ||
	    nla_put_be32(skb, ALTTCP_EVENT_RADDR, alttcp_be_addr(t.raddr)) ||
	    nla_put_u16(skb, ALTTCP_EVENT_RPORT, t.rport) ||
	    nla_put_u64_64bit(skb, ALTTCP_EVENT_TIME_NS, ktime_get_real_ns(),
			      ALTTCP_EVENT_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Exactly what fill_event() puts: a monitor's receive buffer is charged
 * per skb, so page-sized ones would let a burst of events (a listener's
 * children expiring together) overflow it many times sooner.
 */
static size_t event_size(void)
{
	return nla_total_size(0) +			/* ALTTCP_A_EVENT */
	       2 * nla_total_size(sizeof(u8)) +		/* states */
	       3 * nla_total_size(sizeof(u16)) +	/* reason, ports */
	       2 * nla_total_size(sizeof(__be32)) +	/* addresses */
	       nla_total_size_64bit(sizeof(u64));	/* time */
}

void alttcp_event_notify(struct alttcp_net *an, const struct at_event *ev)
{
	struct sk_buff *skb;
	void *hdr;

	if (ev->kind != AT_EV_STATE && ev->kind != AT_EV_TW_FREED)
		return;
	if (!genl_has_listeners(&alttcp_genl_family, an->net,
				ALTTCP_MCGRP_EVENTS_ID))
		return;

	skb = genlmsg_new(event_size(), GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &alttcp_genl_family, 0, ALTTCP_CMD_EVENT);
	if (!hdr || fill_event(skb, ev)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&alttcp_genl_family, an->net, skb, 0,
				ALTTCP_MCGRP_EVENTS_ID, GFP_ATOMIC);
}
