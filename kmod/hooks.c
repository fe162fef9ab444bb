// SPDX-License-Identifier: GPL-2.0
/*
 * Segments in: a netfilter hook at IPv4 LOCAL_IN takes the TCP segments
 * that belong to alttcp (a connection, request or TIME_WAIT entry by
 * 4-tuple, or a listener by address and port), validates them, hands them
 * to the core and consumes them.  Everything else passes to Linux
 * untouched, after one RCU lookup.
 *
 * It runs after conntrack and the filter table, so a firewall rule that
 * drops a segment also keeps it from alttcp.  LOCAL_OUT only observes.
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/tcp.h>

#include "hooks.h"
#include "netns.h"
#include "obj.h"
#include "sock.h"
#include "table.h"

/*
 * Linux's TCP knows nothing of alttcp's ports: one of its connections may
 * use, as its local port, a port an alttcp socket listens on.  Its segments
 * stay its own.
 */
static bool linux_tcp_established(struct net *net, const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct sock *sk;

	sk = __inet_lookup_established(net, net->ipv4.tcp_death_row.hashinfo,
				       iph->saddr, th->source, iph->daddr,
				       ntohs(th->dest), inet_iif(skb),
				       inet_sdif(skb));
	if (!sk)
		return false;
	sock_gen_put(sk);
	return true;
}

static bool is_alttcp(struct alttcp_net *an, const struct sk_buff *skb,
		      const struct at_tuple *t)
{
	bool conn, listener;

	rcu_read_lock();
	conn = alttcp_ehash_lookup(an, t);
	listener = !conn && alttcp_lhash_lookup(an, alttcp_be_addr(t->laddr),
						htons(t->lport));
	rcu_read_unlock();
	return conn || (listener && !linux_tcp_established(an->net, skb));
}

/*
 * IP_MINTTL (RFC 5082's GTSM, which BGP speakers set): a segment that came
 * through more hops than the socket allows is dropped and counted, as
 * tcp_v4_rcv() does; requests are held to their listener's, TIME_WAIT to
 * nothing.
 */
static bool below_min_ttl(struct alttcp_net *an, const struct alttcp_sock *as,
			  u8 ttl)
{
	if (!as || ttl >= READ_ONCE(as->inet.min_ttl))
		return false;
	an->ctx.mib[AT_MIB_MIN_TTL_DROP]++;
	return true;
}

static struct alttcp_sock *listener_of(struct alttcp_net *an,
				       const struct at_seg *seg)
{
	return alttcp_lhash_lookup(an, alttcp_be_addr(seg->tuple.laddr),
				   htons(seg->tuple.lport));
}

/* A TIME_WAIT entry let a new SYN through: it goes to the listener. */
static void input_listener(struct alttcp_net *an, struct at_seg *seg, u8 ttl,
			   u64 now)
{
	struct alttcp_sock *ls = listener_of(an, seg);

	if (below_min_ttl(an, ls, ttl))
		return;
	if (ls && ls->conn) {
		at_conn_input(ls->conn, seg, now);
		alttcp_obj_mark(alttcp_obj_of(ls->conn));
	} else {
		at_input_no_conn(&an->ctx, seg);
	}
}

static void input_locked(struct alttcp_net *an, struct at_seg *seg, u8 ttl)
{
	struct alttcp_obj *obj = alttcp_ehash_lookup(an, &seg->tuple);
	u64 now = alttcp_now();
	struct at_conn *conn;

	if (!obj) {
		input_listener(an, seg, ttl, now);
		return;
	}
	alttcp_obj_mark(obj);
	switch (obj->kind) {
	case AT_ALLOC_CONN:
		conn = (struct at_conn *)obj->core;
		/*
		 * Without its socket (not accepted yet, or an orphan) a
		 * server's connection has its listener's, as it inherited.
		 */
		if (below_min_ttl(an, at_conn_glue(conn) ?: listener_of(an, seg),
				  ttl))
			break;
		at_conn_input(conn, seg, now);
		break;
	case AT_ALLOC_REQ:
		if (below_min_ttl(an, listener_of(an, seg), ttl))
			break;
		at_req_input((struct at_req *)obj->core, seg, now);
		break;
	case AT_ALLOC_TW:
		if (at_tw_input((struct at_tw *)obj->core, seg, now) ==
		    AT_TW_SYN_OK) {
			at_tw_kill((struct at_tw *)obj->core, AT_R_TW_NEW_SYN);
			input_listener(an, seg, ttl, now);
		}
		break;
	}
}

/*
 * Header and checksum, as tcp_v4_rcv() checks them.  The segment is ours
 * from here on, so the IP header is pulled as ip_local_deliver_finish()
 * would: the checksum helpers work on skb->data..len as the TCP segment.
 */
static int validate(struct sk_buff *skb, struct tcphdr **thp)
{
	unsigned int doff;

	if (!pskb_may_pull(skb, ip_hdrlen(skb) + sizeof(struct tcphdr)))
		return -EINVAL;
	doff = tcp_hdr(skb)->doff * 4;
	if (doff < sizeof(struct tcphdr) ||
	    !pskb_may_pull(skb, ip_hdrlen(skb) + doff))
		return -EINVAL;
	__skb_pull(skb, ip_hdrlen(skb));
	if (skb_checksum_init(skb, IPPROTO_TCP, inet_compute_pseudo) ||
	    skb_checksum_complete(skb))
		return -EINVAL;
	if (skb_linearize(skb))
		return -ENOMEM;
	*thp = tcp_hdr(skb);
	return 0;
}

static unsigned int alttcp_local_in(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct alttcp_net *an = alttcp_net(state->net);
	const struct iphdr *iph = ip_hdr(skb);
	struct at_seg seg;
	struct tcphdr *th;
	struct at_tuple t;

	if (iph->protocol != IPPROTO_TCP || skb->pkt_type != PACKET_HOST)
		return NF_ACCEPT;
	/*
	 * The ports say whose segment it is; one of ours cut short of a
	 * whole header is then dropped and counted by validate().
	 */
	if (!pskb_may_pull(skb, ip_hdrlen(skb) +
				offsetofend(struct tcphdr, dest)))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	th = tcp_hdr(skb);
	t.laddr = alttcp_addr(iph->daddr);
	t.raddr = alttcp_addr(iph->saddr);
	t.lport = ntohs(th->dest);
	t.rport = ntohs(th->source);
	if (!is_alttcp(an, skb, &t))
		return NF_ACCEPT;

	if (validate(skb, &th) ||
	    at_parse_tcp_header((const u8 *)th, skb->len, &seg)) {
		alttcp_lock(an);
		an->ctx.mib[AT_MIB_IN_ERRS]++;
		alttcp_unlock(an);
		kfree_skb(skb);
		return NF_STOLEN;
	}
	seg.tuple.laddr = alttcp_addr(ip_hdr(skb)->daddr);
	seg.tuple.raddr = alttcp_addr(ip_hdr(skb)->saddr);

	alttcp_lock(an);
	input_locked(an, &seg, ip_hdr(skb)->ttl);
	alttcp_unlock(an);
	consume_skb(skb);
	return NF_STOLEN;
}

static unsigned int alttcp_local_out(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

static const struct nf_hook_ops alttcp_nf_ops[] = {
	{
		.hook = alttcp_local_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FILTER + 1,
	},
	{
		.hook = alttcp_local_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_FILTER + 1,
	},
};

int alttcp_hooks_net_init(struct net *net)
{
	return nf_register_net_hooks(net, alttcp_nf_ops,
				     ARRAY_SIZE(alttcp_nf_ops));
}

void alttcp_hooks_net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, alttcp_nf_ops, ARRAY_SIZE(alttcp_nf_ops));
}
