#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <linux/alttcp.h>

#include "cli.h"
#include "error.h"
#include "extack.h"
#include "fake_transport.h"
#include "run_cli.h"
#include "json_check.h"
#include "kernel_msg.h"
#include "version_cmd.h"
#include "version_codec.h"

using namespace alttcpctl;
using namespace alttcpctl::test;

namespace {

const std::string kTool = ALTTCPCTL_VERSION;
const std::string kOther = "0.5.0";

// A GET_VERSION reply as the module builds it: nla_put_string.
Bytes version_reply(const std::string &release)
{
	return KernelMsg().str(ALTTCP_A_VERSION, release).bytes();
}

FakeKernel module_of(const std::string &release)
{
	FakeKernel k;
	k.replies = {version_reply(release)};
	return k;
}

FakeKernel module_not_loaded()
{
	FakeKernel k;
	k.family = std::nullopt;
	return k;
}

// A module from before ALTTCP_CMD_GET_VERSION: genetlink refuses the
// command it does not know.
FakeKernel module_too_old()
{
	FakeKernel k;
	k.fail = [] {
		NetlinkError e{EOPNOTSUPP, ""};
		throw KernelError(e.error, describe(e));
	};
	return k;
}

std::string what(const std::function<void()> &f)
{
	try {
		f();
	} catch (const Error &e) {
		return e.what();
	}
	return "(no throw)";
}

}  // namespace

TEST(VersionCodec, ReadsTheRelease)
{
	EXPECT_EQ(decode_version(version_reply("0.6.0")), "0.6.0");
	EXPECT_EQ(decode_version(version_reply("1.10.2~rc1-3")), "1.10.2~rc1-3");
}

TEST(VersionCodec, SkipsAttributesItDoesNotKnow)
{
	// A newer module may add attributes, before or after the version.
	Bytes b = KernelMsg()
			  .u32(ALTTCP_A_MAX + 1, 7)
			  .str(ALTTCP_A_VERSION, "0.7.0")
			  .u32(ALTTCP_A_MAX + 2, 8)
			  .bytes();
	EXPECT_EQ(decode_version(b), "0.7.0");
}

TEST(VersionCodec, MalformedRepliesThrow)
{
	EXPECT_EQ(what([] { decode_version({}); }), "malformed reply from kernel: no version");
	EXPECT_EQ(what([] { decode_version(KernelMsg().u32(ALTTCP_A_COUNT, 1).bytes()); }),
		  "malformed reply from kernel: no version");
	// Empty, and without its NUL.
	EXPECT_EQ(what([] { decode_version(version_reply("")); }),
		  "malformed reply from kernel: bad version");
	Bytes unterminated = KernelMsg().u32(ALTTCP_A_VERSION, 0x2e362e30).bytes();  // "0.6."
	EXPECT_EQ(what([&] { decode_version(unterminated); }),
		  "malformed reply from kernel: bad version");
	// An attribute running past the end of the stream.
	Bytes truncated = version_reply("0.6.0");
	truncated.resize(truncated.size() - 4);
	EXPECT_EQ(what([&] { decode_version(truncated); }).rfind("malformed reply from kernel", 0),
		  0u);
}

TEST(Version, SameReleases)
{
	for (const char *opt : {"-V", "--version", "--vers"}) {
		FakeKernel k = module_of(kTool);
		Result r = run_with(k, {opt});
		EXPECT_EQ(r.rc, 0) << opt;
		EXPECT_EQ(r.out, "alttcpctl " + kTool + "\nalttcp module " + kTool + "\n") << opt;
		EXPECT_EQ(r.err, "") << opt;
		ASSERT_EQ(k.requests.size(), 1u) << opt;
		EXPECT_EQ(k.resolved, std::vector<std::string>{"alttcp"});
		EXPECT_EQ(k.requests[0].family, 42);
		EXPECT_EQ(k.requests[0].version, ALTTCP_GENL_VERSION);
		EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_GET_VERSION);
		EXPECT_TRUE(k.requests[0].attrs.empty());
	}
}

TEST(Version, TheToolsReleaseIsTheChangelogs)
{
	// Read as the top-level Makefile reads it for the module: what is
	// between the first parentheses of the first line.
	std::ifstream f(ALTTCP_CHANGELOG);
	std::string head;
	ASSERT_TRUE(std::getline(f, head)) << ALTTCP_CHANGELOG;
	std::size_t open = head.find('('), close = head.find(')');
	ASSERT_NE(open, std::string::npos) << head;
	ASSERT_NE(close, std::string::npos) << head;
	EXPECT_EQ(kTool, head.substr(open + 1, close - open - 1));
}

TEST(Version, DifferingReleasesWarnButSucceed)
{
	ASSERT_NE(kTool, kOther);
	FakeKernel k = module_of(kOther);
	Result r = run_with(k, {"-V"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, "alttcpctl " + kTool + "\nalttcp module " + kOther + "\n");
	EXPECT_EQ(r.err, "Warning: alttcpctl " + kTool + " and the alttcp module " + kOther +
				 " differ; install and load the same release of both\n");
}

TEST(Version, ModuleNotLoaded)
{
	FakeKernel k = module_not_loaded();
	Result r = run_with(k, {"--version"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, "alttcpctl " + kTool + "\nalttcp module: not loaded\n");
	EXPECT_EQ(r.err, "");
	EXPECT_TRUE(k.requests.empty());
}

TEST(Version, OlderModuleThatCannotTell)
{
	FakeKernel k = module_too_old();
	Result r = run_with(k, {"-V"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, "alttcpctl " + kTool + "\nalttcp module: unknown (older than 0.6.0)\n");
	EXPECT_EQ(r.err, "Warning: alttcpctl " + kTool +
				 " and the alttcp module (older than 0.6.0) differ; "
				 "install and load the same release of both\n");
	ASSERT_EQ(k.requests.size(), 1u);
	EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_GET_VERSION);
}

TEST(Version, Json)
{
	FakeKernel k = module_of(kTool);
	Result r = run_with(k, {"-j", "-V"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, "{\"alttcpctl\":\"" + kTool + "\",\"module\":\"" + kTool + "\"}\n");
	EXPECT_EQ(r.err, "");

	k = module_of(kOther);
	r = run_with(k, {"-pV"});
	EXPECT_EQ(r.rc, 0);
	Json j = JsonParser::parse(r.out);
	EXPECT_EQ(j.at("alttcpctl").str, kTool);
	EXPECT_EQ(j.at("module").str, kOther);
	EXPECT_NE(r.out.find('\n'), r.out.size() - 1);  // indented, several lines
	EXPECT_NE(r.err.find("Warning: "), std::string::npos);  // stdout stays JSON
}

TEST(Version, JsonWithoutTheModulesRelease)
{
	FakeKernel k = module_not_loaded();
	Result r = run_with(k, {"--json", "--version"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, "{\"alttcpctl\":\"" + kTool + "\",\"module\":null}\n");
	EXPECT_EQ(r.err, "");

	k = module_too_old();
	r = run_with(k, {"-jV"});
	EXPECT_EQ(r.rc, 0);
	Json j = JsonParser::parse(r.out);
	EXPECT_EQ(j.at("alttcpctl").str, kTool);
	EXPECT_EQ(j.at("module").kind, Json::Null);
	EXPECT_NE(r.err.find("(older than 0.6.0) differ"), std::string::npos);
}

TEST(Version, OtherFailuresAreErrors)
{
	FakeKernel k = module_of(kTool);
	k.fail = [] {
		NetlinkError e{EPERM, ""};
		throw KernelError(e.error, describe(e));
	};
	Result r = run_with(k, {"-V"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err, "Error: Operation not permitted\n");

	k = FakeKernel{};  // acks with no reply message
	r = run_with(k, {"-V"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err.rfind("Error: unexpected reply from kernel", 0), 0u);
}

TEST(Version, WinsOverAnObject)
{
	FakeKernel k = module_of(kTool);
	Result r = run_with(k, {"-V", "config", "show"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, "alttcpctl " + kTool + "\nalttcp module " + kTool + "\n");
	ASSERT_EQ(k.requests.size(), 1u);
	EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_GET_VERSION);
}
