// SPDX-License-Identifier: GPL-2.0
/*
 * hostile: a bounded, seeded, hostile user of alttcp.
 *
 * Socket threads run random sequences of socket calls on IPPROTO_ALTTCP
 * sockets (and a few Linux TCP ones as peers), with random and often
 * invalid arguments: option levels, names and lengths near the valid ones,
 * bad pointers, odd flags, sockets shared between threads through dup().
 * Genl threads send random messages, well-formed and not, to the alttcp
 * generic netlink family; sysctl threads write random strings to every
 * file under /proc/sys/net/alttcp/; an unload thread asks the kernel to
 * remove the module under them all.  With --netns A,B the threads live in
 * two namespaces and connect across them (--addrs names each one's
 * address) as well as over loopback within one.
 *
 * Almost every result is accepted: what the caller checks is that the
 * kernel neither crashes, warns nor hangs.  Hence the bounds: every
 * blocking call has a timeout of at most 200 ms (UNBLOCK_S for the one
 * that checks wake-ups), SO_LINGER at most 1 s, every thread stops at
 * --seconds, and a watchdog ends the program (exit 3, naming the stuck
 * thread, its call and its kernel stack) if one has not stopped GRACE_S
 * seconds later.  A thread holds at most MAX_FDS descriptors.
 *
 * What the program can see itself fails it (exit 2): alttcp's own code
 * answering a bad pointer with anything but EFAULT, a kernel write past
 * the length user space gave (getsockopt, recvmsg), a call blocked on a
 * socket that another thread shuts down sleeping on to its timeout, a
 * malformed netlink reply, the module unloading while its sockets are
 * open, a sysctl that cannot be restored.  The original sysctl values are
 * put back at the end.
 *
 * Replay: each thread draws from its own PRNG, seeded from --seed and the
 * thread's index, so the same arguments replay the same choices.  That is
 * best effort: the threads interleave as the scheduler and the network
 * decide, and a thread's later choices depend on what its calls returned.
 *
 * Only libc and the uapi headers.  Build: make -C selftests
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../include/uapi/linux/alttcp.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	((a) < (b) ? (a) : (b))

#define MAX_NS		2
#define MAX_FDS		64		/* per socket thread */
#define MAX_THREADS	32		/* socket threads */
#define N_PORTS		16		/* --ports BASE .. BASE + 15 */
#define BUF_LEN		(256 * 1024)
#define CANARY		64
#define OPT_LEN		4096
#define BOX_SLOTS	16
#define GRACE_S		8		/* the watchdog's patience past --seconds */
#define ERR_SLOTS	160
#define MAX_SYSCTL	64
#define GENL_TX		16384
#define GENL_RX		65536
#define SYSCTL_DIR	"/proc/sys/net/alttcp"

/* Exit codes.  4 is left out: kselftest reads it as "skip". */
#define EX_OK		0
#define EX_SETUP	1
#define EX_FAILED	2
#define EX_STUCK	3

/* numbers the libc headers may not have */
#ifndef SIOCOUTQNSD
#define SIOCOUTQNSD	0x894B
#endif
#ifndef SIOCATMARK
#define SIOCATMARK	0x8905
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK	11
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

enum op {
	OP_SOCKET, OP_BIND, OP_LISTEN, OP_CONNECT, OP_ACCEPT, OP_SETSOCKOPT,
	OP_GETSOCKOPT, OP_SEND, OP_RECV, OP_SENDFILE, OP_SHUTDOWN, OP_CLOSE,
	OP_POLL, OP_EPOLL, OP_IOCTL, OP_FCNTL, OP_NAME, OP_SHARE, OP_ADOPT,
	OP_UNBLOCK,
	OP_GENL_SEND, OP_GENL_RECV, OP_GENL_REPLY, OP_GENL_SOCKOPT,
	OP_SYSCTL_WRITE, OP_SYSCTL_READ, OP_UNLOAD, NR_OPS
};

static const char *const op_name[NR_OPS] = {
	[OP_SOCKET] = "socket", [OP_BIND] = "bind", [OP_LISTEN] = "listen",
	[OP_CONNECT] = "connect", [OP_ACCEPT] = "accept",
	[OP_SETSOCKOPT] = "setsockopt", [OP_GETSOCKOPT] = "getsockopt",
	[OP_SEND] = "send", [OP_RECV] = "recv", [OP_SENDFILE] = "sendfile",
	[OP_SHUTDOWN] = "shutdown", [OP_CLOSE] = "close", [OP_POLL] = "poll",
	[OP_EPOLL] = "epoll", [OP_IOCTL] = "ioctl", [OP_FCNTL] = "fcntl",
	[OP_NAME] = "getname", [OP_SHARE] = "share", [OP_ADOPT] = "adopt",
	[OP_UNBLOCK] = "unblock",
	[OP_GENL_SEND] = "genl_send", [OP_GENL_RECV] = "genl_recv",
	[OP_GENL_REPLY] = "genl_reply", [OP_GENL_SOCKOPT] = "genl_sockopt",
	[OP_SYSCTL_WRITE] = "sysctl_write", [OP_SYSCTL_READ] = "sysctl_read",
	[OP_UNLOAD] = "delete_module",
};

enum role { R_SOCK, R_GENL, R_SYSCTL, R_UNLOAD };
static const char *const role_name[] = { "socket", "genl", "sysctl", "unload" };

/* What a socket thread believes one of its descriptors is. */
enum kind { K_FRESH, K_LISTEN, K_CONN };

struct slot {
	int fd;
	enum kind kind;
	bool tcp;		/* Linux TCP: a peer, not fuzzed with options */
};

struct rng {
	uint64_t s;
};

struct worker {
	pthread_t thread;
	int idx;
	enum role role;
	int ns;
	struct rng rng;
	atomic_int tid;
	/* the call in progress, for the watchdog */
	atomic_int cur;
	atomic_int cur_fd;
	_Atomic uint64_t since_ns;
	_Atomic uint64_t total;
	atomic_bool done;
	uint64_t ops[NR_OPS], ok[NR_OPS];
	uint64_t errs[ERR_SLOTS];
	uint64_t tx_bytes, rx_bytes, efault_checks;
	uint64_t accepted, accepted_across;	/* from the other namespace */
	/* socket threads */
	struct slot fds[MAX_FDS];
	int nfds;
	int memfd, epfd;
	int home;			/* a listener left alone; see home_port() */
	unsigned char *buf;		/* BUF_LEN + CANARY */
	unsigned char opt[OPT_LEN];
};

static struct {
	uint64_t seed;
	int seconds;
	int nsock, ngenl;
	bool sysctl, unload;
	int nns;
	const char *ns_name[MAX_NS];
	int ns_fd[MAX_NS];
	in_addr_t addr[MAX_NS];		/* each namespace's own address, or 0 */
	int port_base;
} cfg = {
	.seed = 1,
	.seconds = 30,
	.nsock = 4,
	.ngenl = 1,
	.sysctl = true,
	.nns = 1,
	.ns_fd = { -1, -1 },
	.port_base = 20000,
};

static uint64_t start_ns, deadline_ns;
static atomic_bool failed;
static long page_size;
static unsigned char *guard;		/* a read-write page, then a PROT_NONE one */
static unsigned char pattern[BUF_LEN];	/* what sends send */

/* dup()s of sockets on their way from one socket thread to another */
static pthread_mutex_t box_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot box[BOX_SLOTS];

/* ------------------------------------------------------------- helpers */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static bool time_up(void)
{
	return now_ns() >= deadline_ns;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* splitmix64: tiny, and any seed is a good one */
static uint64_t rnd64(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rnd(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(rnd64(r) >> 32) % n : 0;
}

static bool one_in(struct rng *r, uint32_t n)
{
	return rnd(r, n) == 0;
}

static bool pct(struct rng *r, uint32_t p)
{
	return rnd(r, 100) < p;
}

static void fill_random(struct rng *r, void *p, size_t len)
{
	unsigned char *c = p;
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!(i & 7))
			v = rnd64(r);
		c[i] = v;
		v >>= 8;
	}
}

/* The values that find boundary bugs, and now and then any at all. */
static int interesting(struct rng *r)
{
	static const int v[] = {
		0, 1, -1, 2, 3, 4, 7, 8, 16, 60, 88, 100, 127, 128, 255, 256,
		536, 1000, 1460, 4096, 32767, 65535, 65536, 1 << 20,
		INT_MAX, INT_MIN, INT_MAX - 1, -2,
	};

	if (pct(r, 75))
		return v[rnd(r, ARRAY_SIZE(v))];
	return (int)rnd64(r);
}

/*
 * An address the kernel must refuse (EFAULT), or one whose LEN bytes run
 * off the end of a mapping into a PROT_NONE page.
 */
static void *bad_ptr(struct rng *r, size_t len)
{
	size_t in;

	switch (rnd(r, 5)) {
	case 0:
		return NULL;
	case 1:
		return (void *)1;
	case 2:
		return guard + page_size;
	case 3:
		return (void *)0xffff888000000000ull;	/* kernel memory */
	default:
		if (len < 2)
			return guard + page_size;
		in = 1 + rnd(r, MIN(len - 1, (size_t)page_size));
		return guard + page_size - in;
	}
}

/* Whether the first N bytes at P, a bad_ptr(), are out of reach. */
static bool faults(const void *p, size_t n)
{
	const unsigned char *c = p;

	if (c >= guard && c < guard + page_size)
		return n && c + n > guard + page_size;
	return n;
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	flockfile(stdout);
	fputs("hostile: FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fprintf(stdout, " (seed %llu)\n", (unsigned long long)cfg.seed);
	funlockfile(stdout);
	fflush(stdout);
	atomic_store(&failed, true);
}

/* ---------------------------------------------------------- accounting */

static void begin(struct worker *w, enum op op, int fd)
{
	atomic_store(&w->since_ns, now_ns());
	atomic_store(&w->cur_fd, fd);
	atomic_store(&w->cur, op);
}

/* Count the call and its errno; errno survives for the caller. */
static long end(struct worker *w, enum op op, long ret)
{
	int e = ret < 0 ? errno : 0;

	atomic_store(&w->cur, -1);
	w->ops[op]++;
	w->ok[op] += !e;
	w->errs[e >= 0 && e < ERR_SLOTS ? e : ERR_SLOTS - 1]++;
	atomic_store_explicit(&w->total, w->total + 1, memory_order_relaxed);
	errno = e;
	return ret;
}

/*
 * alttcp's own code (TCP-level options, sendmsg) must answer a pointer it
 * cannot use with EFAULT: not a success, not another error.
 */
static void expect_efault(struct worker *w, long ret, const char *what, int a,
			  int b)
{
	const char *e = ret < 0 ? strerrorname_np(errno) : "success";

	w->efault_checks++;
	if (ret < 0 && errno == EFAULT)
		return;
	fail("%s(%d, %d) with a bad pointer: %s, not EFAULT", what, a, b,
	     e ? : "?");
}

/* CALL(w, OP, fd, expr): expr, with the watchdog told and the result counted */
#define CALL(w, op, fd, expr) ({		\
	begin(w, op, fd);			\
	end(w, op, (long)(expr));		\
})

/* ---------------------------------------------------- the fd table */

static void drop(struct worker *w, int s)
{
	int fd = w->fds[s].fd;

	CALL(w, OP_CLOSE, fd, close(fd));
	w->fds[s] = w->fds[--w->nfds];
}

/* Keep FD in the table, closing a random one when it is full. */
static int keep(struct worker *w, int fd, enum kind kind, bool tcp)
{
	if (w->nfds == MAX_FDS)
		drop(w, rnd(&w->rng, w->nfds));
	w->fds[w->nfds] = (struct slot){ .fd = fd, .kind = kind, .tcp = tcp };
	return w->nfds++;
}

/* A slot, of KIND most of the time when there is one; -1: none at all. */
static int pick(struct worker *w, int kind)
{
	int i, j, start;

	if (!w->nfds)
		return -1;
	start = rnd(&w->rng, w->nfds);
	if (kind < 0 || !pct(&w->rng, 80))
		return start;
	for (i = 0; i < w->nfds; i++) {
		j = (start + i) % w->nfds;
		if ((int)w->fds[j].kind == kind)
			return j;
	}
	return start;
}

/* Nothing may block for long: short, bounded timeouts on every socket. */
static long timeout_us(struct rng *r)
{
	return 1000 + rnd(r, pct(r, 70) ? 20000 : 200000);
}

static void bound_timeouts(struct worker *w, int fd)
{
	struct timeval tv = { 0, timeout_us(&w->rng) };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	tv.tv_usec = timeout_us(&w->rng);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* ------------------------------------------------------- addresses */

static in_addr_t own_addr(struct worker *w)
{
	return cfg.addr[w->ns] ? cfg.addr[w->ns] : htonl(INADDR_LOOPBACK);
}

static in_addr_t other_addr(struct worker *w)
{
	in_addr_t a = cfg.addr[cfg.nns - 1 - w->ns];

	return a ? a : own_addr(w);
}

static in_addr_t rand_in_addr(struct worker *w)
{
	static const char *const odd[] = {
		"224.0.0.1", "255.255.255.255", "0.0.0.1", "127.255.255.255",
		"10.255.255.1", "192.0.2.1",
	};
	struct rng *r = &w->rng;

	switch (rnd(r, 16)) {
	case 0 ... 4:
		return htonl(INADDR_LOOPBACK);
	case 5 ... 7:
		return own_addr(w);
	case 8 ... 11:
		return other_addr(w);
	case 12:
		return htonl(INADDR_ANY);
	case 13:
		return htonl(0x7f000000 | rnd(r, 1 << 24));
	case 14:
		/* a neighbour that never answers ARP */
		return (own_addr(w) & htonl(0xffffff00)) | htonl(0x77);
	default:
		if (one_in(r, 4))
			return (in_addr_t)rnd64(r);
		return inet_addr(odd[rnd(r, ARRAY_SIZE(odd))]);
	}
}

static in_port_t rand_port(struct rng *r)
{
	switch (rnd(r, 20)) {
	case 0 ... 13:
		return htons(cfg.port_base + rnd(r, N_PORTS));
	case 14 ... 16:
		return 0;
	case 17:
		return htons(1 + rnd(r, 1023));
	default:
		return htons(rnd(r, 65536));
	}
}

static socklen_t rand_sockaddr(struct worker *w, struct sockaddr_storage *ss)
{
	static const socklen_t lens[] = {
		0, 1, 2, 8, 15, 17, 28, 127, 128, 129, 4096, (socklen_t)-1,
	};
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct rng *r = &w->rng;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = rand_in_addr(w);
	sin->sin_port = rand_port(r);
	if (one_in(r, 25))
		sin->sin_family = one_in(r, 2) ? AF_UNSPEC : rnd(r, 64);
	if (one_in(r, 15))
		return lens[rnd(r, ARRAY_SIZE(lens))];
	return sizeof(*sin);
}

/* ------------------------------------------------------ socket calls */

/* A new connection: bounded like the rest, and counted by where it is from. */
static void accepted(struct worker *w, int fd)
{
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);

	bound_timeouts(w, fd);
	w->accepted++;
	if (cfg.nns == 2 && cfg.addr[1 - w->ns] &&
	    !getpeername(fd, (void *)&peer, &len) &&
	    peer.sin_addr.s_addr == other_addr(w))
		w->accepted_across++;
}

static void op_socket(struct worker *w)
{
	struct rng *r = &w->rng;
	int type = SOCK_STREAM, fd, one = 1;
	bool tcp = one_in(r, 10);

	if (pct(r, 30))
		type |= SOCK_NONBLOCK;
	if (pct(r, 50))
		type |= SOCK_CLOEXEC;
	fd = CALL(w, OP_SOCKET, -1,
		  socket(AF_INET, type, tcp ? IPPROTO_TCP : IPPROTO_ALTTCP));
	if (fd < 0)
		return;
	bound_timeouts(w, fd);
	if (pct(r, 30))
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	keep(w, fd, K_FRESH, tcp);
}

static void op_bind(struct worker *w)
{
	struct sockaddr_storage ss;
	socklen_t len;
	void *p = &ss;
	int s = pick(w, K_FRESH), fd;

	if (s < 0)
		return;
	fd = w->fds[s].fd;
	len = rand_sockaddr(w, &ss);
	if (one_in(&w->rng, 30))
		p = bad_ptr(&w->rng, len);
	CALL(w, OP_BIND, fd, bind(fd, p, len));
}

static void op_listen(struct worker *w)
{
	static const int backlogs[] = {
		-1, 0, 1, 2, 4, 16, 128, 4096, INT_MAX, INT_MIN,
	};
	int s = pick(w, K_FRESH), fd;

	if (s < 0)
		return;
	fd = w->fds[s].fd;
	if (!CALL(w, OP_LISTEN, fd,
		  listen(fd, backlogs[rnd(&w->rng, ARRAY_SIZE(backlogs))])))
		w->fds[s].kind = K_LISTEN;
}

static void op_connect(struct worker *w)
{
	struct sockaddr_storage ss;
	socklen_t len;
	void *p = &ss;
	int s = pick(w, K_FRESH), fd;

	if (s < 0)
		return;
	fd = w->fds[s].fd;
	len = rand_sockaddr(w, &ss);
	if (one_in(&w->rng, 40))
		p = bad_ptr(&w->rng, len);
	if (!CALL(w, OP_CONNECT, fd, connect(fd, p, len)) ||
	    errno == EINPROGRESS || errno == EALREADY)
		w->fds[s].kind = K_CONN;
}

#define HOME	(-2)		/* the slot of w->home, which is in none */

/*
 * A listener with a connection waiting, if there is one: most accept()s
 * would otherwise find none, and connections from the other namespace
 * would wait in their queue until the listener goes.
 */
static int ready_listener(struct worker *w)
{
	struct pollfd p[MAX_FDS + 1];
	int slot[MAX_FDS + 1], ready[MAX_FDS + 1], i, n = 0, nready = 0;

	for (i = 0; i < w->nfds; i++) {
		if (w->fds[i].kind != K_LISTEN)
			continue;
		p[n] = (struct pollfd){ .fd = w->fds[i].fd, .events = POLLIN };
		slot[n++] = i;
	}
	if (w->home >= 0) {
		p[n] = (struct pollfd){ .fd = w->home, .events = POLLIN };
		slot[n++] = HOME;
	}
	if (!n || CALL(w, OP_POLL, -1, poll(p, n, rnd(&w->rng, 10))) <= 0)
		return -1;
	for (i = 0; i < n; i++)
		if (p[i].revents & POLLIN)
			ready[nready++] = slot[i];
	return nready ? ready[rnd(&w->rng, nready)] : -1;
}

static void op_accept(struct worker *w)
{
	static const socklen_t lens[] = { 0, 1, 4, 15, 16, 17, 128, (socklen_t)-1 };
	struct rng *r = &w->rng;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss), *lenp = &len;
	void *addr = &ss;
	int s = pct(r, 70) ? ready_listener(w) : -1, fd, nfd, flags = 0;
	bool tcp;

	if (s == -1)
		s = pick(w, K_LISTEN);
	if (s == -1)
		return;
	fd = s == HOME ? w->home : w->fds[s].fd;
	tcp = s != HOME && w->fds[s].tcp;
	if (pct(r, 50))
		flags |= SOCK_NONBLOCK;
	if (pct(r, 50))
		flags |= SOCK_CLOEXEC;
	if (one_in(r, 30))
		flags |= (int)(1u << rnd(r, 32));
	switch (rnd(r, 8)) {
	case 0:
		addr = NULL;
		lenp = NULL;
		break;
	case 1:
		len = lens[rnd(r, ARRAY_SIZE(lens))];
		break;
	case 2:
		addr = bad_ptr(r, len);
		break;
	case 3:
		lenp = bad_ptr(r, sizeof(len));
		break;
	}
	if (pct(r, 30)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		CALL(w, OP_POLL, fd, poll(&p, 1, rnd(r, 30)));
	}
	nfd = CALL(w, OP_ACCEPT, fd, one_in(r, 5) && !flags ?
		   accept(fd, addr, lenp) : accept4(fd, addr, lenp, flags));
	if (nfd < 0)
		return;
	accepted(w, nfd);
	keep(w, nfd, K_CONN, tcp);
}

/*
 * Half the time an option alttcp acts on (buffers, lingering, keepalive,
 * timeouts, MSS...): the states they lead to are where bugs hide.  The
 * rest: any number near the valid ones.
 */
static void opt_level(struct rng *r, int *level, int *name)
{
	static const int odd[] = {
		IPPROTO_ALTTCP, SOL_IPV6, SOL_RAW, SOL_PACKET, SOL_NETLINK,
		IPPROTO_UDP, -1, INT_MAX, 0x10000 + SOL_SOCKET,
	};
	static const int sol[] = {
		SO_LINGER, SO_KEEPALIVE, SO_SNDBUF, SO_RCVBUF, SO_SNDBUFFORCE,
		SO_RCVBUFFORCE, SO_REUSEADDR, SO_REUSEPORT, SO_RCVLOWAT,
		SO_OOBINLINE, SO_ERROR, SO_BINDTODEVICE, SO_PRIORITY, SO_MARK,
		20, 21, 66, 67,		/* SO_{RCV,SND}TIMEO_{OLD,NEW} */
	};
	static const int tcp[] = {
		TCP_NODELAY, TCP_MAXSEG, TCP_KEEPIDLE, TCP_KEEPINTVL,
		TCP_KEEPCNT, TCP_SYNCNT, TCP_LINGER2, TCP_USER_TIMEOUT,
		TCP_INFO, TCP_CORK, TCP_QUICKACK, TCP_DEFER_ACCEPT,
	};

	switch (rnd(r, 10)) {
	case 0 ... 3:
		*level = SOL_SOCKET;
		*name = pct(r, 50) ? sol[rnd(r, ARRAY_SIZE(sol))] : (int)rnd(r, 84);
		break;
	case 4 ... 7:
		*level = IPPROTO_TCP;
		*name = pct(r, 60) ? tcp[rnd(r, ARRAY_SIZE(tcp))] : (int)rnd(r, 44);
		break;
	case 8:
		*level = IPPROTO_IP;
		*name = rnd(r, 80);
		break;
	default:
		*level = odd[rnd(r, ARRAY_SIZE(odd))];
		*name = one_in(r, 4) ? interesting(r) : (int)rnd(r, 64);
	}
}

static socklen_t opt_len(struct rng *r)
{
	switch (rnd(r, 20)) {
	case 0 ... 7:
		return 4;
	case 8 ... 9:
		return rnd(r, 4);
	case 10:
		return 8;
	case 11:
		return 16;
	case 12:
		return one_in(r, 2) ? 1u << 20 : (socklen_t)-1;
	default:
		return rnd(r, 257);
	}
}

/*
 * The SOL_SOCKET options that would let a call block for long: timeouts
 * stay under 200 ms (or invalid), lingering under 1 s.  Sockets are shared
 * between threads, so even a moment of "forever" could hang another one.
 */
static void tame_sol_socket(struct rng *r, int name, unsigned char *val,
			    socklen_t *len)
{
	struct timeval tv = { 0, 1000 + rnd(r, 200000) };
	struct linger lg = { rnd(r, 2), rnd(r, 2) };
	static const char *const devs[] = { "lo", "", "nonexistent0", "eth0" };

	switch (name) {
	case 20:	/* SO_RCVTIMEO_OLD */
	case 21:	/* SO_SNDTIMEO_OLD */
	case 66:	/* SO_RCVTIMEO_NEW */
	case 67:	/* SO_SNDTIMEO_NEW */
		if (one_in(r, 4))
			tv.tv_usec = 1000000 + rnd(r, 1000);	/* EDOM */
		else if (one_in(r, 6))
			tv.tv_sec = -1;		/* "negative": no wait at all */
		memcpy(val, &tv, sizeof(tv));
		if (pct(r, 80))
			*len = sizeof(tv);
		else if (*len > sizeof(tv))
			*len = rnd(r, sizeof(tv));
		break;
	case SO_LINGER:
		memcpy(val, &lg, sizeof(lg));
		if (pct(r, 80))
			*len = sizeof(lg);
		else if (*len > sizeof(lg))
			*len = rnd(r, sizeof(lg));
		break;
	case SO_BINDTODEVICE:
		if (pct(r, 50)) {
			strcpy((char *)val, devs[rnd(r, ARRAY_SIZE(devs))]);
			*len = strlen((char *)val) + rnd(r, 2);
		}
		break;
	case SO_ATTACH_FILTER:
		if (pct(r, 30)) {
			/* one instruction, "accept the whole packet" */
			static struct sock_filter all = BPF_STMT(BPF_RET | BPF_K, 0xffff);
			struct sock_fprog prog = { 1, &all };

			memcpy(val, &prog, sizeof(prog));
			*len = sizeof(prog);
		}
		break;
	}
}

static void op_setsockopt(struct worker *w)
{
	struct rng *r = &w->rng;
	int s = pick(w, -1), fd, level, name, v;
	socklen_t len;
	void *p = w->opt;
	long ret;

	if (s < 0 || w->fds[s].tcp)
		return;
	fd = w->fds[s].fd;
	opt_level(r, &level, &name);
	len = opt_len(r);
	fill_random(r, w->opt, 512);
	if (pct(r, 70)) {
		v = interesting(r);
		memcpy(w->opt, &v, sizeof(v));
	}
	if (level == SOL_SOCKET)
		tame_sol_socket(r, name, w->opt, &len);
	if (one_in(r, 20))
		p = bad_ptr(r, len);
	ret = CALL(w, OP_SETSOCKOPT, fd, setsockopt(fd, level, name, p, len));
	/*
	 * alttcp reads an int of any TCP-level option it is given (the
	 * syscall refuses a negative length first).
	 */
	if (level == IPPROTO_TCP && p != w->opt && len >= sizeof(int) &&
	    len <= INT_MAX && faults(p, sizeof(int)))
		expect_efault(w, ret, "setsockopt(IPPROTO_TCP)", name, len);
}

/* The TCP-level options alttcp answers (sockopt.c), the rest ENOPROTOOPT. */
static bool alttcp_gets(int name)
{
	switch (name) {
	case TCP_NODELAY:
	case TCP_MAXSEG:
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
	case TCP_KEEPCNT:
	case TCP_SYNCNT:
	case TCP_LINGER2:
	case TCP_USER_TIMEOUT:
	case TCP_INFO:
		return true;
	}
	return false;
}

static void op_getsockopt(struct worker *w)
{
	static const int claims[] = {
		-1, 0, 1, 2, 3, 4, 5, 8, 16, 64, 104, 232, 256, 4096, INT_MAX,
	};
	struct rng *r = &w->rng;
	int s = pick(w, -1), fd, level, name, claim, i;
	socklen_t len, *lenp = &len;
	void *p = w->buf;
	bool canary;
	long ret;

	if (s < 0 || w->fds[s].tcp)
		return;
	fd = w->fds[s].fd;
	opt_level(r, &level, &name);
	claim = pct(r, 50) ? 4 : claims[rnd(r, ARRAY_SIZE(claims))];
	len = claim;
	if (one_in(r, 20))
		p = bad_ptr(r, claim > 0 ? claim : 4);
	if (one_in(r, 30))
		lenp = bad_ptr(r, sizeof(len));
	canary = p == w->buf && claim >= 0 && claim <= OPT_LEN;
	if (canary)
		memset(w->buf + claim, 0xa5, CANARY);
	ret = CALL(w, OP_GETSOCKOPT, fd, getsockopt(fd, level, name, p, lenp));
	for (i = 0; canary && i < CANARY; i++)
		if (w->buf[claim + i] != 0xa5) {
			fail("getsockopt(level %d, name %d, len %d) wrote past the length",
			     level, name, claim);
			break;
		}
	if (level == IPPROTO_TCP && lenp != &len && faults(lenp, sizeof(len)))
		expect_efault(w, ret, "getsockopt(IPPROTO_TCP) optlen", name, claim);
	else if (level == IPPROTO_TCP && lenp == &len && p != w->buf &&
		 claim > 0 && alttcp_gets(name) &&
		 faults(p, MIN((size_t)claim, name == TCP_INFO ?
			       sizeof(struct tcp_info) : sizeof(int))))
		expect_efault(w, ret, "getsockopt(IPPROTO_TCP) optval", name, claim);
	/* alttcp's own options must never report more than they were given */
	if (!ret && level == IPPROTO_TCP && lenp == &len && claim >= 0 &&
	    len > (socklen_t)claim)
		fail("getsockopt(IPPROTO_TCP, %d, len %d) returned len %u",
		     name, claim, len);
}

static size_t io_len(struct rng *r, size_t room)
{
	static const size_t lens[] = {
		0, 1, 2, 100, 536, 1448, 1460, 4096, 16384, 65535, 65536,
		65537, 131072,
	};
	size_t len = pct(r, 50) ? lens[rnd(r, ARRAY_SIZE(lens))] : rnd(r, 8192);

	return MIN(len, room);
}

/* Up to 8 segments of BASE (CAP bytes), now and then a bad one. */
static int make_iov(struct rng *r, struct iovec *iov, unsigned char *base,
		    size_t cap, size_t *total, unsigned int *bad)
{
	int n = one_in(r, 3) ? 1 + rnd(r, 8) : 1, i;
	size_t off = 0, len;

	*bad = 0;
	for (i = 0; i < n; i++) {
		len = io_len(r, cap - off);
		iov[i].iov_base = base + off;
		iov[i].iov_len = len;
		if (one_in(r, 40)) {
			iov[i].iov_base = bad_ptr(r, len);
			*bad |= 1u << i;
		}
		off += len;
	}
	*total = off;
	return n;
}

static int send_flags(struct rng *r, bool *odd)
{
	int f = 0;

	*odd = false;
	if (pct(r, 40))
		f |= MSG_DONTWAIT;
	if (pct(r, 70))
		f |= MSG_NOSIGNAL;
	if (one_in(r, 20))
		f |= MSG_OOB;
	if (one_in(r, 10))
		f |= MSG_MORE;
	if (one_in(r, 20))
		f |= MSG_EOR;
	if (one_in(r, 20))
		f |= MSG_ZEROCOPY;
	if (one_in(r, 30))
		f |= MSG_FASTOPEN;
	if (one_in(r, 30))
		f |= MSG_CONFIRM;
	if (one_in(r, 50)) {
		f |= (int)(1u << rnd(r, 32));
		*odd = true;
	}
	return f;
}

static void op_send(struct worker *w)
{
	struct rng *r = &w->rng;
	struct sockaddr_storage name;
	unsigned char ctl[256];
	struct iovec iov[8];
	struct mmsghdr mm[2];
	struct msghdr mh = { .msg_iov = iov };
	int s = pick(w, K_CONN), fd, flags;
	size_t total;
	unsigned int bad;
	bool odd;
	long n;

	if (s < 0)
		return;
	fd = w->fds[s].fd;
	mh.msg_iovlen = make_iov(r, iov, pattern, BUF_LEN, &total, &bad);
	flags = send_flags(r, &odd);
	if (one_in(r, 10)) {
		mh.msg_namelen = rand_sockaddr(w, &name);
		mh.msg_name = &name;
	}
	if (one_in(r, 10)) {
		fill_random(r, ctl, sizeof(ctl));
		mh.msg_control = ctl;
		mh.msg_controllen = rnd(r, sizeof(ctl) + 1);
	}
	if (one_in(r, 50))
		mh.msg_iov = bad_ptr(r, sizeof(iov[0]) * mh.msg_iovlen);
	switch (rnd(r, 10)) {
	case 0:
		n = CALL(w, OP_SEND, fd, write(fd, iov[0].iov_base, iov[0].iov_len));
		break;
	case 1:
		mm[0] = (struct mmsghdr){ .msg_hdr = mh };
		mm[1] = mm[0];
		n = CALL(w, OP_SEND, fd, sendmmsg(fd, mm, 2, flags));
		n = n > 0 ? (long)(mm[0].msg_len + (n > 1 ? mm[1].msg_len : 0)) : n;
		break;
	default:
		n = CALL(w, OP_SEND, fd, sendmsg(fd, &mh, flags));
		/* alttcp copies the first 64 KiB before it looks at anything */
		if (!w->fds[s].tcp && (bad & 1) && !odd && !(flags & MSG_OOB) &&
		    mh.msg_iov == iov && !mh.msg_name && !mh.msg_control &&
		    faults(iov[0].iov_base, MIN(iov[0].iov_len, 65536)))
			expect_efault(w, n, "sendmsg", (int)iov[0].iov_len, flags);
	}
	if (n > 0)
		w->tx_bytes += n;
}

static int recv_flags(struct rng *r)
{
	int f = 0;

	if (pct(r, 25))
		f |= MSG_PEEK;
	if (pct(r, 40))
		f |= MSG_DONTWAIT;
	if (pct(r, 15))
		f |= MSG_WAITALL;
	if (one_in(r, 20))
		f |= MSG_OOB;
	if (one_in(r, 20))
		f |= MSG_TRUNC;
	if (one_in(r, 30))
		f |= MSG_ERRQUEUE;
	if (one_in(r, 20))
		f |= MSG_CMSG_CLOEXEC;
	if (one_in(r, 50))
		f |= (int)(1u << rnd(r, 31));
	return f;
}

static void check_canary(struct worker *w, size_t at, const char *what)
{
	int i;

	for (i = 0; i < CANARY; i++)
		if (w->buf[at + i] != 0x5a) {
			fail("%s wrote past the buffer it was given (%zu bytes)",
			     what, at);
			return;
		}
}

static void op_recv(struct worker *w)
{
	struct rng *r = &w->rng;
	struct sockaddr_storage name;
	unsigned char ctl[256];
	struct iovec iov[8];
	struct mmsghdr mm[2];
	struct timespec ts = { 0, 20000000 };
	struct msghdr mh = { .msg_iov = iov };
	int s = pick(w, K_CONN), fd, flags;
	size_t total, room;
	unsigned int bad;
	long n;

	if (s < 0)
		return;
	fd = w->fds[s].fd;
	mh.msg_iovlen = make_iov(r, iov, w->buf, BUF_LEN, &total, &bad);
	room = total;
	memset(w->buf + total, 0x5a, CANARY);
	flags = recv_flags(r);
	if (one_in(r, 10)) {
		mh.msg_name = &name;
		mh.msg_namelen = one_in(r, 2) ? sizeof(name) : rnd(r, 32);
	}
	if (one_in(r, 10)) {
		mh.msg_control = one_in(r, 10) ? bad_ptr(r, 64) : ctl;
		mh.msg_controllen = rnd(r, sizeof(ctl) + 1);
	}
	switch (rnd(r, 10)) {
	case 0:
		n = CALL(w, OP_RECV, fd, read(fd, iov[0].iov_base, iov[0].iov_len));
		room = iov[0].iov_len;
		break;
	case 1:
		mm[0] = (struct mmsghdr){ .msg_hdr = mh };
		mm[1] = mm[0];
		n = CALL(w, OP_RECV, fd, recvmmsg(fd, mm, 2, flags,
						  one_in(r, 2) ? &ts : NULL));
		/* both messages land in the same iovecs */
		n = n > 0 ? (long)mm[0].msg_len : n;
		break;
	default:
		n = CALL(w, OP_RECV, fd, recvmsg(fd, &mh, flags));
	}
	if (n > 0 && !(flags & MSG_PEEK))
		w->rx_bytes += n;
	if (bad)
		return;
	if (n > 0 && (size_t)n > room)
		fail("recv returned %ld for %zu bytes of buffer", n, room);
	check_canary(w, total, "recv");
}

static void op_sendfile(struct worker *w)
{
	struct rng *r = &w->rng;
	int s = pick(w, K_CONN), fd;
	off_t off = rnd(r, 65536);
	size_t len = io_len(r, BUF_LEN);

	if (s < 0 || w->memfd < 0)
		return;
	fd = w->fds[s].fd;
	if (one_in(r, 8))	/* from a socket: no splice_read */
		CALL(w, OP_SENDFILE, fd, sendfile(w->memfd, fd, NULL, len));
	else
		CALL(w, OP_SENDFILE, fd, sendfile(fd, w->memfd,
						  one_in(r, 10) ? NULL : &off, len));
}

static void op_shutdown(struct worker *w)
{
	static const int hows[] = {
		SHUT_RD, SHUT_WR, SHUT_RDWR, SHUT_RD, SHUT_WR, SHUT_RDWR,
		-1, 3, INT_MAX,
	};
	int s = pick(w, K_CONN), fd;

	if (s < 0)
		return;
	fd = w->fds[s].fd;
	CALL(w, OP_SHUTDOWN, fd,
	     shutdown(fd, hows[rnd(&w->rng, ARRAY_SIZE(hows))]));
}

static void op_close(struct worker *w)
{
	int s = pick(w, -1);

	if (s >= 0)
		drop(w, s);
}

static short rand_events(struct rng *r)
{
	static const short ev[] = {
		POLLIN, POLLOUT, POLLPRI, POLLRDHUP, POLLRDNORM, POLLWRNORM,
		POLLRDBAND, POLLWRBAND, POLLERR, POLLHUP,
	};
	short e = 0;
	int i, n = 1 + rnd(r, 4);

	if (one_in(r, 20))
		return rnd(r, 0x10000);
	for (i = 0; i < n; i++)
		e |= ev[rnd(r, ARRAY_SIZE(ev))];
	return e;
}

static void op_poll(struct worker *w)
{
	struct rng *r = &w->rng;
	struct pollfd p[8];
	int i, n = 1 + rnd(r, 8);

	if (!w->nfds)
		return;
	for (i = 0; i < n; i++) {
		p[i].fd = w->fds[rnd(r, w->nfds)].fd;
		p[i].events = rand_events(r);
	}
	CALL(w, OP_POLL, p[0].fd, poll(p, n, rnd(r, 30)));
}

/* Sockets in an epoll set, closed and shut down while they are there. */
static void op_epoll(struct worker *w)
{
	static const int ops[] = {
		EPOLL_CTL_ADD, EPOLL_CTL_ADD, EPOLL_CTL_MOD, EPOLL_CTL_DEL, 0, 99,
	};
	struct rng *r = &w->rng;
	struct epoll_event ev, out[8];
	int fd;

	if (w->epfd < 0)
		return;
	if (w->nfds && pct(r, 70)) {
		fd = w->fds[rnd(r, w->nfds)].fd;
		if (one_in(r, 30))
			fd = w->epfd;
		ev.events = rand_events(r);
		if (one_in(r, 4))
			ev.events |= EPOLLET;
		if (one_in(r, 6))
			ev.events |= EPOLLONESHOT;
		if (one_in(r, 10))
			ev.events |= EPOLLEXCLUSIVE;
		ev.data.u64 = fd;
		CALL(w, OP_EPOLL, fd, epoll_ctl(w->epfd, ops[rnd(r, ARRAY_SIZE(ops))],
						fd, one_in(r, 40) ? bad_ptr(r, sizeof(ev)) : &ev));
	}
	CALL(w, OP_EPOLL, w->epfd, epoll_wait(w->epfd, out, 1 + rnd(r, 8),
					      rnd(r, 20)));
}

static void op_ioctl(struct worker *w)
{
	static const unsigned long cmds[] = {
		FIONREAD, TIOCOUTQ, SIOCOUTQNSD, SIOCATMARK, FIONBIO, FIOASYNC,
		0x8906 /* SIOCGSTAMP_OLD */, 0x8907 /* SIOCGSTAMPNS_OLD */,
		0x8901 /* FIOSETOWN */, 0x8903 /* FIOGETOWN */,
		0x8902 /* SIOCSPGRP */, 0x8904 /* SIOCGPGRP */,
	};
	struct rng *r = &w->rng;
	int s = pick(w, K_CONN), fd, val = interesting(r);
	unsigned long cmd = cmds[rnd(r, ARRAY_SIZE(cmds))];
	void *arg = &val;

	if (s < 0 || w->fds[s].tcp)
		return;
	fd = w->fds[s].fd;
	/* Any other 0x89xx would reach dev_ioctl: interface changes as root. */
	if (one_in(r, 5)) {
		cmd = (uint32_t)rnd64(r);
		if (((cmd >> 8) & 0xff) == 0x89)
			cmd ^= 0x100;
	}
	/* SIGIO and SIGURG go to this process or nobody. */
	if (cmd == 0x8901 || cmd == 0x8902)
		val = one_in(r, 2) ? 0 : getpid();
	if (one_in(r, 15))
		arg = bad_ptr(r, sizeof(val));
	CALL(w, OP_IOCTL, fd, ioctl(fd, cmd, arg));
}

static void op_fcntl(struct worker *w)
{
	struct rng *r = &w->rng;
	int s = pick(w, -1), fd, fl;

	if (s < 0)
		return;
	fd = w->fds[s].fd;
	switch (rnd(r, 4)) {
	case 0:
		CALL(w, OP_FCNTL, fd, fcntl(fd, F_SETOWN, getpid()));
		break;
	case 1:
		fl = CALL(w, OP_FCNTL, fd, fcntl(fd, F_GETFL));
		if (fl >= 0)
			CALL(w, OP_FCNTL, fd, fcntl(fd, F_SETFL, fl ^ O_ASYNC));
		break;
	default:
		fl = CALL(w, OP_FCNTL, fd, fcntl(fd, F_GETFL));
		if (fl >= 0)
			CALL(w, OP_FCNTL, fd, fcntl(fd, F_SETFL, fl ^ O_NONBLOCK));
	}
}

static void op_getname(struct worker *w)
{
	static const socklen_t lens[] = { 0, 1, 4, 16, 17, 128, (socklen_t)-1 };
	struct rng *r = &w->rng;
	struct sockaddr_storage ss;
	socklen_t len = pct(r, 70) ? sizeof(ss) : lens[rnd(r, ARRAY_SIZE(lens))];
	void *p = one_in(r, 15) ? bad_ptr(r, 16) : &ss;
	int s = pick(w, -1), fd;

	if (s < 0)
		return;
	fd = w->fds[s].fd;
	if (one_in(r, 2))
		CALL(w, OP_NAME, fd, getsockname(fd, p, &len));
	else
		CALL(w, OP_NAME, fd, getpeername(fd, p, &len));
}

/* Give a dup() of a socket to whichever thread adopts it next. */
static void op_share(struct worker *w)
{
	int s = pick(w, -1), i = rnd(&w->rng, BOX_SLOTS), fd;

	if (s < 0)
		return;
	fd = CALL(w, OP_SHARE, w->fds[s].fd, fcntl(w->fds[s].fd, F_DUPFD_CLOEXEC, 0));
	if (fd < 0)
		return;
	pthread_mutex_lock(&box_lock);
	if (box[i].fd >= 0)
		CALL(w, OP_CLOSE, box[i].fd, close(box[i].fd));
	box[i] = w->fds[s];
	box[i].fd = fd;
	pthread_mutex_unlock(&box_lock);
}

static void op_adopt(struct worker *w)
{
	int i = rnd(&w->rng, BOX_SLOTS);
	struct slot sl = { .fd = -1 };

	pthread_mutex_lock(&box_lock);
	if (box[i].fd >= 0) {
		sl = box[i];
		box[i].fd = -1;
	}
	pthread_mutex_unlock(&box_lock);
	if (sl.fd < 0)
		return;
	end(w, OP_ADOPT, 0);
	keep(w, sl.fd, sl.kind, sl.tcp);
}

/*
 * Each socket thread's home listener: on a port of the pool that the other
 * namespace's threads know (pair_across), and out of reach of op_close,
 * so that connections across the veth find a listener that accepts.
 */
static int home_port(int idx)
{
	return cfg.port_base + idx % N_PORTS;
}

static void home_listen(struct worker *w)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(home_port(w->idx)) };
	int one = 1;

	w->home = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_ALTTCP);
	if (w->home < 0)
		return;
	bound_timeouts(w, w->home);
	setsockopt(w->home, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(w->home, (void *)&sin, sizeof(sin)) || listen(w->home, 64)) {
		close(w->home);
		w->home = -1;
	}
}

/* A listener of this thread, made if it has none, for op_pair: its fd. */
static int own_listener(struct worker *w)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int i, fd, one = 1;

	if (w->home >= 0 && pct(&w->rng, 50))
		return w->home;
	for (i = 0; i < w->nfds; i++)
		if (w->fds[i].kind == K_LISTEN && !w->fds[i].tcp)
			return w->fds[i].fd;
	fd = CALL(w, OP_SOCKET, -1, socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC,
					   IPPROTO_ALTTCP));
	if (fd < 0)
		return -1;
	bound_timeouts(w, fd);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_port = htons(cfg.port_base + rnd(&w->rng, N_PORTS));
	if (CALL(w, OP_BIND, fd, bind(fd, (void *)&sin, sizeof(sin))) ||
	    CALL(w, OP_LISTEN, fd, listen(fd, 16))) {
		CALL(w, OP_CLOSE, fd, close(fd));
		return -1;
	}
	keep(w, fd, K_LISTEN, false);
	return fd;
}

/* A connection to a home listener of the other namespace's threads. */
static void pair_across(struct worker *w)
{
	struct rng *r = &w->rng;
	int first = 1 - w->ns, c;	/* their indexes: first + 2 * k */
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = other_addr(w),
	};
	bool tcp = one_in(r, 8);

	if (cfg.nsock <= first)
		return;
	sin.sin_port = htons(home_port(first + 2 * rnd(r, (cfg.nsock - first + 1) / 2)));
	c = CALL(w, OP_SOCKET, -1, socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
					  SOCK_CLOEXEC,
					  tcp ? IPPROTO_TCP : IPPROTO_ALTTCP));
	if (c < 0)
		return;
	bound_timeouts(w, c);
	CALL(w, OP_CONNECT, c, connect(c, (void *)&sin, sizeof(sin)));
	keep(w, c, K_CONN, tcp);
	if (pct(r, 50))
		fcntl(c, F_SETFL, fcntl(c, F_GETFL) & ~O_NONBLOCK);
}

/*
 * Random calls alone seldom get a connection up, and most of the code is
 * behind one: connect to a listener of this thread and accept, or to one
 * in the other namespace.
 */
static void op_pair(struct worker *w)
{
	struct rng *r = &w->rng;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct pollfd p;
	int lfd, c, a;
	bool tcp = one_in(r, 8);

	while (w->nfds > MAX_FDS - 3)
		drop(w, rnd(r, w->nfds));
	if (cfg.nns == 2 && cfg.addr[1 - w->ns] && one_in(r, 3)) {
		pair_across(w);
		return;
	}
	lfd = own_listener(w);
	if (lfd < 0)
		return;
	if (getsockname(lfd, (void *)&sin, &len))
		return;
	sin.sin_addr.s_addr = pct(r, 50) ? htonl(INADDR_LOOPBACK) : own_addr(w);
	c = CALL(w, OP_SOCKET, -1, socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
					  SOCK_CLOEXEC,
					  tcp ? IPPROTO_TCP : IPPROTO_ALTTCP));
	if (c < 0)
		return;
	bound_timeouts(w, c);
	CALL(w, OP_CONNECT, c, connect(c, (void *)&sin, sizeof(sin)));
	keep(w, c, K_CONN, tcp);
	p = (struct pollfd){ .fd = lfd, .events = POLLIN };
	CALL(w, OP_POLL, lfd, poll(&p, 1, 100));
	a = CALL(w, OP_ACCEPT, lfd, accept4(lfd, NULL, NULL, SOCK_CLOEXEC |
					    (pct(r, 50) ? SOCK_NONBLOCK : 0)));
	if (a >= 0) {
		accepted(w, a);
		keep(w, a, K_CONN, false);
	}
	if (pct(r, 50))
		fcntl(c, F_SETFL, fcntl(c, F_GETFL) & ~O_NONBLOCK);
}

/*
 * The one hang bounded timeouts cannot see: a call blocked on a socket
 * that another thread shuts down must return then, not at its timeout
 * (servers end accept loops so).  A helper thread blocks in accept(),
 * recv(), send() or connect() with a UNBLOCK_S timeout; this one shuts
 * the socket down; the helper must not come back with the timeout's
 * errno.
 */
#define UNBLOCK_S	4

struct blocked {
	int fd;
	enum { B_ACCEPT, B_RECV, B_SEND, B_CONNECT } call;
	struct sockaddr_in to;
	uint64_t ns;
	int err;
};

static const char *const blocked_name[] = {
	"accept", "recv", "send", "connect",
};

static void *blocked_call(void *arg)
{
	struct blocked *b = arg;
	uint64_t t0 = now_ns();
	long ret;
	char c;

	switch (b->call) {
	case B_ACCEPT:
		ret = accept4(b->fd, NULL, NULL, SOCK_CLOEXEC);
		break;
	case B_RECV:
		ret = recv(b->fd, &c, 1, 0);
		break;
	case B_SEND:
		ret = send(b->fd, pattern, 65536, MSG_NOSIGNAL);
		break;
	default:
		ret = connect(b->fd, (void *)&b->to, sizeof(b->to));
	}
	b->err = ret < 0 ? errno : 0;
	if (ret >= 0 && b->call == B_ACCEPT)
		close(ret);
	b->ns = now_ns() - t0;
	return NULL;
}

/* A listener on an ephemeral loopback port, and its address. */
static int unblock_listener(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int fd;

	*sin = (struct sockaddr_in){ .sin_family = AF_INET,
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_ALTTCP);
	if (fd < 0)
		return -1;
	if (bind(fd, (void *)sin, len) || listen(fd, 4) ||
	    getsockname(fd, (void *)sin, &len)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The socket to block on, in b->fd; *extra: one more to close after. */
static int unblock_setup(struct worker *w, struct blocked *b, int *extra)
{
	struct timeval tv = { 1, 0 };
	struct sockaddr_in sin;
	int l;

	*extra = -1;
	if (b->call == B_CONNECT) {
		/* a neighbour that never answers ARP: SYN_SENT to the end */
		b->to = (struct sockaddr_in){ .sin_family = AF_INET,
			.sin_port = htons(cfg.port_base),
			.sin_addr.s_addr = (cfg.addr[w->ns] & htonl(0xffffff00)) |
					   htonl(0x77) };
		b->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC |
			       SOCK_NONBLOCK, IPPROTO_ALTTCP);
		if (b->fd < 0)
			return -1;
		/* under way before the helper's blocking connect() waits on it */
		if (!connect(b->fd, (void *)&b->to, sizeof(b->to)) ||
		    errno != EINPROGRESS)
			return -1;
		return fcntl(b->fd, F_SETFL, 0);
	}
	l = unblock_listener(&sin);
	if (l < 0 || b->call == B_ACCEPT) {
		b->fd = l;
		return l < 0 ? -1 : 0;
	}
	*extra = l;
	b->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_ALTTCP);
	if (b->fd < 0)
		return -1;
	setsockopt(b->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(b->fd, (void *)&sin, sizeof(sin)))
		return -1;
	*extra = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	close(l);
	if (*extra < 0)
		return -1;
	/* send: nobody reads, so fill both ends' buffers first */
	while (b->call == B_SEND &&
	       send(b->fd, pattern, 65536, MSG_DONTWAIT | MSG_NOSIGNAL) > 0)
		;
	return 0;
}

static void op_unblock(struct worker *w)
{
	struct timeval tv = { UNBLOCK_S, 0 };
	struct blocked b = { .fd = -1 };
	pthread_t helper;
	int extra;

	/* rarer than its weight of 1 says: each one takes 100 ms */
	if (!one_in(&w->rng, 4))
		return;
	b.call = rnd(&w->rng, cfg.addr[w->ns] ? 4 : 3);
	if (unblock_setup(w, &b, &extra))
		goto out;
	setsockopt(b.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(b.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (pthread_create(&helper, NULL, blocked_call, &b))
		goto out;
	sleep_ms(100);		/* in the call by now, or it returns at once */
	CALL(w, OP_SHUTDOWN, b.fd, shutdown(b.fd, SHUT_RDWR));
	begin(w, OP_UNBLOCK, b.fd);
	pthread_join(helper, NULL);
	errno = b.err;
	end(w, OP_UNBLOCK, b.err ? -1 : 0);
	if ((b.err == EAGAIN || b.err == EINPROGRESS || b.err == EALREADY) &&
	    b.ns >= (UNBLOCK_S - 1) * 1000000000ull)
		fail("shutdown(SHUT_RDWR) did not wake a blocked %s: %s after %llu ms",
		     blocked_name[b.call], strerrorname_np(b.err),
		     (unsigned long long)b.ns / 1000000);
out:
	if (b.fd >= 0)
		close(b.fd);
	if (extra >= 0)
		close(extra);
}

static const struct {
	void (*fn)(struct worker *w);
	unsigned int weight;
} sock_ops[] = {
	{ op_socket, 8 }, { op_bind, 5 }, { op_listen, 4 }, { op_connect, 7 },
	{ op_accept, 7 }, { op_setsockopt, 10 }, { op_getsockopt, 7 },
	{ op_send, 10 }, { op_recv, 10 }, { op_sendfile, 2 },
	{ op_shutdown, 3 }, { op_close, 6 }, { op_poll, 4 }, { op_epoll, 3 },
	{ op_ioctl, 2 }, { op_fcntl, 2 }, { op_getname, 2 }, { op_share, 2 },
	{ op_adopt, 2 }, { op_pair, 5 }, { op_unblock, 1 },
};

static void sock_setup(struct worker *w)
{
	w->buf = malloc(BUF_LEN + CANARY);
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	w->memfd = memfd_create("hostile", MFD_CLOEXEC);
	if (w->memfd >= 0 && write(w->memfd, pattern, 65536) != 65536) {
		close(w->memfd);
		w->memfd = -1;
	}
}

static void sock_main(struct worker *w)
{
	unsigned int sum = 0, n, i;

	sock_setup(w);
	if (!w->buf)
		return;
	home_listen(w);
	for (i = 0; i < ARRAY_SIZE(sock_ops); i++)
		sum += sock_ops[i].weight;
	while (!time_up()) {
		n = rnd(&w->rng, sum);
		for (i = 0; n >= sock_ops[i].weight; i++)
			n -= sock_ops[i].weight;
		sock_ops[i].fn(w);
	}
	while (w->nfds)
		drop(w, w->nfds - 1);
	if (w->home >= 0)
		close(w->home);
	if (w->epfd >= 0)
		close(w->epfd);
	if (w->memfd >= 0)
		close(w->memfd);
	free(w->buf);
}

/* ------------------------------------------------- generic netlink */

struct genl {
	int fd;
	uint16_t family;	/* 0: not found */
	uint32_t group;		/* ALTTCP_MCGRP_EVENTS */
	uint32_t seq;
	unsigned char tx[GENL_TX], rx[GENL_RX];
	size_t len;
};

static void *nl_put(struct genl *g, size_t len)
{
	size_t alen = NLA_ALIGN(len);
	void *p;

	if (g->len + alen > sizeof(g->tx))
		return NULL;
	p = g->tx + g->len;
	memset(p, 0, alen);
	g->len += alen;
	return p;
}

static void nla_add(struct genl *g, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = nl_put(g, NLA_HDRLEN + len);

	if (!a)
		return;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((unsigned char *)a + NLA_HDRLEN, data, len);
}

static void nla_u32(struct genl *g, uint16_t type, uint32_t v)
{
	nla_add(g, type, &v, sizeof(v));
}

static void nla_u16(struct genl *g, uint16_t type, uint16_t v)
{
	nla_add(g, type, &v, sizeof(v));
}

static size_t nest_begin(struct genl *g, uint16_t type)
{
	size_t off = g->len;
	struct nlattr *a = nl_put(g, NLA_HDRLEN);

	if (!a)
		return SIZE_MAX;
	a->nla_type = type;
	return off;
}

static void nest_end(struct genl *g, size_t off)
{
	if (off != SIZE_MAX)
		((struct nlattr *)(g->tx + off))->nla_len = g->len - off;
}

static size_t msg_begin(struct genl *g, uint16_t type, uint16_t flags,
			uint8_t cmd, uint8_t version)
{
	size_t off = g->len;
	struct nlmsghdr *h = nl_put(g, NLMSG_HDRLEN);
	struct genlmsghdr *gh = nl_put(g, GENL_HDRLEN);

	if (!h || !gh)
		return SIZE_MAX;
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = ++g->seq;
	gh->cmd = cmd;
	gh->version = version;
	return off;
}

static void msg_end(struct genl *g, size_t off)
{
	if (off != SIZE_MAX)
		((struct nlmsghdr *)(g->tx + off))->nlmsg_len = g->len - off;
}

static const struct nlattr *nla_first(const void *p, size_t len)
{
	const struct nlattr *a = p;

	return len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len ? a : NULL;
}

static const struct nlattr *nla_next(const struct nlattr *a, size_t *rem)
{
	size_t step = NLA_ALIGN(a->nla_len);

	if (step >= *rem)
		return NULL;
	*rem -= step;
	return nla_first((const unsigned char *)a + step, *rem);
}

static const void *nla_data(const struct nlattr *a)
{
	return (const unsigned char *)a + NLA_HDRLEN;
}

/* The family's id and events group, from CTRL_CMD_GETFAMILY's answer. */
static void parse_family(struct genl *g, const void *p, size_t len)
{
	const struct nlattr *a, *grp, *f;
	size_t rem = len, r2, r3;

	for (a = nla_first(p, rem); a; a = nla_next(a, &rem)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case CTRL_ATTR_FAMILY_ID:
			g->family = *(const uint16_t *)nla_data(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			r2 = a->nla_len - NLA_HDRLEN;
			for (grp = nla_first(nla_data(a), r2); grp;
			     grp = nla_next(grp, &r2)) {
				bool events = false;
				uint32_t id = 0;

				r3 = grp->nla_len - NLA_HDRLEN;
				for (f = nla_first(nla_data(grp), r3); f;
				     f = nla_next(f, &r3)) {
					if (f->nla_type == CTRL_ATTR_MCAST_GRP_ID)
						id = *(const uint32_t *)nla_data(f);
					if (f->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
						events = !strcmp(nla_data(f),
								 ALTTCP_MCGRP_EVENTS);
				}
				if (events)
					g->group = id;
			}
			break;
		}
	}
}

static int genl_open(struct genl *g)
{
	struct pollfd p;
	const struct nlmsghdr *h;
	size_t off;
	ssize_t n;

	g->family = 0;
	g->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (g->fd < 0)
		return -errno;
	g->len = 0;
	off = msg_begin(g, GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY, 1);
	nla_add(g, CTRL_ATTR_FAMILY_NAME, ALTTCP_GENL_NAME,
		sizeof(ALTTCP_GENL_NAME));
	msg_end(g, off);
	if (send(g->fd, g->tx, g->len, 0) < 0)
		return -errno;
	p = (struct pollfd){ .fd = g->fd, .events = POLLIN };
	if (poll(&p, 1, 2000) != 1)
		return -ETIMEDOUT;
	n = recv(g->fd, g->rx, sizeof(g->rx), MSG_DONTWAIT);
	if (n < (ssize_t)NLMSG_HDRLEN)
		return n < 0 ? -errno : -EPROTO;
	h = (const void *)g->rx;
	if (h->nlmsg_type == NLMSG_ERROR)
		return ((const struct nlmsgerr *)NLMSG_DATA(h))->error;
	if (h->nlmsg_len > n || h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EPROTO;
	parse_family(g, g->rx + NLMSG_HDRLEN + GENL_HDRLEN,
		     h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
	return g->family ? 0 : -ENOENT;
}

static uint32_t cfg_value(struct rng *r)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 5, 8, 10, 30, 60, 100, 200, 1000, 3000, 65535,
		120000, 0xffffffff,
	};

	return one_in(r, 5) ? (uint32_t)interesting(r) : v[rnd(r, ARRAY_SIZE(v))];
}

static void put_filter(struct worker *w, struct genl *g)
{
	struct rng *r = &w->rng;
	size_t nest = nest_begin(g, ALTTCP_A_FILTER | NLA_F_NESTED);

	if (pct(r, 60))
		nla_u32(g, ALTTCP_FILTER_STATES, one_in(r, 3) ? (uint32_t)rnd64(r) :
			1u << rnd(r, __ALTTCP_STATE_MAX + 1));
	if (pct(r, 50))
		nla_u16(g, ALTTCP_FILTER_LPORT, cfg.port_base + rnd(r, N_PORTS));
	if (one_in(r, 4))
		nla_u16(g, ALTTCP_FILTER_RPORT, cfg.port_base + rnd(r, N_PORTS));
	if (one_in(r, 4))
		nla_u32(g, ALTTCP_FILTER_LADDR, rand_in_addr(w));
	if (one_in(r, 4))
		nla_u32(g, ALTTCP_FILTER_RADDR, rand_in_addr(w));
	nest_end(g, nest);
}

static void put_config(struct rng *r, struct genl *g)
{
	size_t nest = nest_begin(g, ALTTCP_A_CONFIG | NLA_F_NESTED), pr;
	int i, n = 1 + rnd(r, 3), type;

	for (i = 0; i < n; i++) {
		type = 1 + rnd(r, ALTTCP_CFG_MAX);
		if (type != ALTTCP_CFG_LOCAL_PORT_RANGE) {
			nla_u32(g, type, cfg_value(r));
			continue;
		}
		pr = nest_begin(g, type | NLA_F_NESTED);
		nla_u16(g, ALTTCP_PORT_RANGE_LOW, 1024 + rnd(r, 40000));
		nla_u16(g, ALTTCP_PORT_RANGE_HIGH, 30000 + rnd(r, 35536));
		nest_end(g, pr);
	}
	nest_end(g, nest);
}

static void put_listener(struct rng *r, struct genl *g)
{
	size_t nest = nest_begin(g, ALTTCP_A_LISTENER | NLA_F_NESTED);
	int i, n = rnd(r, 4);

	if (pct(r, 90))
		nla_u16(g, ALTTCP_LISTENER_PORT, cfg.port_base + rnd(r, N_PORTS));
	if (one_in(r, 4))
		nla_u32(g, ALTTCP_LISTENER_ADDR, one_in(r, 2) ? 0 :
			htonl(INADDR_LOOPBACK));
	for (i = 0; i < n; i++)
		nla_u32(g, ALTTCP_LISTENER_SYNACK_RETRIES +
			rnd(r, ALTTCP_LISTENER_MAX - ALTTCP_LISTENER_SYNACK_RETRIES + 1),
			one_in(r, 3) ? ALTTCP_OVERRIDE_UNSET : cfg_value(r));
	nest_end(g, nest);
}

/* A request the family could take: the code behind the validation. */
static void genl_valid(struct worker *w, struct genl *g)
{
	struct rng *r = &w->rng;
	uint8_t cmd = 1 + rnd(r, ALTTCP_CMD_MAX);
	uint16_t flags = NLM_F_REQUEST | (pct(r, 50) ? NLM_F_ACK : 0);
	size_t off;

	if (cmd == ALTTCP_CMD_GET_CONN && pct(r, 90))
		flags |= NLM_F_DUMP;
	off = msg_begin(g, g->family, flags, cmd, ALTTCP_GENL_VERSION);
	switch (cmd) {
	case ALTTCP_CMD_SET_CONFIG:
		put_config(r, g);
		break;
	case ALTTCP_CMD_GET_CONN:
		if (pct(r, 50))
			put_filter(w, g);
		break;
	case ALTTCP_CMD_KILL_CONN:
		if (pct(r, 90))
			put_filter(w, g);
		break;
	case ALTTCP_CMD_SET_LISTENER:
		put_listener(r, g);
		break;
	}
	msg_end(g, off);
}

static int attr_max(int depth, int parent)
{
	if (depth == 0)
		return ALTTCP_A_MAX;
	switch (parent) {
	case ALTTCP_A_CONFIG:
		return ALTTCP_CFG_MAX;
	case ALTTCP_A_FILTER:
		return ALTTCP_FILTER_MAX;
	case ALTTCP_A_LISTENER:
		return ALTTCP_LISTENER_MAX;
	case ALTTCP_CFG_LOCAL_PORT_RANGE:
		return ALTTCP_PORT_RANGE_MAX;
	}
	return 8;
}

static bool is_nest(int depth, int type)
{
	return (depth == 0 && (type == ALTTCP_A_CONFIG ||
			       type == ALTTCP_A_FILTER ||
			       type == ALTTCP_A_LISTENER)) ||
	       (depth == 1 && type == ALTTCP_CFG_LOCAL_PORT_RANGE);
}

static void rand_payload(struct rng *r, struct genl *g, uint16_t type)
{
	static const size_t lens[] = { 0, 1, 2, 3, 4, 4, 4, 5, 8, 16 };
	unsigned char v[64];
	size_t len = one_in(r, 4) ? rnd(r, sizeof(v) + 1) :
		     lens[rnd(r, ARRAY_SIZE(lens))];
	uint16_t port = htons(cfg.port_base + rnd(r, N_PORTS));
	int i32 = interesting(r);

	fill_random(r, v, sizeof(v));
	if (len == 2)
		memcpy(v, one_in(r, 2) ? &port : (void *)&i32, 2);
	else if (len >= 4)
		memcpy(v, &i32, 4);
	nla_add(g, type, v, len);
}

/* Attributes of any type, length and nesting, near the family's own. */
static void rand_attrs(struct rng *r, struct genl *g, int depth, int parent)
{
	int i, n = rnd(r, 6), type;
	size_t nest;

	for (i = 0; i < n && g->len < sizeof(g->tx) - 512; i++) {
		type = rnd(r, attr_max(depth, parent) + 3);
		if (one_in(r, 20))
			type = rnd(r, NLA_TYPE_MASK + 1);
		if (depth < 3 && (is_nest(depth, type) ? pct(r, 70) : one_in(r, 7))) {
			nest = nest_begin(g, type | (pct(r, 70) ? NLA_F_NESTED : 0));
			rand_attrs(r, g, depth + 1, type);
			nest_end(g, nest);
			continue;
		}
		if (one_in(r, 8))
			type |= NLA_F_NESTED;
		if (one_in(r, 30))
			type |= NLA_F_NET_BYTEORDER;
		rand_payload(r, g, type);
	}
}

static void genl_fuzz(struct worker *w, struct genl *g)
{
	static const uint16_t flag[] = {
		NLM_F_ACK, NLM_F_DUMP, NLM_F_ECHO, NLM_F_ROOT, NLM_F_MATCH,
		NLM_F_ATOMIC, NLM_F_EXCL, NLM_F_CREATE, NLM_F_REPLACE,
		NLM_F_APPEND, NLM_F_MULTI, NLM_F_DUMP_INTR,
	};
	/*
	 * No random message types: they could be another family's id, and
	 * some families change the system for root.
	 */
	static const uint16_t types[] = {
		0, NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN, 15,
		GENL_ID_CTRL,
	};
	struct rng *r = &w->rng;
	uint16_t type = pct(r, 90) ? g->family : types[rnd(r, ARRAY_SIZE(types))];
	uint16_t flags = pct(r, 90) ? NLM_F_REQUEST : 0;
	uint8_t cmd = pct(r, 80) ? rnd(r, ALTTCP_CMD_MAX + 4) : rnd(r, 256);
	uint8_t version = pct(r, 70) ? ALTTCP_GENL_VERSION : rnd(r, 256);
	int i, n = rnd(r, 3);
	size_t off;

	if (type == GENL_ID_CTRL)
		cmd = rnd(r, CTRL_CMD_GETPOLICY + 3);
	for (i = 0; i < n; i++)
		flags |= flag[rnd(r, ARRAY_SIZE(flag))];
	if (one_in(r, 20))
		flags = rnd(r, 0x10000);
	off = msg_begin(g, type, flags, cmd, version);
	if (off == SIZE_MAX)
		return;
	if (one_in(r, 10))
		((struct genlmsghdr *)(g->tx + off + NLMSG_HDRLEN))->reserved = rnd64(r);
	rand_attrs(r, g, 0, 0);
	msg_end(g, off);
}

/* The controller on our family: its description and its policy dump. */
static void genl_ctrl(struct worker *w, struct genl *g)
{
	struct rng *r = &w->rng;
	bool policy = pct(r, 60);
	uint16_t flags = NLM_F_REQUEST | (policy || one_in(r, 3) ? NLM_F_DUMP : 0);
	size_t off;

	off = msg_begin(g, GENL_ID_CTRL, flags,
			policy ? CTRL_CMD_GETPOLICY : CTRL_CMD_GETFAMILY, 1);
	if (pct(r, 80))
		nla_u16(g, CTRL_ATTR_FAMILY_ID, g->family);
	else
		nla_add(g, CTRL_ATTR_FAMILY_NAME, ALTTCP_GENL_NAME,
			sizeof(ALTTCP_GENL_NAME) - one_in(r, 3));
	if (policy && pct(r, 50))
		nla_u32(g, CTRL_ATTR_OP, rnd(r, ALTTCP_CMD_MAX + 3));
	msg_end(g, off);
}

/* Break the first message's framing; returns how many bytes to send. */
static size_t corrupt(struct rng *r, struct genl *g)
{
	struct nlmsghdr *h = (struct nlmsghdr *)g->tx;
	size_t n = g->len;

	if (n < NLMSG_HDRLEN)
		return n;
	switch (rnd(r, 6)) {
	case 0:
		h->nlmsg_len = rnd(r, NLMSG_HDRLEN + GENL_HDRLEN + 1);
		break;
	case 1:
		h->nlmsg_len = n + 1 + rnd(r, 64);
		break;
	case 2:
		return rnd(r, n);
	case 3:
		if (h->nlmsg_len > NLMSG_HDRLEN + 8)
			h->nlmsg_len -= 1 + rnd(r, 8);
		break;
	case 4:
		g->tx[NLMSG_HDRLEN + rnd(r, n - NLMSG_HDRLEN + 1) % n] ^= 1 << rnd(r, 8);
		break;
	default:
		/* bytes past nlmsg_len */
		if (nl_put(g, 4 + rnd(r, 29)))
			fill_random(r, g->tx + n, g->len - n);
		return g->len;
	}
	return n;
}

/* A reply's attributes, one nesting level deep: lengths that add up. */
static bool attrs_ok(const void *p, size_t len, int depth)
{
	const struct nlattr *a;
	size_t rem = len;

	if (!len)
		return true;
	a = nla_first(p, rem);
	if (!a)
		return false;
	for (; a; a = nla_next(a, &rem)) {
		if (depth == 0 && (a->nla_type & NLA_F_NESTED) &&
		    !attrs_ok(nla_data(a), a->nla_len - NLA_HDRLEN, 1))
			return false;
		if ((size_t)NLA_ALIGN(a->nla_len) >= rem)
			return a->nla_len <= rem;
	}
	return false;
}

/* What the kernel answers must be well-formed, whatever it was asked. */
static void check_reply(struct worker *w, struct genl *g, const unsigned char *p,
			size_t n)
{
	const struct nlmsghdr *h;
	const struct nlmsgerr *e;

	while (n >= NLMSG_HDRLEN) {
		h = (const void *)p;
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > n) {
			fail("genl: reply of %zu bytes claims nlmsg_len %u",
			     n, h->nlmsg_len);
			return;
		}
		if (h->nlmsg_type == NLMSG_ERROR &&
		    h->nlmsg_len >= NLMSG_HDRLEN + sizeof(*e)) {
			e = NLMSG_DATA(h);
			errno = -e->error;
			end(w, OP_GENL_REPLY, e->error ? -1 : 0);
		} else if (h->nlmsg_type == g->family) {
			if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
			    !attrs_ok(p + NLMSG_HDRLEN + GENL_HDRLEN,
				      h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, 0)) {
				fail("genl: malformed message from the family (cmd %u, %u bytes)",
				     p[NLMSG_HDRLEN], h->nlmsg_len);
				return;
			}
			end(w, OP_GENL_REPLY, 0);
		}
		if (NLMSG_ALIGN(h->nlmsg_len) >= n)
			return;
		n -= NLMSG_ALIGN(h->nlmsg_len);
		p += NLMSG_ALIGN(h->nlmsg_len);
	}
}

/* Read what came back; sometimes stop halfway through a dump. */
static void genl_drain(struct worker *w, struct genl *g)
{
	struct rng *r = &w->rng;
	int i, max = one_in(r, 10) ? (int)rnd(r, 3) : 64, flags;
	struct pollfd p = { .fd = g->fd, .events = POLLIN };
	size_t len;
	long n;

	for (i = 0; i < max && !time_up(); i++) {
		if (poll(&p, 1, i ? 0 : 5 + rnd(r, 40)) <= 0)
			return;
		len = one_in(r, 20) ? rnd(r, 64) : sizeof(g->rx);
		flags = MSG_DONTWAIT;
		if (one_in(r, 20))
			flags |= MSG_PEEK;
		if (one_in(r, 20))
			flags |= MSG_TRUNC;
		n = CALL(w, OP_GENL_RECV, g->fd, recv(g->fd, g->rx, len, flags));
		if (n < 0 && errno != ENOBUFS)
			return;
		if (n > 0 && (size_t)n <= len && len == sizeof(g->rx))
			check_reply(w, g, g->rx, n);
	}
}

static void genl_sockopt(struct worker *w, struct genl *g)
{
	static const int bufs[] = { 0, 1, 1024, 4096, 65536, 1 << 20 };
	struct rng *r = &w->rng;
	int on = rnd(r, 2), grp, fd = g->fd;

	switch (rnd(r, 8)) {
	case 0:
	case 1:
		grp = pct(r, 90) ? (int)g->group : one_in(r, 2) ? 0 : 0xffff;
		CALL(w, OP_GENL_SOCKOPT, fd, setsockopt(fd, SOL_NETLINK,
			on ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP,
			&grp, sizeof(grp)));
		break;
	case 2:
		CALL(w, OP_GENL_SOCKOPT, fd, setsockopt(fd, SOL_NETLINK,
			NETLINK_EXT_ACK, &on, sizeof(on)));
		break;
	case 3:
		CALL(w, OP_GENL_SOCKOPT, fd, setsockopt(fd, SOL_NETLINK,
			NETLINK_GET_STRICT_CHK, &on, sizeof(on)));
		break;
	case 4:
		CALL(w, OP_GENL_SOCKOPT, fd, setsockopt(fd, SOL_NETLINK,
			NETLINK_CAP_ACK, &on, sizeof(on)));
		break;
	case 5:
		on = bufs[rnd(r, ARRAY_SIZE(bufs))];
		CALL(w, OP_GENL_SOCKOPT, fd, setsockopt(fd, SOL_SOCKET,
			SO_RCVBUF, &on, sizeof(on)));
		break;
	case 6:
		CALL(w, OP_GENL_SOCKOPT, fd, setsockopt(fd, SOL_NETLINK,
			NETLINK_NO_ENOBUFS, &on, sizeof(on)));
		break;
	default:
		/* events of every namespace this one has an id for */
		CALL(w, OP_GENL_SOCKOPT, fd, setsockopt(fd, SOL_NETLINK,
			NETLINK_LISTEN_ALL_NSID, &on, sizeof(on)));
	}
}

static void genl_step(struct worker *w, struct genl *g)
{
	struct rng *r = &w->rng;
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	size_t n;

	if (one_in(r, 12)) {
		genl_sockopt(w, g);
		return;
	}
	g->len = 0;
	n = rnd(r, 100);
	if (n < 45)
		genl_valid(w, g);
	else if (n < 90)
		genl_fuzz(w, g);
	else
		genl_ctrl(w, g);
	if (one_in(r, 20))		/* two messages in one datagram */
		genl_valid(w, g);
	n = one_in(r, 5) ? corrupt(r, g) : g->len;
	if (one_in(r, 2))
		CALL(w, OP_GENL_SEND, g->fd, sendto(g->fd, g->tx, n, 0,
						    (void *)&to, sizeof(to)));
	else
		CALL(w, OP_GENL_SEND, g->fd, send(g->fd, g->tx, n, 0));
	genl_drain(w, g);
}

static void genl_main(struct worker *w)
{
	struct genl *g = calloc(1, sizeof(*g));
	int err;

	if (!g)
		return;
	err = genl_open(g);
	if (err) {
		fail("genl: cannot resolve family %s in netns %s: %s",
		     ALTTCP_GENL_NAME, cfg.ns_name[w->ns] ? : "(own)",
		     strerror(-err));
		goto out;
	}
	if (w->idx == cfg.nsock)
		printf("hostile: genl family %s id %u, group %s id %u\n",
		       ALTTCP_GENL_NAME, g->family, ALTTCP_MCGRP_EVENTS, g->group);
	while (!time_up()) {
		/* closed now and then, dumps half read included */
		if (one_in(&w->rng, 50)) {
			close(g->fd);
			g->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				       NETLINK_GENERIC);
			if (g->fd < 0)
				break;
		}
		genl_step(w, g);
	}
out:
	if (g->fd >= 0)
		close(g->fd);
	free(g);
}

/* ---------------------------------------------------------- sysctls */

struct sysctls {
	int n;
	char name[MAX_SYSCTL][64];
	char val[MAX_SYSCTL][128];
};

static struct sysctls saved[MAX_NS];

static int sysctl_list(struct sysctls *s)
{
	struct dirent *d;
	DIR *dir = opendir(SYSCTL_DIR);

	s->n = 0;
	if (!dir)
		return -errno;
	while ((d = readdir(dir)) && s->n < MAX_SYSCTL) {
		if (d->d_name[0] == '.' || strlen(d->d_name) >= sizeof(s->name[0]))
			continue;
		strcpy(s->name[s->n++], d->d_name);
	}
	closedir(dir);
	return 0;
}

static int sysctl_read(const char *name, char *buf, size_t cap)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), SYSCTL_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static int sysctl_write(const char *name, const char *val)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), SYSCTL_DIR "/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

static int enter_ns(int i)
{
	return cfg.ns_fd[i] < 0 ? 0 : setns(cfg.ns_fd[i], CLONE_NEWNET);
}

static int sysctl_save(int i)
{
	struct sysctls *s = &saved[i];
	int k, err;

	err = sysctl_list(s);
	for (k = 0; !err && k < s->n; k++)
		err = sysctl_read(s->name[k], s->val[k], sizeof(s->val[k]));
	return err;
}

/*
 * Values may depend on each other (a range, a minimum below a maximum):
 * a few rounds, until every one reads back as it was.
 */
static int sysctl_restore(int i)
{
	struct sysctls *s = &saved[i];
	char now[128] = "";
	int k, round, bad = 0;

	for (round = 0; round < 3; round++) {
		bad = 0;
		for (k = 0; k < s->n; k++) {
			if (!sysctl_read(s->name[k], now, sizeof(now)) &&
			    !strcmp(now, s->val[k]))
				continue;
			bad++;
			sysctl_write(s->name[k], s->val[k]);
		}
		if (!bad)
			return 0;
	}
	for (k = 0; k < s->n; k++) {
		if (sysctl_read(s->name[k], now, sizeof(now)) ||
		    strcmp(now, s->val[k]))
			fail("sysctl %s in netns %s: '%.20s' after restoring '%.20s'",
			     s->name[k], cfg.ns_name[i] ? : "(own)", now, s->val[k]);
	}
	return bad;
}

/* Random bytes, huge numbers, negatives, empty, very long, almost valid. */
static size_t sysctl_garbage(struct rng *r, char *s, size_t cap)
{
	static const char *const odd[] = {
		"", "\n", " ", "-", "+", "0x10", "+5", "5abc", "1e3", "5\n6\n",
		"  7  \n", "\t3", "1 2", "65535 1024", "1024 65535", "0 0",
		"-1 -1", "99999999999999999999", "4294967296", "2147483648",
		"-2147483649", "-9223372036854775809", "18446744073709551616",
		"0000000000000000000000000000001",
	};
	size_t n, k;

	switch (rnd(r, 10)) {
	case 0:
		n = rnd(r, 64);
		fill_random(r, s, n);
		return n;
	case 1 ... 2:
		n = strlen(odd[k = rnd(r, ARRAY_SIZE(odd))]);
		memcpy(s, odd[k], n);
		return n;
	case 3:
		/* very long: a number, or one after many spaces */
		n = 4096 + rnd(r, MIN(cap, 65536) - 4096 - 16);
		memset(s, one_in(r, 2) ? '9' : ' ', n);
		s[n++] = '1';
		return n;
	case 4:
		return snprintf(s, cap, "%d", -(int)rnd(r, 1000));
	case 5:
		return snprintf(s, cap, "%d %d", interesting(r), interesting(r));
	case 6:
		return snprintf(s, cap, "%d\n", interesting(r));
	default:
		return snprintf(s, cap, "%u", rnd(r, 300));
	}
}

static void sysctl_step(struct worker *w, const struct sysctls *s)
{
	struct rng *r = &w->rng;
	char path[256];
	size_t len;
	void *p = w->buf;
	int fd;

	snprintf(path, sizeof(path), SYSCTL_DIR "/%s", s->name[rnd(r, s->n)]);
	if (pct(r, 20)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return;
		CALL(w, OP_SYSCTL_READ, fd, pread(fd, w->buf, rnd(r, 64), rnd(r, 8)));
		close(fd);
		return;
	}
	fd = open(path, (pct(r, 50) ? O_WRONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return;
	len = sysctl_garbage(r, (char *)w->buf, BUF_LEN);
	if (one_in(r, 20))
		p = bad_ptr(r, len);
	if (one_in(r, 10))
		CALL(w, OP_SYSCTL_WRITE, fd, pwrite(fd, p, len, 1 + rnd(r, 16)));
	else
		CALL(w, OP_SYSCTL_WRITE, fd, write(fd, p, len));
	if (one_in(r, 10))	/* a second write, past position 0 */
		CALL(w, OP_SYSCTL_WRITE, fd, write(fd, p, len));
	close(fd);
}

static void sysctl_main(struct worker *w)
{
	struct sysctls *s = calloc(1, sizeof(*s));

	w->buf = malloc(BUF_LEN + CANARY);
	if (!s || !w->buf)
		goto out;
	if (sysctl_list(s) || !s->n) {
		fail("sysctl: nothing under %s in netns %s", SYSCTL_DIR,
		     cfg.ns_name[w->ns] ? : "(own)");
		goto out;
	}
	/* paced: the sockets are what this is about */
	while (!time_up()) {
		sysctl_step(w, s);
		sleep_ms(1 + rnd(&w->rng, 4));
	}
out:
	free(s);
	free(w->buf);
}

/* -------------------------------------------------------- unloading */

/* The module must refuse to go while a socket of it is open. */
static void unload_main(struct worker *w)
{
	long ret;

	while (!time_up()) {
		ret = CALL(w, OP_UNLOAD, -1, syscall(SYS_delete_module, "alttcp",
						     O_NONBLOCK));
		if (!ret) {
			fail("delete_module(alttcp) succeeded while its sockets were open");
			return;
		}
		if (errno == EPERM) {
			printf("hostile: no delete_module here (EPERM): unload thread stops\n");
			return;
		}
		if (errno != EWOULDBLOCK && errno != EBUSY)
			fail("delete_module(alttcp): %s, not EBUSY/EAGAIN",
			     strerrorname_np(errno) ? : "?");
		sleep_ms(100 + rnd(&w->rng, 200));
	}
}

/* ---------------------------------------------------------- threads */

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	atomic_store(&w->tid, gettid());
	if (w->role != R_UNLOAD && enter_ns(w->ns)) {
		fail("thread %d: setns to %s: %s", w->idx, cfg.ns_name[w->ns],
		     strerror(errno));
	} else {
		switch (w->role) {
		case R_SOCK:
			sock_main(w);
			break;
		case R_GENL:
			genl_main(w);
			break;
		case R_SYSCTL:
			sysctl_main(w);
			break;
		case R_UNLOAD:
			unload_main(w);
			break;
		}
	}
	atomic_store(&w->done, true);
	return NULL;
}

static void print_stack(int tid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stack", tid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("hostile:     %s", line);
	fclose(f);
}

static void report_stuck(struct worker *ws, int n)
{
	uint64_t t = now_ns();
	int i, op;

	for (i = 0; i < n; i++) {
		struct worker *w = &ws[i];

		if (atomic_load(&w->done))
			continue;
		op = atomic_load(&w->cur);
		printf("hostile: watchdog: thread %d (%s, netns %s, tid %d) stuck %.1f s in %s on fd %d\n",
		       w->idx, role_name[w->role],
		       cfg.ns_name[w->ns] ? : "(own)", atomic_load(&w->tid),
		       op < 0 ? 0 : (t - atomic_load(&w->since_ns)) / 1e9,
		       op < 0 ? "(between calls)" : op_name[op],
		       atomic_load(&w->cur_fd));
		print_stack(atomic_load(&w->tid));
	}
}

/* Wait for the threads; past the deadline and GRACE_S, name the stuck one. */
static bool watchdog(struct worker *ws, int n)
{
	uint64_t next = start_ns + 10000000000ull, total;
	int i, busy;

	for (;;) {
		busy = 0;
		total = 0;
		for (i = 0; i < n; i++) {
			busy += !atomic_load(&ws[i].done);
			total += atomic_load_explicit(&ws[i].total,
						      memory_order_relaxed);
		}
		if (!busy)
			return true;
		if (now_ns() > deadline_ns + GRACE_S * 1000000000ull) {
			report_stuck(ws, n);
			return false;
		}
		if (now_ns() >= next && now_ns() < deadline_ns) {
			printf("hostile: %llu s: %llu calls\n",
			       (unsigned long long)(now_ns() - start_ns) / 1000000000ull,
			       (unsigned long long)total);
			fflush(stdout);
			next += 10000000000ull;
		}
		sleep_ms(100);
	}
}

/* ---------------------------------------------------------- summary */

static void summary(struct worker *ws, int n, double secs)
{
	uint64_t ops[NR_OPS] = { 0 }, ok[NR_OPS] = { 0 };
	uint64_t errs[ERR_SLOTS] = { 0 }, total = 0, tx = 0, rx = 0, efc = 0;
	uint64_t acc = 0, across = 0;
	int i, k, ntop = 0, best;
	const char *name;

	for (i = 0; i < n; i++) {
		for (k = 0; k < NR_OPS; k++) {
			ops[k] += ws[i].ops[k];
			ok[k] += ws[i].ok[k];
		}
		for (k = 0; k < ERR_SLOTS; k++)
			errs[k] += ws[i].errs[k];
		tx += ws[i].tx_bytes;
		efc += ws[i].efault_checks;
		acc += ws[i].accepted;
		across += ws[i].accepted_across;
		rx += ws[i].rx_bytes;
	}
	for (k = 0; k < NR_OPS; k++)
		total += ops[k];
	printf("hostile: %llu calls in %.1f s; %llu connections accepted (%llu from the other namespace); %llu bytes sent, %llu received\n",
	       (unsigned long long)total, secs, (unsigned long long)acc,
	       (unsigned long long)across, (unsigned long long)tx,
	       (unsigned long long)rx);
	printf("hostile: calls (succeeded/made):");
	for (k = 0; k < NR_OPS; k++)
		if (ops[k])
			printf(" %s=%llu/%llu", op_name[k],
			       (unsigned long long)ok[k], (unsigned long long)ops[k]);
	printf("\nhostile: results:");
	for (ntop = 0; ntop < 12; ntop++) {
		best = -1;
		for (k = 0; k < ERR_SLOTS; k++)
			if (errs[k] && (best < 0 || errs[k] > errs[best]))
				best = k;
		if (best < 0)
			break;
		name = best ? strerrorname_np(best) : "OK";
		printf(" %s=%llu", name ? : "E?", (unsigned long long)errs[best]);
		errs[best] = 0;
	}
	printf("\nhostile: %llu bad pointers to alttcp's own code, each EFAULT unless FAILed above\n",
	       (unsigned long long)efc);
}

/* ------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f,
"usage: hostile [--seed N] [--seconds S] [--threads T] [--genl G]\n"
"               [--netns A[,B]] [--addrs X[,Y]] [--ports BASE]\n"
"               [--no-sysctl] [--unload]\n"
"\n"
"  --seed N       PRNG seed (default 1); a run replays with the same\n"
"                 arguments, as far as thread scheduling allows\n"
"  --seconds S    run time (default 30); exit within S + %d s or the\n"
"                 watchdog names the stuck thread and exits 3\n"
"  --threads T    socket threads (default 4, max %d), spread over the\n"
"                 namespaces\n"
"  --genl G       genl threads per namespace (default 1)\n"
"  --netns A,B    namespaces (/run/netns/NAME or a path) the threads\n"
"                 enter; default: this one\n"
"  --addrs X,Y    each namespace's address, to connect across them\n"
"  --ports BASE   listeners on BASE..BASE+%d (default 20000)\n"
"  --no-sysctl    no sysctl threads (values are restored at the end)\n"
"  --unload       a thread that tries delete_module(\"alttcp\")\n"
"\n"
"Exit status: 0 ok, 1 setup, 2 a check failed, 3 a thread hung.\n",
		GRACE_S, MAX_THREADS, N_PORTS - 1);
}

static int split2(char *arg, const char **a, const char **b)
{
	char *comma = strchr(arg, ',');

	*a = arg;
	*b = NULL;
	if (comma) {
		*comma = 0;
		*b = comma + 1;
	}
	return *b ? 2 : 1;
}

static int open_ns(const char *name)
{
	char path[PATH_MAX];

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

static int parse_args(int argc, char **argv)
{
	enum { O_SEED = 256, O_SECS, O_THREADS, O_GENL, O_NETNS, O_ADDRS,
	       O_PORTS, O_NOSYSCTL, O_UNLOAD };
	static const struct option lo[] = {
		{ "seed", required_argument, NULL, O_SEED },
		{ "seconds", required_argument, NULL, O_SECS },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "genl", required_argument, NULL, O_GENL },
		{ "netns", required_argument, NULL, O_NETNS },
		{ "addrs", required_argument, NULL, O_ADDRS },
		{ "ports", required_argument, NULL, O_PORTS },
		{ "no-sysctl", no_argument, NULL, O_NOSYSCTL },
		{ "unload", no_argument, NULL, O_UNLOAD },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *a, *b;
	int c, i;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case O_SEED:
			cfg.seed = strtoull(optarg, NULL, 0);
			break;
		case O_SECS:
			cfg.seconds = atoi(optarg);
			break;
		case O_THREADS:
			cfg.nsock = atoi(optarg);
			break;
		case O_GENL:
			cfg.ngenl = atoi(optarg);
			break;
		case O_NETNS:
			cfg.nns = split2(optarg, &a, &b);
			cfg.ns_name[0] = a;
			cfg.ns_name[1] = b;
			break;
		case O_ADDRS:
			split2(optarg, &a, &b);
			cfg.addr[0] = inet_addr(a);
			cfg.addr[1] = b ? inet_addr(b) : 0;
			break;
		case O_PORTS:
			cfg.port_base = atoi(optarg);
			break;
		case O_NOSYSCTL:
			cfg.sysctl = false;
			break;
		case O_UNLOAD:
			cfg.unload = true;
			break;
		case 'h':
			usage(stdout);
			exit(EX_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc || cfg.seconds < 1 || cfg.nsock < 0 ||
	    cfg.nsock > MAX_THREADS || cfg.ngenl < 0 || cfg.ngenl > 4 ||
	    cfg.port_base < 1 || cfg.port_base > 65535 - N_PORTS) {
		usage(stderr);
		return -1;
	}
	for (i = 0; i < cfg.nns && cfg.ns_name[0]; i++) {
		cfg.ns_fd[i] = open_ns(cfg.ns_name[i]);
		if (cfg.ns_fd[i] < 0) {
			fprintf(stderr, "hostile: netns %s: %s\n", cfg.ns_name[i],
				strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int setup_memory(void)
{
	struct rng r = { cfg.seed };

	page_size = sysconf(_SC_PAGESIZE);
	guard = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED ||
	    mprotect(guard + page_size, page_size, PROT_NONE))
		return -1;
	fill_random(&r, pattern, sizeof(pattern));
	return 0;
}

/*
 * Per namespace: save the sysctls, and open one socket kept to the end,
 * so that the module is in use whatever the threads close.
 */
static int setup_namespaces(int *anchor, int self)
{
	int i;

	for (i = 0; i < cfg.nns; i++) {
		anchor[i] = -1;
		if (enter_ns(i)) {
			fprintf(stderr, "hostile: setns %s: %s\n", cfg.ns_name[i],
				strerror(errno));
			return -1;
		}
		if (cfg.sysctl && sysctl_save(i)) {
			fprintf(stderr, "hostile: cannot read %s in netns %s\n",
				SYSCTL_DIR, cfg.ns_name[i] ? : "(own)");
			return -1;
		}
		anchor[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC,
				   IPPROTO_ALTTCP);
		if (anchor[i] < 0) {
			fprintf(stderr, "hostile: no alttcp socket: %s\n",
				strerror(errno));
			return -1;
		}
	}
	return setns(self, CLONE_NEWNET);
}

static int restore_sysctls(void)
{
	int i, bad = 0;

	for (i = 0; cfg.sysctl && i < cfg.nns; i++) {
		if (enter_ns(i))
			return -1;
		bad += sysctl_restore(i);
	}
	if (cfg.sysctl)
		printf("hostile: sysctls: %d files per namespace, %s\n",
		       saved[0].n, bad ? "NOT all restored" : "all restored");
	return bad;
}

static struct worker *make_workers(int *n)
{
	int genl = cfg.ngenl * cfg.nns, sys = cfg.sysctl ? cfg.nns : 0;
	int count = cfg.nsock + genl + sys + cfg.unload, i;
	struct worker *ws, *w;

	ws = calloc(count, sizeof(*ws));
	if (!ws)
		return NULL;
	for (i = 0; i < count; i++) {
		w = &ws[i];
		w->idx = i;
		w->rng.s = cfg.seed ^ (0xd1b54a32d192ed03ull * (i + 1));
		rnd64(&w->rng);
		atomic_init(&w->cur, -1);
		w->memfd = w->epfd = w->home = -1;
		if (i < cfg.nsock) {
			w->role = R_SOCK;
			w->ns = i % cfg.nns;
		} else if (i < cfg.nsock + genl) {
			w->role = R_GENL;
			w->ns = (i - cfg.nsock) % cfg.nns;
		} else if (i < cfg.nsock + genl + sys) {
			w->role = R_SYSCTL;
			w->ns = i - cfg.nsock - genl;
		} else {
			w->role = R_UNLOAD;
		}
	}
	*n = count;
	return ws;
}

static void raise_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int main(int argc, char **argv)
{
	int anchor[MAX_NS] = { -1, -1 }, self, n, i;
	struct worker *ws;
	bool ok;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv) || setup_memory())
		return EX_SETUP;
	/* EPIPE, not SIGPIPE; SIGIO and SIGURG from FIOASYNC and owners */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGIO, SIG_IGN);
	signal(SIGURG, SIG_IGN);
	raise_nofile();
	for (i = 0; i < BOX_SLOTS; i++)
		box[i].fd = -1;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || setup_namespaces(anchor, self))
		return EX_SETUP;
	ws = make_workers(&n);
	if (!ws)
		return EX_SETUP;
	printf("hostile: seed %llu, %d s, %d socket + %d genl + %d sysctl + %d unload threads, netns %s%s%s\n",
	       (unsigned long long)cfg.seed, cfg.seconds, cfg.nsock,
	       cfg.ngenl * cfg.nns, cfg.sysctl ? cfg.nns : 0, cfg.unload,
	       cfg.ns_name[0] ? : "(own)", cfg.ns_name[1] ? "," : "",
	       cfg.ns_name[1] ? : "");
	start_ns = now_ns();
	deadline_ns = start_ns + cfg.seconds * 1000000000ull;
	for (i = 0; i < n; i++)
		if (pthread_create(&ws[i].thread, NULL, worker_main, &ws[i])) {
			fprintf(stderr, "hostile: pthread_create failed\n");
			_exit(EX_SETUP);
		}
	ok = watchdog(ws, n);
	if (!ok) {
		summary(ws, n, (now_ns() - start_ns) / 1e9);
		printf("hostile: FAIL: a thread did not stop within %d s of the deadline (seed %llu); sysctls not restored\n",
		       GRACE_S, (unsigned long long)cfg.seed);
		fflush(stdout);
		_exit(EX_STUCK);
	}
	for (i = 0; i < n; i++)
		pthread_join(ws[i].thread, NULL);
	for (i = 0; i < BOX_SLOTS; i++)
		if (box[i].fd >= 0)
			close(box[i].fd);
	summary(ws, n, (now_ns() - start_ns) / 1e9);
	if (restore_sysctls() < 0)
		fail("cannot enter a namespace to restore its sysctls");
	for (i = 0; i < cfg.nns; i++)
		close(anchor[i]);
	if (atomic_load(&failed)) {
		printf("hostile: FAILED (seed %llu)\n", (unsigned long long)cfg.seed);
		return EX_FAILED;
	}
	printf("hostile: ok\n");
	return EX_OK;
}
