#include "nl_transport.h"

#include <cerrno>
#include <cstring>
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

namespace {

struct Exchange {
	std::vector<Bytes> replies;
	std::optional<NetlinkError> error;
	bool done = false;
};

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

std::vector<Bytes> NlTransport::transact(int family, uint8_t version, uint8_t cmd,
					 const Bytes &attrs)
{
	NlMsgPtr msg(nlmsg_alloc());
	if (!msg || !genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, cmd, version))
		throw Error("cannot build netlink message");
	if (!attrs.empty() &&
	    nlmsg_append(msg.get(), const_cast<uint8_t *>(attrs.data()), attrs.size(), NLMSG_ALIGNTO) < 0)
		throw Error("cannot build netlink message");

	NlCbPtr cb(nl_cb_alloc(NL_CB_DEFAULT));
	if (!cb)
		throw Error("cannot allocate netlink callbacks");
	Exchange x;
	nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &x);
	nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &x);
	nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &x);

	// nl_send_auto sets NLM_F_ACK, so every request ends in an ack or error.
	if (int rc = nl_send_auto(sk_.get(), msg.get()); rc < 0)
		fail("cannot send netlink request", rc);
	while (!x.done) {
		int rc = nl_recvmsgs(sk_.get(), cb.get());
		if (x.error)
			throw KernelError(x.error->error, describe(*x.error));
		if (rc < 0)
			fail("cannot receive netlink reply", rc);
	}
	return std::move(x.replies);
}

}  // namespace alttcpctl
