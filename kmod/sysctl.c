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

/*
 * Sysctls of several ints (local_port_range, rmem): parsed into a copy,
 * checked as a whole and published together under params_lock, so that
 * no reader and no netlink writer ever sees low > high or min > max.
 */
#define VEC_MAX	3

struct vec_sysctl {
	const char *name;
	size_t offset;			/* of the array in struct at_params */
	unsigned int n;
	int min[VEC_MAX], max[VEC_MAX];	/* each element's bounds */
	bool (*valid)(const int *v);
};

static bool port_range_valid(const int *v)
{
	return alttcp_port_range_valid(v[0], v[1]);
}

static bool buf_sizes_valid(const int *v)
{
	return at_buf_triple_valid(v);
}

#define VEC_SYSCTL(field, lo, hi, check) {				\
	.name = #field,							\
	.offset = offsetof(struct at_params, field),			\
	.n = ARRAY_SIZE(((struct at_params *)0)->field) +		\
	     BUILD_BUG_ON_ZERO(ARRAY_SIZE(((struct at_params *)0)->field) >	\
			       VEC_MAX),					\
	.min = { lo, lo, lo }, .max = { hi, hi, hi },			\
	.valid = check,							\
}

static const struct vec_sysctl vec_sysctls[] = {
	VEC_SYSCTL(local_port_range, AT_PORT_RANGE_MIN, AT_PORT_RANGE_MAX,
		   port_range_valid),
	VEC_SYSCTL(rmem, AT_BUF_BOUND_MIN, AT_BUF_BOUND_MAX, buf_sizes_valid),
};

static int proc_vec(ALTTCP_PROC_TABLE *table, int write, void *buffer,
		    size_t *lenp, loff_t *ppos)
{
	const struct vec_sysctl *desc = table->extra1;
	struct alttcp_net *an = table->extra2;
	int *param = table->data, v[VEC_MAX];
	struct ctl_table tmp = {
		.data = v,
		.maxlen = desc->n * sizeof(int),
		.mode = table->mode,
		.extra1 = (void *)desc->min,
		.extra2 = (void *)desc->max,
	};
	unsigned int i;
	int ret;

	mutex_lock(&an->params_lock);
	for (i = 0; i < desc->n; i++)
		v[i] = param[i];
	mutex_unlock(&an->params_lock);

	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (!write || ret)
		return ret;
	if (!desc->valid(v))
		return -EINVAL;

	mutex_lock(&an->params_lock);
	for (i = 0; i < desc->n; i++)
		WRITE_ONCE(param[i], v[i]);
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
	 * One entry per parameter and per vector sysctl, and the zeroed
	 * terminator that kernels before 6.6 look for.
	 */
	table = kcalloc(alttcp_nparams + ARRAY_SIZE(vec_sysctls) + 1,
			sizeof(*table), GFP_KERNEL);
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
	for (i = 0; i < ARRAY_SIZE(vec_sysctls); i++) {
		const struct vec_sysctl *desc = &vec_sysctls[i];

		entry = &table[alttcp_nparams + i];
		entry->procname = desc->name;
		entry->data = (char *)&an->params + desc->offset;
		entry->maxlen = desc->n * sizeof(int);
		entry->mode = 0644;
		entry->proc_handler = proc_vec;
		entry->extra1 = (void *)desc;
		entry->extra2 = an;
	}

	an->sysctl_hdr = alttcp_register_net_sysctl(net, "net/alttcp", table,
						    alttcp_nparams +
						    ARRAY_SIZE(vec_sysctls));
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
