#include "nl_transport.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "error.h"
#include "extack.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace alttcpctl {

struct NlExchange {
	std::vector<Bytes> replies;
	std::optional<NetlinkError> error;
	bool interrupted = false;
	bool done = false;
};

namespace {

using Exchange = NlExchange;

int on_valid(nl_msg *msg, void *arg)
{
	auto *x = static_cast<Exchange *>(arg);
	nlmsghdr *nlh = nlmsg_hdr(msg);
	auto *gnlh = static_cast<genlmsghdr *>(nlmsg_data(nlh));
	auto *data = reinterpret_cast<const uint8_t *>(genlmsg_attrdata(gnlh, 0));
	x->replies.emplace_back(data, data + genlmsg_attrlen(gnlh, 0));
	return NL_OK;
}

int on_ack(nl_msg *, void *arg)
{
	static_cast<Exchange *>(arg)->done = true;
	return NL_STOP;
}

// NLMSG_DONE ends a dump; a dump that failed after it started carries its
// errno (and extack) here rather than in an NLMSG_ERROR.
int on_finish(nl_msg *msg, void *arg)
{
	auto *x = static_cast<Exchange *>(arg);
	nlmsghdr *nlh = nlmsg_hdr(msg);
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		x->interrupted = true;
	std::optional<NetlinkError> e = parse_dump_done(nlh, nlh->nlmsg_len);
	if (e && e->error)
		x->error = e;
	x->done = true;
	return NL_STOP;
}

int on_dump_intr(nl_msg *, void *arg)
{
	static_cast<Exchange *>(arg)->interrupted = true;
	return NL_OK;  // and go on: the message still counts
}

// libnl hands us only the nlmsgerr; it sits right after its nlmsghdr, which
// we need for the flags and length to find the extack TLVs.
int on_error(sockaddr_nl *, nlmsgerr *e, void *arg)
{
	auto *x = static_cast<Exchange *>(arg);
	auto *hdr = reinterpret_cast<const nlmsghdr *>(
		reinterpret_cast<const uint8_t *>(e) - NLMSG_HDRLEN);
	x->error = parse_netlink_error(hdr, hdr->nlmsg_len);
	if (!x->error)
		x->error = NetlinkError{e->error < 0 ? -e->error : e->error, ""};
	x->done = true;
	return NL_STOP;
}

[[noreturn]] void fail(const std::string &what, int nlerr)
{
	throw Error(what + ": " + nl_geterror(nlerr));
}

[[noreturn]] void fail_errno(const std::string &what)
{
	throw Error(what + ": " + std::strerror(errno));
}

// Generic netlink messages of one datagram; errors and no-ops are skipped.
void split_datagram(const uint8_t *buf, std::size_t len, Notifications &out)
{
	auto *nlh = reinterpret_cast<const nlmsghdr *>(buf);
	int rem = static_cast<int>(len);
	for (; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem)) {
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE ||
		    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
			continue;
		auto *g = static_cast<const genlmsghdr *>(NLMSG_DATA(nlh));
		const uint8_t *attrs = reinterpret_cast<const uint8_t *>(g) + GENL_HDRLEN;
		out.messages.push_back({nlh->nlmsg_type, g->cmd,
					Bytes(attrs, attrs + (nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN))});
	}
}

}  // namespace

NlTransport::NlTransport() : sk_(nl_socket_alloc())
{
	if (!sk_)
		throw Error("cannot allocate netlink socket");
	if (int rc = genl_connect(sk_.get()); rc < 0)
		fail("cannot open generic netlink socket", rc);
	int one = 1;
	int fd = nl_socket_get_fd(sk_.get());
	// Old kernels lack these; the tool then just reports strerror().
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

std::optional<int> NlTransport::resolve_family(const std::string &name)
{
	int id = genl_ctrl_resolve(sk_.get(), name.c_str());
	if (id == -NLE_OBJ_NOTFOUND)
		return std::nullopt;
	if (id < 0)
		fail("cannot resolve generic netlink family \"" + name + "\"", id);
	return id;
}

void NlTransport::exchange(int family, uint8_t version, uint8_t cmd, int flags,
			   const Bytes &attrs, NlExchange &x)
{
	NlMsgPtr msg(nlmsg_alloc());
	if (!msg || !genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd, version))
		throw Error("cannot build netlink message");
	if (!attrs.empty() &&
	    nlmsg_append(msg.get(), const_cast<uint8_t *>(attrs.data()), attrs.size(), NLMSG_ALIGNTO) < 0)
		throw Error("cannot build netlink message");

	NlCbPtr cb(nl_cb_alloc(NL_CB_DEFAULT));
	if (!cb)
		throw Error("cannot allocate netlink callbacks");
	nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &x);
	nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &x);
	nl_cb_set(cb.get(), NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &x);
	nl_cb_set(cb.get(), NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, &x);
	nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &x);

	// nl_send_auto sets NLM_F_ACK, so every request ends in an ack or
	// error; a dump ends in NLMSG_DONE instead (the kernel sends no ack
	// once a dump has started).
	if (int rc = nl_send_auto(sk_.get(), msg.get()); rc < 0)
		fail("cannot send netlink request", rc);
	while (!x.done) {
		int rc = nl_recvmsgs(sk_.get(), cb.get());
		if (x.error)
			throw KernelError(x.error->error, describe(*x.error), x.error->msg);
		if (rc < 0)
			fail("cannot receive netlink reply", rc);
	}
}

std::vector<Bytes> NlTransport::transact(int family, uint8_t version, uint8_t cmd,
					 const Bytes &attrs)
{
	Exchange x;
	exchange(family, version, cmd, 0, attrs, x);
	return std::move(x.replies);
}

DumpReply NlTransport::dump(int family, uint8_t version, uint8_t cmd, const Bytes &attrs)
{
	Exchange x;
	exchange(family, version, cmd, NLM_F_DUMP, attrs, x);
	return {std::move(x.replies), x.interrupted};
}

void NlTransport::join_group(uint32_t group)
{
	if (int rc = nl_socket_add_membership(sk_.get(), static_cast<int>(group)); rc < 0)
		fail("cannot join multicast group", rc);
	// Room for bursts (a listener closing with many children), as much as
	// `ip monitor` takes.  Beyond net.core.rmem_max only with CAP_NET_ADMIN
	// (SO_RCVBUFFORCE); otherwise up to rmem_max.  Best effort: ENOBUFS
	// is reported when it still overflows.
	int size = 4 << 20;
	if (setsockopt(nl_socket_get_fd(sk_.get()), SOL_SOCKET, SO_RCVBUFFORCE,
		       &size, sizeof(size)) < 0)
		(void)nl_socket_set_buffer_size(sk_.get(), size, 0);
}

Notifications NlTransport::wait_notifications(int stop_fd)
{
	int fd = nl_socket_get_fd(sk_.get());
	Notifications out;
	// Page-sized messages at most: genlmsg_new(NLMSG_GOODSIZE).
	static thread_local std::vector<uint8_t> buf(64 * 1024);
	for (;;) {
		pollfd p[2] = {{fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
		int n = poll(p, stop_fd >= 0 ? 2 : 1, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail_errno("cannot wait for events");
		}
		if (stop_fd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			out.stopped = true;
			return out;
		}
		// Drain what is queued without blocking again.
		for (;;) {
			ssize_t len = recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
			if (len < 0) {
				if (errno == EINTR)
					continue;
				if (errno == ENOBUFS) {
					out.overrun = true;
					continue;  // the error is reported once; more may follow
				}
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					break;
				fail_errno("cannot receive events");
			}
			split_datagram(buf.data(), static_cast<std::size_t>(len), out);
		}
		if (!out.messages.empty() || out.overrun)
			return out;
	}
}

}  // namespace alttcpctl
