// SPDX-License-Identifier: GPL-2.0
/*
 * Data transfer: send, receive, poll and the queue ioctls.
 *
 * The send and receive buffers belong to the core, which is only called
 * under a spinlock, so user memory is copied through a bounce buffer
 * outside it: copy_from_iter(), then at_send(); at_recv() to peek, then
 * copy_to_iter(), then at_recv_consume() of what the copy delivered.
 */
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <linux/termios.h>
#include <linux/uio.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "io.h"
#include "netns.h"
#include "obj.h"
#include "sock.h"

#define ALTTCP_BOUNCE_MAX	(64 * 1024)

struct conn_view {
	bool gone;		/* no connection (any more) */
	bool listening;
	bool eof;		/* a read would return 0 once the data is read */
	int err;
	u32 readable;
	u32 send_space;
	int state;
};

/* One consistent look at the connection, for poll and the wait loops. */
static void conn_view(struct alttcp_sock *as, struct conn_view *v)
{
	struct at_conn *c;
	u8 dummy;

	memset(v, 0, sizeof(*v));
	alttcp_lock(as->an);
	c = as->conn;
	if (!c) {
		v->gone = true;
		v->state = TCP_CLOSE;
		goto out_unlock;
	}
	v->state = at_conn_state(c);
	v->listening = v->state == TCP_LISTEN;
	if (v->listening) {
		v->readable = alttcp_accept_queue_len(c);
		goto out_unlock;
	}
	v->err = at_conn_error(c);
	v->readable = at_conn_readable(c);
	v->send_space = at_conn_send_space(c);
	/* A zero-length peek answers 0 exactly at end of stream. */
	v->eof = !v->listening && at_recv(c, &dummy, 0, true, alttcp_now()) == 0;
out_unlock:
	alttcp_unlock(as->an);
}

static bool can_read(struct alttcp_sock *as)
{
	struct conn_view v;

	conn_view(as, &v);
	return v.gone || v.readable || v.eof || v.err ||
	       READ_ONCE(as->inet.sk.sk_err);
}

static bool can_write(struct alttcp_sock *as)
{
	struct conn_view v;

	conn_view(as, &v);
	return v.gone || v.err || v.send_space ||
	       (v.state != TCP_ESTABLISHED && v.state != TCP_CLOSE_WAIT &&
		v.state != TCP_SYN_SENT && v.state != TCP_SYN_RECV);
}

static long send_locked(struct alttcp_sock *as, const void *buf, size_t len,
			unsigned int at_flags)
{
	struct sock *sk = &as->inet.sk;
	long n;

	alttcp_lock(as->an);
	if (as->conn && at_conn_state(as->conn) == TCP_CLOSE &&
	    sk->sk_socket && sk->sk_socket->state != SS_UNCONNECTED) {
		/* As Linux: the reset is reported once, then EPIPE. */
		n = sock_error(sk) ? : -EPIPE;
	} else if (as->conn) {
		n = at_send(as->conn, buf, len, at_flags, alttcp_now());
		alttcp_obj_mark(alttcp_obj_of(as->conn));
	} else {
		n = as->inet.sk.sk_socket &&
		    as->inet.sk.sk_socket->state == SS_UNCONNECTED ?
		    -ENOTCONN : -EPIPE;
	}
	alttcp_unlock(as->an);
	return n;
}

int alttcp_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	struct sock *sk = sock->sk;
	struct alttcp_sock *as = alttcp_sk(sk);
	int flags = msg->msg_flags;
	long timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	unsigned int at_flags = flags & MSG_MORE ? AT_SEND_MORE : 0;
	size_t copied = 0, bufsize = min_t(size_t, size, ALTTCP_BOUNCE_MAX);
	void *buf;
	long err = 0;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	buf = kmalloc(max_t(size_t, bufsize, 1), GFP_KERNEL);
	if (!buf)
		return -ENOBUFS;

	while (copied < size) {
		size_t chunk = min(size - copied, bufsize);
		long n;

		if (copy_from_iter(buf, chunk, &msg->msg_iter) != chunk) {
			err = -EFAULT;
			break;
		}
		n = send_locked(as, buf, chunk, at_flags);
		if (n > 0) {
			iov_iter_revert(&msg->msg_iter, chunk - n);
			copied += n;
			continue;
		}
		iov_iter_revert(&msg->msg_iter, chunk);
		if (n != -EAGAIN) {
			err = n;
			break;
		}
		if (!timeo) {
			err = -EAGAIN;
			break;
		}
		timeo = wait_event_interruptible_timeout(*sk_sleep(sk),
							 can_write(as), timeo);
		if (timeo < 0) {
			err = sock_intr_errno(timeo);
			break;
		}
	}
	kfree(buf);

	if (copied)
		return copied;
	if (err == -EPIPE && !(flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current, 0);
	return err;
}

/* Peek: the bytes leave the ring only once they reach the application. */
static long recv_peek(struct alttcp_sock *as, void *buf, size_t len)
{
	struct sock *sk = &as->inet.sk;
	long n;

	alttcp_lock(as->an);
	if (as->conn) {
		n = at_recv(as->conn, buf, len, true, alttcp_now());
		/* The error is reported once (sk_err); then reads see the end. */
		if (n < 0 && n != -EAGAIN &&
		    at_conn_state(as->conn) == TCP_CLOSE)
			n = sock_error(sk);
	} else if (sk->sk_socket && sk->sk_socket->state == SS_UNCONNECTED) {
		n = -ENOTCONN;
	} else {
		n = 0;		/* the connection is over: end of stream */
	}
	alttcp_unlock(as->an);
	return n;
}

static void recv_consume(struct alttcp_sock *as, size_t len)
{
	alttcp_lock(as->an);
	if (as->conn) {
		at_recv_consume(as->conn, len, alttcp_now());
		alttcp_obj_mark(alttcp_obj_of(as->conn));
	}
	alttcp_unlock(as->an);
}

/*
 * TCP_INQ's cmsg, as tcp_inq_hint(): the bytes left to read, or 1 when
 * none are but the end of the stream is there to be read.
 */
static void put_inq(struct alttcp_sock *as, struct msghdr *msg)
{
	struct conn_view v;
	int inq;

	conn_view(as, &v);
	inq = v.readable;
	if (!inq && (v.eof || v.gone))
		inq = 1;
	put_cmsg(msg, SOL_TCP, TCP_CM_INQ, sizeof(inq), &inq);
}

/*
 * Peek, copy, then consume: a chunk whose copy faults stays queued, and the
 * read returns what earlier chunks delivered, or EFAULT.  The socket lock
 * makes readers take turns, as in tcp_recvmsg(), so that two of them never
 * copy the same bytes; it is dropped while waiting.
 */
int alttcp_recvmsg(struct socket *sock, struct msghdr *msg, size_t size,
		   int flags)
{
	struct sock *sk = sock->sk;
	struct alttcp_sock *as = alttcp_sk(sk);
	long timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	size_t target = sock_rcvlowat(sk, flags & MSG_WAITALL, size);
	size_t copied = 0, bufsize = min_t(size_t, size, ALTTCP_BOUNCE_MAX);
	bool peek = flags & MSG_PEEK;
	void *buf;
	long err = 0;

	if (flags & (MSG_OOB | MSG_ERRQUEUE))
		return -EINVAL;
	if (!size)
		return 0;
	buf = kmalloc(bufsize, GFP_KERNEL);
	if (!buf)
		return -ENOBUFS;

	lock_sock(sk);
	while (copied < size) {
		long n = recv_peek(as, buf, min(size - copied, bufsize));

		if (n > 0) {
			if (copy_to_iter(buf, n, &msg->msg_iter) != n) {
				err = -EFAULT;
				break;
			}
			if (!peek)
				recv_consume(as, n);
			copied += n;
			if (peek || copied >= target)
				break;
			continue;
		}
		if (n == 0)
			break;
		if (n != -EAGAIN) {
			err = n;
			break;
		}
		if (copied >= target)
			break;
		if (!timeo) {
			err = -EAGAIN;
			break;
		}
		release_sock(sk);
		timeo = wait_event_interruptible_timeout(*sk_sleep(sk),
							 can_read(as), timeo);
		lock_sock(sk);
		if (timeo < 0) {
			err = sock_intr_errno(timeo);
			break;
		}
	}
	if (as->recvmsg_inq && (copied || !err))
		put_inq(as, msg);
	release_sock(sk);
	kfree(buf);
	return copied ? copied : err;
}

/* As tcp_poll(): what an application would expect of a TCP socket. */
__poll_t alttcp_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct alttcp_sock *as = alttcp_sk(sk);
	u8 shutdown = READ_ONCE(sk->sk_shutdown);
	struct conn_view v;
	__poll_t mask = 0;
	bool closed;

	sock_poll_wait(file, sock, wait);
	conn_view(as, &v);

	if (v.listening)
		return v.readable ? EPOLLIN | EPOLLRDNORM : 0;
	if (v.state == TCP_SYN_SENT || v.state == TCP_SYN_RECV)
		return READ_ONCE(sk->sk_err) ? EPOLLERR : 0;

	closed = v.gone || v.state == TCP_CLOSE;
	if (closed || (shutdown == SHUTDOWN_MASK && v.eof))
		mask |= EPOLLHUP;
	if (v.eof || closed || (shutdown & RCV_SHUTDOWN))
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (v.readable)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (closed || (shutdown & SEND_SHUTDOWN) || v.send_space)
		mask |= EPOLLOUT | EPOLLWRNORM;
	/* As Linux: reading SO_ERROR clears it, and POLLERR with it. */
	if (READ_ONCE(sk->sk_err))
		mask |= EPOLLERR;
	return mask;
}

int alttcp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct alttcp_sock *as = alttcp_sk(sock->sk);
	struct at_conn_info info;
	int answer;

	switch (cmd) {
	case SIOCINQ:
	case SIOCOUTQ:
		break;
	default:
		return -ENOIOCTLCMD;
	}

	alttcp_lock(as->an);
	answer = 0;
	if (as->conn && at_conn_state(as->conn) == TCP_LISTEN) {
		answer = -EINVAL;
	} else if (as->conn) {
		at_conn_info(as->conn, alttcp_now(), &info);
		answer = cmd == SIOCINQ ? info.rx_queue : info.tx_queue;
	}
	alttcp_unlock(as->an);
	if (answer < 0)
		return answer;
	return put_user(answer, (int __user *)arg);
}
