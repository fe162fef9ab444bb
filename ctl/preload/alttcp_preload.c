/*
 * libalttcp_preload.so: makes a program's IPv4 TCP sockets alttcp sockets,
 * as mptcpize's libmptcpwrap does for MPTCP.  `alttcpctl run` puts it in
 * LD_PRELOAD; it works as well by hand:
 *
 *     LD_PRELOAD=/usr/lib/alttcp/libalttcp_preload.so curl http://example.com/
 *
 * socket(AF_INET, SOCK_STREAM[|SOCK_NONBLOCK|SOCK_CLOEXEC], 0 or IPPROTO_TCP)
 * becomes socket(..., IPPROTO_ALTTCP); every other call passes through as it
 * is.  When the kernel has no alttcp (EPROTONOSUPPORT, EAFNOSUPPORT or
 * EPROTOTYPE), the call is made again unchanged and one warning goes to
 * stderr; with ALTTCP_PRELOAD_STRICT=1 in the environment it fails with that
 * errno instead.  Either way the answer is remembered for the life of the
 * process: asking again would cost a failed module autoload (a modprobe
 * run by the kernel) per socket.
 *
 * Only calls through the dynamic symbol are seen: glibc's internal sockets
 * (the resolver's, for one) and raw syscall(SYS_socket) are not.
 *
 * Plain C with no allocation: socket() may be called from a signal handler
 * or between fork() and exec(), so after the first call the wrapper uses
 * nothing but atomics, the real socket() and write(2).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/alttcp.h>

#define EXPORT __attribute__((visibility("default")))

typedef int (*socket_fn)(int, int, int);

static socket_fn real_socket;	/* resolved once; atomic */
static int strict_mode = -1;	/* -1 until read from the environment */
static int absent_errno;	/* nonzero once alttcp was found missing */
static int warned;

static int syscall_socket(int domain, int type, int protocol)
{
	return (int)syscall(SYS_socket, domain, type, protocol);
}

/*
 * dlsym() may allocate, so it is called from the constructor; the lazy path
 * is only for sockets made by other libraries' constructors that run before
 * ours.  Racing threads store the same values.
 */
static socket_fn get_real_socket(void)
{
	socket_fn f = __atomic_load_n(&real_socket, __ATOMIC_ACQUIRE);
	void *sym;

	if (f)
		return f;
	sym = dlsym(RTLD_NEXT, "socket");
	/* POSIX guarantees the object-to-function pointer conversion here. */
	if (sym)
		memcpy(&f, &sym, sizeof(f));
	else
		f = syscall_socket;
	__atomic_store_n(&real_socket, f, __ATOMIC_RELEASE);
	return f;
}

static int is_strict(void)
{
	int s = __atomic_load_n(&strict_mode, __ATOMIC_RELAXED);
	const char *v;

	if (s >= 0)
		return s;
	v = getenv("ALTTCP_PRELOAD_STRICT");
	s = v && strcmp(v, "1") == 0;
	__atomic_store_n(&strict_mode, s, __ATOMIC_RELAXED);
	return s;
}

__attribute__((constructor)) static void alttcp_preload_init(void)
{
	get_real_socket();
	is_strict();
}

static int module_missing(int err)
{
	return err == EPROTONOSUPPORT || err == EAFNOSUPPORT || err == EPROTOTYPE;
}

static void warn_once(const char *msg, size_t len)
{
	int saved = errno;
	ssize_t r;

	if (__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		return;
	r = write(STDERR_FILENO, msg, len);
	(void)r;
	errno = saved;
}

#define WARN(s) warn_once(s, sizeof(s) - 1)

EXPORT int socket(int domain, int type, int protocol)
{
	socket_fn real = get_real_socket();
	int err, fd;

	if (domain != AF_INET ||
	    (type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != SOCK_STREAM ||
	    (protocol != 0 && protocol != IPPROTO_TCP))
		return real(domain, type, protocol);

	err = __atomic_load_n(&absent_errno, __ATOMIC_RELAXED);
	if (!err) {
		fd = real(domain, type, IPPROTO_ALTTCP);
		if (fd >= 0 || !module_missing(errno))
			return fd;
		err = errno;
		__atomic_store_n(&absent_errno, err, __ATOMIC_RELAXED);
	}
	if (is_strict()) {
		WARN("alttcp: module not loaded\n");
		errno = err;
		return -1;
	}
	WARN("alttcp: module not loaded, using Linux TCP\n");
	return real(domain, type, protocol);
}
