// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace lookup tables: connections by 4-tuple, listeners and bound
 * ports by port.  Writers hold alttcp_net.lock; the input hook reads the
 * connection and listener tables under RCU.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/tcp.h>

#include "netns.h"
#include "obj.h"
#include "sock.h"
#include "table.h"

static u32 ehash_fn(const struct alttcp_net *an, const struct at_tuple *t)
{
	return jhash_3words(t->laddr, t->raddr,
			    ((u32)t->lport << 16) | t->rport,
			    an->hash_seed) & an->ehash_mask;
}

static bool tuple_eq(const struct at_tuple *a, const struct at_tuple *b)
{
	return a->laddr == b->laddr && a->raddr == b->raddr &&
	       a->lport == b->lport && a->rport == b->rport;
}

int alttcp_tables_init(struct alttcp_net *an)
{
	unsigned int size = at_params_hash_buckets(
		(u64)totalram_pages() << PAGE_SHIFT);

	an->ehash = kvcalloc(size, sizeof(*an->ehash), GFP_KERNEL);
	if (!an->ehash)
		return -ENOMEM;
	an->ehash_mask = size - 1;
	an->hash_seed = get_random_u32();
	return 0;
}

void alttcp_tables_free(struct alttcp_net *an)
{
	kvfree(an->ehash);
}

void alttcp_ehash_add(struct alttcp_net *an, struct alttcp_obj *obj,
		      const struct at_tuple *t)
{
	lockdep_assert_held(&an->lock);
	if (WARN_ON_ONCE(obj->hashed))
		return;
	obj->tuple = *t;
	hlist_add_head_rcu(&obj->hnode, &an->ehash[ehash_fn(an, t)]);
	obj->hashed = true;
	an->gen++;
}

void alttcp_ehash_del(struct alttcp_obj *obj)
{
	if (!obj->hashed)
		return;
	hlist_del_init_rcu(&obj->hnode);
	obj->hashed = false;
	obj->an->gen++;
}

/* @new takes @old's place in the same bucket (a TIME_WAIT for its conn). */
void alttcp_ehash_replace(struct alttcp_obj *old, struct alttcp_obj *new)
{
	new->tuple = old->tuple;
	if (!old->hashed) {
		alttcp_ehash_add(old->an, new, &old->tuple);
		return;
	}
	hlist_replace_rcu(&old->hnode, &new->hnode);
	INIT_HLIST_NODE(&old->hnode);
	old->hashed = false;
	new->hashed = true;
	old->an->gen++;
}

/* Under RCU or alttcp_net.lock. */
struct alttcp_obj *alttcp_ehash_lookup(struct alttcp_net *an,
				       const struct at_tuple *t)
{
	struct alttcp_obj *obj;

	hlist_for_each_entry_rcu(obj, &an->ehash[ehash_fn(an, t)], hnode,
				 lockdep_is_held(&an->lock)) {
		if (tuple_eq(&obj->tuple, t) && !READ_ONCE(obj->dead))
			return obj;
	}
	return NULL;
}

static unsigned int port_slot(u16 port)
{
	return hash_32(port, 8);
}

void alttcp_lhash_add(struct alttcp_sock *as)
{
	struct alttcp_net *an = as->an;
	u16 port = ntohs(as->inet.inet_sport);

	hlist_add_head_rcu(&as->listen_node, &an->lhash[port_slot(port)]);
	an->gen++;
}

void alttcp_lhash_del(struct alttcp_sock *as)
{
	if (!hlist_unhashed(&as->listen_node)) {
		hlist_del_init_rcu(&as->listen_node);
		as->an->gen++;
	}
}

/* Under RCU or alttcp_net.lock; an exact address beats INADDR_ANY. */
struct alttcp_sock *alttcp_lhash_lookup(struct alttcp_net *an, __be32 addr,
					__be16 port)
{
	struct alttcp_sock *as, *wildcard = NULL;

	hlist_for_each_entry_rcu(as, &an->lhash[port_slot(ntohs(port))],
				 listen_node, lockdep_is_held(&an->lock)) {
		if (as->inet.inet_sport != port)
			continue;
		if (as->inet.inet_rcv_saddr == addr)
			return as;
		if (!as->inet.inet_rcv_saddr)
			wildcard = as;
	}
	return wildcard;
}

static struct alttcp_bind *bind_find(struct alttcp_net *an, u16 port)
{
	struct alttcp_bind *b;

	hlist_for_each_entry(b, &an->bhash[port_slot(port)], node)
		if (b->port == port)
			return b;
	return NULL;
}

static struct alttcp_bind *bind_get(struct alttcp_net *an, u16 port)
{
	struct alttcp_bind *b = bind_find(an, port);

	if (b)
		return b;
	b = kzalloc(sizeof(*b), GFP_ATOMIC);
	if (!b)
		return NULL;
	b->port = port;
	INIT_HLIST_HEAD(&b->owners);
	hlist_add_head(&b->node, &an->bhash[port_slot(port)]);
	return b;
}

static void bind_maybe_free(struct alttcp_bind *b)
{
	if (b->refs || !hlist_empty(&b->owners))
		return;
	hlist_del(&b->node);
	kfree(b);
}

void alttcp_bind_hold(struct alttcp_bind *b)
{
	b->refs++;
}

void alttcp_bind_put(struct alttcp_net *an, struct alttcp_bind *b)
{
	lockdep_assert_held(&an->lock);
	if (WARN_ON_ONCE(!b->refs))
		return;
	b->refs--;
	bind_maybe_free(b);
}

/*
 * Does Linux's own TCP have this port bound in @net?  Through the netns's
 * own pointer: a netns may have its own hash (tcp_child_ehash_entries),
 * and 6.12 no longer exports tcp_hashinfo.
 */
static bool linux_tcp_uses_port(struct net *net, u16 port)
{
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;
	struct inet_bind_hashbucket *head;
	struct inet_bind_bucket *tb;
	bool used = false;

	head = &hinfo->bhash[inet_bhashfn(net, port, hinfo->bhash_size)];
	spin_lock(&head->lock);
	inet_bind_bucket_for_each(tb, &head->chain) {
		if (net_eq(ib_net(tb), net) && tb->port == port) {
			used = true;
			break;
		}
	}
	spin_unlock(&head->lock);
	return used;
}

static bool addr_overlap(__be32 a, __be32 b)
{
	return !a || !b || a == b;
}

/*
 * Linux's rule, simplified: a port bound by a live socket conflicts unless
 * both set SO_REUSEADDR and the other is not listening; a port held only by
 * connections without a socket (TIME_WAIT, orphans) conflicts unless the
 * new socket sets SO_REUSEADDR.
 */
static bool bind_conflict(struct alttcp_bind *b, struct alttcp_sock *as,
			  __be32 addr)
{
	struct sock *sk = &as->inet.sk;
	struct alttcp_sock *other;

	hlist_for_each_entry(other, &b->owners, bind_node) {
		struct sock *osk = &other->inet.sk;

		if (!addr_overlap(other->inet.inet_rcv_saddr, addr))
			continue;
		if (sk->sk_reuse && osk->sk_reuse &&
		    osk->sk_state != TCP_LISTEN)
			continue;
		return true;
	}
	return b->refs && !sk->sk_reuse;
}

static void bind_attach(struct alttcp_sock *as, struct alttcp_bind *b,
			__be32 addr)
{
	as->bind = b;
	hlist_add_head(&as->bind_node, &b->owners);
	as->inet.inet_rcv_saddr = addr;
	as->inet.inet_saddr = addr;
	as->inet.inet_num = b->port;
	as->inet.inet_sport = htons(b->port);
}

int alttcp_bind_port(struct alttcp_sock *as, __be32 addr, u16 port)
{
	struct alttcp_net *an = as->an;
	struct alttcp_bind *b;

	lockdep_assert_held(&an->lock);
	if (linux_tcp_uses_port(an->net, port))
		return -EADDRINUSE;
	b = bind_find(an, port);
	if (b && bind_conflict(b, as, addr))
		return -EADDRINUSE;
	b = bind_get(an, port);
	if (!b)
		return -ENOMEM;
	bind_attach(as, b, addr);
	return 0;
}

static u32 port_start(struct alttcp_net *an, u32 range)
{
	return get_random_u32_below(range);
}

/* bind() to port 0, or listen() unbound: a port nobody uses at all. */
int alttcp_bind_ephemeral(struct alttcp_sock *as, __be32 addr)
{
	struct alttcp_net *an = as->an;
	int low = READ_ONCE(an->params.local_port_range[0]);
	int high = READ_ONCE(an->params.local_port_range[1]);
	u32 range = high >= low ? high - low + 1 : 1;
	u32 i, start = port_start(an, range);

	for (i = 0; i < range; i++) {
		u16 port = low + (start + i) % range;

		if (bind_find(an, port) || linux_tcp_uses_port(an->net, port))
			continue;
		return alttcp_bind_port(as, addr, port);
	}
	return -EADDRINUSE;
}

/*
 * connect() of an unbound socket.  As Linux does, a port may be shared by
 * connections to different peers as long as no socket bound it
 * explicitly; a 4-tuple still in TIME_WAIT is taken over only when the core
 * allows it (tw_reuse, timestamps, older than 1 s), reported in @reuse.
 */
int alttcp_connect_port(struct alttcp_sock *as, struct at_tuple *t,
			struct at_tw **reuse)
{
	struct alttcp_net *an = as->an;
	int low = READ_ONCE(an->params.local_port_range[0]);
	int high = READ_ONCE(an->params.local_port_range[1]);
	u32 range = high >= low ? high - low + 1 : 1;
	u32 i, start = port_start(an, range);
	u64 now = alttcp_now();

	*reuse = NULL;
	for (i = 0; i < range; i++) {
		u16 port = low + (start + i) % range;
		struct alttcp_bind *b = bind_find(an, port);
		struct alttcp_sock *owner;
		struct alttcp_obj *obj;
		bool shared_ok = true;

		if (linux_tcp_uses_port(an->net, port))
			continue;
		if (b) {
			hlist_for_each_entry(owner, &b->owners, bind_node)
				if (owner->bind_explicit)
					shared_ok = false;
			if (!shared_ok)
				continue;
		}
		t->lport = port;
		obj = alttcp_ehash_lookup(an, t);
		if (obj) {
			if (obj->kind != AT_ALLOC_TW ||
			    !at_tw_can_reuse((struct at_tw *)obj->core, now,
					     ipv4_is_loopback(alttcp_be_addr(t->raddr))))
				continue;
			*reuse = (struct at_tw *)obj->core;
		}
		b = bind_get(an, port);
		if (!b)
			return -ENOMEM;
		bind_attach(as, b, alttcp_be_addr(t->laddr));
		return 0;
	}
	return -EADDRNOTAVAIL;
}

void alttcp_unbind(struct alttcp_sock *as)
{
	struct alttcp_bind *b = as->bind;

	if (!b)
		return;
	hlist_del_init(&as->bind_node);
	as->bind = NULL;
	bind_maybe_free(b);
}
