// monitor: event decoding, both output formats, the group lookup, and the
// loop through the fake kernel (events, ENOBUFS, stop).
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <sstream>

#include <gtest/gtest.h>
#include <linux/alttcp.h>
#include <linux/genetlink.h>

#include "cli.h"
#include "ctrl_codec.h"
#include "error.h"
#include "event_codec.h"
#include "fake_transport.h"
#include "run_cli.h"
#include "json_check.h"
#include "kernel_msg.h"
#include "monitor_cmd.h"
#include "writer.h"

using namespace alttcpctl;
using namespace alttcpctl::test;

namespace {

// 2026-11-21T14:03:05.123456789Z
constexpr uint64_t kTime = 1795269785123456789ull;

// As the module's fill_event() puts it.
Bytes event_msg(uint8_t from, uint8_t to, uint16_t reason, bool pad = true)
{
	KernelMsg m(pad);
	m.nest_start(ALTTCP_A_EVENT)
		.u8(ALTTCP_EVENT_OLD_STATE, from)
		.u8(ALTTCP_EVENT_NEW_STATE, to)
		.u16(ALTTCP_EVENT_REASON, reason)
		.be32(ALTTCP_EVENT_LADDR, "10.0.1.1")
		.u16(ALTTCP_EVENT_LPORT, 40000)
		.be32(ALTTCP_EVENT_RADDR, "10.0.1.2")
		.u16(ALTTCP_EVENT_RPORT, 80)
		.u64(ALTTCP_EVENT_TIME_NS, kTime, ALTTCP_EVENT_PAD)
		.nest_end();
	return m.bytes();
}

// The controller's GETFAMILY reply for alttcp, groups and all.
Bytes ctrl_reply(const char *group, uint32_t id)
{
	KernelMsg m;
	m.u16(CTRL_ATTR_FAMILY_ID, 42).str(CTRL_ATTR_FAMILY_NAME, "alttcp");
	m.nest_start(CTRL_ATTR_MCAST_GROUPS);
	m.nest_start(1).u32(CTRL_ATTR_MCAST_GRP_ID, id - 1).str(CTRL_ATTR_MCAST_GRP_NAME, "other").nest_end();
	m.nest_start(2).str(CTRL_ATTR_MCAST_GRP_NAME, group).u32(CTRL_ATTR_MCAST_GRP_ID, id).nest_end();
	m.nest_end();
	return m.bytes();
}

class UtcTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		const char *tz = std::getenv("TZ");
		saved_ = tz ? std::optional<std::string>(tz) : std::nullopt;
		setenv("TZ", "UTC", 1);
		tzset();
	}
	void TearDown() override
	{
		if (saved_)
			setenv("TZ", saved_->c_str(), 1);
		else
			unsetenv("TZ");
		tzset();
	}
	std::optional<std::string> saved_;
};

Notification event(Bytes attrs, int family = 42, uint8_t cmd = ALTTCP_CMD_EVENT)
{
	return Notification{family, cmd, std::move(attrs)};
}

const char kClose[] =
	"[2026-11-21T14:03:05.123456] ESTAB -> FIN-WAIT-1 10.0.1.1:40000 10.0.1.2:80 reason app_close";
const char kCloseJson[] =
	"{\"time_ns\":1795269785123456789,\"old_state\":\"ESTABLISHED\",\"new_state\":\"FIN_WAIT1\","
	"\"reason\":\"app_close\",\"local_addr\":\"10.0.1.1\",\"local_port\":40000,"
	"\"peer_addr\":\"10.0.1.2\",\"peer_port\":80}\n";

}  // namespace

TEST(EventDecode, EveryField)
{
	for (bool pad : {true, false}) {
		Event e = decode_event(event_msg(ALTTCP_STATE_ESTABLISHED, ALTTCP_STATE_FIN_WAIT1, 3, pad));
		EXPECT_EQ(e.old_state, ALTTCP_STATE_ESTABLISHED);
		EXPECT_EQ(e.new_state, ALTTCP_STATE_FIN_WAIT1);
		EXPECT_EQ(e.reason, 3);
		EXPECT_EQ(e.lport, 40000);
		EXPECT_EQ(e.rport, 80);
		EXPECT_EQ(e.time_ns, kTime);
		const uint8_t l[4] = {10, 0, 1, 1};
		EXPECT_EQ(std::memcmp(&e.laddr, l, 4), 0);
	}
	EXPECT_NE(event_msg(1, 4, 3, true).size(), event_msg(1, 4, 3, false).size());
}

TEST(EventDecode, MalformedThrows)
{
	KernelMsg m;
	m.nest_start(ALTTCP_A_EVENT).u8(ALTTCP_EVENT_NEW_STATE, 1).nest_end();
	EXPECT_THROW(decode_event(m.bytes()), Error);
	KernelMsg s;
	s.nest_start(ALTTCP_A_EVENT).u8(ALTTCP_EVENT_OLD_STATE, 1).u8(ALTTCP_EVENT_NEW_STATE, 2)
		.u8(ALTTCP_EVENT_REASON, 1).nest_end();
	EXPECT_THROW(decode_event(s.bytes()), Error);
	EXPECT_THROW(decode_event({}), Error);
}

TEST(EventReasons, NamedByTheCoresTable)
{
	EXPECT_EQ(reason_name(0), "none");
	EXPECT_EQ(reason_name(3), "app_close");
	EXPECT_EQ(reason_name(24), "rst_received");
	EXPECT_EQ(reason_name(31), "data_after_close");
	EXPECT_EQ(reason_name(32), "admin_kill");
	EXPECT_EQ(reason_name(__ALTTCP_REASON_MAX), "reason#" + std::to_string(__ALTTCP_REASON_MAX));
	EXPECT_EQ(reason_name(65535), "reason#65535");
}

TEST_F(UtcTest, TextLine)
{
	Event e = decode_event(event_msg(ALTTCP_STATE_ESTABLISHED, ALTTCP_STATE_FIN_WAIT1, 3));
	EXPECT_EQ(format_event(e), kClose);
	e.old_state = 0;
	e.new_state = ALTTCP_STATE_LISTEN;
	e.reason = 99;
	e.time_ns.reset();
	e.rport = 0;
	EXPECT_EQ(format_event(e),
		  "[?] state#0 -> LISTEN 10.0.1.1:40000 10.0.1.2:* reason reason#99");
}

TEST(EventJson, OneCompactObjectPerLine)
{
	Event e = decode_event(event_msg(ALTTCP_STATE_ESTABLISHED, ALTTCP_STATE_FIN_WAIT1, 3));
	std::ostringstream o;
	write_event(*make_json_writer(o, false), e);
	EXPECT_EQ(o.str(), kCloseJson);
	EXPECT_EQ(JsonParser::parse(o.str()).at("reason").str, "app_close");
}

TEST(CtrlCodec, FindsTheGroupByName)
{
	EXPECT_EQ(find_mcast_group(ctrl_reply("events", 7), "events"), 7u);
	EXPECT_EQ(find_mcast_group(ctrl_reply("events", 7), "other"), 6u);
	EXPECT_EQ(find_mcast_group(ctrl_reply("events", 7), "nope"), std::nullopt);
	EXPECT_EQ(find_mcast_group(KernelMsg().u16(CTRL_ATTR_FAMILY_ID, 42).bytes(), "events"),
		  std::nullopt);
	std::vector<RawAttr> req = raw_attrs(encode_getfamily("alttcp"));
	ASSERT_EQ(req.size(), 1u);
	EXPECT_EQ(req[0].type, CTRL_ATTR_FAMILY_NAME);
	EXPECT_EQ(std::string(req[0].payload.begin(), req[0].payload.end()),
		  std::string("alttcp\0", 7));
}

TEST_F(UtcTest, MonitorPrintsEachEventUntilStopped)
{
	FakeKernel k;
	k.replies = {ctrl_reply("events", 9)};
	Notifications first;
	first.messages = {event(event_msg(ALTTCP_STATE_ESTABLISHED, ALTTCP_STATE_FIN_WAIT1, 3)),
			  event(event_msg(1, 4, 3), 43),                      // another family
			  event(event_msg(1, 4, 3), 42, ALTTCP_CMD_GET_CONN),  // not an event
			  event(event_msg(ALTTCP_STATE_FIN_WAIT1, ALTTCP_STATE_FIN_WAIT2, 11))};
	Notifications lost;
	lost.overrun = true;
	Notifications broken;
	broken.messages = {event(KernelMsg().u32(ALTTCP_A_COUNT, 1).bytes()),
			   event(event_msg(ALTTCP_STATE_FIN_WAIT2, ALTTCP_STATE_TIME_WAIT, 10))};
	k.notifications = {first, lost, broken};

	Result r = run_with(k, {"monitor"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, std::string(kClose) + "\n" +
				 "[2026-11-21T14:03:05.123456] FIN-WAIT-1 -> FIN-WAIT-2 10.0.1.1:40000 "
				 "10.0.1.2:80 reason ack_of_fin\n"
				 "[2026-11-21T14:03:05.123456] FIN-WAIT-2 -> TIME-WAIT 10.0.1.1:40000 "
				 "10.0.1.2:80 reason fin_received\n");
	EXPECT_EQ(r.err, "Warning: events lost (ENOBUFS)\n"
			 "Warning: malformed event from kernel: no event\n");
	// The group id came from the controller, asked about alttcp.
	ASSERT_EQ(k.requests.size(), 1u);
	EXPECT_EQ(k.requests[0].family, GENL_ID_CTRL);
	EXPECT_EQ(k.requests[0].cmd, CTRL_CMD_GETFAMILY);
	EXPECT_EQ(k.requests[0].attrs, encode_getfamily("alttcp"));
	EXPECT_EQ(k.joined, std::vector<uint32_t>{9});
	// Four waits, the last answered by the stop; each with a real fd.
	ASSERT_EQ(k.stop_fds.size(), 4u);
	EXPECT_GE(k.stop_fds[0], 0);
}

TEST(MonitorCli, JsonLines)
{
	FakeKernel k;
	k.replies = {ctrl_reply("events", 9)};
	Notifications n;
	n.messages = {event(event_msg(ALTTCP_STATE_ESTABLISHED, ALTTCP_STATE_FIN_WAIT1, 3)),
		      event(event_msg(ALTTCP_STATE_ESTABLISHED, ALTTCP_STATE_FIN_WAIT1, 3))};
	k.notifications = {n};
	for (const char *opt : {"-j", "-p"}) {  // JSON Lines stay compact
		k.notifications = {n};
		Result r = run_with(k, {opt, "monitor"});
		EXPECT_EQ(r.rc, 0);
		EXPECT_EQ(r.out, std::string(kCloseJson) + kCloseJson);
	}
}

TEST(MonitorCli, Errors)
{
	FakeKernel k;
	k.replies = {ctrl_reply("other", 9)};
	Result r = run_with(k, {"monitor"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: the alttcp module has no \"events\" multicast group\n");
	EXPECT_TRUE(k.joined.empty());

	k.family = std::nullopt;
	r = run_with(k, {"monitor"});
	EXPECT_EQ(r.err, "Error: alttcp module not loaded\n");

	r = run_with(k, {"monitor", "now"});
	EXPECT_EQ(r.err, "Error: unknown monitor command \"now\"\nTry \"alttcpctl monitor help\".\n");

	r = run_with(k, {"monitor", "help"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_NE(r.out.find("JSON object per line"), std::string::npos);
}

TEST(MonitorCli, SigintEndsTheWaitAndTheProcessSurvives)
{
	// A real SIGINT, raised while the fake "waits": it must land in the
	// signalfd, end the loop with status 0 and not kill the test.
	FakeKernel k;
	k.replies = {ctrl_reply("events", 9)};
	Notifications n;
	n.messages = {event(event_msg(1, 4, 3))};
	k.notifications = {n};
	struct Raiser : FakeTransport {
		using FakeTransport::FakeTransport;
		Notifications wait_notifications(int fd) override
		{
			raise(SIGINT);
			pollfd p{fd, POLLIN, 0};
			EXPECT_EQ(poll(&p, 1, 1000), 1);  // readable: the signal is there
			return FakeTransport::wait_notifications(fd);
		}
	};
	std::ostringstream out, err;
	Connector c = [&k](const Options &) -> std::unique_ptr<Transport> {
		return std::make_unique<Raiser>(k);
	};
	EXPECT_EQ(run({"monitor"}, Io{out, err, false, c}), 0);
	EXPECT_EQ(err.str(), "");
}
