#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>
#include <linux/netlink.h>

#include "extack.h"

using namespace alttcpctl;

namespace {

// An NLMSG_ERROR as the kernel's netlink_ack() lays it out: header,
// nlmsgerr (echoing the request header, and its payload unless capped), then
// the TLVs.
std::vector<uint8_t> error_message(int err, const char *text, bool capped,
				   uint32_t request_payload = 0)
{
	std::vector<uint8_t> b(NLMSG_HDRLEN + sizeof(nlmsgerr) + (capped ? 0 : NLMSG_ALIGN(request_payload)));
	nlmsgerr e{};
	e.error = -err;
	e.msg.nlmsg_len = NLMSG_HDRLEN + request_payload;
	e.msg.nlmsg_type = 0x1c;
	e.msg.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	e.msg.nlmsg_seq = 7;
	std::memcpy(b.data() + NLMSG_HDRLEN, &e, sizeof(e));
	for (uint32_t i = 0; !capped && i < request_payload; i++)
		b[NLMSG_HDRLEN + sizeof(e) + i] = 0xAA;  // echoed request bytes

	uint16_t flags = capped ? NLM_F_CAPPED : 0;
	if (text) {
		flags |= NLM_F_ACK_TLVS;
		// An offset attribute first, as the kernel sends for bad attrs.
		nlattr off{8, NLMSGERR_ATTR_OFFS};
		uint32_t where = 20;
		std::size_t at = b.size();
		b.resize(at + 8);
		std::memcpy(b.data() + at, &off, 4);
		std::memcpy(b.data() + at + 4, &where, 4);

		uint16_t len = static_cast<uint16_t>(NLA_HDRLEN + std::strlen(text) + 1);
		nlattr a{len, NLMSGERR_ATTR_MSG};
		at = b.size();
		b.resize(at + NLA_ALIGN(len), 0);
		std::memcpy(b.data() + at, &a, sizeof(a));
		std::memcpy(b.data() + at + NLA_HDRLEN, text, std::strlen(text) + 1);
	}
	nlmsghdr h{};
	h.nlmsg_len = static_cast<uint32_t>(b.size());
	h.nlmsg_type = NLMSG_ERROR;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = 7;
	std::memcpy(b.data(), &h, sizeof(h));
	return b;
}

}  // namespace

TEST(Extack, CappedMessage)
{
	auto m = error_message(EINVAL, "syn_retries: out of range [1, 127]", true);
	auto e = parse_netlink_error(m.data(), m.size());
	ASSERT_TRUE(e.has_value());
	EXPECT_EQ(e->error, EINVAL);
	EXPECT_EQ(e->msg, "syn_retries: out of range [1, 127]");
	EXPECT_EQ("Error: " + describe(*e), "Error: syn_retries: out of range [1, 127]");
}

TEST(Extack, UncappedMessageSkipsTheEchoedRequest)
{
	auto m = error_message(ERANGE, "local_port_range: low above high", false, 30);
	auto e = parse_netlink_error(m.data(), m.size());
	ASSERT_TRUE(e.has_value());
	EXPECT_EQ(e->error, ERANGE);
	EXPECT_EQ(e->msg, "local_port_range: low above high");

	// rmem's, as kmod/netlink.c words it.
	const char *rmem_msg = "rmem: must be 1 <= min <= default <= max <= 1073725440";
	m = error_message(EINVAL, rmem_msg, false, 44);
	e = parse_netlink_error(m.data(), m.size());
	ASSERT_TRUE(e.has_value());
	EXPECT_EQ(e->error, EINVAL);
	EXPECT_EQ(e->msg, rmem_msg);
	EXPECT_EQ("Error: " + describe(*e), std::string("Error: ") + rmem_msg);
}

TEST(Extack, NoTextFallsBackToStrerror)
{
	auto m = error_message(EPERM, nullptr, true);
	auto e = parse_netlink_error(m.data(), m.size());
	ASSERT_TRUE(e.has_value());
	EXPECT_EQ(e->error, EPERM);
	EXPECT_EQ(e->msg, "");
	EXPECT_EQ("Error: " + describe(*e), "Error: Operation not permitted");
}

TEST(Extack, NotAnErrorOrTruncated)
{
	auto m = error_message(EINVAL, "x", true);
	EXPECT_FALSE(parse_netlink_error(m.data(), 10).has_value());
	EXPECT_FALSE(parse_netlink_error(m.data(), m.size() - 1).has_value());
	nlmsghdr h;
	std::memcpy(&h, m.data(), sizeof(h));
	h.nlmsg_type = NLMSG_DONE;
	std::memcpy(m.data(), &h, sizeof(h));
	EXPECT_FALSE(parse_netlink_error(m.data(), m.size()).has_value());
}

TEST(Extack, UnterminatedOrBrokenTlvsDoNotOverrun)
{
	auto m = error_message(EINVAL, "abcd", true);
	// Drop the NUL and padding: the string must stop at the attribute end.
	nlattr *a = reinterpret_cast<nlattr *>(m.data() + m.size() - NLA_ALIGN(NLA_HDRLEN + 5));
	a->nla_len = NLA_HDRLEN + 3;
	auto e = parse_netlink_error(m.data(), m.size());
	ASSERT_TRUE(e.has_value());
	EXPECT_EQ(e->msg, "abc");

	a->nla_len = 200;  // claims more than the message holds
	e = parse_netlink_error(m.data(), m.size());
	ASSERT_TRUE(e.has_value());
	EXPECT_EQ(e->msg, "");
	EXPECT_EQ(describe(*e), std::strerror(EINVAL));
}

namespace {

// An NLMSG_DONE as netlink_dump_done() lays it out: the dump's result, then
// with an extack message NLM_F_ACK_TLVS and the TLV.
std::vector<uint8_t> done_message(int err, const char *text, uint16_t extra_flags = 0)
{
	std::vector<uint8_t> b(NLMSG_HDRLEN + 4);
	int32_t e = -err;
	std::memcpy(b.data() + NLMSG_HDRLEN, &e, 4);
	uint16_t flags = NLM_F_MULTI | extra_flags;
	if (text) {
		flags |= NLM_F_ACK_TLVS;
		uint16_t len = static_cast<uint16_t>(NLA_HDRLEN + std::strlen(text) + 1);
		uint16_t type = NLMSGERR_ATTR_MSG;
		std::size_t at = b.size();
		b.resize(at + NLA_ALIGN(len));
		std::memcpy(&b[at], &len, 2);
		std::memcpy(&b[at + 2], &type, 2);
		std::memcpy(&b[at + NLA_HDRLEN], text, std::strlen(text) + 1);
	}
	nlmsghdr h{};
	h.nlmsg_len = static_cast<uint32_t>(b.size());
	h.nlmsg_type = NLMSG_DONE;
	h.nlmsg_flags = flags;
	std::memcpy(b.data(), &h, sizeof(h));
	return b;
}

}  // namespace

TEST(DumpDone, SuccessIsErrorZero)
{
	auto m = done_message(0, nullptr);
	auto e = parse_dump_done(m.data(), m.size());
	ASSERT_TRUE(e);
	EXPECT_EQ(e->error, 0);
	EXPECT_EQ(e->msg, "");
}

TEST(DumpDone, FailureWithAndWithoutExtack)
{
	auto m = done_message(EINVAL, "filter: bad state mask");
	auto e = parse_dump_done(m.data(), m.size());
	ASSERT_TRUE(e);
	EXPECT_EQ(e->error, EINVAL);
	EXPECT_EQ(e->msg, "filter: bad state mask");
	EXPECT_EQ(describe(*e), "filter: bad state mask");

	m = done_message(EPERM, nullptr);
	e = parse_dump_done(m.data(), m.size());
	ASSERT_TRUE(e);
	EXPECT_EQ(e->error, EPERM);
	EXPECT_EQ(describe(*e), std::strerror(EPERM));
}

TEST(DumpDone, NotADoneMessage)
{
	auto m = done_message(0, nullptr);
	EXPECT_FALSE(parse_dump_done(m.data(), m.size() - 1));
	nlmsghdr h{};
	std::memcpy(&h, m.data(), sizeof(h));
	h.nlmsg_type = NLMSG_ERROR;
	std::memcpy(m.data(), &h, sizeof(h));
	EXPECT_FALSE(parse_dump_done(m.data(), m.size()));
}
