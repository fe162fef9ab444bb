/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_CONFIG_H
#define _ALTTCP_CONFIG_H

#include <linux/types.h>

#include "params.h"

/*
 * One tunable as the sysctl and netlink layers see it: built from the
 * AT_PARAMS table so that names, bounds and attribute numbers cannot drift.
 */
struct alttcp_param {
	const char *name;
	int attr;		/* ALTTCP_CFG_* */
	size_t offset;		/* into struct at_params */
	int min;
	int max;
	const char *range_msg;	/* static: extack keeps the pointer */
};

extern const struct alttcp_param alttcp_params[];
extern const unsigned int alttcp_nparams;

static inline int *alttcp_param_ptr(struct at_params *p,
				    const struct alttcp_param *desc)
{
	return (int *)((char *)p + desc->offset);
}

static inline bool alttcp_param_in_range(const struct alttcp_param *desc,
					 s64 val)
{
	return val >= desc->min && val <= desc->max;
}

bool alttcp_port_range_valid(int low, int high);

#endif /* _ALTTCP_CONFIG_H */
