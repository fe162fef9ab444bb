/*
 * preload_check {fallback|strict}: run under libalttcp_preload.so (directly
 * or by `alttcpctl run`), checks what its socket() did.
 *
 * Whether the module is loaded is found out first with a raw
 * socket(AF_INET, SOCK_STREAM, IPPROTO_ALTTCP) that the wrapper cannot see:
 *
 *   module loaded   TCP sockets have SO_PROTOCOL IPPROTO_ALTTCP, silently,
 *                   in either mode
 *   fallback        they have SO_PROTOCOL IPPROTO_TCP, and stderr got
 *                   "alttcp: module not loaded, using Linux TCP" once
 *   strict          socket() fails with EPROTONOSUPPORT, and stderr got
 *                   "alttcp: module not loaded" once
 *
 * In every case UDP, IPv6 and UNIX sockets are untouched, the
 * SOCK_NONBLOCK/SOCK_CLOEXEC flags survive, and the socket() the program
 * calls is the library's.  Prints one line per check; exits 0 when all pass.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/alttcp.h>

static int passed, failed;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	if (ok)
		passed++;
	else
		failed++;
}

static int so_protocol(int fd)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len) < 0)
		return -1;
	return v;
}

static int module_loaded(void)
{
	int fd = (int)syscall(SYS_socket, AF_INET, SOCK_STREAM, IPPROTO_ALTTCP);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* stderr into a pipe while the wrapper may warn; read back afterwards. */
static int saved_stderr = -1, pipe_rd = -1;

static void capture_stderr(void)
{
	int p[2];

	fflush(stderr);
	if (pipe(p) < 0 || (saved_stderr = dup(STDERR_FILENO)) < 0 ||
	    dup2(p[1], STDERR_FILENO) < 0) {
		perror("preload_check: capturing stderr");
		exit(2);
	}
	close(p[1]);
	pipe_rd = p[0];
}

static const char *captured_stderr(void)
{
	static char buf[4096];
	size_t n = 0;
	ssize_t r;

	dup2(saved_stderr, STDERR_FILENO);	/* closes the last write end */
	close(saved_stderr);
	while (n < sizeof(buf) - 1 && (r = read(pipe_rd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(pipe_rd);
	return buf;
}

static void expect_protocol(int domain, int type, int protocol, int want, const char *what)
{
	char line[160];
	int fd = socket(domain, type, protocol);
	int got;

	if (fd < 0 && (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT) && domain == AF_INET6) {
		printf("skip: %s (no IPv6 here)\n", what);
		return;
	}
	got = fd < 0 ? -errno : so_protocol(fd);
	snprintf(line, sizeof(line), "%s: SO_PROTOCOL %d (want %d)", what, got, want);
	check(got == want, line);
	if (fd >= 0)
		close(fd);
}

/* The socket() this program links to is the library's, not libc's. */
static void check_preloaded(void)
{
	Dl_info info;
	void *sym = dlsym(RTLD_DEFAULT, "socket");
	int ok = sym && dladdr(sym, &info) && info.dli_fname &&
		 strstr(info.dli_fname, "libalttcp_preload.so");

	check(ok, "socket() comes from libalttcp_preload.so");
}

int main(int argc, char **argv)
{
	const char *env = getenv("ALTTCP_PRELOAD_STRICT");
	int strict, loaded = module_loaded();
	int fd1, fd2, err1, err2;
	const char *out;
	char line[256];

	if (argc != 2 || (strcmp(argv[1], "strict") && strcmp(argv[1], "fallback"))) {
		fprintf(stderr, "usage: preload_check {fallback|strict}\n");
		return 2;
	}
	strict = strcmp(argv[1], "strict") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("alttcp module %s; expecting %s\n", loaded ? "loaded" : "not loaded", argv[1]);
	check(strict == (env && strcmp(env, "1") == 0), "ALTTCP_PRELOAD_STRICT matches the mode");
	check_preloaded();

	capture_stderr();
	errno = 0;
	fd1 = socket(AF_INET, SOCK_STREAM, 0);
	err1 = errno;
	fd2 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	err2 = errno;
	out = captured_stderr();

	if (loaded || !strict) {
		int want = loaded ? IPPROTO_ALTTCP : IPPROTO_TCP;

		snprintf(line, sizeof(line), "socket(AF_INET, SOCK_STREAM, 0): SO_PROTOCOL %d (want %d)",
			 fd1 < 0 ? -err1 : so_protocol(fd1), want);
		check(fd1 >= 0 && so_protocol(fd1) == want, line);
		snprintf(line, sizeof(line),
			 "socket(AF_INET, SOCK_STREAM|NONBLOCK|CLOEXEC, IPPROTO_TCP): SO_PROTOCOL %d (want %d)",
			 fd2 < 0 ? -err2 : so_protocol(fd2), want);
		check(fd2 >= 0 && so_protocol(fd2) == want, line);
		check(fd2 >= 0 && (fcntl(fd2, F_GETFL) & O_NONBLOCK), "SOCK_NONBLOCK kept");
		check(fd2 >= 0 && (fcntl(fd2, F_GETFD) & FD_CLOEXEC), "SOCK_CLOEXEC kept");
	} else {
		snprintf(line, sizeof(line), "strict: socket() fails with EPROTONOSUPPORT (got %s)",
			 fd1 >= 0 ? "a socket" : strerror(err1));
		check(fd1 < 0 && err1 == EPROTONOSUPPORT, line);
		check(fd2 < 0 && err2 == EPROTONOSUPPORT, "strict: and again, flags or not");
	}
	if (fd1 >= 0)
		close(fd1);
	if (fd2 >= 0)
		close(fd2);

	{
		const char *want = loaded ? "" :
				   strict ? "alttcp: module not loaded\n" :
					    "alttcp: module not loaded, using Linux TCP\n";

		snprintf(line, sizeof(line), "stderr was \"%.*s\" (want \"%.*s\")",
			 (int)strcspn(out, "\n"), out, (int)strcspn(want, "\n"), want);
		check(strcmp(out, want) == 0, line);
	}

	expect_protocol(AF_INET, SOCK_DGRAM, 0, IPPROTO_UDP, "IPv4 UDP untouched");
	expect_protocol(AF_INET6, SOCK_STREAM, 0, IPPROTO_TCP, "IPv6 TCP untouched");
	expect_protocol(AF_INET6, SOCK_DGRAM, 0, IPPROTO_UDP, "IPv6 UDP untouched");
	expect_protocol(AF_UNIX, SOCK_STREAM, 0, 0, "UNIX stream untouched");
	expect_protocol(AF_INET, SOCK_STREAM, IPPROTO_ALTTCP, loaded ? IPPROTO_ALTTCP : -EPROTONOSUPPORT,
			"explicit IPPROTO_ALTTCP passed through");

	if (failed)
		printf("preload_check: %d of %d checks failed\n", failed, passed + failed);
	else
		printf("preload_check: all %d checks passed\n", passed);
	return failed ? 1 : 0;
}
