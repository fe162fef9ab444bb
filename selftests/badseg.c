// SPDX-License-Identifier: GPL-2.0
/*
 * badseg: send hand-made, mostly malformed, IPv4/TCP segments for
 * malformed.sh.  Whole IP packets go out of a packet socket on one device
 * (a raw IP_HDRINCL socket would rewrite the IP total length), so every
 * field is ours: checksums, data offsets, options, lengths, fragments.
 * Only for addresses inside the test's own network namespaces.
 *
 *   badseg -i DEV -m DST_MAC -s SRC -S SPORT -d DST -D DPORT
 *          [-q SEQ] [-a ACK] [-k] CASE...
 *
 * SEQ and ACK are the exact values the receiver expects (its RCV.NXT and
 * SND.NXT for a connection); each CASE derives its own from them.  With
 * -k the n-th CASE (from 0) comes from source port SPORT + n, so that a
 * capture tells the answers apart.  One line per packet sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define F_FIN	0x01
#define F_SYN	0x02
#define F_RST	0x04
#define F_PSH	0x08
#define F_ACK	0x10
#define F_URG	0x20
#define F_ECE	0x40
#define F_CWR	0x80

#define FAR	0x40000000u	/* a quarter of the sequence space away */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* What one case puts on the wire. */
struct seg {
	uint8_t flags;
	uint32_t seq, ack;
	uint8_t topt[40];	/* TCP options */
	int topt_len;
	int doff;		/* data offset in words; 0: from the options */
	int data_len;		/* payload bytes */
	uint8_t ipopt[40];	/* IP options */
	int ipopt_len;
	int tot_len;		/* IP total length; 0: the real one */
	int tot_extra;		/* added to the real IP total length */
	bool bad_csum;		/* a wrong TCP checksum */
	bool frag;		/* two IP fragments: 16 bytes of TCP, the rest */
};

static const uint8_t mss_opt[4] = { 2, 4, 1460 >> 8, 1460 & 0xff };

static void add_opt(struct seg *s, const uint8_t *o, int len)
{
	memcpy(s->topt + s->topt_len, o, len);
	s->topt_len += len;
}

static void syn(struct seg *s)
{
	s->flags = F_SYN;
	add_opt(s, mss_opt, sizeof(mss_opt));
}

/* ---------------------------------------------------------- the cases */

/* To a listener: a SYN, broken so that it must be dropped (and counted). */
static void c_csum(struct seg *s)	{ syn(s); s->bad_csum = true; }
static void c_short(struct seg *s)	{ syn(s); s->tot_len = 20 + 10; }
static void c_doff4(struct seg *s)	{ s->flags = F_SYN; s->doff = 4; }
static void c_doffbig(struct seg *s)	{ s->flags = F_SYN; s->doff = 15; }
static void c_iplong(struct seg *s)	{ syn(s); s->tot_extra = 20; }
static void c_ipshort(struct seg *s)	{ syn(s); s->tot_len = 16; }

/* To a listener: odd but valid, a SYN the listener must answer. */
static void c_syn(struct seg *s)	{ syn(s); }

static void c_ipopt(struct seg *s)
{
	static const uint8_t nops[4] = { 1, 1, 1, 0 };	/* NOP NOP NOP EOL */

	syn(s);
	memcpy(s->ipopt, nops, sizeof(nops));
	s->ipopt_len = sizeof(nops);
}

/* Option parsing stops at the bad one, as Linux's tcp_parse_options(). */
static void c_optlen0(struct seg *s)
{
	static const uint8_t o[4] = { 3, 0, 7, 0 };	/* WS, length 0 */

	syn(s);
	add_opt(s, o, sizeof(o));
}

static void c_optlen1(struct seg *s)
{
	static const uint8_t o[4] = { 8, 1, 0, 0 };	/* TS, length 1 */

	syn(s);
	add_opt(s, o, sizeof(o));
}

static void c_optover(struct seg *s)
{
	static const uint8_t o[4] = { 2, 8, 1460 >> 8, 1460 & 0xff };

	syn(s);			/* an MSS of length 8 with 4 bytes left */
	add_opt(s, o, sizeof(o));
}

static void c_frag(struct seg *s)	{ syn(s); s->frag = true; }

/* To a listener: flag nonsense. */
static void c_synfin(struct seg *s)	{ s->flags = F_SYN | F_FIN; }
static void c_synrst(struct seg *s)	{ s->flags = F_SYN | F_RST; }
static void c_null(struct seg *s)	{ (void)s; }	/* all zero */
static void c_xmas(struct seg *s)	{ s->flags = 0xff; }
static void c_fin(struct seg *s)	{ s->flags = F_FIN; }
static void c_rst(struct seg *s)	{ s->flags = F_RST; }
static void c_ack(struct seg *s)	{ s->flags = F_ACK; }

/* To a connection (SEQ = its RCV.NXT, ACK = its SND.NXT). */
static void c_rst_csum(struct seg *s)	{ s->flags = F_RST; s->bad_csum = true; }
static void c_rst_doff(struct seg *s)	{ s->flags = F_RST; s->doff = 15; }
static void c_rst_oow(struct seg *s)	{ s->flags = F_RST; s->seq += FAR; }
static void c_rst_inwin(struct seg *s)	{ s->flags = F_RST; s->seq += 1; }
static void c_syn_inwin(struct seg *s)	{ syn(s); s->seq += 1; }
static void c_syn_oow(struct seg *s)	{ syn(s); s->seq += FAR; }
static void c_ack_old(struct seg *s)	{ s->flags = F_ACK; s->ack -= FAR; }

static void c_data_oow(struct seg *s)
{
	s->flags = F_ACK | F_PSH;
	s->seq += FAR;
	s->data_len = 100;
}

static const struct {
	const char *name;
	void (*make)(struct seg *s);
	const char *what;
} cases[] = {
	{ "csum",	c_csum,		"SYN with a wrong TCP checksum" },
	{ "short",	c_short,	"SYN cut to 10 bytes of TCP header by the IP total length" },
	{ "doff4",	c_doff4,	"SYN with data offset 4 (16 bytes)" },
	{ "doffbig",	c_doffbig,	"SYN with data offset 15, 20 bytes of header" },
	{ "iplong",	c_iplong,	"SYN, IP total length 20 past the packet" },
	{ "ipshort",	c_ipshort,	"SYN, IP total length 16 (< the IP header)" },
	{ "syn",	c_syn,		"SYN with an MSS option" },
	{ "ipopt",	c_ipopt,	"SYN under 4 bytes of IP options (NOP NOP NOP EOL)" },
	{ "optlen0",	c_optlen0,	"SYN, MSS then an option of length 0" },
	{ "optlen1",	c_optlen1,	"SYN, MSS then an option of length 1" },
	{ "optover",	c_optover,	"SYN, MSS then an option past the header" },
	{ "frag",	c_frag,		"SYN in two IP fragments (16 + 8 bytes)" },
	{ "synfin",	c_synfin,	"SYN+FIN" },
	{ "synrst",	c_synrst,	"SYN+RST" },
	{ "null",	c_null,		"no flag at all" },
	{ "xmas",	c_xmas,		"all eight flags" },
	{ "fin",	c_fin,		"FIN alone" },
	{ "rst",	c_rst,		"RST alone" },
	{ "ack",	c_ack,		"ACK of ACK" },
	{ "rst_csum",	c_rst_csum,	"exact RST with a wrong TCP checksum" },
	{ "rst_doff",	c_rst_doff,	"exact RST with data offset 15" },
	{ "rst_oow",	c_rst_oow,	"RST out of the window" },
	{ "rst_inwin",	c_rst_inwin,	"RST in the window, not at RCV.NXT" },
	{ "syn_inwin",	c_syn_inwin,	"SYN in the window" },
	{ "syn_oow",	c_syn_oow,	"SYN out of the window" },
	{ "ack_old",	c_ack_old,	"ACK far below SND.UNA" },
	{ "data_oow",	c_data_oow,	"100 bytes of data out of the window" },
};

/* ---------------------------------------------------------- packets */

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; len -= 2, p += 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static void ip_header(uint8_t *ip, int ihl, int tot_len, uint16_t id,
		      uint16_t frag, const struct in_addr *src,
		      const struct in_addr *dst)
{
	ip[0] = 0x40 | ihl / 4;
	ip[1] = 0;
	put16(ip + 2, tot_len);
	put16(ip + 4, id);
	put16(ip + 6, frag);
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	put16(ip + 10, 0);
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	put16(ip + 10, csum_fold(csum_add(0, ip, ihl)));
}

struct wire {
	int fd;
	struct sockaddr_ll to;
	struct in_addr src, dst;
};

static void xmit(const struct wire *w, const uint8_t *pkt, size_t len)
{
	if (sendto(w->fd, pkt, len, 0, (const struct sockaddr *)&w->to,
		   sizeof(w->to)) != (ssize_t)len) {
		perror("sendto");
		exit(1);
	}
}

/* Build one segment from sport to dport and send it (or its fragments). */
static void send_seg(const struct wire *w, const struct seg *s,
		     uint16_t sport, uint16_t dport, uint16_t id)
{
	uint8_t pkt[256], *ip = pkt, *th;
	int ihl = 20 + s->ipopt_len, thl = 20 + s->topt_len;
	int len = ihl + thl + s->data_len;
	uint32_t sum;

	memset(pkt, 0, sizeof(pkt));
	th = ip + ihl;
	memcpy(ip + 20, s->ipopt, s->ipopt_len);
	put16(th, sport);
	put16(th + 2, dport);
	put32(th + 4, s->seq);
	put32(th + 8, s->flags & F_ACK ? s->ack : 0);
	th[12] = (s->doff ? s->doff : thl / 4) << 4;
	th[13] = s->flags;
	put16(th + 14, 64240);
	memcpy(th + 20, s->topt, s->topt_len);
	memset(th + thl, 'x', s->data_len);
	/* pseudo header: addresses, protocol, TCP length */
	sum = csum_add(0, (const uint8_t *)&w->src, 4);
	sum = csum_add(sum, (const uint8_t *)&w->dst, 4);
	sum += IPPROTO_TCP + thl + s->data_len;
	put16(th + 16, csum_fold(csum_add(sum, th, thl + s->data_len)) ^
		       (s->bad_csum ? 0x0101 : 0));

	if (!s->frag) {
		ip_header(ip, ihl, s->tot_len ? s->tot_len : len + s->tot_extra,
			  id, 0, &w->src, &w->dst);
		xmit(w, pkt, len);
		return;
	}
	/* 16 bytes of TCP with MF, then the rest at offset 2 (x 8 bytes) */
	{
		uint8_t f2[256];
		int rest = thl + s->data_len - 16;

		ip_header(ip, ihl, ihl + 16, id, 0x2000, &w->src, &w->dst);
		xmit(w, pkt, ihl + 16);
		memcpy(f2, ip, ihl);
		memcpy(f2 + ihl, th + 16, rest);
		ip_header(f2, ihl, ihl + rest, id, 16 / 8, &w->src, &w->dst);
		xmit(w, f2, ihl + rest);
	}
}

/* ---------------------------------------------------------- main */

static void usage(void)
{
	size_t i;

	fprintf(stderr,
		"usage: badseg -i DEV -m DST_MAC -s SRC -S SPORT -d DST -D DPORT\n"
		"              [-q SEQ] [-a ACK] [-k] CASE...\n"
		"  -k  the n-th CASE from SPORT + n\nCASEs:\n");
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		fprintf(stderr, "  %-10s %s\n", cases[i].name, cases[i].what);
	exit(1);
}

static long port_arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || v < 1 || v > 65535)
		usage();
	return v;
}

static uint32_t u32_arg(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (*end || v > UINT32_MAX)
		usage();
	return (uint32_t)v;
}

int main(int argc, char **argv)
{
	long sport = 0, dport = 0;
	uint32_t seq = 1000, ack = 0x12345678;
	const char *dev = NULL;
	bool step = false;
	struct wire w;
	unsigned int mac[6];
	int opt, n, i;
	size_t k;

	memset(&w, 0, sizeof(w));
	w.to.sll_family = AF_PACKET;
	w.to.sll_protocol = htons(ETH_P_IP);
	while ((opt = getopt(argc, argv, "i:m:s:S:d:D:q:a:k")) != -1) {
		switch (opt) {
		case 'i':
			dev = optarg;
			break;
		case 'm':
			if (sscanf(optarg, "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1],
				   &mac[2], &mac[3], &mac[4], &mac[5]) != 6)
				usage();
			for (i = 0; i < 6; i++)
				w.to.sll_addr[i] = (uint8_t)mac[i];
			w.to.sll_halen = 6;
			break;
		case 's':
			if (inet_pton(AF_INET, optarg, &w.src) != 1)
				usage();
			break;
		case 'd':
			if (inet_pton(AF_INET, optarg, &w.dst) != 1)
				usage();
			break;
		case 'S':
			sport = port_arg(optarg);
			break;
		case 'D':
			dport = port_arg(optarg);
			break;
		case 'q':
			seq = u32_arg(optarg);
			break;
		case 'a':
			ack = u32_arg(optarg);
			break;
		case 'k':
			step = true;
			break;
		default:
			usage();
		}
	}
	if (!dev || !w.to.sll_halen || !w.src.s_addr || !w.dst.s_addr ||
	    !sport || !dport || optind == argc ||
	    (step && sport + argc - optind > 65536))
		usage();
	w.to.sll_ifindex = (int)if_nametoindex(dev);
	if (!w.to.sll_ifindex) {
		perror(dev);
		return 1;
	}
	w.fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	if (w.fd < 0) {
		perror("packet socket");
		return 1;
	}
	for (n = 0; optind + n < argc; n++) {
		const char *name = argv[optind + n];
		struct seg s;

		for (k = 0; k < ARRAY_SIZE(cases); k++)
			if (!strcmp(cases[k].name, name))
				break;
		if (k == ARRAY_SIZE(cases)) {
			fprintf(stderr, "badseg: unknown case '%s'\n", name);
			usage();
		}
		memset(&s, 0, sizeof(s));
		s.seq = seq;
		s.ack = ack;
		cases[k].make(&s);
		send_seg(&w, &s, sport + (step ? n : 0), dport,
			 (uint16_t)(getpid() + n));
		printf("sent %s sport=%ld seq=%u ack=%u\n", name,
		       sport + (step ? n : 0), s.seq,
		       s.flags & F_ACK ? s.ack : 0);
	}
	return 0;
}
