// SPDX-License-Identifier: GPL-2.0
/*
 * The "alttcp" generic netlink family; include/uapi/linux/alttcp.h is its
 * reference.  Policies only check types: ranges are checked by the handlers
 * so that the extack message can name the parameter and its bounds.
 */
#include <linux/netlink.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <uapi/linux/alttcp.h>

#include "config.h"
#include "diag.h"
#include "listener.h"
#include "netlink.h"
#include "netns.h"

static const struct nla_policy alttcp_port_range_policy[ALTTCP_PORT_RANGE_MAX + 1] = {
	[ALTTCP_PORT_RANGE_LOW] = { .type = NLA_U16 },
	[ALTTCP_PORT_RANGE_HIGH] = { .type = NLA_U16 },
};

static const struct nla_policy alttcp_buf_policy[ALTTCP_BUF_ATTR_MAX + 1] = {
	[ALTTCP_BUF_MIN] = { .type = NLA_U32 },
	[ALTTCP_BUF_DEFAULT] = { .type = NLA_U32 },
	[ALTTCP_BUF_MAX] = { .type = NLA_U32 },
};

#define AT_CFG_POLICY(n, ATTR, def, lo, hi) \
	[ALTTCP_CFG_##ATTR] = { .type = NLA_U32 },

static const struct nla_policy alttcp_cfg_policy[ALTTCP_CFG_MAX + 1] = {
	AT_PARAMS(AT_CFG_POLICY)
	[ALTTCP_CFG_LOCAL_PORT_RANGE] = NLA_POLICY_NESTED(alttcp_port_range_policy),
	[ALTTCP_CFG_RMEM] = NLA_POLICY_NESTED(alttcp_buf_policy),
};

static const struct nla_policy alttcp_policy[ALTTCP_A_MAX + 1] = {
	[ALTTCP_A_CONFIG] = NLA_POLICY_NESTED(alttcp_cfg_policy),
	[ALTTCP_A_FILTER] = NLA_POLICY_NESTED(alttcp_filter_policy),
	[ALTTCP_A_LISTENER] = NLA_POLICY_NESTED(alttcp_listener_policy),
	/* Only ever sent by the kernel. */
	[ALTTCP_A_STATS] = { .type = NLA_REJECT },
	[ALTTCP_A_CONN] = { .type = NLA_REJECT },
	[ALTTCP_A_COUNT] = { .type = NLA_REJECT },
	[ALTTCP_A_EVENT] = { .type = NLA_REJECT },
	[ALTTCP_A_VERSION] = { .type = NLA_REJECT },
};

/* The core counts in the uapi's order; the build fails if they drift. */
#define AT_MIB_CHECK(id, name) \
	static_assert((int)AT_MIB_##id == (int)ALTTCP_MIB_##id, "counter " name);
AT_MIBS(AT_MIB_CHECK)
static_assert((int)AT_MIB_MAX == (int)__ALTTCP_MIB_MAX, "counter count");

/* Event reasons likewise. */
#define AT_REASON_CHECK(id, name) \
	static_assert((int)AT_R_##id == (int)ALTTCP_REASON_##id, "reason " name);
AT_REASONS(AT_REASON_CHECK)
static_assert((int)AT_R_MAX == (int)__ALTTCP_REASON_MAX, "reason count");



static int put_port_range(struct sk_buff *skb, const struct at_params *p)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, ALTTCP_CFG_LOCAL_PORT_RANGE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, ALTTCP_PORT_RANGE_LOW, p->local_port_range[0]) ||
	    nla_put_u16(skb, ALTTCP_PORT_RANGE_HIGH, p->local_port_range[1])) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_buf_sizes(struct sk_buff *skb, int attr, const int *sizes)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, ALTTCP_BUF_MIN, READ_ONCE(sizes[0])) ||
	    nla_put_u32(skb, ALTTCP_BUF_DEFAULT, READ_ONCE(sizes[1])) ||
	    nla_put_u32(skb, ALTTCP_BUF_MAX, READ_ONCE(sizes[2]))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_config(struct sk_buff *skb, struct at_params *p)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, ALTTCP_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < alttcp_nparams; i++) {
		const struct alttcp_param *desc = &alttcp_params[i];

		if (nla_put_u32(skb, desc->attr,
				READ_ONCE(*alttcp_param_ptr(p, desc))))
			goto err_cancel_nest;
	}
	if (put_port_range(skb, p) ||
	    put_buf_sizes(skb, ALTTCP_CFG_RMEM, p->rmem))
		goto err_cancel_nest;
	nla_nest_end(skb, nest);
	return 0;

err_cancel_nest:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * A doit's one reply: @fill puts the attributes.  Every GET and the kill
 * answer this way.
 */
int alttcp_genl_reply(struct genl_info *info, u8 cmd,
		      int (*fill)(struct sk_buff *msg, void *arg), void *arg)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &alttcp_genl_family, 0, cmd);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free_msg;
	}
	err = fill(msg, arg);
	if (err)
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return err;
}

static int fill_config(struct sk_buff *msg, void *arg)
{
	struct alttcp_net *an = arg;
	int err;

	mutex_lock(&an->params_lock);
	err = put_config(msg, &an->params);
	mutex_unlock(&an->params_lock);
	return err;
}

static int alttcp_get_config(struct sk_buff *skb, struct genl_info *info)
{
	return alttcp_genl_reply(info, ALTTCP_CMD_GET_CONFIG, fill_config,
				 alttcp_net(genl_info_net(info)));
}

/*
 * NL_SET_ERR_MSG_ATTR() wants a literal; the per-parameter messages are
 * static strings built from the table, which extack may point at as well.
 */
static void set_err_attr(struct netlink_ext_ack *extack,
			 const struct nlattr *attr, const char *msg)
{
	if (extack)
		extack->_msg = msg;
	NL_SET_BAD_ATTR(extack, attr);
}

/* A buffer's three sizes (rmem): all of them, each in bounds, in order. */
#define BUF_MSG_MISSING(name)	name ": needs min, default and max"
#define BUF_MSG_RANGE(name)	name ": must be " __stringify(AT_BUF_BOUND_MIN) \
				" <= min <= default <= max <= " \
				__stringify(AT_BUF_BOUND_MAX)

static int parse_buf_sizes(const struct nlattr *attr, int *sizes,
			   const char *missing_msg, const char *range_msg,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[ALTTCP_BUF_ATTR_MAX + 1];
	int next[3];
	int err, i;

	err = nla_parse_nested(tb, ALTTCP_BUF_ATTR_MAX, attr,
			       alttcp_buf_policy, extack);
	if (err)
		return err;
	for (i = 0; i < 3; i++) {
		const struct nlattr *size = tb[ALTTCP_BUF_MIN + i];

		if (!size) {
			set_err_attr(extack, attr, missing_msg);
			return -EINVAL;
		}
		next[i] = (int)min_t(u32, nla_get_u32(size), INT_MAX);
	}
	if (!at_buf_triple_valid(next)) {
		set_err_attr(extack, attr, range_msg);
		return -EINVAL;
	}
	memcpy(sizes, next, sizeof(next));
	return 0;
}

/* Validate every present attribute into @out before anything is applied. */
static int parse_config(struct nlattr **tb, struct at_params *out,
			struct netlink_ext_ack *extack)
{
	struct nlattr *range[ALTTCP_PORT_RANGE_MAX + 1];
	unsigned int i;
	bool any = false;
	int err;

	for (i = 0; i < alttcp_nparams; i++) {
		const struct alttcp_param *desc = &alttcp_params[i];
		u32 val;

		if (!tb[desc->attr])
			continue;
		val = nla_get_u32(tb[desc->attr]);
		if (!alttcp_param_in_range(desc, val)) {
			set_err_attr(extack, tb[desc->attr], desc->range_msg);
			return -EINVAL;
		}
		*alttcp_param_ptr(out, desc) = val;
		any = true;
	}

	if (tb[ALTTCP_CFG_LOCAL_PORT_RANGE]) {
		struct nlattr *attr = tb[ALTTCP_CFG_LOCAL_PORT_RANGE];

		err = nla_parse_nested(range, ALTTCP_PORT_RANGE_MAX, attr,
				       alttcp_port_range_policy, extack);
		if (err)
			return err;
		if (!range[ALTTCP_PORT_RANGE_LOW] ||
		    !range[ALTTCP_PORT_RANGE_HIGH]) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "local_port_range: needs both low and high");
			return -EINVAL;
		}
		out->local_port_range[0] = nla_get_u16(range[ALTTCP_PORT_RANGE_LOW]);
		out->local_port_range[1] = nla_get_u16(range[ALTTCP_PORT_RANGE_HIGH]);
		if (!alttcp_port_range_valid(out->local_port_range[0],
					     out->local_port_range[1])) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "local_port_range: must be 1 <= low <= high <= 65535");
			return -EINVAL;
		}
		any = true;
	}

	if (tb[ALTTCP_CFG_RMEM]) {
		err = parse_buf_sizes(tb[ALTTCP_CFG_RMEM], out->rmem,
				      BUF_MSG_MISSING("rmem"),
				      BUF_MSG_RANGE("rmem"), extack);
		if (err)
			return err;
		any = true;
	}

	if (!any) {
		NL_SET_ERR_MSG(extack, "config: no parameter given");
		return -EINVAL;
	}
	return 0;
}

static int alttcp_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct alttcp_net *an = alttcp_net(genl_info_net(info));
	struct nlattr *tb[ALTTCP_CFG_MAX + 1];
	struct at_params *next;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, ALTTCP_A_CONFIG))
		return -EINVAL;
	err = nla_parse_nested(tb, ALTTCP_CFG_MAX, info->attrs[ALTTCP_A_CONFIG],
			       alttcp_cfg_policy, info->extack);
	if (err)
		return err;

	/* Too big for the stack once the core grows its table. */
	next = kmalloc(sizeof(*next), GFP_KERNEL);
	if (!next)
		return -ENOMEM;

	mutex_lock(&an->params_lock);
	*next = an->params;
	err = parse_config(tb, next, info->extack);
	if (!err) {
		unsigned int i;

		for (i = 0; i < alttcp_nparams; i++) {
			int *dst = alttcp_param_ptr(&an->params, &alttcp_params[i]);

			WRITE_ONCE(*dst, *alttcp_param_ptr(next, &alttcp_params[i]));
		}
		WRITE_ONCE(an->params.local_port_range[0], next->local_port_range[0]);
		WRITE_ONCE(an->params.local_port_range[1], next->local_port_range[1]);
		for (i = 0; i < ARRAY_SIZE(next->rmem); i++)
			WRITE_ONCE(an->params.rmem[i], next->rmem[i]);
	}
	mutex_unlock(&an->params_lock);

	kfree(next);
	return err;
}

static int put_stats(struct sk_buff *skb, const u64 *mib)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, ALTTCP_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < AT_MIB_MAX; i++) {
		if (nla_put_u64_64bit(skb, ALTTCP_STATS_ATTR(i), mib[i],
				      ALTTCP_STATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_stats(struct sk_buff *msg, void *arg)
{
	return put_stats(msg, arg);
}

static int alttcp_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct alttcp_net *an = alttcp_net(genl_info_net(info));
	u64 mib[AT_MIB_MAX];

	/* One snapshot: the counters move together under the lock. */
	alttcp_lock(an);
	memcpy(mib, an->ctx.mib, sizeof(mib));
	alttcp_unlock(an);
	return alttcp_genl_reply(info, ALTTCP_CMD_GET_STATS, fill_stats, mib);
}

static int alttcp_reset_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct alttcp_net *an = alttcp_net(genl_info_net(info));
	unsigned int i;

	alttcp_lock(an);
	for (i = 0; i < AT_MIB_MAX; i++)
		if (i != AT_MIB_CURR_ESTAB)
			an->ctx.mib[i] = 0;
	alttcp_unlock(an);
	return 0;
}

/* The release the module was built as: MODULE_VERSION's, from Kbuild. */
static int fill_version(struct sk_buff *msg, void *arg)
{
	return nla_put_string(msg, ALTTCP_A_VERSION, ALTTCP_VERSION);
}

static int alttcp_get_version(struct sk_buff *skb, struct genl_info *info)
{
	return alttcp_genl_reply(info, ALTTCP_CMD_GET_VERSION, fill_version,
				 NULL);
}

static const struct genl_ops alttcp_genl_ops[] = {
	{
		.cmd = ALTTCP_CMD_GET_CONFIG,
		.doit = alttcp_get_config,
	},
	{
		.cmd = ALTTCP_CMD_SET_CONFIG,
		.doit = alttcp_set_config,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ALTTCP_CMD_GET_STATS,
		.doit = alttcp_get_stats,
	},
	{
		.cmd = ALTTCP_CMD_RESET_STATS,
		.doit = alttcp_reset_stats,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ALTTCP_CMD_GET_CONN,
		.dumpit = alttcp_conn_dump,
	},
	{
		.cmd = ALTTCP_CMD_KILL_CONN,
		.doit = alttcp_conn_kill,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ALTTCP_CMD_SET_LISTENER,
		.doit = alttcp_listener_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ALTTCP_CMD_GET_LISTENER,
		.doit = alttcp_listener_get,
	},
	{
		.cmd = ALTTCP_CMD_GET_VERSION,
		.doit = alttcp_get_version,
	},
};

static const struct genl_multicast_group alttcp_mcgrps[] = {
	[ALTTCP_MCGRP_EVENTS_ID] = { .name = ALTTCP_MCGRP_EVENTS },
};

struct genl_family alttcp_genl_family __ro_after_init = {
	.name = ALTTCP_GENL_NAME,
	.version = ALTTCP_GENL_VERSION,
	.maxattr = ALTTCP_A_MAX,
	.policy = alttcp_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = alttcp_genl_ops,
	.n_ops = ARRAY_SIZE(alttcp_genl_ops),
	.mcgrps = alttcp_mcgrps,
	.n_mcgrps = ARRAY_SIZE(alttcp_mcgrps),
};

int __init alttcp_genl_register(void)
{
	return genl_register_family(&alttcp_genl_family);
}

void alttcp_genl_unregister(void)
{
	genl_unregister_family(&alttcp_genl_family);
}
