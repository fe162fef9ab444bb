/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_SOCK_H
#define _ALTTCP_SOCK_H

#include <net/inet_sock.h>

#include "alttcp_core.h"

struct alttcp_net;
struct alttcp_bind;

/*
 * An alttcp socket.  It owns the core connection while the application
 * holds it; close() hands the connection to the core as an orphan and the
 * socket goes away at once (TIME_WAIT and FIN retransmissions need no
 * socket).  conn is only read or changed under alttcp_net.lock.
 */
struct alttcp_sock {
	struct inet_sock inet;		/* must be first: inet_create() */
	struct alttcp_net *an;
	struct at_conn *conn;
	struct alttcp_bind *bind;
	struct hlist_node bind_node;	/* alttcp_bind.owners */
	struct hlist_node listen_node;	/* alttcp_net.lhash */
	struct at_overrides ov;
	u32 sndbuf;			/* size of the core's send ring */
	u16 user_mss;			/* TCP_MAXSEG, 0 = route's */
	bool nodelay;
	bool cork;			/* TCP_CORK */
	bool recvmsg_inq;		/* TCP_INQ: a TCP_CM_INQ cmsg on reads */
	bool bind_explicit;		/* bind() by the user, not connect() */
};

static inline struct alttcp_sock *alttcp_sk(const struct sock *sk)
{
	return (struct alttcp_sock *)sk;
}

/* Connections waiting in a listener's accept queue; under the lock. */
static inline u32 alttcp_accept_queue_len(const struct at_conn *listener)
{
	struct at_conn_info info;

	at_conn_info(listener, 0, &info);
	return info.rx_queue;
}

int alttcp_socket_register(void);
void alttcp_socket_unregister(void);

void alttcp_sock_account(struct alttcp_sock *as);

/* Called by the ops when the core reports on a connection. */
void alttcp_sock_event(struct alttcp_sock *as, const struct at_event *ev);

#endif /* _ALTTCP_SOCK_H */
