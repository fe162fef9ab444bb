/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_IO_H
#define _ALTTCP_IO_H

#include <linux/net.h>
#include <linux/poll.h>

int alttcp_sendmsg(struct socket *sock, struct msghdr *msg, size_t size);
int alttcp_recvmsg(struct socket *sock, struct msghdr *msg, size_t size,
		   int flags);
__poll_t alttcp_poll(struct file *file, struct socket *sock,
		     poll_table *wait);
int alttcp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);

#endif /* _ALTTCP_IO_H */
