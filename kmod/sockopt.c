// SPDX-License-Identifier: GPL-2.0
/*
 * SOL_TCP options, with Linux's option numbers and bounds so that existing
 * applications work unchanged.  SOL_SOCKET options are the socket layer's
 * (sock_setsockopt) and SOL_IP ones the IPv4 layer's (ip_setsockopt), as for
 * any inet socket; alttcp reads what they set (output.c: IP_TOS, IP_TTL,
 * IP_MTU_DISCOVER; socket.c: IP_FREEBIND, IP_BIND_ADDRESS_NO_PORT; hooks.c:
 * IP_MINTTL), and
 * refuses the few it would ignore.  An unknown SOL_TCP option is
 * ENOPROTOOPT, never a silent success.
 */
#include <linux/tcp.h>
#include <linux/uaccess.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "listener.h"
#include "netns.h"
#include "obj.h"
#include "sock.h"
#include "sockopt.h"

/*
 * Apply the socket's overrides to its connection, if it has one yet; a
 * listener's also carry the netlink rules for its port.
 */
static void push_overrides(struct alttcp_sock *as)
{
	if (!as->conn)
		return;
	if (at_conn_state(as->conn) == TCP_LISTEN) {
		alttcp_listener_apply(as);
		return;
	}
	at_set_overrides(as->conn, &as->ov, alttcp_now());
	alttcp_obj_mark(alttcp_obj_of(as->conn));
}

static int set_int(struct alttcp_sock *as, int optname, int val)
{
	struct at_overrides *ov = &as->ov;

	switch (optname) {
	case TCP_INQ:
		if (val < 0 || val > 1)
			return -EINVAL;
		as->recvmsg_inq = val;
		return 0;
	case TCP_NODELAY:
		as->nodelay = !!val;
		if (as->conn) {
			at_set_nodelay(as->conn, as->nodelay, alttcp_now());
			alttcp_obj_mark(alttcp_obj_of(as->conn));
		}
		return 0;
	case TCP_CORK:
		as->cork = !!val;
		if (as->conn) {
			at_set_cork(as->conn, as->cork, alttcp_now());
			alttcp_obj_mark(alttcp_obj_of(as->conn));
		}
		return 0;
	case TCP_MAXSEG:
		if (val && (val < TCP_MIN_MSS || val > MAX_TCP_WINDOW))
			return -EINVAL;
		as->user_mss = val;
		return 0;
	case TCP_KEEPIDLE:
		if (val < 1 || val > MAX_TCP_KEEPIDLE)
			return -EINVAL;
		ov->keepalive_time = val;
		break;
	case TCP_KEEPINTVL:
		if (val < 1 || val > MAX_TCP_KEEPINTVL)
			return -EINVAL;
		ov->keepalive_intvl = val;
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > MAX_TCP_KEEPCNT)
			return -EINVAL;
		ov->keepalive_probes = val;
		break;
	case TCP_SYNCNT:
		if (val < 1 || val > MAX_TCP_SYNCNT)
			return -EINVAL;
		ov->syn_retries = val;
		break;
	case TCP_LINGER2:
		/* As Linux: negative means no FIN_WAIT_2 for orphans. */
		ov->linger2 = val < 0 ? -1 : val;
		break;
	case TCP_USER_TIMEOUT:
		if (val < 0)
			return -EINVAL;
		ov->user_timeout_ms = val;
		break;
	default:
		return -ENOPROTOOPT;
	}
	push_overrides(as);
	return 0;
}

/*
 * IP-level options whose state alttcp's release and output do not handle:
 * group memberships (inet_release()'s ip_mc_drop_socket() is not exported;
 * Linux TCP refuses IP_ADD_MEMBERSHIP with EPROTO too), per-socket IPsec
 * policies (alttcp routes without the socket).  Refused rather than taken
 * and ignored.
 */
static int ip_option_refused(int optname)
{
	switch (optname) {
	case IP_ADD_MEMBERSHIP:
	case IP_DROP_MEMBERSHIP:
	case IP_ADD_SOURCE_MEMBERSHIP:
	case IP_DROP_SOURCE_MEMBERSHIP:
	case IP_BLOCK_SOURCE:
	case IP_UNBLOCK_SOURCE:
	case IP_MSFILTER:
	case MCAST_JOIN_GROUP:
	case MCAST_LEAVE_GROUP:
	case MCAST_JOIN_SOURCE_GROUP:
	case MCAST_LEAVE_SOURCE_GROUP:
	case MCAST_BLOCK_SOURCE:
	case MCAST_UNBLOCK_SOURCE:
	case MCAST_MSFILTER:
		return -EPROTO;
	case IP_IPSEC_POLICY:
	case IP_XFRM_POLICY:
		return -EOPNOTSUPP;
	}
	return 0;
}

int alttcp_setsockopt(struct socket *sock, int level, int optname,
		      sockptr_t optval, unsigned int optlen)
{
	struct alttcp_sock *as = alttcp_sk(sock->sk);
	int val, err;

	if (level == SOL_IP)
		return ip_option_refused(optname) ?:
		       ip_setsockopt(sock->sk, level, optname, optval, optlen);
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	alttcp_lock(as->an);
	err = set_int(as, optname, val);
	alttcp_unlock(as->an);
	return err;
}

static int param_or(int override, int netns_value)
{
	return override == AT_UNSET ? netns_value : override;
}

static void fill_tcp_info(struct alttcp_sock *as, struct tcp_info *ti)
{
	struct at_conn_info ci;

	memset(ti, 0, sizeof(*ti));
	ti->tcpi_state = READ_ONCE(as->inet.sk.sk_state);
	if (!as->conn)
		return;
	at_conn_info(as->conn, alttcp_now(), &ci);
	ti->tcpi_retransmits = ci.retransmits;
	ti->tcpi_probes = ci.probes;
	ti->tcpi_rto = ci.rto_us;
	ti->tcpi_snd_mss = ci.snd_mss;
	ti->tcpi_rcv_mss = ci.rcv_mss;
	ti->tcpi_rtt = ci.rtt_us;
	ti->tcpi_rttvar = ci.rttvar_us;
	if (ci.snd_mss) {
		ti->tcpi_snd_cwnd = ci.cwnd / ci.snd_mss;
		ti->tcpi_snd_ssthresh = ci.ssthresh / ci.snd_mss;
	}
	ti->tcpi_total_retrans = ci.total_retrans;
	ti->tcpi_snd_wscale = ci.snd_wscale;
	ti->tcpi_rcv_wscale = ci.rcv_wscale;
	if (ci.ts_ok)
		ti->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (ci.sack_ok)
		ti->tcpi_options |= TCPI_OPT_SACK;
	if (ci.snd_wscale || ci.rcv_wscale)
		ti->tcpi_options |= TCPI_OPT_WSCALE;
	ti->tcpi_unacked = ci.snd_mss ? ci.tx_queue / ci.snd_mss : 0;
	ti->tcpi_bytes_acked = ci.bytes_acked;
	ti->tcpi_bytes_received = ci.bytes_received;
	ti->tcpi_segs_in = ci.segs_in;
	ti->tcpi_segs_out = ci.segs_out;
	ti->tcpi_snd_wnd = ci.snd_wnd;
}

static int get_int(struct alttcp_sock *as, int optname, int *val)
{
	const struct at_params *p = &as->an->params;
	const struct at_overrides *ov = &as->ov;
	struct at_conn_info ci;

	switch (optname) {
	case TCP_INQ:
		*val = as->recvmsg_inq;
		return 0;
	case TCP_NODELAY:
		*val = as->nodelay;
		return 0;
	case TCP_CORK:
		*val = as->cork;
		return 0;
	case TCP_MAXSEG:
		*val = as->user_mss ? as->user_mss : TCP_MSS_DEFAULT;
		if (as->conn && at_conn_state(as->conn) != TCP_LISTEN) {
			at_conn_info(as->conn, alttcp_now(), &ci);
			if (ci.snd_mss)
				*val = ci.snd_mss;
		}
		return 0;
	case TCP_KEEPIDLE:
		*val = param_or(ov->keepalive_time, READ_ONCE(p->keepalive_time));
		return 0;
	case TCP_KEEPINTVL:
		*val = param_or(ov->keepalive_intvl, READ_ONCE(p->keepalive_intvl));
		return 0;
	case TCP_KEEPCNT:
		*val = param_or(ov->keepalive_probes,
				READ_ONCE(p->keepalive_probes));
		return 0;
	case TCP_SYNCNT:
		*val = param_or(ov->syn_retries, READ_ONCE(p->syn_retries));
		return 0;
	case TCP_LINGER2:
		*val = param_or(ov->linger2, READ_ONCE(p->fin_timeout));
		return 0;
	case TCP_USER_TIMEOUT:
		*val = param_or(ov->user_timeout_ms, 0);
		return 0;
	}
	return -ENOPROTOOPT;
}

int alttcp_getsockopt(struct socket *sock, int level, int optname,
		      char __user *optval, int __user *optlen)
{
	struct alttcp_sock *as = alttcp_sk(sock->sk);
	struct tcp_info info;
	int len, val, err;

	if (level == SOL_IP)
		return ip_getsockopt(sock->sk, level, optname, optval, optlen);
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	if (optname == TCP_INFO) {
		alttcp_lock(as->an);
		fill_tcp_info(as, &info);
		alttcp_unlock(as->an);
		len = min_t(unsigned int, len, sizeof(info));
		if (put_user(len, optlen) || copy_to_user(optval, &info, len))
			return -EFAULT;
		return 0;
	}

	alttcp_lock(as->an);
	err = get_int(as, optname, &val);
	alttcp_unlock(as->an);
	if (err)
		return err;
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}
