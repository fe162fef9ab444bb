// SPDX-License-Identifier: GPL-2.0
/*
 * alttcp_connect: drive one end of TCP or alttcp connections from the
 * selftest scripts (in the spirit of the kernel's mptcp_connect.c).
 *
 * Data is a deterministic keyed stream, so the receiver checks every byte
 * without a file.  Results are printed as "key=value" lines on stdout and
 * errors as "what: strerror errno=NAME" on stderr, and the exit status says
 * what went wrong (see usage()), so scripts can match both exactly.
 *
 * Only libc.  Build: make -C selftests
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "../include/uapi/linux/alttcp.h"

/* Exit codes.  4 is left out: kselftest reads it as "skip". */
#define EX_OK		0
#define EX_ERR		1	/* usage, setup, unexpected errno */
#define EX_TIMEDOUT	2	/* ETIMEDOUT */
#define EX_REFUSED	3	/* ECONNREFUSED */
#define EX_RESET	5	/* ECONNRESET */
#define EX_PIPE		6	/* EPIPE */
#define EX_DATA		7	/* received data wrong or short */
#define EX_NOPROTO	8	/* EPROTONOSUPPORT and friends from socket() */
#define EX_ALARM	9	/* the -t deadline passed */
#define EX_UNREACH	10	/* EHOSTUNREACH, ENETUNREACH */
#define EX_ERRNO	11	/* any other errno of a socket call */

#define BUF_SIZE	(256 * 1024)
#define MAX_CONNS	16384

struct opts {
	bool listen, probe, rx, nonblock, shut_wr, close_unread, wait_eof;
	bool recv_first, nodelay, verbose, keepalive, sigpipe;
	const char *addr;
	int port, local_port;
	int proto;
	const char *proto_name;
	int nconns;
	uint64_t tx_bytes;
	int64_t expect;		/* -1: any */
	uint64_t seed;
	int timeout_s;
	int linger;		/* -1: leave */
	int sleep_before_close_ms, hold_ms;
	int64_t close_at_ms;	/* CLOCK_REALTIME ms, 0: none */
	int ka_idle, ka_intvl, ka_cnt;	/* 0: the namespace's default */
	int syncnt, user_timeout_ms;
	int backlog;
	int sol;		/* level of the TCP_* options */
	const char *steps;
	const char *netns;
};

static struct opts o = {
	.port = -1,
	.proto = IPPROTO_TCP,
	.proto_name = "tcp",
	.nconns = 1,
	.expect = -1,
	.seed = 1,
	.timeout_s = 60,
	.linger = -1,
	.syncnt = -1,
	.user_timeout_ms = -1,
	.backlog = 128,
	.sol = SOL_TCP,
};

struct conn {
	int fd;
	uint64_t tx_off, rx_off;
	bool rx_eof, tx_done, shut;
	short seen;		/* union of poll revents */
	uint64_t t0_ns, t_end_ns;
	unsigned char *buf;	/* scratch of BUF_SIZE */
};

static const char *volatile phase = "start";
static unsigned char sbuf[BUF_SIZE], rbuf[BUF_SIZE], ebuf[BUF_SIZE];

/* ------------------------------------------------------------- helpers */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int64_t realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static const char *errname(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "E?";
}

static int errno_exit(int err)
{
	switch (err) {
	case ETIMEDOUT:		return EX_TIMEDOUT;
	case ECONNREFUSED:	return EX_REFUSED;
	case ECONNRESET:	return EX_RESET;
	case EPIPE:		return EX_PIPE;
	case EPROTONOSUPPORT:
	case ESOCKTNOSUPPORT:
	case EAFNOSUPPORT:
	case EPFNOSUPPORT:	return EX_NOPROTO;
	case EHOSTUNREACH:
	case ENETUNREACH:	return EX_UNREACH;
	default:		return EX_ERRNO;
	}
}

/* "what: strerror errno=NAME [extra]" on stderr, then exit by errno. */
static void __attribute__((noreturn, format(printf, 3, 4)))
die_errno(int err, const char *what, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: %s errno=%s", what, strerror(err), errname(err));
	if (fmt) {
		fputc(' ', stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
	fputc('\n', stderr);
	exit(errno_exit(err));
}

static void __attribute__((noreturn, format(printf, 2, 3)))
die(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void on_alarm(int sig)
{
	char msg[160];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg), "timeout: -t %d s expired (phase %s)\n",
		     o.timeout_s, phase);
	if (n > 0 && write(2, msg, n) < 0)
		_exit(EX_ALARM);
	_exit(EX_ALARM);
}

static const char *events_str(short ev)
{
	static const struct { short bit; const char *name; } names[] = {
		{ POLLIN, "POLLIN" }, { POLLPRI, "POLLPRI" },
		{ POLLOUT, "POLLOUT" }, { POLLERR, "POLLERR" },
		{ POLLHUP, "POLLHUP" }, { POLLRDHUP, "POLLRDHUP" },
		{ POLLNVAL, "POLLNVAL" },
	};
	static char s[128];
	size_t i;

	s[0] = 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(ev & names[i].bit))
			continue;
		if (s[0])
			strcat(s, "|");
		strcat(s, names[i].name);
	}
	if (!s[0])
		strcpy(s, "0");
	return s;
}

static const char *sa_str(const struct sockaddr_in *sa)
{
	static char s[2][48];
	static int k;
	char ip[INET_ADDRSTRLEN];

	k ^= 1;
	inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof(ip));
	snprintf(s[k], sizeof(s[k]), "%s:%u", ip, ntohs(sa->sin_port));
	return s[k];
}

static const char *local_str(int fd)
{
	struct sockaddr_in sa;
	socklen_t l = sizeof(sa);

	memset(&sa, 0, sizeof(sa));
	if (getsockname(fd, (struct sockaddr *)&sa, &l))
		return "?";
	return sa_str(&sa);
}

static const char *peer_str(int fd)
{
	struct sockaddr_in sa;
	socklen_t l = sizeof(sa);

	memset(&sa, 0, sizeof(sa));
	if (getpeername(fd, (struct sockaddr *)&sa, &l))
		return "?";
	return sa_str(&sa);
}

static int sock_error(int fd)
{
	int err = 0;
	socklen_t l = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l))
		return errno;
	return err;
}

/* --------------------------------------------------------- data pattern */

/*
 * Byte i of the stream with key K is byte (i % 8) of mix64(i / 8 ^ K'),
 * little endian.  The key of a direction is 2 * seed + (server sends), so
 * an echo or a crossed stream does not verify.
 */
static inline uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void pattern(uint64_t key, uint64_t off, unsigned char *p, size_t len)
{
	uint64_t k = key * 0xd6e8feb86659fd93ull;

	while (len) {
		uint64_t v = mix64((off >> 3) ^ k);
		unsigned int s = off & 7;

		if (s == 0 && len >= 8) {
			int i;

			for (i = 0; i < 8; i++)
				p[i] = v >> (8 * i);
			p += 8;
			off += 8;
			len -= 8;
			continue;
		}
		*p++ = v >> (8 * s);
		off++;
		len--;
	}
}

static uint64_t tx_key(void)
{
	return o.seed * 2 + (o.listen ? 1 : 0);
}

static uint64_t rx_key(void)
{
	return o.seed * 2 + (o.listen ? 0 : 1);
}

/* Check LEN received bytes at stream offset OFF. */
static void verify(const unsigned char *p, uint64_t off, size_t len)
{
	size_t i;

	pattern(rx_key(), off, ebuf, len);
	if (!memcmp(p, ebuf, len))
		return;
	for (i = 0; i < len && p[i] == ebuf[i]; i++)
		;
	die(EX_DATA, "received: MISMATCH at offset %llu: got 0x%02x want 0x%02x",
	    (unsigned long long)(off + i), p[i], ebuf[i]);
}

/* ------------------------------------------------------- socket options */

static void setopt(int fd, int level, int name, int val, const char *what)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)))
		die_errno(errno, "setsockopt", "%s=%d", what, val);
}

static void set_linger(int fd, int secs)
{
	struct linger l = { .l_onoff = 1, .l_linger = secs };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)))
		die_errno(errno, "setsockopt", "SO_LINGER=%d", secs);
}

/* Options that apply to a connected or connecting socket. */
static void conn_opts(int fd)
{
	if (o.nodelay)
		setopt(fd, o.sol, TCP_NODELAY, 1, "TCP_NODELAY");
	if (o.keepalive) {
		setopt(fd, SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE");
		if (o.ka_idle)
			setopt(fd, o.sol, TCP_KEEPIDLE, o.ka_idle, "TCP_KEEPIDLE");
		if (o.ka_intvl)
			setopt(fd, o.sol, TCP_KEEPINTVL, o.ka_intvl, "TCP_KEEPINTVL");
		if (o.ka_cnt)
			setopt(fd, o.sol, TCP_KEEPCNT, o.ka_cnt, "TCP_KEEPCNT");
	}
	if (o.user_timeout_ms >= 0)
		setopt(fd, o.sol, TCP_USER_TIMEOUT, o.user_timeout_ms,
		       "TCP_USER_TIMEOUT");
	if (o.linger >= 0)
		set_linger(fd, o.linger);
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
		die_errno(errno, "fcntl", "O_NONBLOCK");
}

static int new_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, o.proto);

	if (fd < 0)
		die_errno(errno, "socket", "proto=%s(%d)", o.proto_name, o.proto);
	return fd;
}

static struct sockaddr_in make_addr(const char *ip, int port)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	if (inet_pton(AF_INET, ip, &sa.sin_addr) != 1)
		die(EX_ERR, "bad IPv4 address '%s'", ip);
	return sa;
}

/* ------------------------------------------------------------ transfer */

static const char *tcp_state_name(int st)
{
	static const char *const n[] = {
		"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
		"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
		"LISTEN", "CLOSING", "NEW_SYN_RECV",
	};

	return st > 0 && st < (int)(sizeof(n) / sizeof(n[0])) ? n[st] : "?";
}

static void report_xfer(struct conn *c)
{
	uint64_t ns = (c->t_end_ns ? c->t_end_ns : now_ns()) - c->t0_ns;
	uint64_t bytes = c->tx_off > c->rx_off ? c->tx_off : c->rx_off;
	double s = ns / 1e9;

	if (!c->t0_ns || (!c->tx_off && !c->rx_off))
		return;
	printf("xfer_ms=%llu tx_bytes=%llu rx_bytes=%llu mbit_s=%.1f\n",
	       (unsigned long long)(ns / 1000000),
	       (unsigned long long)c->tx_off, (unsigned long long)c->rx_off,
	       s > 0 ? bytes * 8 / s / 1e6 : 0.0);
}

static void rx_done(struct conn *c)
{
	c->rx_eof = true;
	if (o.rx) {
		if (o.expect >= 0 && c->rx_off != (uint64_t)o.expect)
			die(EX_DATA, "received %llu bytes: expected %lld",
			    (unsigned long long)c->rx_off, (long long)o.expect);
		printf("received %llu bytes ok\n", (unsigned long long)c->rx_off);
	} else {
		printf("eof after %llu bytes\n", (unsigned long long)c->rx_off);
	}
}

/* One recv; returns false on EAGAIN.  Dies on errors. */
static bool do_recv(struct conn *c, int flags)
{
	ssize_t n = recv(c->fd, rbuf, sizeof(rbuf), flags);

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return false;
		die_errno(errno, "recv", "after=%llu", (unsigned long long)c->rx_off);
	}
	if (n == 0) {
		rx_done(c);
		return false;
	}
	if (o.rx)
		verify(rbuf, c->rx_off, n);
	c->rx_off += n;
	return true;
}

static void tx_finished(struct conn *c)
{
	c->tx_done = true;
	if (o.tx_bytes)
		printf("sent %llu bytes\n", (unsigned long long)c->tx_off);
	if (o.shut_wr && !c->shut) {
		if (shutdown(c->fd, SHUT_WR))
			die_errno(errno, "shutdown", "SHUT_WR");
		c->shut = true;
		printf("shutdown SHUT_WR\n");
	}
}

/* One send of up to BUF_SIZE; returns false on EAGAIN.  Dies on errors. */
static bool do_send(struct conn *c, int flags)
{
	size_t len = o.tx_bytes - c->tx_off;
	ssize_t n;

	if (len > sizeof(sbuf))
		len = sizeof(sbuf);
	pattern(tx_key(), c->tx_off, sbuf, len);
	n = send(c->fd, sbuf, len, flags | MSG_NOSIGNAL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return false;
		die_errno(errno, "send", "after=%llu", (unsigned long long)c->tx_off);
	}
	c->tx_off += n;
	if (c->tx_off == o.tx_bytes)
		tx_finished(c);
	return true;
}

static bool want_rx(const struct conn *c)
{
	return !c->rx_eof && (o.rx || o.wait_eof || o.recv_first);
}

static bool want_tx(const struct conn *c)
{
	return !c->tx_done && (!o.recv_first || c->rx_eof);
}

/* Blocking transfer on one connection: plain blocking send()/recv(). */
static void xfer_blocking(struct conn *c)
{
	phase = "transfer";
	c->t0_ns = now_ns();
	if (o.recv_first)
		while (!c->rx_eof)
			do_recv(c, 0);
	if (!o.tx_bytes)
		tx_finished(c);
	while (!c->tx_done)
		do_send(c, 0);
	while (want_rx(c))
		do_recv(c, 0);
	c->t_end_ns = now_ns();
}

/* poll()-driven transfer on all connections, MSG_DONTWAIT. */
static void xfer_poll(struct conn *cs, int n)
{
	static struct pollfd pfd[MAX_CONNS];
	int i, active;

	phase = "transfer";
	for (i = 0; i < n; i++) {
		cs[i].t0_ns = now_ns();
		if (!o.tx_bytes && !o.recv_first)
			tx_finished(&cs[i]);
	}
	for (;;) {
		active = 0;
		for (i = 0; i < n; i++) {
			struct conn *c = &cs[i];

			if (!o.tx_bytes && o.recv_first && c->rx_eof && !c->tx_done)
				tx_finished(c);
			pfd[i].fd = c->fd;
			pfd[i].events = 0;
			pfd[i].revents = 0;
			if (want_rx(c))
				pfd[i].events |= POLLIN | POLLRDHUP;
			if (want_tx(c))
				pfd[i].events |= POLLOUT;
			if (pfd[i].events)
				active++;
			else if (!c->t_end_ns)
				c->t_end_ns = now_ns();
			if (!pfd[i].events)
				pfd[i].fd = -1;
		}
		if (!active)
			break;
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			die_errno(errno, "poll", NULL);
		}
		for (i = 0; i < n; i++) {
			struct conn *c = &cs[i];
			short ev = pfd[i].revents;
			int k;

			if (!ev)
				continue;
			if (o.verbose && (ev | c->seen) != c->seen)
				printf("conn%d events=%s\n", i, events_str(ev));
			c->seen |= ev;
			/* Read before looking at errors: data ahead of an RST. */
			if (ev & (POLLIN | POLLRDHUP | POLLHUP | POLLERR)) {
				for (k = 0; k < 64 && want_rx(c); k++)
					if (!do_recv(c, MSG_DONTWAIT))
						break;
			}
			if (ev & POLLERR) {
				int err = sock_error(c->fd);

				if (err)
					die_errno(err, "socket", "after rx=%llu tx=%llu",
						  (unsigned long long)c->rx_off,
						  (unsigned long long)c->tx_off);
			}
			if (want_tx(c) && (ev & (POLLOUT | POLLHUP | POLLERR))) {
				for (k = 0; k < 64 && want_tx(c); k++)
					if (!do_send(c, MSG_DONTWAIT))
						break;
			}
		}
	}
	for (i = 0; i < n; i++)
		if (o.nonblock || o.verbose)
			printf("events_seen=%s\n", events_str(cs[i].seen));
}

/*
 * --hold: keep the connections open and idle for MS, but fail at once with
 * the socket's error if one arrives (keepalive timeout, RST...).
 */
static void hold(struct conn *cs, int n, int ms)
{
	static struct pollfd pfd[MAX_CONNS];
	uint64_t end = now_ns() + (uint64_t)ms * 1000000;
	int i;

	phase = "hold";
	for (;;) {
		int64_t left = (int64_t)(end - now_ns()) / 1000000;
		int r;

		if ((int64_t)(end - now_ns()) <= 0)
			break;
		for (i = 0; i < n; i++) {
			pfd[i].fd = cs[i].fd;
			pfd[i].events = cs[i].rx_eof ? 0 : POLLIN | POLLRDHUP;
			pfd[i].revents = 0;
		}
		r = poll(pfd, n, left + 1);
		if (r < 0 && errno != EINTR)
			die_errno(errno, "poll", NULL);
		if (r <= 0)
			continue;
		for (i = 0; i < n; i++) {
			struct conn *c = &cs[i];
			short ev = pfd[i].revents;

			if (ev & POLLERR) {
				int err = sock_error(c->fd);

				if (err)
					die_errno(err, "hold", "after_ms=%llu",
						  (unsigned long long)(ms - (int64_t)(end - now_ns()) / 1000000));
			}
			if (ev & (POLLIN | POLLRDHUP)) {
				while (!c->rx_eof && do_recv(c, MSG_DONTWAIT))
					;
			}
			if ((ev & POLLHUP) && !(ev & POLLERR) && c->rx_eof) {
				/* Nothing can happen on it any more. */
				pfd[i].fd = -1;
				sleep_ms((int64_t)(end - now_ns()) / 1000000);
			}
		}
	}
}

static void close_conn(struct conn *c)
{
	phase = "close";
	if (o.wait_eof)
		while (!c->rx_eof)
			do_recv(c, 0);
	if (o.close_unread) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };

		/* Data must have arrived for close() to turn into an RST. */
		while (poll(&p, 1, -1) < 0 && errno == EINTR)
			;
		printf("close_unread=%s\n", events_str(p.revents));
	}
	sleep_ms(o.sleep_before_close_ms);
	if (o.close_at_ms)
		sleep_ms(o.close_at_ms - realtime_ms());
	if (close(c->fd))
		die_errno(errno, "close", NULL);
	c->fd = -1;
}

/* ---------------------------------------------------------------- steps */

/*
 * --do STEP,STEP,...: a scripted sequence on the (single) connection instead
 * of the transfer.  Each step prints one line; errors are printed, not fatal.
 */
static int parse_events(const char *s)
{
	int ev = 0;

	if (strstr(s, "in"))
		ev |= POLLIN;
	if (strstr(s, "out"))
		ev |= POLLOUT;
	if (strstr(s, "rdhup"))
		ev |= POLLRDHUP;
	if (strstr(s, "all"))
		ev |= POLLIN | POLLOUT | POLLRDHUP;
	return ev;
}

static bool run_step(struct conn *c, char *step)
{
	char *arg = strchr(step, ':');
	long v = 0;

	if (arg) {
		*arg++ = 0;
		v = strtol(arg, NULL, 0);
	}
	if (!strcmp(step, "poll")) {
		/* poll:EVENTS[:MS], EVENTS a mix of in,out,rdhup or all */
		char *ms = arg ? strchr(arg, ':') : NULL;
		struct pollfd p = { .fd = c->fd };
		int r;

		p.events = arg ? parse_events(arg) : POLLIN | POLLOUT | POLLRDHUP;
		do
			r = poll(&p, 1, ms ? atoi(ms + 1) : 5000);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			printf("poll=errno=%s\n", errname(errno));
		else
			printf("poll=%s\n", r ? events_str(p.revents) : "timeout");
	} else if (!strcmp(step, "send")) {
		ssize_t n;

		if (v <= 0 || v > BUF_SIZE)
			v = 1000;
		pattern(tx_key(), c->tx_off, sbuf, v);
		n = send(c->fd, sbuf, v, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			printf("send=errno=%s\n", errname(errno));
		} else {
			c->tx_off += n;
			printf("send=%zd\n", n);
		}
	} else if (!strcmp(step, "recv")) {
		ssize_t n = recv(c->fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);

		if (n < 0) {
			printf("recv=errno=%s\n", errname(errno));
		} else if (n == 0) {
			printf("recv=EOF\n");
		} else {
			verify(rbuf, c->rx_off, n);
			c->rx_off += n;
			printf("recv=%zd\n", n);
		}
	} else if (!strcmp(step, "recvall")) {
		/* blocking, until EOF or error */
		ssize_t n;
		uint64_t tot = 0;

		while ((n = recv(c->fd, rbuf, sizeof(rbuf), 0)) > 0) {
			verify(rbuf, c->rx_off, n);
			c->rx_off += n;
			tot += n;
		}
		if (n < 0)
			printf("recvall=%llu errno=%s\n", (unsigned long long)tot,
			       errname(errno));
		else
			printf("recvall=%llu EOF\n", (unsigned long long)tot);
	} else if (!strcmp(step, "soerror")) {
		int err = sock_error(c->fd);

		printf("so_error=%s\n", err ? errname(err) : "0");
	} else if (!strcmp(step, "state")) {
		struct tcp_info ti;
		socklen_t l = sizeof(ti);

		if (getsockopt(c->fd, o.sol, TCP_INFO, &ti, &l))
			printf("state=errno=%s\n", errname(errno));
		else
			printf("state=%s\n", tcp_state_name(ti.tcpi_state));
	} else if (!strcmp(step, "shutwr") || !strcmp(step, "shutrd")) {
		int how = step[4] == 'w' ? SHUT_WR : SHUT_RD;

		if (shutdown(c->fd, how))
			printf("%s=errno=%s\n", step, errname(errno));
		else
			printf("%s=0\n", step);
	} else if (!strcmp(step, "sleep")) {
		sleep_ms(v);
	} else if (!strcmp(step, "linger0")) {
		set_linger(c->fd, 0);
		printf("linger0=0\n");
	} else if (!strcmp(step, "close")) {
		if (close(c->fd))
			printf("close=errno=%s\n", errname(errno));
		else
			printf("close=0\n");
		c->fd = -1;
		return false;
	} else {
		die(EX_ERR, "--do: unknown step '%s'", step);
	}
	return true;
}

static void run_steps(struct conn *c)
{
	char *s = strdup(o.steps), *save = NULL, *tok;

	phase = "steps";
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (c->fd < 0 && strncmp(tok, "sleep", 5))
			die(EX_ERR, "--do: step '%s' after close", tok);
		run_step(c, tok);
	}
	free(s);
}

/* ----------------------------------------------------------- the roles */

static void finish(struct conn *cs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		report_xfer(&cs[i]);
	if (o.hold_ms)
		hold(cs, n, o.hold_ms);
	for (i = 0; i < n; i++)
		if (cs[i].fd >= 0)
			close_conn(&cs[i]);
}

static void handle(struct conn *cs, int n)
{
	if (o.steps) {
		run_steps(&cs[0]);
		if (cs[0].fd < 0)
			return;
	} else if (n == 1 && !o.nonblock && !o.close_unread) {
		xfer_blocking(&cs[0]);
	} else if (!o.close_unread) {
		xfer_poll(cs, n);
	} else {
		/* send only: what the peer sends stays unread */
		int i;

		for (i = 0; i < n; i++) {
			cs[i].t0_ns = now_ns();
			while (cs[i].tx_off < o.tx_bytes)
				do_send(&cs[i], 0);
		}
	}
	finish(cs, n);
}

static void print_connect_error(int err, uint64_t t0)
{
	die_errno(err, "connect", "connect_ms=%llu",
		  (unsigned long long)((now_ns() - t0) / 1000000));
}

static int do_connect(void)
{
	struct sockaddr_in sa = make_addr(o.addr, o.port);
	uint64_t t0;
	int fd = new_socket();

	if (o.syncnt >= 0)
		setopt(fd, o.sol, TCP_SYNCNT, o.syncnt, "TCP_SYNCNT");
	conn_opts(fd);
	if (o.local_port) {
		struct sockaddr_in la;

		memset(&la, 0, sizeof(la));
		la.sin_family = AF_INET;
		la.sin_port = htons(o.local_port);
		setopt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
		if (bind(fd, (struct sockaddr *)&la, sizeof(la)))
			die_errno(errno, "bind", "port=%d", o.local_port);
	}
	if (o.nonblock)
		set_nonblock(fd);

	phase = "connect";
	t0 = now_ns();
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		int err;

		if (!o.nonblock || errno != EINPROGRESS)
			print_connect_error(errno, t0);
		printf("connect=EINPROGRESS\n");
		while (poll(&p, 1, -1) < 0) {
			if (errno != EINTR)
				die_errno(errno, "poll", NULL);
		}
		printf("connect_poll=%s\n", events_str(p.revents));
		err = sock_error(fd);
		printf("so_error=%s\n", err ? errname(err) : "0");
		if (err)
			print_connect_error(err, t0);
	}
	printf("connected local=%s peer=%s connect_ms=%llu\n", local_str(fd),
	       peer_str(fd), (unsigned long long)((now_ns() - t0) / 1000000));
	return fd;
}

static void client(void)
{
	struct conn *cs = calloc(o.nconns, sizeof(*cs));
	int i;

	if (!cs)
		die(EX_ERR, "out of memory");
	for (i = 0; i < o.nconns; i++)
		cs[i].fd = do_connect();
	if (o.nconns > 1)
		printf("connections=%d\n", o.nconns);
	handle(cs, o.nconns);
}

static int do_accept(int lfd)
{
	struct sockaddr_in sa;
	socklen_t l = sizeof(sa);
	int fd;

	phase = "accept";
	for (;;) {
		fd = accept(lfd, (struct sockaddr *)&sa, &l);
		if (fd >= 0)
			break;
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EAGAIN && o.nonblock) {
			struct pollfd p = { .fd = lfd, .events = POLLIN };

			while (poll(&p, 1, -1) < 0 && errno == EINTR)
				;
			printf("accept_poll=%s\n", events_str(p.revents));
			continue;
		}
		die_errno(errno, "accept", NULL);
	}
	if (o.nonblock)
		set_nonblock(fd);
	conn_opts(fd);
	printf("accepted local=%s peer=%s\n", local_str(fd), sa_str(&sa));
	return fd;
}

static void server(void)
{
	struct sockaddr_in sa = make_addr(o.addr, o.port);
	int lfd = new_socket(), i;
	struct conn *cs = calloc(o.nconns, sizeof(*cs));

	if (!cs)
		die(EX_ERR, "out of memory");
	setopt(lfd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)))
		die_errno(errno, "bind", "%s", sa_str(&sa));
	if (listen(lfd, o.backlog > o.nconns ? o.backlog : o.nconns))
		die_errno(errno, "listen", NULL);
	if (o.nonblock) {
		set_nonblock(lfd);
		if (accept(lfd, NULL, NULL) >= 0)
			die(EX_ERR, "accept: succeeded before any client");
		printf("accept=%s\n", errname(errno));
	}
	/* Scripts wait for this line before they start the client. */
	printf("listening on %s\n", local_str(lfd));

	if (o.nonblock || o.nconns == 1) {
		/* all connections first, then all of them together */
		for (i = 0; i < o.nconns; i++)
			cs[i].fd = do_accept(lfd);
		close(lfd);
		handle(cs, o.nconns);
	} else {
		/* one after the other, each to the end */
		for (i = 0; i < o.nconns; i++) {
			cs[i].fd = do_accept(lfd);
			handle(&cs[i], 1);
		}
		close(lfd);
	}
	if (o.nconns > 1)
		printf("served=%d\n", o.nconns);
}

/* ------------------------------------------------------------------ main */

static void usage(FILE *f)
{
	fprintf(f,
"usage: alttcp_connect -l|-c ADDR -p PORT [-P alttcp|tcp|NUM] [options]\n"
"       alttcp_connect --probe [-P alttcp|tcp|NUM]\n"
"\n"
"Roles\n"
"  -l ADDR        listen on ADDR:PORT (SO_REUSEADDR), accept -n connections,\n"
"                 print 'listening on IP:PORT' once ready (wait for it)\n"
"  -c ADDR        connect to ADDR:PORT (-C connections)\n"
"  -p PORT        port (server: 0 = any, the line above says which)\n"
"  -P PROTO       alttcp (IPPROTO_ALTTCP=%d) | tcp (default) | a number\n"
"  --probe        only try socket(AF_INET, SOCK_STREAM, PROTO): exit 0 and\n"
"                 'probe=ok', or 8 and 'socket: ... errno=EPROTONOSUPPORT'\n"
"  -n N           server: accept N connections (default 1); blocking: one\n"
"                 after the other, each to its end; --nonblock: all, then\n"
"                 all transfers together\n"
"  -C N           client: open N connections (max %d), then transfer on\n"
"                 all of them together\n"
"  -b PORT        client: bind this local port first (SO_REUSEADDR)\n"
"  -N NETNS       run in network namespace NETNS (/run/netns/NETNS or a\n"
"                 path): saves the exec of 'ip netns exec' under TCG\n"
"\n"
"Data (every connection; the pattern is keyed by seed and direction)\n"
"  -s BYTES       send BYTES (K, M, G suffixes) of the pattern\n"
"  -r             receive until EOF, verify every byte, print\n"
"                 'received N bytes ok' (without -r: 'eof after N bytes')\n"
"  -e BYTES       fail unless exactly BYTES arrived (implies -r)\n"
"  -S SEED        pattern seed (default 1); both ends need the same\n"
"  --recv-first   receive until EOF before sending (half-close server)\n"
"  Blocking mode sends, then receives (blocking send()/recv()); --nonblock\n"
"  and -C/-n > 1 do both at once under poll() (MSG_DONTWAIT).\n"
"  After the transfer: 'xfer_ms=MS tx_bytes=N rx_bytes=N mbit_s=X'.\n"
"\n"
"Closing (in this order after the transfer)\n"
"  --shut-wr      shutdown(SHUT_WR) once sent, keep receiving (half-close)\n"
"  --hold MS      keep the connection open and idle for MS; a socket error\n"
"                 meanwhile (keepalive timeout, RST) fails at once\n"
"  --wait-eof     do not close before the peer's FIN (reads and counts)\n"
"  --close-unread wait for data, leave it unread and close (-> RST)\n"
"  --sleep-before-close MS\n"
"  --close-at T   close at CLOCK_REALTIME T ms since the epoch (both ends\n"
"                 given the same T close simultaneously)\n"
"  --linger0      SO_LINGER {1, 0}: close sends an RST\n"
"  --linger N     SO_LINGER {1, N}\n"
"\n"
"Socket options\n"
"  --keepalive IDLE,INTVL,CNT   SO_KEEPALIVE + TCP_KEEPIDLE/INTVL/CNT (s);\n"
"                 a 0 leaves that one at the namespace's sysctl\n"
"  --syncnt N     TCP_SYNCNT     --nodelay  TCP_NODELAY\n"
"  --user-timeout MS             TCP_USER_TIMEOUT\n"
"  --sol N        level of the TCP_* options (default SOL_TCP=%d)\n"
"  --backlog N    listen backlog (default 128, at least -n)\n"
"\n"
"Nonblocking and readiness\n"
"  --nonblock     O_NONBLOCK: connect prints 'connect=EINPROGRESS',\n"
"                 'connect_poll=EVENTS', 'so_error=0|ENAME'; the server first\n"
"                 tries accept() and prints 'accept=EAGAIN', then\n"
"                 'accept_poll=EVENTS'; the transfer runs under poll() and\n"
"                 prints 'events_seen=EVENTS' (union of revents).\n"
"                 EVENTS: POLLIN|POLLOUT|POLLERR|POLLHUP|POLLRDHUP or 0\n"
"  --do STEPS     instead of the transfer, run comma-separated STEPS on the\n"
"                 connection, each printing one line:\n"
"                   poll[:EV[:MS]]  poll for EV (in,out,rdhup,all; '+' joins;\n"
"                                   default all, 5000 ms) -> poll=EVENTS|timeout\n"
"                   send[:N]     one send(MSG_NOSIGNAL|MSG_DONTWAIT) of N bytes\n"
"                                -> send=N | send=errno=ENAME\n"
"                   recv         one recv(MSG_DONTWAIT) -> recv=N|EOF|errno=ENAME\n"
"                   recvall      recv until EOF -> recvall=N EOF|errno=ENAME\n"
"                   soerror      -> so_error=0|ENAME\n"
"                   state        TCP_INFO -> state=ESTABLISHED|CLOSE_WAIT|...\n"
"                   shutwr, shutrd, linger0, close, sleep:MS\n"
"  -v             print every new poll event of the transfer\n"
"  --sigpipe      keep SIGPIPE's default action (sends use MSG_NOSIGNAL, so\n"
"                 a SIGPIPE kills the tool: exit status 141 from a shell)\n"
"\n"
"Bounds\n"
"  -t SECONDS     give up after SECONDS (default 60): exit 9\n"
"\n"
"Output: results on stdout ('connected local=IP:PORT peer=IP:PORT\n"
"connect_ms=MS', 'accepted ...', 'sent N bytes', ...); errors on stderr as\n"
"'WHAT: strerror errno=ENAME [detail]', e.g.\n"
"'connect: Connection timed out errno=ETIMEDOUT connect_ms=7023'.\n"
"\n"
"Exit status: 0 ok, 1 usage/setup/other, 2 ETIMEDOUT, 3 ECONNREFUSED,\n"
"5 ECONNRESET, 6 EPIPE, 7 data mismatch or wrong length, 8 protocol not\n"
"supported (socket()), 9 -t expired, 10 EHOSTUNREACH/ENETUNREACH,\n"
"11 any other errno.  (4 is never used: kselftest's skip.)\n",
		IPPROTO_ALTTCP, MAX_CONNS, SOL_TCP);
}

static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end || end == s)
		die(EX_ERR, "bad size '%s'", s);
	return v;
}

static int parse_int(const char *s, const char *what)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (*end || end == s || v < INT_MIN || v > INT_MAX)
		die(EX_ERR, "bad %s '%s'", what, s);
	return v;
}

enum {
	OPT_PROBE = 256, OPT_SHUT_WR, OPT_LINGER0, OPT_LINGER, OPT_CLOSE_UNREAD,
	OPT_WAIT_EOF, OPT_SLEEP_CLOSE, OPT_HOLD, OPT_KEEPALIVE, OPT_SYNCNT,
	OPT_NODELAY, OPT_USER_TIMEOUT, OPT_NONBLOCK, OPT_RECV_FIRST,
	OPT_CLOSE_AT, OPT_DO, OPT_SOL, OPT_BACKLOG, OPT_SIGPIPE,
};

/* -N: enter a network namespace by name (/run/netns/NAME) or path. */
static void enter_netns(const char *ns)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(ns, '/'))
		snprintf(path, sizeof(path), "%s", ns);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno(errno, "open", "%s", path);
	if (setns(fd, CLONE_NEWNET))
		die_errno(errno, "setns", "%s", path);
	close(fd);
}

static const struct option longopts[] = {
	{ "probe", no_argument, NULL, OPT_PROBE },
	{ "shut-wr", no_argument, NULL, OPT_SHUT_WR },
	{ "linger0", no_argument, NULL, OPT_LINGER0 },
	{ "linger", required_argument, NULL, OPT_LINGER },
	{ "close-unread", no_argument, NULL, OPT_CLOSE_UNREAD },
	{ "wait-eof", no_argument, NULL, OPT_WAIT_EOF },
	{ "sleep-before-close", required_argument, NULL, OPT_SLEEP_CLOSE },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "keepalive", required_argument, NULL, OPT_KEEPALIVE },
	{ "syncnt", required_argument, NULL, OPT_SYNCNT },
	{ "nodelay", no_argument, NULL, OPT_NODELAY },
	{ "user-timeout", required_argument, NULL, OPT_USER_TIMEOUT },
	{ "nonblock", no_argument, NULL, OPT_NONBLOCK },
	{ "recv-first", no_argument, NULL, OPT_RECV_FIRST },
	{ "close-at", required_argument, NULL, OPT_CLOSE_AT },
	{ "do", required_argument, NULL, OPT_DO },
	{ "sol", required_argument, NULL, OPT_SOL },
	{ "backlog", required_argument, NULL, OPT_BACKLOG },
	{ "sigpipe", no_argument, NULL, OPT_SIGPIPE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);

	while ((c = getopt_long(argc, argv, "l:c:p:P:n:C:b:s:re:S:t:N:vh",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'l': o.listen = true; o.addr = optarg; break;
		case 'c': o.listen = false; o.addr = optarg; break;
		case 'p': o.port = parse_int(optarg, "port"); break;
		case 'P':
			o.proto_name = optarg;
			if (!strcmp(optarg, "tcp"))
				o.proto = IPPROTO_TCP;
			else if (!strcmp(optarg, "alttcp"))
				o.proto = IPPROTO_ALTTCP;
			else
				o.proto = parse_int(optarg, "protocol");
			break;
		case 'n':
		case 'C': o.nconns = parse_int(optarg, "count"); break;
		case 'b': o.local_port = parse_int(optarg, "port"); break;
		case 's': o.tx_bytes = parse_size(optarg); break;
		case 'r': o.rx = true; break;
		case 'e': o.expect = parse_size(optarg); o.rx = true; break;
		case 'S': o.seed = parse_size(optarg); break;
		case 't': o.timeout_s = parse_int(optarg, "timeout"); break;
		case 'v': o.verbose = true; break;
		case 'N': o.netns = optarg; break;
		case OPT_PROBE: o.probe = true; break;
		case OPT_SHUT_WR: o.shut_wr = true; break;
		case OPT_LINGER0: o.linger = 0; break;
		case OPT_LINGER: o.linger = parse_int(optarg, "linger"); break;
		case OPT_CLOSE_UNREAD: o.close_unread = true; break;
		case OPT_WAIT_EOF: o.wait_eof = true; break;
		case OPT_SLEEP_CLOSE:
			o.sleep_before_close_ms = parse_int(optarg, "ms");
			break;
		case OPT_HOLD: o.hold_ms = parse_int(optarg, "ms"); break;
		case OPT_KEEPALIVE:
			if (sscanf(optarg, "%d,%d,%d", &o.ka_idle, &o.ka_intvl,
				   &o.ka_cnt) != 3 || o.ka_idle < 0 ||
			    o.ka_intvl < 0 || o.ka_cnt < 0)
				die(EX_ERR, "--keepalive wants IDLE,INTVL,CNT");
			o.keepalive = true;
			break;
		case OPT_SIGPIPE: o.sigpipe = true; break;
		case OPT_SYNCNT: o.syncnt = parse_int(optarg, "syncnt"); break;
		case OPT_NODELAY: o.nodelay = true; break;
		case OPT_USER_TIMEOUT:
			o.user_timeout_ms = parse_int(optarg, "ms");
			break;
		case OPT_NONBLOCK: o.nonblock = true; break;
		case OPT_RECV_FIRST: o.recv_first = true; break;
		case OPT_CLOSE_AT:
			o.close_at_ms = strtoll(optarg, NULL, 0);
			break;
		case OPT_DO: o.steps = optarg; break;
		case OPT_SOL: o.sol = parse_int(optarg, "level"); break;
		case OPT_BACKLOG: o.backlog = parse_int(optarg, "backlog"); break;
		case 'h': usage(stdout); return EX_OK;
		default: usage(stderr); return EX_ERR;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EX_ERR;
	}
	if (o.netns)
		enter_netns(o.netns);
	/* Every send() has MSG_NOSIGNAL; --sigpipe proves it is honoured. */
	if (!o.sigpipe)
		signal(SIGPIPE, SIG_IGN);

	if (o.probe) {
		int fd = new_socket();

		close(fd);
		printf("probe=ok proto=%s(%d)\n", o.proto_name, o.proto);
		return EX_OK;
	}
	if (!o.addr || o.port < 0 || (!o.listen && o.port == 0)) {
		usage(stderr);
		return EX_ERR;
	}
	if (o.nconns < 1 || o.nconns > MAX_CONNS)
		die(EX_ERR, "-n/-C wants 1..%d", MAX_CONNS);
	if (o.steps && o.nconns != 1)
		die(EX_ERR, "--do works on one connection");

	if (o.timeout_s > 0) {
		signal(SIGALRM, on_alarm);
		alarm(o.timeout_s);
	}
	if (o.listen)
		server();
	else
		client();
	return EX_OK;
}
