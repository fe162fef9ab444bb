// SPDX-License-Identifier: GPL-2.0
/*
 * socket(AF_INET, SOCK_STREAM, IPPROTO_ALTTCP): registration, and the
 * calls that set a connection up or take it down.  Data transfer is in
 * io.c, options in sockopt.c.
 *
 * No call here holds the socket lock: the connection belongs to the core
 * and every core call is made under alttcp_net.lock.  Blocking calls wait
 * on the socket's wait queue, which the core's events wake.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/protocol.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <uapi/linux/alttcp.h>

#include "compat.h"
#include "io.h"
#include "listener.h"
#include "netns.h"
#include "obj.h"
#include "output.h"
#include "sock.h"
#include "sockopt.h"
#include "table.h"

/*
 * The send ring without SO_SNDBUF (wmem is not a knob yet).  The receive
 * ring is SO_RCVBUF, whose default is rmem's.  Either ring is kept within
 * [ALTTCP_RING_MIN, ALTTCP_RING_MAX]: each is one kmalloc'd block.
 */
#define ALTTCP_SNDBUF_DEFAULT	(64 * 1024)
#define ALTTCP_RING_MIN		(4 * 1024)
#define ALTTCP_RING_MAX		(4 * 1024 * 1024)
/* Listeners do not know their children's route yet; an Ethernet MTU. */
#define ALTTCP_LISTEN_MTU	1500

static struct proto alttcp_prot;
static const struct proto_ops alttcp_stream_ops;

static u32 ring_size(int val)
{
	return clamp_t(u32, val, ALTTCP_RING_MIN, ALTTCP_RING_MAX);
}

static void conn_cfg(struct alttcp_sock *as, u16 mtu, u32 gso_max,
		     struct at_conn_cfg *cfg, __be32 daddr)
{
	struct sock *sk = &as->inet.sk;

	cfg->sndbuf = sk->sk_userlocks & SOCK_SNDBUF_LOCK ?
		      ring_size(READ_ONCE(sk->sk_sndbuf)) : ALTTCP_SNDBUF_DEFAULT;
	as->sndbuf = cfg->sndbuf;
	cfg->rcvbuf = ring_size(READ_ONCE(sk->sk_rcvbuf));
	cfg->rcvbuf_locked = !!(sk->sk_userlocks & SOCK_RCVBUF_LOCK);
	cfg->rmem_max = READ_ONCE(sysctl_rmem_max);
	if (as->user_mss)
		mtu = min_t(u32, mtu, as->user_mss + 40);
	cfg->mtu = mtu;
	cfg->gso_max = gso_max;
	cfg->loopback = ipv4_is_loopback(daddr);
}

/* Options set before the connection existed now apply to it. */
static void conn_apply_options(struct alttcp_sock *as, u64 now)
{
	struct sock *sk = &as->inet.sk;

	at_set_overrides(as->conn, &as->ov, now);
	if (as->nodelay)
		at_set_nodelay(as->conn, true, now);
	if (as->cork)
		at_set_cork(as->conn, true, now);
	if (sock_flag(sk, SOCK_KEEPOPEN))
		at_set_keepalive(as->conn, true, now);
}

static int alttcp_init_sock(struct sock *sk)
{
	struct alttcp_sock *as = alttcp_sk(sk);

	as->an = alttcp_net(sock_net(sk));
	as->conn = NULL;
	as->bind = NULL;
	INIT_HLIST_NODE(&as->bind_node);
	INIT_HLIST_NODE(&as->listen_node);
	at_overrides_unset(&as->ov);
	/* The input hook finds listeners under RCU only. */
	sock_set_flag(sk, SOCK_RCU_FREE);
	sk->sk_state = TCP_CLOSE;
	/* As tcp_init_sock(); an accepted child then takes its listener's. */
	WRITE_ONCE(sk->sk_rcvbuf, READ_ONCE(as->an->params.rmem[1]));
	return 0;
}

static void alttcp_keepalive(struct sock *sk, int on)
{
	struct alttcp_sock *as = alttcp_sk(sk);

	alttcp_lock(as->an);
	if (as->conn) {
		at_set_keepalive(as->conn, on, alttcp_now());
		alttcp_obj_mark(alttcp_obj_of(as->conn));
	}
	alttcp_unlock(as->an);
}

/*
 * The bytes in the core's rings, charged to the socket as Linux charges its
 * queues (sk_wmem_queued, sk_rmem_alloc); under the lock, after each call.
 */
void alttcp_sock_account(struct alttcp_sock *as)
{
	struct sock *sk = &as->inet.sk;
	u32 queued = 0, readable = 0;

	if (as->conn && at_conn_state(as->conn) != TCP_LISTEN) {
		queued = as->sndbuf - min(as->sndbuf,
					  at_conn_send_space(as->conn));
		readable = at_conn_readable(as->conn);
	}
	WRITE_ONCE(sk->sk_wmem_queued, queued);
	atomic_set(&sk->sk_rmem_alloc, readable);
}

/* The core's word on a connection this socket owns; under the lock. */
void alttcp_sock_event(struct alttcp_sock *as, const struct at_event *ev)
{
	struct sock *sk = &as->inet.sk;

	switch (ev->kind) {
	case AT_EV_STATE:
		if (ev->conn == as->conn)
			inet_sk_set_state(sk, ev->new_state);
		sk->sk_state_change(sk);
		break;
	case AT_EV_READABLE:
	case AT_EV_ACCEPT_READY:
		sk->sk_data_ready(sk);
		break;
	case AT_EV_WRITABLE:
		sk->sk_write_space(sk);
		break;
	case AT_EV_ERROR:
		WRITE_ONCE(sk->sk_err, ev->err);
		sk_error_report(sk);
		break;
	case AT_EV_CONN_FREED:
		if (ev->conn != as->conn)
			break;
		as->conn = NULL;
		alttcp_sock_account(as);
		inet_sk_set_state(sk, TCP_CLOSE);
		sk->sk_state_change(sk);
		break;
	default:
		break;
	}
}

static int check_sockaddr(struct sock *sk, struct sockaddr *uaddr,
			  int addr_len)
{
	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (uaddr->sa_family != AF_INET)
		return -EAFNOSUPPORT;
	return 0;
}

/* IP_BIND_ADDRESS_NO_PORT: the source address alone, as __inet_bind(). */
static void bind_address_only(struct alttcp_sock *as, __be32 addr)
{
	as->inet.inet_saddr = addr;
	as->inet.inet_rcv_saddr = addr;
}

static int alttcp_bind(struct socket *sock, struct sockaddr *uaddr,
		       int addr_len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct alttcp_sock *as = alttcp_sk(sk);
	struct net *net = sock_net(sk);
	u16 port;
	int err;

	err = check_sockaddr(sk, uaddr, addr_len);
	if (err)
		return err;
	port = ntohs(sin->sin_port);
	/* IP_FREEBIND, IP_TRANSPARENT or ip_nonlocal_bind: any address. */
	if (sin->sin_addr.s_addr != htonl(INADDR_ANY) &&
	    inet_addr_type(net, sin->sin_addr.s_addr) != RTN_LOCAL &&
	    !inet_can_nonlocal_bind(net, inet_sk(sk)))
		return -EADDRNOTAVAIL;
	if (port && inet_port_requires_bind_service(net, port) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	alttcp_lock(as->an);
	if (as->bind || as->conn || sk->sk_state != TCP_CLOSE)
		err = -EINVAL;
	else if (port)
		err = alttcp_bind_port(as, sin->sin_addr.s_addr, port);
	else if (alttcp_inet_bind_address_no_port(sk))
		/* The port waits for connect(), which picks one per 4-tuple. */
		bind_address_only(as, sin->sin_addr.s_addr);
	else
		err = alttcp_bind_ephemeral(as, sin->sin_addr.s_addr);
	if (!err)
		as->bind_explicit = true;
	alttcp_unlock(as->an);
	return err;
}

static int listen_locked(struct alttcp_sock *as, int backlog)
{
	struct sock *sk = &as->inet.sk;
	struct at_conn_cfg cfg;
	struct at_tuple t = {};
	int err;

	if (!as->bind) {
		err = alttcp_bind_ephemeral(as, htonl(INADDR_ANY));
		if (err)
			return err;
	}
	if (!as->conn) {
		t.laddr = alttcp_addr(as->inet.inet_rcv_saddr);
		t.lport = as->bind->port;
		conn_cfg(as, ALTTCP_LISTEN_MTU, alttcp_gso_max_default(), &cfg,
			 0);
		as->conn = at_conn_new(&as->an->ctx, &t, &cfg, as);
		if (!as->conn)
			return -ENOMEM;
		conn_apply_options(as, alttcp_now());
	}
	err = at_listen(as->conn, backlog, alttcp_now());
	if (err)
		return err;
	inet_sk_set_state(sk, TCP_LISTEN);
	if (hlist_unhashed(&as->listen_node))
		alttcp_lhash_add(as);
	alttcp_listener_apply(as);
	return 0;
}

static int alttcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct alttcp_sock *as = alttcp_sk(sk);
	int err;

	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		return -EINVAL;
	alttcp_lock(as->an);
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN)
		err = -EINVAL;
	else
		err = listen_locked(as, backlog);
	alttcp_unlock(as->an);
	return err;
}

/* Pick the source address and port, make the connection, send the SYN. */
static int connect_locked(struct alttcp_sock *as, const struct sockaddr_in *sin)
{
	struct sock *sk = &as->inet.sk;
	struct alttcp_net *an = as->an;
	struct at_tw *reuse = NULL;
	struct at_conn_cfg cfg;
	struct at_tuple t = {};
	u64 now = alttcp_now();
	__be32 saddr = as->inet.inet_saddr;
	u32 gso_max;
	u16 mtu;
	int err;

	err = alttcp_route_mtu(an, sin->sin_addr.s_addr, &saddr,
			       READ_ONCE(as->inet.sk.sk_mark), &mtu, &gso_max);
	if (err)
		return err;
	t.laddr = alttcp_addr(saddr);
	t.raddr = alttcp_addr(sin->sin_addr.s_addr);
	t.rport = ntohs(sin->sin_port);
	if (as->bind) {
		t.lport = as->bind->port;
		if (alttcp_ehash_lookup(an, &t))
			return -EADDRNOTAVAIL;
	} else {
		err = alttcp_connect_port(as, &t, &reuse);
		if (err)
			return err;
	}

	conn_cfg(as, mtu, gso_max, &cfg, sin->sin_addr.s_addr);
	as->conn = at_conn_new(&an->ctx, &t, &cfg, as);
	if (!as->conn)
		return -ENOMEM;
	as->inet.inet_saddr = saddr;
	as->inet.inet_rcv_saddr = saddr;
	as->inet.inet_daddr = sin->sin_addr.s_addr;
	as->inet.inet_dport = sin->sin_port;
	alttcp_ehash_add(an, alttcp_obj_of(as->conn), &t);
	conn_apply_options(as, now);
	alttcp_obj_mark(alttcp_obj_of(as->conn));

	err = reuse ? at_connect_reuse_tw(as->conn, reuse, now) :
		      at_connect(as->conn, now);
	if (err) {
		at_conn_destroy(as->conn);
		return err;
	}
	sk->sk_err = 0;
	return 0;
}

/*
 * A connect() that failed leaves its closed connection behind; as on Linux
 * (tcp_disconnect()), the socket may connect again: let that one go.
 */
static void drop_failed_conn(struct alttcp_sock *as)
{
	if (as->conn && at_conn_state(as->conn) == TCP_CLOSE)
		at_close(as->conn, alttcp_now());
}

static bool connect_done(struct sock *sk)
{
	return READ_ONCE(sk->sk_state) != TCP_SYN_SENT;
}

static int alttcp_connect(struct socket *sock, struct sockaddr *uaddr,
			  int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	struct alttcp_sock *as = alttcp_sk(sk);
	bool started = false;
	long timeo;
	int err;

	err = check_sockaddr(sk, uaddr, addr_len);
	if (err)
		return err;

	alttcp_lock(as->an);
	switch (sock->state) {
	case SS_CONNECTED:
		err = -EISCONN;
		break;
	case SS_CONNECTING:
		err = connect_done(sk) ? 0 : -EALREADY;
		break;
	default:
		drop_failed_conn(as);
		if (sk->sk_state != TCP_CLOSE || as->conn) {
			err = -EISCONN;
			break;
		}
		err = connect_locked(as, (struct sockaddr_in *)uaddr);
		if (!err) {
			sock->state = SS_CONNECTING;
			started = true;
		}
	}
	alttcp_unlock(as->an);
	if (err == -EALREADY && (flags & O_NONBLOCK))
		return err;
	if (err && err != -EALREADY)
		return err;

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	/*
	 * As Linux: a nonblocking connect() that sent the SYN says
	 * EINPROGRESS even when the answer came in meanwhile (the softirq
	 * may run as the lock is dropped); the outcome is for poll() and
	 * SO_ERROR.
	 */
	if (started && !timeo)
		return -EINPROGRESS;
	if (!connect_done(sk)) {
		if (!timeo)
			return -EINPROGRESS;
		timeo = wait_event_interruptible_timeout(*sk_sleep(sk),
							 connect_done(sk), timeo);
		if (timeo < 0)
			return sock_intr_errno(timeo);
		if (!connect_done(sk))
			return -EINPROGRESS;
	}
	if (READ_ONCE(sk->sk_state) == TCP_CLOSE) {
		sock->state = SS_UNCONNECTED;
		/*
		 * The core's state event wakes us before its error event sets
		 * sk_err, both under the namespace lock: read it under the
		 * lock.  (KASAN: shutdown() of a connecting socket was seen
		 * as ECONNABORTED, not ECONNRESET.)
		 */
		alttcp_lock(as->an);
		err = sock_error(sk);
		alttcp_unlock(as->an);
		return err ? err : -ECONNABORTED;
	}
	sock->state = SS_CONNECTED;
	return 0;
}

/* The bare inet_sock that inet_create() would have made, for accept(). */
static struct sock *child_sock(struct sock *lsk, struct socket *newsock,
			       bool kern)
{
	struct sock *sk;

	sk = sk_alloc(sock_net(lsk), PF_INET, GFP_KERNEL, &alttcp_prot, kern);
	if (!sk)
		return NULL;
	sock_init_data(newsock, sk);
	sk->sk_destruct = inet_sock_destruct;
	sk->sk_protocol = IPPROTO_ALTTCP;
	inet_sk(sk)->uc_ttl = -1;
	alttcp_inet_set_mc_loop(sk);
	inet_sk(sk)->mc_ttl = 1;
	inet_sk(sk)->mc_index = 0;
	inet_sk(sk)->mc_list = NULL;
	inet_sk(sk)->rcv_tos = 0;
	alttcp_sk_refcnt_debug_inc(sk);
	alttcp_init_sock(sk);
	return sk;
}

/*
 * Undo child_sock() when no connection was grafted.  Not
 * sk_common_release(): alttcp_prot has no unhash, and the socket was
 * never hashed or bound.
 */
static void drop_child_sock(struct socket *newsock, struct sock *sk)
{
	sock_orphan(sk);
	newsock->sk = NULL;
	sock_put(sk);
}

/*
 * The socket-level and IP-level options sk_clone_lock() carries from a
 * Linux listener to its children: servers set timeouts, linger, buffers and
 * TOS once, on the listener.
 */
static void inherit_socket_options(struct sock *sk, const struct sock *lsk)
{
	static const enum sock_flags inherited[] = {
		SOCK_KEEPOPEN, SOCK_LINGER, SOCK_URGINLINE, SOCK_DBG,
	};
	int i;

	sk->sk_rcvtimeo = READ_ONCE(lsk->sk_rcvtimeo);
	sk->sk_sndtimeo = READ_ONCE(lsk->sk_sndtimeo);
	WRITE_ONCE(sk->sk_rcvlowat, READ_ONCE(lsk->sk_rcvlowat));
	sk->sk_lingertime = READ_ONCE(lsk->sk_lingertime);
	sk->sk_userlocks = lsk->sk_userlocks &	/* a bit-field in 6.1 */
			   (SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK);
	WRITE_ONCE(sk->sk_sndbuf, READ_ONCE(lsk->sk_sndbuf));
	WRITE_ONCE(sk->sk_rcvbuf, READ_ONCE(lsk->sk_rcvbuf));
	sk->sk_mark = READ_ONCE(lsk->sk_mark);
	/* IP-level options that alttcp's output honours (output.c). */
	inet_sk(sk)->tos = READ_ONCE(inet_sk(lsk)->tos);
	inet_sk(sk)->uc_ttl = READ_ONCE(inet_sk(lsk)->uc_ttl);
	inet_sk(sk)->pmtudisc = READ_ONCE(inet_sk(lsk)->pmtudisc);
	for (i = 0; i < ARRAY_SIZE(inherited); i++)
		if (sock_flag(lsk, inherited[i]))
			sock_set_flag(sk, inherited[i]);
}

static void graft_child(struct alttcp_sock *ls, struct alttcp_sock *as,
			struct at_conn *child)
{
	struct sock *sk = &as->inet.sk;
	struct at_conn_info info;

	at_conn_info(child, alttcp_now(), &info);
	as->conn = child;
	as->sndbuf = ls->sndbuf;
	at_conn_set_glue(child, as);
	as->inet.inet_saddr = alttcp_be_addr(info.tuple.laddr);
	as->inet.inet_rcv_saddr = as->inet.inet_saddr;
	as->inet.inet_num = info.tuple.lport;
	as->inet.inet_sport = htons(info.tuple.lport);
	as->inet.inet_daddr = alttcp_be_addr(info.tuple.raddr);
	as->inet.inet_dport = htons(info.tuple.rport);
	as->ov = ls->ov;
	as->nodelay = ls->nodelay;
	as->cork = ls->cork;
	as->user_mss = ls->user_mss;
	inherit_socket_options(sk, &ls->inet.sk);
	inet_sk_set_state(sk, at_conn_state(child));
	if (info.err)
		sk->sk_err = info.err;
}

static bool accept_ready(struct alttcp_sock *ls)
{
	bool ready;

	alttcp_lock(ls->an);
	ready = ls->inet.sk.sk_state != TCP_LISTEN || !ls->conn ||
		alttcp_accept_queue_len(ls->conn) > 0;
	alttcp_unlock(ls->an);
	return ready;
}

static int alttcp_accept(struct socket *sock, struct socket *newsock,
			 int flags, bool kern)
{
	struct sock *lsk = sock->sk;
	struct alttcp_sock *ls = alttcp_sk(lsk);
	long timeo = sock_rcvtimeo(lsk, flags & O_NONBLOCK);
	struct at_conn *child;
	struct sock *sk;

	for (;;) {
		if (READ_ONCE(lsk->sk_state) != TCP_LISTEN)
			return -EINVAL;
		if (!accept_ready(ls)) {
			if (!timeo)
				return -EAGAIN;
			timeo = wait_event_interruptible_timeout(*sk_sleep(lsk),
						accept_ready(ls), timeo);
			if (timeo < 0)
				return sock_intr_errno(timeo);
			continue;
		}
		sk = child_sock(lsk, newsock, kern);
		if (!sk)
			return -ENOMEM;
		alttcp_lock(ls->an);
		child = ls->conn && lsk->sk_state == TCP_LISTEN ?
			at_accept(ls->conn) : NULL;
		if (child)
			graft_child(ls, alttcp_sk(sk), child);
		alttcp_unlock(ls->an);
		if (child)
			break;
		/* Another accept() won the race: start over. */
		drop_child_sock(newsock, sk);
	}
	newsock->state = SS_CONNECTED;
	return 0;
}

static int alttcp_accept_op(struct socket *sock, struct socket *newsock,
			    ALTTCP_ACCEPT_ARGS)
{
	return alttcp_accept(sock, newsock, ALTTCP_ACCEPT_FLAGS,
			     ALTTCP_ACCEPT_KERN);
}

static bool linger_done(struct alttcp_sock *as)
{
	bool done;

	alttcp_lock(as->an);
	done = !as->conn || at_conn_linger_done(as->conn);
	alttcp_unlock(as->an);
	return done;
}

/* close(): the core keeps the connection as an orphan; the socket goes. */
static int alttcp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct alttcp_sock *as;
	struct alttcp_obj *obj;
	long linger = 0;

	if (!sk)
		return 0;
	as = alttcp_sk(sk);

	alttcp_lock(as->an);
	alttcp_lhash_del(as);
	if (as->conn) {
		if (sock_flag(sk, SOCK_LINGER)) {
			linger = sk->sk_lingertime;
			at_set_linger(as->conn, true, linger / HZ);
		}
		at_close(as->conn, alttcp_now());
	}
	alttcp_unlock(as->an);

	/* SO_LINGER with a timeout: wait for our data and FIN to be acked. */
	if (linger && !(current->flags & PF_EXITING))
		wait_event_interruptible_timeout(*sk_sleep(sk), linger_done(as),
						 linger);

	alttcp_lock(as->an);
	if (as->conn) {
		obj = alttcp_obj_of(as->conn);
		if (!obj->bind && as->bind) {
			obj->bind = as->bind;
			alttcp_bind_hold(obj->bind);
		}
		at_conn_set_glue(as->conn, NULL);
		as->conn = NULL;
	}
	alttcp_sock_account(as);
	alttcp_unbind(as);
	inet_sk_set_state(sk, TCP_CLOSE);
	alttcp_unlock(as->an);

	sock_orphan(sk);
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

/*
 * As Linux: a listener shut for reading stops listening, which wakes
 * accept() with EINVAL (the usual way to end another thread's accept
 * loop); the socket keeps its port and may listen again.  SHUT_WR alone
 * does nothing.  Under the lock.
 */
static void shutdown_listener(struct alttcp_sock *as, int how)
{
	if (how == SHUT_WR)
		return;
	alttcp_lhash_del(as);
	at_close(as->conn, alttcp_now());
}

static int alttcp_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	struct alttcp_sock *as = alttcp_sk(sk);
	int err = 0;

	/* SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2, as the core numbers them. */
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	alttcp_lock(as->an);
	if (!as->conn) {
		err = -ENOTCONN;
	} else if (at_conn_state(as->conn) == TCP_LISTEN) {
		shutdown_listener(as, how);
	} else {
		bool connecting = at_conn_state(as->conn) == TCP_SYN_SENT;

		err = at_shutdown(as->conn, how, alttcp_now());
		if (as->conn)
			alttcp_obj_mark(alttcp_obj_of(as->conn));
		/* As inet_shutdown(): disconnected, it may connect again. */
		if (!err && connecting)
			sock->state = SS_UNCONNECTED;
		else if (!err)
			WRITE_ONCE(sk->sk_shutdown,
				   sk->sk_shutdown | (how + 1));
	}
	alttcp_unlock(as->an);
	sk->sk_state_change(sk);
	return err;
}

static const struct proto_ops alttcp_stream_ops = {
	.family = PF_INET,
	.owner = THIS_MODULE,
	.release = alttcp_release,
	.bind = alttcp_bind,
	.connect = alttcp_connect,
	.socketpair = sock_no_socketpair,
	.accept = alttcp_accept_op,
	.getname = inet_getname,
	.poll = alttcp_poll,
	.ioctl = alttcp_ioctl,
	.gettstamp = sock_gettstamp,
	.listen = alttcp_listen,
	.shutdown = alttcp_shutdown,
	.setsockopt = alttcp_setsockopt,
	.getsockopt = alttcp_getsockopt,
	.sendmsg = alttcp_sendmsg,
	.recvmsg = alttcp_recvmsg,
	.mmap = sock_no_mmap,
};

static struct proto alttcp_prot = {
	.name = "ALTTCP",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct alttcp_sock),
	.init = alttcp_init_sock,
	.keepalive = alttcp_keepalive,
};

static struct inet_protosw alttcp_protosw = {
	.type = SOCK_STREAM,
	.protocol = IPPROTO_ALTTCP,
	.prot = &alttcp_prot,
	.ops = &alttcp_stream_ops,
};

int __init alttcp_socket_register(void)
{
	int err;

	err = proto_register(&alttcp_prot, 1);
	if (err)
		return err;
	inet_register_protosw(&alttcp_protosw);
	return 0;
}

void alttcp_socket_unregister(void)
{
	inet_unregister_protosw(&alttcp_protosw);
	proto_unregister(&alttcp_prot);
}
