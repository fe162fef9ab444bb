#include "extack.h"

#include <cstdint>
#include <cstring>

#include <linux/netlink.h>

namespace alttcpctl {

namespace {

// The NLMSGERR_ATTR_MSG among the TLVs from byte off to the message's end.
std::string extack_msg(const uint8_t *base, std::size_t off, std::size_t end)
{
	while (off + NLA_HDRLEN <= end) {
		nlattr a;
		std::memcpy(&a, base + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || off + a.nla_len > end)
			break;
		if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			const char *s = reinterpret_cast<const char *>(base + off + NLA_HDRLEN);
			return std::string(s, strnlen(s, a.nla_len - NLA_HDRLEN));
		}
		off += NLA_ALIGN(a.nla_len);
	}
	return "";
}

}  // namespace

std::optional<NetlinkError> parse_dump_done(const void *msg, std::size_t len)
{
	const auto *base = static_cast<const uint8_t *>(msg);
	nlmsghdr hdr;
	int32_t err;
	if (len < NLMSG_HDRLEN + sizeof(err))
		return std::nullopt;
	std::memcpy(&hdr, base, sizeof(hdr));
	if (hdr.nlmsg_type != NLMSG_DONE || hdr.nlmsg_len > len ||
	    hdr.nlmsg_len < NLMSG_HDRLEN + sizeof(err))
		return std::nullopt;
	std::memcpy(&err, base + NLMSG_HDRLEN, sizeof(err));
	NetlinkError out;
	out.error = err < 0 ? -err : err;
	if (out.error && (hdr.nlmsg_flags & NLM_F_ACK_TLVS))
		out.msg = extack_msg(base, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(err)), hdr.nlmsg_len);
	return out;
}

std::optional<NetlinkError> parse_netlink_error(const void *msg, std::size_t len)
{
	const auto *base = static_cast<const uint8_t *>(msg);
	nlmsghdr hdr;
	nlmsgerr err;
	if (len < NLMSG_HDRLEN + sizeof(err))
		return std::nullopt;
	std::memcpy(&hdr, base, sizeof(hdr));
	if (hdr.nlmsg_type != NLMSG_ERROR || hdr.nlmsg_len > len ||
	    hdr.nlmsg_len < NLMSG_HDRLEN + sizeof(err))
		return std::nullopt;
	std::memcpy(&err, base + NLMSG_HDRLEN, sizeof(err));

	NetlinkError out;
	out.error = err.error < 0 ? -err.error : err.error;
	if (!(hdr.nlmsg_flags & NLM_F_ACK_TLVS))
		return out;

	// Without NETLINK_CAP_ACK the kernel echoes our whole request before
	// the TLVs; its length is in the echoed header.
	std::size_t off = sizeof(err);
	if (!(hdr.nlmsg_flags & NLM_F_CAPPED)) {
		if (err.msg.nlmsg_len < NLMSG_HDRLEN)
			return out;
		off += err.msg.nlmsg_len - NLMSG_HDRLEN;
	}
	off = NLMSG_HDRLEN + NLMSG_ALIGN(off);
	out.msg = extack_msg(base, off, hdr.nlmsg_len);
	return out;
}

std::string describe(const NetlinkError &e)
{
	if (!e.msg.empty())
		return e.msg;
	return std::strerror(e.error);
}

}  // namespace alttcpctl
