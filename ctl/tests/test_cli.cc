#include <cerrno>
#include <cstring>
#include <sstream>

#include <gtest/gtest.h>

#include "cli.h"
#include "config_codec.h"
#include "error.h"
#include "extack.h"
#include "fake_transport.h"
#include "run_cli.h"
#include "json_check.h"
#include "kernel_reply.h"

using namespace alttcpctl;
using namespace alttcpctl::test;

namespace {

FakeKernel kernel_with_sample()
{
	FakeKernel k;
	k.replies = {kernel_reply(sample_config())};
	return k;
}

}  // namespace

TEST(Cli, ConfigShowText)
{
	FakeKernel k = kernel_with_sample();
	Result r = run_with(k, {"config", "show"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.err, "");
	EXPECT_EQ(r.out, kSampleText);
	ASSERT_EQ(k.requests.size(), 1u);
	EXPECT_EQ(k.resolved, std::vector<std::string>{"alttcp"});
	EXPECT_EQ(k.requests[0].family, 42);
	EXPECT_EQ(k.requests[0].version, ALTTCP_GENL_VERSION);
	EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_GET_CONFIG);
	EXPECT_TRUE(k.requests[0].attrs.empty());
}

TEST(Cli, ConfigAloneAndPrefixesMeanShow)
{
	for (auto args : std::vector<std::vector<std::string>>{
		     {"config"}, {"conf", "sh"}, {"confi"}, {"config", "sho"}}) {
		FakeKernel k = kernel_with_sample();
		Result r = run_with(k, args);
		EXPECT_EQ(r.rc, 0) << args[0];
		EXPECT_EQ(r.out, kSampleText) << args[0];
	}
}

TEST(Cli, ConfigShowJsonAndPretty)
{
	FakeKernel k = kernel_with_sample();
	EXPECT_EQ(run_with(k, {"-j", "config", "show"}).out, kSampleJson);
	Result r = run_with(k, {"-p", "config"});
	EXPECT_EQ(r.rc, 0);
	Json j = JsonParser::parse(r.out);
	EXPECT_EQ(j.at("rto_max_ms").num, 120000);
	EXPECT_NE(r.out.find("\n    \"syn_retries\": 6,\n"), std::string::npos);
	EXPECT_NE(r.out.find("\n    \"rmem\": [4096, 131072, 6291456]\n}\n"), std::string::npos);
}

TEST(Cli, ConfigShowRmemAsTheSysctlDoes)
{
	Config c = sample_config();
	c.rmem = BufSizes{8192, 262144, 16777216};
	FakeKernel k;
	k.replies = {kernel_reply(c)};
	Result r = run_with(k, {"config"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.err, "");
	// The last line, tab-separated as /proc/sys/net/alttcp/rmem prints it.
	const std::string last = "\nrmem 8192\t262144\t16777216\n";
	ASSERT_GE(r.out.size(), last.size());
	EXPECT_EQ(r.out.substr(r.out.size() - last.size()), last);

	k.replies = {kernel_reply(c)};
	r = run_with(k, {"-j", "config", "show"});
	EXPECT_EQ(r.rc, 0);
	const std::string tail = ",\"local_port_range\":[32768,60999],\"rmem\":[8192,262144,16777216]}\n";
	ASSERT_GE(r.out.size(), tail.size());
	EXPECT_EQ(r.out.substr(r.out.size() - tail.size()), tail);
	EXPECT_EQ(JsonParser::parse(r.out).at("rmem").items.size(), 3u);
}

TEST(Cli, ConfigShowMalformedRmem)
{
	// A reply whose rmem nest lacks ALTTCP_BUF_MAX, as no module sends.
	NlMsgPtr m(nlmsg_alloc());
	nlattr *cfg = nla_nest_start(m.get(), ALTTCP_A_CONFIG | NLA_F_NESTED);
	nla_put_u32(m.get(), ALTTCP_CFG_SYN_RETRIES, 6);
	nlattr *buf = nla_nest_start(m.get(), ALTTCP_CFG_RMEM | NLA_F_NESTED);
	nla_put_u32(m.get(), ALTTCP_BUF_MIN, 4096);
	nla_put_u32(m.get(), ALTTCP_BUF_DEFAULT, 131072);
	nla_nest_end(m.get(), buf);
	nla_nest_end(m.get(), cfg);
	nlmsghdr *h = nlmsg_hdr(m.get());
	auto *d = static_cast<uint8_t *>(nlmsg_data(h));

	FakeKernel k;
	k.replies = {Bytes(d, d + nlmsg_datalen(h))};
	Result r = run_with(k, {"config"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err, "Error: malformed reply from kernel: bad rmem\n");
}

TEST(Cli, ModuleNotLoaded)
{
	FakeKernel k;
	k.family = std::nullopt;
	Result r = run_with(k, {"config", "show"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err, "Error: alttcp module not loaded\n");
	EXPECT_TRUE(k.requests.empty());

	r = run_with(k, {"config", "set", "sack", "0"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: alttcp module not loaded\n");
}

TEST(Cli, SetSendsOneRequestWithEveryPair)
{
	FakeKernel k;
	Result r = run_with(k, {"config", "set", "syn_retries", "3", "local_port_range", "2000:3000",
				"keepalive_time", "600"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err, "");
	ASSERT_EQ(k.requests.size(), 1u);
	EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_SET_CONFIG);
	Config sent = decode_config(k.requests[0].attrs);
	EXPECT_EQ(sent.values[find_param("syn_retries")], 3u);
	EXPECT_EQ(sent.values[find_param("keepalive_time")], 600u);
	EXPECT_EQ(sent.port_range, (PortRange{2000, 3000}));
	int present = 0;
	for (const auto &v : sent.values)
		present += v.has_value();
	EXPECT_EQ(present, 2);
}

TEST(Cli, SetRmemSendsTheTripleInOneNest)
{
	FakeKernel k;
	Result r = run_with(k, {"config", "set", "rmem", "4096 131072 6291456", "sack", "1"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err, "");
	ASSERT_EQ(k.requests.size(), 1u);
	EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_SET_CONFIG);
	Config sent = decode_config(k.requests[0].attrs);
	EXPECT_EQ(sent.rmem, (BufSizes{4096, 131072, 6291456}));
	EXPECT_EQ(sent.values[find_param("sack")], 1u);
	EXPECT_FALSE(sent.port_range.has_value());
	int present = 0;
	for (const auto &v : sent.values)
		present += v.has_value();
	EXPECT_EQ(present, 1);
}

TEST(Cli, SetRmemErrors)
{
	FakeKernel k;
	Result r = run_with(k, {"config", "set", "rmem", "4096 131072"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: invalid value \"4096 131072\" for rmem (expected MIN DEFAULT MAX)\n");
	r = run_with(k, {"config", "set", "rmem", "4096", "131072", "6291456"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: invalid value \"4096\" for rmem (expected MIN DEFAULT MAX)\n");
	r = run_with(k, {"config", "set", "rmem", "1 2 3", "rmem", "1 2 3"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: parameter rmem given more than once\nTry \"alttcpctl config help\".\n");
	EXPECT_EQ(k.connects, 0);

	// Order and bounds are the kernel's: its extack is shown as is.
	k.fail = [] {
		NetlinkError e{EINVAL, "rmem: must be 1 <= min <= default <= max <= 1073725440"};
		throw KernelError(e.error, describe(e));
	};
	r = run_with(k, {"config", "set", "rmem", "6291456 131072 4096"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: rmem: must be 1 <= min <= default <= max <= 1073725440\n");
	ASSERT_EQ(k.requests.size(), 1u);
	EXPECT_EQ(decode_config(k.requests[0].attrs).rmem, (BufSizes{6291456, 131072, 4096}));
}

TEST(Cli, SetShowsTheKernelsExtack)
{
	FakeKernel k;
	k.fail = [] {
		// What NlTransport does with the kernel's NLMSG_ERROR.
		NetlinkError e{EINVAL, "syn_retries: out of range [1, 127]"};
		throw KernelError(e.error, describe(e));
	};
	Result r = run_with(k, {"config", "set", "syn_retries", "1000"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: syn_retries: out of range [1, 127]\n");
	ASSERT_EQ(k.requests.size(), 1u);  // the bound was not checked locally
}

TEST(Cli, SetWithoutPermission)
{
	FakeKernel k;
	k.fail = [] {
		NetlinkError e{EPERM, ""};
		throw KernelError(e.error, describe(e));
	};
	Result r = run_with(k, {"config", "set", "sack", "0"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: Operation not permitted\n");
}

TEST(Cli, LocalErrorsNeverReachTheKernel)
{
	FakeKernel k;
	Result r = run_with(k, {"config", "set", "foo", "1"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: unknown parameter \"foo\"\n");
	r = run_with(k, {"config", "set", "syn_retries", "abc"});
	EXPECT_EQ(r.err, "Error: invalid value \"abc\" for syn_retries\n");
	r = run_with(k, {"config", "set", "syn_retries"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: missing value for syn_retries\nTry \"alttcpctl config help\".\n");
	EXPECT_EQ(k.connects, 0);
}

TEST(Cli, UsageErrors)
{
	FakeKernel k;
	Result r = run_with(k, {"frob"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: unknown object \"frob\"\nTry \"alttcpctl help\".\n");

	r = run_with(k, {"config", "frob"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: unknown config command \"frob\"\nTry \"alttcpctl config help\".\n");

	r = run_with(k, {"config", "s"});
	EXPECT_EQ(r.err, "Error: ambiguous config command \"s\" (show, set)\n"
			 "Try \"alttcpctl config help\".\n");

	r = run_with(k, {"c"});  // config or conn
	EXPECT_EQ(r.err, "Error: ambiguous object \"c\" (config, conn)\n"
			 "Try \"alttcpctl help\".\n");

	r = run_with(k, {"config", "show", "extra"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: unexpected argument \"extra\"\nTry \"alttcpctl config help\".\n");

	r = run_with(k, {});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: no object given\nTry \"alttcpctl help\".\n");

	r = run_with(k, {"-q"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: unknown option \"-q\"\nTry \"alttcpctl help\".\n");
	EXPECT_EQ(k.connects, 0);
}

TEST(Cli, Help)
{
	FakeKernel k;
	for (auto args : std::vector<std::vector<std::string>>{{"help"}, {"-h"}, {"--help"}, {"-j", "help"}}) {
		Result r = run_with(k, args);
		EXPECT_EQ(r.rc, 0);
		EXPECT_EQ(r.err, "");
		EXPECT_EQ(r.out.rfind("Usage: alttcpctl [OPTIONS] OBJECT", 0), 0u) << args[0];
		EXPECT_NE(r.out.find("config set NAME VALUE"), std::string::npos);
		EXPECT_NE(r.out.find("--netns NAME"), std::string::npos);
		for (const char *o : {"  conn [show] [FILTER]", "  conn kill FILTER", "  monitor ",
				      "  listener set PORT", "  stats ", "-e, --extended", "-i, --info"})
			EXPECT_NE(r.out.find(o), std::string::npos) << o;
	}
	Result r = run_with(k, {"config", "help"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_NE(r.out.find("  syn_retries\n"), std::string::npos);
	EXPECT_NE(r.out.find("  rto_initial_ms\n"), std::string::npos);
	EXPECT_NE(r.out.find("local_port_range"), std::string::npos);
	EXPECT_NE(r.out.find("\n  rmem                VALUE is \"MIN DEFAULT MAX\", in bytes\n"),
		  std::string::npos);
	EXPECT_EQ(k.connects, 0);  // help needs no module; -V asks it (test_version.cc)
}

TEST(Cli, KernelReplyOfWrongShape)
{
	FakeKernel k;  // acks GET_CONFIG with no reply message
	Result r = run_with(k, {"config"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err.rfind("Error: unexpected reply from kernel", 0), 0u);
}
