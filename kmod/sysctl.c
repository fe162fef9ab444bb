// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/sys/net/alttcp/: one table per network namespace whose entries
 * point into that namespace's struct at_params.
 */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "config.h"
#include "netns.h"
#include "sysctl.h"

static const int port_range_min[2] = { AT_PORT_RANGE_MIN, AT_PORT_RANGE_MIN };
static const int port_range_max[2] = { AT_PORT_RANGE_MAX, AT_PORT_RANGE_MAX };

/*
 * Parse into a copy and publish both ends together, so that no reader
 * and no netlink writer ever sees low > high.
 */
static int proc_port_range(ALTTCP_PROC_TABLE *table, int write, void *buffer,
			   size_t *lenp, loff_t *ppos)
{
	struct alttcp_net *an = container_of(table->data, struct alttcp_net,
					     params.local_port_range);
	int range[2];
	struct ctl_table tmp = {
		.data = range,
		.maxlen = sizeof(range),
		.mode = table->mode,
		.extra1 = (void *)port_range_min,
		.extra2 = (void *)port_range_max,
	};
	int ret;

	mutex_lock(&an->params_lock);
	range[0] = an->params.local_port_range[0];
	range[1] = an->params.local_port_range[1];
	mutex_unlock(&an->params_lock);

	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (!write || ret)
		return ret;
	if (!alttcp_port_range_valid(range[0], range[1]))
		return -EINVAL;

	mutex_lock(&an->params_lock);
	WRITE_ONCE(an->params.local_port_range[0], range[0]);
	WRITE_ONCE(an->params.local_port_range[1], range[1]);
	mutex_unlock(&an->params_lock);
	return 0;
}

static const int buf_bound_min[3] = {
	AT_BUF_BOUND_MIN, AT_BUF_BOUND_MIN, AT_BUF_BOUND_MIN
};
static const int buf_bound_max[3] = {
	AT_BUF_BOUND_MAX, AT_BUF_BOUND_MAX, AT_BUF_BOUND_MAX
};

/* rmem's three sizes, published together as local_port_range's pair. */
static int proc_rmem(ALTTCP_PROC_TABLE *table, int write, void *buffer,
		     size_t *lenp, loff_t *ppos)
{
	struct alttcp_net *an = container_of(table->data, struct alttcp_net,
					     params.rmem);
	int sizes[3];
	struct ctl_table tmp = {
		.data = sizes,
		.maxlen = sizeof(sizes),
		.mode = table->mode,
		.extra1 = (void *)buf_bound_min,
		.extra2 = (void *)buf_bound_max,
	};
	int i, ret;

	mutex_lock(&an->params_lock);
	for (i = 0; i < 3; i++)
		sizes[i] = an->params.rmem[i];
	mutex_unlock(&an->params_lock);

	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (!write || ret)
		return ret;
	if (!at_buf_triple_valid(sizes))
		return -EINVAL;

	mutex_lock(&an->params_lock);
	for (i = 0; i < 3; i++)
		WRITE_ONCE(an->params.rmem[i], sizes[i]);
	mutex_unlock(&an->params_lock);
	return 0;
}

static int proc_param(ALTTCP_PROC_TABLE *table, int write, void *buffer,
		      size_t *lenp, loff_t *ppos)
{
	const struct alttcp_param *desc = table->extra1;
	struct ctl_table tmp = *table;
	int val = READ_ONCE(*(int *)table->data);
	int ret;

	tmp.data = &val;
	tmp.extra1 = (void *)&desc->min;
	tmp.extra2 = (void *)&desc->max;
	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (!write || ret)
		return ret;

	/* Under the lock so that a netlink set is never half-overwritten. */
	{
		struct alttcp_net *an = table->extra2;

		mutex_lock(&an->params_lock);
		WRITE_ONCE(*(int *)table->data, val);
		mutex_unlock(&an->params_lock);
	}
	return 0;
}

int alttcp_sysctl_net_init(struct net *net)
{
	struct alttcp_net *an = alttcp_net(net);
	struct ctl_table *table, *entry;
	unsigned int i;

	/*
	 * One entry per parameter, local_port_range and rmem, and the zeroed
	 * terminator that kernels before 6.6 look for.
	 */
	table = kcalloc(alttcp_nparams + 3, sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;

	for (i = 0; i < alttcp_nparams; i++) {
		const struct alttcp_param *desc = &alttcp_params[i];

		entry = &table[i];
		entry->procname = desc->name;
		entry->data = alttcp_param_ptr(&an->params, desc);
		entry->maxlen = sizeof(int);
		entry->mode = 0644;
		entry->proc_handler = proc_param;
		/* proc_param swaps these for the bounds before parsing. */
		entry->extra1 = (void *)desc;
		entry->extra2 = an;
	}
	entry = &table[alttcp_nparams];
	entry->procname = "local_port_range";
	entry->data = an->params.local_port_range;
	entry->maxlen = sizeof(an->params.local_port_range);
	entry->mode = 0644;
	entry->proc_handler = proc_port_range;
	entry = &table[alttcp_nparams + 1];
	entry->procname = "rmem";
	entry->data = an->params.rmem;
	entry->maxlen = sizeof(an->params.rmem);
	entry->mode = 0644;
	entry->proc_handler = proc_rmem;

	an->sysctl_hdr = alttcp_register_net_sysctl(net, "net/alttcp", table,
						    alttcp_nparams + 2);
	if (!an->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

void alttcp_sysctl_net_exit(struct net *net)
{
	struct alttcp_net *an = alttcp_net(net);
	const struct ctl_table *table = an->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(an->sysctl_hdr);
	kfree(table);
}
