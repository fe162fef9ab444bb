// SPDX-License-Identifier: GPL-2.0
/*
 * Segments out: the core hands over header fields and up to two payload
 * pieces; this builds the skb, routes it and sends it down the IP layer.
 * Runs under alttcp_net.lock, so nothing here may sleep.
 */
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/tcp.h>

#include "netns.h"
#include "output.h"

#define ALTTCP_MAX_HEADER	60	/* TCP header with every option */

static struct rtable *route(struct net *net, struct flowi4 *fl4,
			    __be32 daddr, __be32 saddr, __be16 dport,
			    __be16 sport)
{
	memset(fl4, 0, sizeof(*fl4));
	fl4->daddr = daddr;
	fl4->saddr = saddr;
	fl4->flowi4_proto = IPPROTO_TCP;
	fl4->fl4_dport = dport;
	fl4->fl4_sport = sport;
	return ip_route_output_flow(net, fl4, NULL);
}

/* For connect(): the source address and the MTU that clamps our MSS. */
int alttcp_route_mtu(struct alttcp_net *an, __be32 daddr, __be32 *saddr,
		     u16 *mtu)
{
	struct flowi4 fl4;
	struct rtable *rt;

	rt = route(an->net, &fl4, daddr, *saddr, 0, 0);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	*saddr = fl4.saddr;
	*mtu = min_t(u32, dst_mtu(&rt->dst), U16_MAX);
	ip_rt_put(rt);
	return 0;
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

static void push_ip_header(struct sk_buff *skb, struct rtable *rt,
			   __be32 saddr, __be32 daddr)
{
	struct iphdr *iph;

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_TCP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	/* tot_len and the header checksum are filled by __ip_local_out(). */
	ip_select_ident(dev_net(rt->dst.dev), skb, NULL);
}

void alttcp_output(struct alttcp_net *an, const struct at_out *out)
{
	__be32 saddr = alttcp_be_addr(out->tuple.laddr);
	__be32 daddr = alttcp_be_addr(out->tuple.raddr);
	u32 len = out->len[0] + out->len[1];
	struct flowi4 fl4;
	struct sk_buff *skb;
	struct rtable *rt;
	int hlen;

	skb = alloc_skb(MAX_HEADER + sizeof(struct iphdr) + ALTTCP_MAX_HEADER +
			len, GFP_ATOMIC);
	if (!skb)
		return;		/* as a loss on the wire: the core retransmits */
	skb_reserve(skb, MAX_HEADER + sizeof(struct iphdr) + ALTTCP_MAX_HEADER);
	if (out->len[0])
		skb_put_data(skb, out->data[0], out->len[0]);
	if (out->len[1])
		skb_put_data(skb, out->data[1], out->len[1]);

	hlen = at_write_tcp_header(out, skb->data - ALTTCP_MAX_HEADER,
				   ALTTCP_MAX_HEADER);
	if (WARN_ON_ONCE(hlen <= 0 || hlen > ALTTCP_MAX_HEADER))
		goto err_free;
	/* at_write_tcp_header() writes from the start of its buffer. */
	memmove(skb->data - hlen, skb->data - ALTTCP_MAX_HEADER, hlen);
	skb_push(skb, hlen);
	skb_reset_transport_header(skb);

	rt = route(an->net, &fl4, daddr, saddr,
		   htons(out->tuple.rport), htons(out->tuple.lport));
	if (IS_ERR(rt))
		goto err_free;
	set_checksum(skb, saddr, daddr);
	push_ip_header(skb, rt, saddr, daddr);
	skb_dst_set(skb, &rt->dst);
	skb->protocol = htons(ETH_P_IP);
	ip_local_out(an->net, NULL, skb);
	return;

err_free:
	kfree_skb(skb);
}
