// SPDX-License-Identifier: GPL-2.0
/*
 * Segments out: the core hands over header fields and up to two payload
 * pieces; this builds the skb, routes it and sends it down the IP layer.
 * Runs under alttcp_net.lock, so nothing here may sleep.
 */
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/tcp.h>

#include "netns.h"
#include "output.h"
#include "sock.h"

#define ALTTCP_MAX_HEADER	60	/* TCP header with every option */
#define ALTTCP_HEADROOM		(MAX_HEADER + sizeof(struct iphdr) + \
				 ALTTCP_MAX_HEADER)

static bool gso = true;
module_param(gso, bool, 0644);
MODULE_PARM_DESC(gso, "send new data in GSO super-packets (connections made after a change)");

static struct rtable *route(struct net *net, struct flowi4 *fl4,
			    __be32 daddr, __be32 saddr, __be16 dport,
			    __be16 sport, u32 mark)
{
	memset(fl4, 0, sizeof(*fl4));
	fl4->flowi4_mark = mark;
	fl4->daddr = daddr;
	fl4->saddr = saddr;
	fl4->flowi4_proto = IPPROTO_TCP;
	fl4->fl4_dport = dport;
	fl4->fl4_sport = sport;
	return ip_route_output_flow(net, fl4, NULL);
}

/*
 * Largest GSO payload a route takes (0: none), after sk_setup_caps() and
 * tcp_tso_autosize(): the device's gso_max_size (64 KiB at most for IPv4)
 * less the largest headers, and always an IPv4 total length that fits 16
 * bits.  Routes with a transformation (IPsec: dst->header_len) get none.
 * Without TSO the stack segments in software (validate_xmit_skb()), which
 * still saves a route lookup and a trip down the stack per segment.
 */
static u32 route_gso_max(const struct dst_entry *dst)
{
	u32 size;

	if (!gso || dst->header_len)
		return 0;
	size = min_t(u32, READ_ONCE(dst->dev->gso_max_size),
		     GSO_LEGACY_MAX_SIZE - 1);
	if (size <= sizeof(struct iphdr) + ALTTCP_MAX_HEADER)
		return 0;
	return size - sizeof(struct iphdr) - ALTTCP_MAX_HEADER;
}

/*
 * For connect(): the source address, the MTU that clamps our MSS and the
 * GSO payload limit of the route.
 */
int alttcp_route_mtu(struct alttcp_net *an, __be32 daddr, __be32 *saddr,
		     u32 mark, u16 *mtu, u32 *gso_max)
{
	struct flowi4 fl4;
	struct rtable *rt;

	rt = route(an->net, &fl4, daddr, *saddr, 0, 0, mark);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	*saddr = fl4.saddr;
	*mtu = min_t(u32, dst_mtu(&rt->dst), U16_MAX);
	*gso_max = route_gso_max(&rt->dst);
	ip_rt_put(rt);
	return 0;
}

/*
 * For listeners, whose children's routes are not known yet: the most any
 * route allows; alttcp_output() cuts to what the actual route takes.
 */
u32 alttcp_gso_max_default(void)
{
	return gso ? GSO_LEGACY_MAX_SIZE - 1 - sizeof(struct iphdr) -
		     ALTTCP_MAX_HEADER : 0;
}

static void set_checksum(struct sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct tcphdr *th = tcp_hdr(skb);

	/* Finished by the device, or by the stack if it cannot. */
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
	th->check = ~tcp_v4_check(skb->len, saddr, daddr, 0);
}

/*
 * TOS, TTL and DF as ip_queue_xmit() takes them from the socket (IP_TOS,
 * IP_TTL, IP_MTU_DISCOVER); a segment without one (an orphan's, a
 * request's, TIME_WAIT's, an RST's) gets the defaults: 0, the route's
 * hop limit, DF.
 */
static void push_ip_header(struct sk_buff *skb, struct rtable *rt,
			   const struct sock *sk, __be32 saddr, __be32 daddr,
			   int segs)
{
	struct iphdr *iph;
	int ttl = sk ? READ_ONCE(inet_sk(sk)->uc_ttl) : -1;

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = sk ? READ_ONCE(inet_sk(sk)->tos) : 0;
	iph->frag_off = !sk || ip_dont_fragment(sk, &rt->dst) ? htons(IP_DF) : 0;
	iph->ttl = ttl >= 0 ? ttl : ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_TCP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	/* tot_len and the header checksum are filled by __ip_local_out(). */
	ip_select_ident_segs(dev_net(rt->dst.dev), skb, NULL, segs);
}

/* The payload bytes [off, off + len) of out, into skb at its data offset. */
static void store_payload(struct sk_buff *skb, const struct at_out *out,
			  u32 off, u32 len, bool linear)
{
	u32 pos = 0, from, n;
	int i;

	for (i = 0; i < 2 && len; i++) {
		if (off >= out->len[i]) {
			off -= out->len[i];
			continue;
		}
		from = off;
		n = min(out->len[i] - from, len);
		if (linear)
			skb_put_data(skb, out->data[i] + from, n);
		else
			WARN_ON_ONCE(skb_store_bits(skb, pos, out->data[i] + from,
						    n));
		pos += n;
		len -= n;
		off = 0;
	}
}

/*
 * The skb for payload [off, off + len) of out: linear for one segment,
 * page fragments for a GSO one (no large atomic allocation: order-0 pages
 * will do, as sock_alloc_send_pskb() callers get them).
 */
static struct sk_buff *alloc_payload(const struct at_out *out, u32 off,
				     u32 len, bool gso_skb)
{
	struct sk_buff *skb;
	int err;

	if (!gso_skb) {
		skb = alloc_skb(ALTTCP_HEADROOM + len, GFP_ATOMIC);
		if (!skb)
			return NULL;
		skb_reserve(skb, ALTTCP_HEADROOM);
		store_payload(skb, out, off, len, true);
		return skb;
	}
	skb = alloc_skb_with_frags(ALTTCP_HEADROOM, len,
				   PAGE_ALLOC_COSTLY_ORDER, &err, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, ALTTCP_HEADROOM);
	skb->len = len;
	skb->data_len = len;
	store_payload(skb, out, off, len, false);
	return skb;
}

/*
 * Send payload [off, off + len) of out (all of a bare segment's nothing
 * when len is 0) as one skb, a GSO one of seg_size segments if seg_size is
 * set.  -ENOMEM when the skb could not be had, for the caller to fall back
 * on; other failures count as losses, which the core repairs.
 */
static int xmit(struct alttcp_net *an, struct rtable *rt,
		const struct sock *sk, const struct at_out *out, u32 off,
		u32 len, u32 seg_size)
{
	__be32 saddr = alttcp_be_addr(out->tuple.laddr);
	__be32 daddr = alttcp_be_addr(out->tuple.raddr);
	u32 total = out->len[0] + out->len[1];
	struct at_out o = *out;
	struct sk_buff *skb;
	int hlen, segs = 1;

	skb = alloc_payload(out, off, len, seg_size);
	if (!skb)
		return -ENOMEM;
	/*
	 * A piece of a super-segment is a run of its wire segments: its own
	 * sequence number, PSH and FIN only on the last piece.
	 */
	o.seq = out->seq + off;
	if (off + len < total)
		o.flags &= ~(AT_PSH | AT_FIN);
	hlen = at_write_tcp_header(&o, skb->data - ALTTCP_MAX_HEADER,
				   ALTTCP_MAX_HEADER);
	if (WARN_ON_ONCE(hlen <= 0 || hlen > ALTTCP_MAX_HEADER)) {
		kfree_skb(skb);
		return -EINVAL;
	}
	/* at_write_tcp_header() writes from the start of its buffer. */
	memmove(skb->data - hlen, skb->data - ALTTCP_MAX_HEADER, hlen);
	skb_push(skb, hlen);
	skb_reset_transport_header(skb);
	/* Over the TCP header and payload, as __tcp_v4_send_check(). */
	set_checksum(skb, saddr, daddr);
	if (seg_size) {
		segs = DIV_ROUND_UP(len, seg_size);
		skb_shinfo(skb)->gso_size = seg_size;
		skb_shinfo(skb)->gso_segs = segs;
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	}
	push_ip_header(skb, rt, sk, saddr, daddr, segs);
	if (sk) {
		skb->priority = READ_ONCE(sk->sk_priority);
		skb->mark = READ_ONCE(sk->sk_mark);
	}
	skb_dst_set(skb, dst_clone(&rt->dst));
	skb->protocol = htons(ETH_P_IP);
	ip_local_out(an->net, NULL, skb);
	return 0;
}

/*
 * Payload per GSO skb on this route: a whole number of seg_size segments
 * within the device's limits (the core's limit came from another route
 * for a listener's children, or before a route change).
 */
static u32 gso_chunk(const struct dst_entry *dst, u32 seg_size)
{
	u32 max = route_gso_max(dst);
	u32 segs = READ_ONCE(dst->dev->gso_max_segs);

	max = min_t(u32, max, segs * seg_size);
	return max - max % seg_size;
}

/*
 * Called under the namespace lock, which keeps the connection's socket
 * (conn_glue, cleared under it when the socket closes) alive.
 */
void alttcp_output(struct alttcp_net *an, const struct at_out *out)
{
	const struct alttcp_sock *as = out->conn_glue;
	const struct sock *sk = as ? &as->inet.sk : NULL;
	u32 len = out->len[0] + out->len[1];
	u32 seg_size = out->seg_size;
	u32 off, n, chunk, s;
	struct flowi4 fl4;
	struct rtable *rt;

	rt = route(an->net, &fl4, alttcp_be_addr(out->tuple.raddr),
		   alttcp_be_addr(out->tuple.laddr),
		   htons(out->tuple.rport), htons(out->tuple.lport),
		   sk ? READ_ONCE(sk->sk_mark) : 0);
	if (IS_ERR(rt))
		return;		/* as a loss on the wire: the core retransmits */
	if (!seg_size || len <= seg_size) {
		xmit(an, rt, sk, out, 0, len, 0);
		goto put;
	}
	chunk = gso_chunk(&rt->dst, seg_size);
	for (off = 0; off < len; off += n) {
		n = min(len - off, max(chunk, seg_size));
		if (n > seg_size &&
		    xmit(an, rt, sk, out, off, n, seg_size) != -ENOMEM)
			continue;
		/*
		 * One segment per skb: the route takes no GSO, or there was
		 * no memory for a big skb and small linear ones may still
		 * be had.  Out of memory even for those, the rest is lost
		 * as if on the wire, and the core repairs it.
		 */
		for (s = 0; s < n; s += seg_size)
			if (xmit(an, rt, sk, out, off + s,
				 min(seg_size, n - s), 0) == -ENOMEM)
				goto put;
	}
put:
	ip_rt_put(rt);
}
