/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_TABLE_H
#define _ALTTCP_TABLE_H

#include <linux/types.h>

#include "alttcp_core.h"

struct alttcp_net;
struct alttcp_obj;
struct alttcp_sock;

/*
 * A local port in use by alttcp: the sockets bound to it, and how many
 * connections without a socket (orphans, unaccepted children, TIME_WAIT)
 * still use it.  Freed when both are gone.
 */
struct alttcp_bind {
	struct hlist_node node;
	struct hlist_head owners;	/* alttcp_sock.bind_node */
	u32 refs;
	u16 port;
};

int alttcp_tables_init(struct alttcp_net *an);
void alttcp_tables_free(struct alttcp_net *an);

/* Connections, requests and TIME_WAIT entries, by 4-tuple. */
void alttcp_ehash_add(struct alttcp_net *an, struct alttcp_obj *obj,
		      const struct at_tuple *t);
void alttcp_ehash_del(struct alttcp_obj *obj);
void alttcp_ehash_replace(struct alttcp_obj *old, struct alttcp_obj *new);
struct alttcp_obj *alttcp_ehash_lookup(struct alttcp_net *an,
				       const struct at_tuple *t);

/* Listeners, by local address and port (exact address first). */
void alttcp_lhash_add(struct alttcp_sock *as);
void alttcp_lhash_del(struct alttcp_sock *as);
struct alttcp_sock *alttcp_lhash_lookup(struct alttcp_net *an, __be32 addr,
					__be16 port);

/* Ports. */
int alttcp_bind_port(struct alttcp_sock *as, __be32 addr, u16 port);
int alttcp_bind_ephemeral(struct alttcp_sock *as, __be32 addr);
int alttcp_connect_port(struct alttcp_sock *as, struct at_tuple *t,
			struct at_tw **reuse);
void alttcp_unbind(struct alttcp_sock *as);
void alttcp_bind_hold(struct alttcp_bind *b);
void alttcp_bind_put(struct alttcp_net *an, struct alttcp_bind *b);

#endif /* _ALTTCP_TABLE_H */
