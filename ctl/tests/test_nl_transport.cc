// The real libnl transport against the running kernel's nlctrl family, which
// every Linux has: proves the send/ack/error/extack plumbing without alttcp.
// Skipped where netlink sockets are forbidden.
#include <cstring>
#include <unistd.h>

#include <gtest/gtest.h>
#include <linux/genetlink.h>

#include "error.h"
#include "nl_transport.h"

using namespace alttcpctl;

namespace {

void put(Bytes &b, uint16_t type, const Bytes &payload)
{
	uint16_t len = static_cast<uint16_t>(4 + payload.size());
	b.insert(b.end(), {uint8_t(len), uint8_t(len >> 8), uint8_t(type), uint8_t(type >> 8)});
	b.insert(b.end(), payload.begin(), payload.end());
	while (b.size() % 4)
		b.push_back(0);
}

class NlTransportTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		try {
			t = std::make_unique<NlTransport>();
		} catch (const Error &e) {
			GTEST_SKIP() << e.what();
		}
	}
	std::unique_ptr<NlTransport> t;
};

}  // namespace

TEST_F(NlTransportTest, UnknownFamilyIsNotFound)
{
	// The path behind "alttcp module not loaded".
	EXPECT_FALSE(t->resolve_family("alttcp-no-such-family").has_value());
	EXPECT_EQ(t->resolve_family("nlctrl"), GENL_ID_CTRL);
}

TEST_F(NlTransportTest, RequestGetsOneReplyThenTheAck)
{
	Bytes a;
	put(a, CTRL_ATTR_FAMILY_NAME, {'n', 'l', 'c', 't', 'r', 'l', 0});
	auto replies = t->transact(GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY, a);
	ASSERT_EQ(replies.size(), 1u);
	EXPECT_GT(replies[0].size(), 8u);
}

TEST_F(NlTransportTest, KernelRefusalCarriesExtackAndSocketStaysUsable)
{
	Bytes bad;
	put(bad, CTRL_ATTR_FAMILY_ID, {1});  // a u16 cut to one byte
	try {
		t->transact(GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY, bad);
		FAIL() << "kernel accepted a truncated attribute";
	} catch (const KernelError &e) {
		EXPECT_NE(e.error_number(), 0);
		// The kernel's policy text, not just strerror().
		EXPECT_STRNE(e.what(), std::strerror(e.error_number()));
		EXPECT_STRNE(e.what(), "");
	}

	Bytes missing;
	put(missing, CTRL_ATTR_FAMILY_NAME, {'z', 'z', 'z', 0});
	try {
		t->transact(GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY, missing);
		FAIL() << "no such family, yet no error";
	} catch (const KernelError &e) {
		EXPECT_EQ(e.error_number(), ENOENT);
		EXPECT_STREQ(e.what(), "No such file or directory");
	}

	Bytes good;
	put(good, CTRL_ATTR_FAMILY_NAME, {'n', 'l', 'c', 't', 'r', 'l', 0});
	EXPECT_EQ(t->transact(GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY, good).size(), 1u);
}

TEST_F(NlTransportTest, DumpCollectsEveryMessageUpToDone)
{
	// Every kernel can dump its generic netlink families; nlctrl is one.
	DumpReply d = t->dump(GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY, {});
	EXPECT_FALSE(d.interrupted);
	ASSERT_GE(d.messages.size(), 1u);
	bool nlctrl = false;
	for (const Bytes &m : d.messages)
		nlctrl |= std::string(m.begin(), m.end()).find("nlctrl") != std::string::npos;
	EXPECT_TRUE(nlctrl);

	// The socket is still good for a plain request afterwards.
	Bytes good;
	put(good, CTRL_ATTR_FAMILY_NAME, {'n', 'l', 'c', 't', 'r', 'l', 0});
	EXPECT_EQ(t->transact(GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY, good).size(), 1u);
}

TEST_F(NlTransportTest, RefusedDumpThrows)
{
	Bytes bad;
	put(bad, CTRL_ATTR_FAMILY_ID, {1});  // a u16 cut to one byte
	EXPECT_THROW(t->dump(GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY, bad), KernelError);
}

TEST_F(NlTransportTest, WaitEndsWhenTheStopFdFires)
{
	// nlctrl's "notify" group is id GENL_ID_CTRL's first group on every kernel.
	Bytes name;
	put(name, CTRL_ATTR_FAMILY_NAME, {'n', 'l', 'c', 't', 'r', 'l', 0});
	auto replies = t->transact(GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY, name);
	ASSERT_EQ(replies.size(), 1u);
	t->join_group(GENL_ID_CTRL);  // group 16, notify, may or may not fire
	int p[2];
	ASSERT_EQ(pipe(p), 0);
	ASSERT_EQ(write(p[1], "x", 1), 1);
	Notifications n = t->wait_notifications(p[0]);
	EXPECT_TRUE(n.stopped);
	close(p[0]);
	close(p[1]);
}
