// SPDX-License-Identifier: GPL-2.0
/*
 * Per-listener overrides: rules, set over netlink for a local port (and
 * address), that give the connections of the matching listeners their own
 * synack_retries, tw_timeout, orphan_retries and keepalive.  The core
 * copies a listener's overrides into each child it makes, so a rule
 * reaches every connection accepted after it is set.
 *
 * Rules live in alttcp_net.listener_rules under the namespace lock.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <uapi/linux/alttcp.h>

#include "config.h"
#include "listener.h"
#include "netlink.h"
#include "netns.h"
#include "obj.h"
#include "sock.h"
#include "table.h"

struct listener_rule {
	struct list_head node;
	__be32 addr;			/* 0: any address */
	u16 port;
	struct at_overrides ov;		/* AT_UNSET where the rule is silent */
};

/* Each overridable knob: its attribute, its sysctl (bounds), its field. */
static const struct {
	int attr;
	int cfg_attr;
	size_t offset;
} knobs[] = {
	{ ALTTCP_LISTENER_SYNACK_RETRIES, ALTTCP_CFG_SYNACK_RETRIES,
	  offsetof(struct at_overrides, synack_retries) },
	{ ALTTCP_LISTENER_TW_TIMEOUT, ALTTCP_CFG_TW_TIMEOUT,
	  offsetof(struct at_overrides, tw_timeout) },
	{ ALTTCP_LISTENER_ORPHAN_RETRIES, ALTTCP_CFG_ORPHAN_RETRIES,
	  offsetof(struct at_overrides, orphan_retries) },
	{ ALTTCP_LISTENER_KEEPALIVE_TIME, ALTTCP_CFG_KEEPALIVE_TIME,
	  offsetof(struct at_overrides, keepalive_time) },
	{ ALTTCP_LISTENER_KEEPALIVE_INTVL, ALTTCP_CFG_KEEPALIVE_INTVL,
	  offsetof(struct at_overrides, keepalive_intvl) },
	{ ALTTCP_LISTENER_KEEPALIVE_PROBES, ALTTCP_CFG_KEEPALIVE_PROBES,
	  offsetof(struct at_overrides, keepalive_probes) },
};

const struct nla_policy alttcp_listener_policy[ALTTCP_LISTENER_MAX + 1] = {
	[ALTTCP_LISTENER_ADDR] = { .type = NLA_BE32 },
	[ALTTCP_LISTENER_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[ALTTCP_LISTENER_SYNACK_RETRIES] = { .type = NLA_U32 },
	[ALTTCP_LISTENER_TW_TIMEOUT] = { .type = NLA_U32 },
	[ALTTCP_LISTENER_ORPHAN_RETRIES] = { .type = NLA_U32 },
	[ALTTCP_LISTENER_KEEPALIVE_TIME] = { .type = NLA_U32 },
	[ALTTCP_LISTENER_KEEPALIVE_INTVL] = { .type = NLA_U32 },
	[ALTTCP_LISTENER_KEEPALIVE_PROBES] = { .type = NLA_U32 },
};

static int *knob_field(struct at_overrides *ov, unsigned int i)
{
	return (int *)((char *)ov + knobs[i].offset);
}

static const struct alttcp_param *param_of(int cfg_attr)
{
	unsigned int i;

	for (i = 0; i < alttcp_nparams; i++)
		if (alttcp_params[i].attr == cfg_attr)
			return &alttcp_params[i];
	return NULL;
}

static struct listener_rule *rule_find(struct alttcp_net *an, __be32 addr,
				       u16 port)
{
	struct listener_rule *r;

	list_for_each_entry(r, &an->listener_rules, node)
		if (r->port == port && r->addr == addr)
			return r;
	return NULL;
}

/* The listener's own options, then a wildcard rule, then an exact one. */
void alttcp_listener_apply(struct alttcp_sock *as)
{
	u16 port = ntohs(as->inet.inet_sport);
	__be32 addr = as->inet.inet_rcv_saddr;
	struct listener_rule *rules[2];
	struct at_overrides ov = as->ov;
	unsigned int i, k;

	if (!as->conn)
		return;
	rules[0] = rule_find(as->an, 0, port);
	rules[1] = addr ? rule_find(as->an, addr, port) : NULL;
	for (k = 0; k < ARRAY_SIZE(rules); k++) {
		if (!rules[k])
			continue;
		for (i = 0; i < ARRAY_SIZE(knobs); i++)
			if (*knob_field(&rules[k]->ov, i) != AT_UNSET)
				*knob_field(&ov, i) = *knob_field(&rules[k]->ov, i);
	}
	at_set_overrides(as->conn, &ov, alttcp_now());
	alttcp_obj_mark(alttcp_obj_of(as->conn));
}

static void apply_to_port(struct alttcp_net *an, u16 port)
{
	struct alttcp_sock *as;
	unsigned int slot;

	for (slot = 0; slot < ALTTCP_PORT_HASH_SIZE; slot++)
		hlist_for_each_entry(as, &an->lhash[slot], listen_node)
			if (ntohs(as->inet.inet_sport) == port)
				alttcp_listener_apply(as);
}

static bool rule_empty(struct listener_rule *r)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		if (*knob_field(&r->ov, i) != AT_UNSET)
			return false;
	return true;
}

/* Check every value before anything changes. */
static int parse_values(struct nlattr **tb, struct at_overrides *ov,
			struct netlink_ext_ack *extack)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		const struct alttcp_param *p = param_of(knobs[i].cfg_attr);
		struct nlattr *a = tb[knobs[i].attr];
		u32 val;

		if (!a)
			continue;
		val = nla_get_u32(a);
		if (val == ALTTCP_OVERRIDE_UNSET) {
			*knob_field(ov, i) = AT_UNSET;
			continue;
		}
		if (!p || !alttcp_param_in_range(p, val)) {
			NL_SET_BAD_ATTR(extack, a);
			if (extack && p)
				extack->_msg = p->range_msg;
			return -EINVAL;
		}
		*knob_field(ov, i) = val;
	}
	return 0;
}

int alttcp_listener_set(struct sk_buff *skb, struct genl_info *info)
{
	struct alttcp_net *an = alttcp_net(genl_info_net(info));
	struct nlattr *tb[ALTTCP_LISTENER_MAX + 1];
	struct listener_rule *rule, *fresh;
	struct at_overrides ov;
	__be32 addr = 0;
	u16 port;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, ALTTCP_A_LISTENER))
		return -EINVAL;
	err = nla_parse_nested(tb, ALTTCP_LISTENER_MAX,
			       info->attrs[ALTTCP_A_LISTENER],
			       alttcp_listener_policy, info->extack);
	if (err)
		return err;
	if (!tb[ALTTCP_LISTENER_PORT]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[ALTTCP_A_LISTENER],
				    "listener: a port is required");
		return -EINVAL;
	}
	port = nla_get_u16(tb[ALTTCP_LISTENER_PORT]);
	if (tb[ALTTCP_LISTENER_ADDR])
		addr = nla_get_be32(tb[ALTTCP_LISTENER_ADDR]);

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;

	alttcp_lock(an);
	rule = rule_find(an, addr, port);
	if (rule)
		ov = rule->ov;
	else
		at_overrides_unset(&ov);
	err = parse_values(tb, &ov, info->extack);
	if (err)
		goto out_unlock;
	if (!rule) {
		rule = fresh;
		fresh = NULL;
		rule->addr = addr;
		rule->port = port;
		list_add_tail(&rule->node, &an->listener_rules);
	}
	rule->ov = ov;
	if (rule_empty(rule)) {
		list_del(&rule->node);
		kfree(rule);
	}
	apply_to_port(an, port);
out_unlock:
	alttcp_unlock(an);
	kfree(fresh);
	return err;
}

static int put_rule(struct sk_buff *skb, struct listener_rule *r)
{
	struct nlattr *nest = nla_nest_start(skb, ALTTCP_A_LISTENER);
	unsigned int i;

	if (!nest || nla_put_be32(skb, ALTTCP_LISTENER_ADDR, r->addr) ||
	    nla_put_u16(skb, ALTTCP_LISTENER_PORT, r->port))
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		int val = *knob_field(&r->ov, i);

		if (val != AT_UNSET && nla_put_u32(skb, knobs[i].attr, val))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_rules(struct sk_buff *msg, void *arg)
{
	struct alttcp_net *an = arg;
	struct listener_rule *r;
	int err = 0;

	alttcp_lock(an);
	list_for_each_entry(r, &an->listener_rules, node) {
		err = put_rule(msg, r);
		if (err)
			break;
	}
	alttcp_unlock(an);
	return err;
}

int alttcp_listener_get(struct sk_buff *skb, struct genl_info *info)
{
	return alttcp_genl_reply(info, ALTTCP_CMD_GET_LISTENER, fill_rules,
				 alttcp_net(genl_info_net(info)));
}

void alttcp_listener_rules_free(struct alttcp_net *an)
{
	struct listener_rule *r, *tmp;

	list_for_each_entry_safe(r, tmp, &an->listener_rules, node)
		kfree(r);
	INIT_LIST_HEAD(&an->listener_rules);
}
