// SPDX-License-Identifier: GPL-2.0
/*
 * The tunables' descriptors, expanded from the core's AT_PARAMS table.
 */
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <uapi/linux/alttcp.h>

#include "config.h"

#define AT_PARAM_DESC(n, ATTR, def, lo, hi)				\
	{								\
		.name = #n,						\
		.attr = ALTTCP_CFG_##ATTR,				\
		.offset = offsetof(struct at_params, n),		\
		.min = lo,						\
		.max = hi,						\
		.range_msg = #n ": out of range [" #lo ", " #hi "]",	\
	},

const struct alttcp_param alttcp_params[] = {
	AT_PARAMS(AT_PARAM_DESC)
};

const unsigned int alttcp_nparams = ARRAY_SIZE(alttcp_params);

bool alttcp_port_range_valid(int low, int high)
{
	return low >= AT_PORT_RANGE_MIN && high <= AT_PORT_RANGE_MAX &&
	       low <= high;
}
