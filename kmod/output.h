/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_OUTPUT_H
#define _ALTTCP_OUTPUT_H

#include <linux/types.h>

#include "alttcp_core.h"

struct alttcp_net;

void alttcp_output(struct alttcp_net *an, const struct at_out *out);
int alttcp_route_mtu(struct alttcp_net *an, __be32 daddr, __be32 *saddr,
		     u32 mark, u16 *mtu, u32 *gso_max);
u32 alttcp_gso_max_default(void);

#endif /* _ALTTCP_OUTPUT_H */
