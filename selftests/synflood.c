// SPDX-License-Identifier: GPL-2.0
/*
 * synflood: send SYNs from spoofed sources, bounded in count and rate, for
 * the SYN-cookie selftest.  Only for addresses inside the test's own
 * network namespaces.
 *
 *   synflood -d DST -p PORT -s 10.99.0.0/16 -n COUNT -r PER_SECOND
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_COUNT	100000
#define MAX_RATE	100000

struct syn_packet {
	struct iphdr ip;
	struct tcphdr tcp;
	uint8_t mss[4];
} __attribute__((packed));

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Big-endian 16-bit words, read as bytes: char may alias the header. */
static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (; len > 1; len -= 2, p += 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static void tcp_checksum(struct syn_packet *pkt)
{
	uint32_t sum = IPPROTO_TCP + sizeof(pkt->tcp) + sizeof(pkt->mss);

	sum = csum_add(sum, &pkt->ip.saddr, 4);
	sum = csum_add(sum, &pkt->ip.daddr, 4);
	pkt->tcp.check = 0;
	sum = csum_add(sum, &pkt->tcp, sizeof(pkt->tcp) + sizeof(pkt->mss));
	pkt->tcp.check = htons(csum_fold(sum));
}

static void build(struct syn_packet *pkt, uint32_t saddr, uint32_t daddr,
		  uint16_t sport, uint16_t dport, uint32_t seq)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->ip.version = 4;
	pkt->ip.ihl = 5;
	pkt->ip.ttl = 64;
	pkt->ip.protocol = IPPROTO_TCP;
	pkt->ip.tot_len = htons(sizeof(*pkt));
	pkt->ip.saddr = saddr;
	pkt->ip.daddr = daddr;
	pkt->tcp.source = htons(sport);
	pkt->tcp.dest = htons(dport);
	pkt->tcp.seq = htonl(seq);
	pkt->tcp.doff = (sizeof(pkt->tcp) + sizeof(pkt->mss)) / 4;
	pkt->tcp.syn = 1;
	pkt->tcp.window = htons(64240);
	pkt->mss[0] = 2;	/* MSS 1460 */
	pkt->mss[1] = 4;
	pkt->mss[2] = 1460 >> 8;
	pkt->mss[3] = 1460 & 0xff;
	tcp_checksum(pkt);
}

static int parse_prefix(const char *arg, uint32_t *net, uint32_t *size)
{
	char buf[32], *slash;
	struct in_addr a;
	long bits;

	snprintf(buf, sizeof(buf), "%s", arg);
	slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	bits = strtol(slash + 1, NULL, 10);
	if (bits < 8 || bits > 30 || inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	*net = ntohl(a.s_addr) & ~((1u << (32 - bits)) - 1);
	*size = 1u << (32 - bits);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: synflood -d DST -p PORT -s NET/BITS -n COUNT -r RATE\n"
			"  COUNT <= %d, RATE <= %d SYNs per second\n",
		MAX_COUNT, MAX_RATE);
	exit(1);
}

int main(int argc, char **argv)
{
	uint32_t src_net = 0, src_size = 0, sent = 0;
	long count = 0, rate = 0, port = 0;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct timespec start, now;
	struct syn_packet pkt;
	int fd, opt, one = 1;

	while ((opt = getopt(argc, argv, "d:p:s:n:r:")) != -1) {
		switch (opt) {
		case 'd':
			if (inet_pton(AF_INET, optarg, &dst.sin_addr) != 1)
				usage();
			break;
		case 'p':
			port = strtol(optarg, NULL, 10);
			break;
		case 's':
			if (parse_prefix(optarg, &src_net, &src_size))
				usage();
			break;
		case 'n':
			count = strtol(optarg, NULL, 10);
			break;
		case 'r':
			rate = strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (!dst.sin_addr.s_addr || port < 1 || port > 65535 || !src_size ||
	    count < 1 || count > MAX_COUNT || rate < 1 || rate > MAX_RATE)
		usage();

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one))) {
		perror("raw socket");
		return 1;
	}
	srandom(getpid());
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (sent < count) {
		uint32_t host = 1 + (uint32_t)random() % (src_size - 2);
		double due = (double)sent / rate, elapsed;

		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (now.tv_sec - start.tv_sec) +
			  (now.tv_nsec - start.tv_nsec) / 1e9;
		if (elapsed < due) {
			usleep((useconds_t)((due - elapsed) * 1e6));
			continue;
		}
		build(&pkt, htonl(src_net + host), dst.sin_addr.s_addr,
		      1024 + random() % 60000, port, random());
		if (sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&dst,
			   sizeof(dst)) < 0) {
			perror("sendto");
			return 1;
		}
		sent++;
	}
	printf("sent %u SYNs\n", sent);
	return 0;
}
