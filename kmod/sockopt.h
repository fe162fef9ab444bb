/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_SOCKOPT_H
#define _ALTTCP_SOCKOPT_H

#include <linux/net.h>
#include <linux/sockptr.h>

int alttcp_setsockopt(struct socket *sock, int level, int optname,
		      sockptr_t optval, unsigned int optlen);
int alttcp_getsockopt(struct socket *sock, int level, int optname,
		      char __user *optval, int __user *optlen);

#endif /* _ALTTCP_SOCKOPT_H */
