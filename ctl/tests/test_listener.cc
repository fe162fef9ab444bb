// listener set / show: argument parsing, the SET encoding (incl. default),
// decoding GET replies built the kernel's way, and the output.
#include <sstream>

#include <gtest/gtest.h>

#include "cli.h"
#include "error.h"
#include "fake_transport.h"
#include "run_cli.h"
#include "json_check.h"
#include "kernel_msg.h"
#include "listener_cmd.h"
#include "listener_codec.h"
#include "writer.h"

using namespace alttcpctl;
using namespace alttcpctl::test;
using V = std::vector<std::string>;

namespace {

std::size_t knob(const char *name)
{
	for (std::size_t i = 0; i < kNumListenerKnobs; i++)
		if (std::string(kListenerKnobs[i].name) == name)
			return i;
	ADD_FAILURE() << name;
	return 0;
}

std::string error_of(const V &args)
{
	try {
		parse_listener_set_args(args);
	} catch (const Error &e) {
		return e.what();
	}
	return "(no throw)";
}

// As the module's put_rule(): addr (always), port, then what is set.
Bytes kernel_rules()
{
	KernelMsg m;
	m.nest_start(ALTTCP_A_LISTENER)
		.be32(ALTTCP_LISTENER_ADDR, "0.0.0.0")
		.u16(ALTTCP_LISTENER_PORT, 8080)
		.u32(ALTTCP_LISTENER_SYNACK_RETRIES, 1)
		.u32(ALTTCP_LISTENER_TW_TIMEOUT, 5)
		.nest_end();
	m.nest_start(ALTTCP_A_LISTENER)
		.be32(ALTTCP_LISTENER_ADDR, "10.0.0.1")
		.u16(ALTTCP_LISTENER_PORT, 443)
		.u32(ALTTCP_LISTENER_KEEPALIVE_TIME, 600)
		.u32(ALTTCP_LISTENER_KEEPALIVE_PROBES, 3)
		.nest_end();
	return m.bytes();
}

const char kText[] =
	"port 8080 addr * synack_retries 1 tw_timeout 5\n"
	"port 443 addr 10.0.0.1 keepalive_time 600 keepalive_probes 3\n";
const char kJson[] =
	"[{\"port\":8080,\"addr\":\"0.0.0.0\",\"synack_retries\":1,\"tw_timeout\":5},"
	"{\"port\":443,\"addr\":\"10.0.0.1\",\"keepalive_time\":600,\"keepalive_probes\":3}]\n";

}  // namespace

TEST(ListenerArgs, PortAddrAndValues)
{
	ListenerRule r = parse_listener_set_args(
		{"8080", "addr", "10.0.0.1", "synack_retries", "1", "tw_timeout", "default"});
	EXPECT_EQ(r.port, 8080);
	ASSERT_TRUE(r.addr);
	const uint8_t a[4] = {10, 0, 0, 1};
	EXPECT_EQ(std::memcmp(&*r.addr, a, 4), 0);
	EXPECT_EQ(r.values[knob("synack_retries")], 1u);
	EXPECT_EQ(r.values[knob("tw_timeout")], ALTTCP_OVERRIDE_UNSET);
	EXPECT_EQ(r.values[knob("keepalive_time")], std::nullopt);

	r = parse_listener_set_args({"22", "keepalive_time", "600", "keepalive_intvl", "10",
				     "keepalive_probes", "3", "orphan_retries", "0"});
	EXPECT_EQ(r.addr, std::nullopt);
	EXPECT_EQ(r.values[knob("keepalive_intvl")], 10u);
	EXPECT_EQ(r.values[knob("orphan_retries")], 0u);
	EXPECT_EQ(parse_listener_set_args({"22", "addr", "*", "tw_timeout", "1"}).addr, 0u);
}

TEST(ListenerArgs, Mistakes)
{
	EXPECT_EQ(error_of({}), "listener set needs a PORT");
	EXPECT_EQ(error_of({"0", "tw_timeout", "1"}), "invalid port \"0\" (1-65535)");
	EXPECT_EQ(error_of({"http", "tw_timeout", "1"}), "invalid port \"http\" (1-65535)");
	EXPECT_EQ(error_of({"80"}), "listener set needs NAME VALUE");
	EXPECT_EQ(error_of({"80", "addr"}), "missing value after \"addr\"");
	EXPECT_EQ(error_of({"80", "addr", "1.2.3", "tw_timeout", "1"}), "invalid address \"1.2.3\"");
	EXPECT_EQ(error_of({"80", "syn_retries", "1"}), "unknown parameter \"syn_retries\"");
	EXPECT_EQ(error_of({"80", "tw_timeout"}), "missing value for tw_timeout");
	EXPECT_EQ(error_of({"80", "tw_timeout", "-1"}), "invalid value \"-1\" for tw_timeout");
	// 0xffffffff is the wire's "unset": only "default" may say that.
	EXPECT_EQ(error_of({"80", "tw_timeout", "4294967295"}),
		  "value \"4294967295\" for tw_timeout is too large (at most 4294967294)");
}

TEST(ListenerCodec, SetEncoding)
{
	ListenerRule r = parse_listener_set_args(
		{"8080", "addr", "10.0.0.1", "keepalive_probes", "3", "synack_retries", "default"});
	std::vector<RawAttr> top = raw_attrs(encode_listener_rule(r));
	ASSERT_EQ(top.size(), 1u);
	EXPECT_EQ(top[0].type, ALTTCP_A_LISTENER);
	EXPECT_TRUE(top[0].nested);
	std::vector<RawAttr> in = raw_attrs(top[0].payload);
	ASSERT_EQ(in.size(), 4u);
	EXPECT_EQ(in[0].type, ALTTCP_LISTENER_PORT);
	EXPECT_EQ(in[0].payload, le(8080, 2));
	EXPECT_EQ(in[1].type, ALTTCP_LISTENER_ADDR);
	EXPECT_EQ(in[1].payload, ip("10.0.0.1"));
	EXPECT_EQ(in[2].type, ALTTCP_LISTENER_SYNACK_RETRIES);
	EXPECT_EQ(in[2].payload, le(0xffffffffu, 4));
	EXPECT_EQ(in[3].type, ALTTCP_LISTENER_KEEPALIVE_PROBES);
	EXPECT_EQ(in[3].payload, le(3, 4));

	// Without addr, no address attribute: the kernel takes "any".
	in = raw_attrs(raw_attrs(encode_listener_rule(parse_listener_set_args(
					 {"80", "tw_timeout", "9"})))[0].payload);
	ASSERT_EQ(in.size(), 2u);
	EXPECT_EQ(in[1].type, ALTTCP_LISTENER_TW_TIMEOUT);
}

TEST(ListenerCodec, DecodesEveryRule)
{
	std::vector<ListenerRule> rules = decode_listener_rules(kernel_rules());
	ASSERT_EQ(rules.size(), 2u);
	EXPECT_EQ(rules[0].port, 8080);
	EXPECT_EQ(rules[0].addr, 0u);
	EXPECT_EQ(rules[0].values[knob("synack_retries")], 1u);
	EXPECT_EQ(rules[0].values[knob("tw_timeout")], 5u);
	EXPECT_EQ(rules[0].values[knob("keepalive_time")], std::nullopt);
	EXPECT_EQ(rules[1].port, 443);
	EXPECT_EQ(rules[1].values[knob("keepalive_probes")], 3u);
	EXPECT_TRUE(decode_listener_rules({}).empty());

	KernelMsg no_port;
	no_port.nest_start(ALTTCP_A_LISTENER).u32(ALTTCP_LISTENER_TW_TIMEOUT, 1).nest_end();
	EXPECT_THROW(decode_listener_rules(no_port.bytes()), Error);
	Bytes cut = kernel_rules();
	cut.resize(cut.size() - 6);
	EXPECT_THROW(decode_listener_rules(cut), Error);
}

TEST(ListenerShow, TextAndJson)
{
	std::vector<ListenerRule> rules = decode_listener_rules(kernel_rules());
	std::ostringstream t, j;
	write_listener_rules(*make_line_writer(t), rules, false);
	write_listener_rules(*make_json_writer(j, false), rules, true);
	EXPECT_EQ(t.str(), kText);
	EXPECT_EQ(j.str(), kJson);
	EXPECT_EQ(JsonParser::parse(j.str()).items.size(), 2u);
}

TEST(ListenerCli, ShowAndSet)
{
	FakeKernel k;
	k.replies = {kernel_rules()};
	Result r = run_with(k, {"listener"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, kText);
	EXPECT_EQ(run_with(k, {"-j", "listener", "show"}).out, kJson);
	ASSERT_EQ(k.requests.size(), 2u);
	EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_GET_LISTENER);
	EXPECT_TRUE(k.requests[0].attrs.empty());

	FakeKernel none;
	none.replies = {Bytes{}};
	EXPECT_EQ(run_with(none, {"listener"}).out, "");
	EXPECT_EQ(run_with(none, {"-j", "listener"}).out, "[]\n");

	FakeKernel s;
	r = run_with(s, {"listener", "set", "8080", "tw_timeout", "default", "synack_retries", "2"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, "");
	ASSERT_EQ(s.requests.size(), 1u);
	EXPECT_EQ(s.requests[0].cmd, ALTTCP_CMD_SET_LISTENER);
	EXPECT_EQ(s.requests[0].attrs,
		  encode_listener_rule(parse_listener_set_args(
			  {"8080", "synack_retries", "2", "tw_timeout", "default"})));

	r = run_with(s, {"listener", "set", "8080", "bogus", "1"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: unknown parameter \"bogus\"\nTry \"alttcpctl listener help\".\n");
	EXPECT_EQ(s.requests.size(), 1u);

	r = run_with(s, {"listener", "help"});
	EXPECT_NE(r.out.find("  keepalive_probes\n"), std::string::npos);
	EXPECT_NE(r.out.find("\"default\""), std::string::npos);
}
