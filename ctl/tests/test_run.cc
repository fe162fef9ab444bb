#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <gtest/gtest.h>

#include "cli.h"
#include "error.h"
#include "run_cmd.h"
#include "transport.h"

using namespace alttcpctl;
namespace fs = std::filesystem;
using V = std::vector<std::string>;

namespace {

const std::string kLib = "libalttcp_preload.so";

// Sets (or, with nullopt, unsets) a variable for one test.
class EnvGuard {
public:
	EnvGuard(const char *name, std::optional<std::string> value) : name_(name)
	{
		if (const char *old = std::getenv(name))
			old_ = old;
		if (value)
			setenv(name, value->c_str(), 1);
		else
			unsetenv(name);
	}
	~EnvGuard()
	{
		if (old_)
			setenv(name_, old_->c_str(), 1);
		else
			unsetenv(name_);
	}

private:
	const char *name_;
	std::optional<std::string> old_;
};

// A fresh directory, removed with everything in it afterwards.
class TempDir {
public:
	TempDir()
	{
		std::string tmpl = (fs::temp_directory_path() / "test_run.XXXXXX").string();
		if (!mkdtemp(tmpl.data()))
			throw std::runtime_error("mkdtemp failed");
		path_ = tmpl;
	}
	~TempDir() { fs::remove_all(path_); }
	const fs::path &path() const { return path_; }

	// Creates the file, and the directories above it.
	std::string touch(const fs::path &rel) const
	{
		fs::path p = path_ / rel;
		fs::create_directories(p.parent_path());
		std::ofstream(p) << "not really ELF\n";
		return p.string();
	}

private:
	fs::path path_;
};

std::string error_of(const std::function<void()> &f)
{
	try {
		f();
	} catch (const Error &e) {
		return e.what();
	}
	return "(no error)";
}

struct Result {
	int rc;
	std::string out, err;
};

// Through the whole command line, as main() does.  No test may get as far
// as execvp(): each one fails earlier or only asks for help.
Result run_cli(const V &args)
{
	std::ostringstream out, err;
	Connector connect = [](const Options &) -> std::unique_ptr<Transport> {
		ADD_FAILURE() << "run must not open the netlink transport";
		throw Error("no transport in this test");
	};
	int rc = run(args, Io{out, err, false, connect});
	return {rc, out.str(), err.str()};
}

}  // namespace

// --- parse_run_args ---------------------------------------------------------

TEST(RunArgs, CommandAloneStartsAtTheFirstWord)
{
	RunArgs ra = parse_run_args({"curl", "-v", "http://x/"});
	EXPECT_FALSE(ra.help);
	EXPECT_FALSE(ra.strict);
	EXPECT_EQ(ra.netns, "");
	EXPECT_EQ(ra.command, (V{"curl", "-v", "http://x/"}));
}

TEST(RunArgs, DoubleDashEndsOptions)
{
	EXPECT_EQ(parse_run_args({"--", "ls", "-l"}).command, (V{"ls", "-l"}));
	// After "--" even option-like words and "help" are the command's.
	EXPECT_EQ(parse_run_args({"--", "--strict"}).command, V{"--strict"});
	EXPECT_EQ(parse_run_args({"--", "-n", "x"}).command, (V{"-n", "x"}));
	RunArgs ra = parse_run_args({"--", "help"});
	EXPECT_FALSE(ra.help);
	EXPECT_EQ(ra.command, V{"help"});
	// Only the first "--" is run's.
	EXPECT_EQ(parse_run_args({"--", "prog", "--", "a"}).command, (V{"prog", "--", "a"}));
}

TEST(RunArgs, OptionsAfterTheCommandAreTheCommands)
{
	RunArgs ra = parse_run_args({"--strict", "prog", "--strict", "-n", "x"});
	EXPECT_TRUE(ra.strict);
	EXPECT_EQ(ra.netns, "");
	EXPECT_EQ(ra.command, (V{"prog", "--strict", "-n", "x"}));
}

TEST(RunArgs, Strict)
{
	EXPECT_TRUE(parse_run_args({"--strict", "prog"}).strict);
	EXPECT_TRUE(parse_run_args({"--str", "--", "prog"}).strict);  // unique prefix
	EXPECT_FALSE(parse_run_args({"prog"}).strict);
}

TEST(RunArgs, NetnsForms)
{
	for (const V &args : std::vector<V>{{"-n", "blue", "prog"},
					    {"-nblue", "prog"},
					    {"--netns", "blue", "prog"},
					    {"--netns=blue", "prog"},
					    {"--net", "blue", "--", "prog"}}) {
		RunArgs ra = parse_run_args(args);
		EXPECT_EQ(ra.netns, "blue") << args[0];
		EXPECT_EQ(ra.command, V{"prog"}) << args[0];
	}
	RunArgs ra = parse_run_args({"-n", "blue", "--strict", "--", "prog", "arg"});
	EXPECT_EQ(ra.netns, "blue");
	EXPECT_TRUE(ra.strict);
	EXPECT_EQ(ra.command, (V{"prog", "arg"}));
}

TEST(RunArgs, HelpForms)
{
	for (const V &args : std::vector<V>{{"help"}, {"-h"}, {"--help"}, {"--strict", "-h", "prog"}}) {
		RunArgs ra = parse_run_args(args);
		EXPECT_TRUE(ra.help) << args[0];
		EXPECT_TRUE(ra.command.empty()) << args[0];
	}
	// "help" is a verb only as the first word.
	EXPECT_EQ(parse_run_args({"--strict", "help"}).command, V{"help"});
	// A lone "-" is a word, not an option.
	EXPECT_EQ(parse_run_args({"-"}).command, V{"-"});
}

TEST(RunArgs, MissingCommandIsAUsageError)
{
	for (const V &args : std::vector<V>{{}, {"--"}, {"--strict"}, {"-n", "blue"}, {"--strict", "--"}}) {
		try {
			parse_run_args(args);
			FAIL() << "no throw for " << args.size() << " args";
		} catch (const UsageError &e) {
			EXPECT_STREQ(e.what(), "run needs a COMMAND to run");
			EXPECT_EQ(e.object(), "run");
		}
	}
}

TEST(RunArgs, BadOptions)
{
	EXPECT_EQ(error_of([] { parse_run_args({"-x", "prog"}); }), "unknown option \"-x\"");
	EXPECT_EQ(error_of([] { parse_run_args({"--frob", "prog"}); }), "unknown option \"--frob\"");
	EXPECT_EQ(error_of([] { parse_run_args({"--strict=1", "prog"}); }),
		  "option --strict takes no value");
	EXPECT_EQ(error_of([] { parse_run_args({"-n"}); }), "option -n needs a namespace NAME");
	EXPECT_EQ(error_of([] { parse_run_args({"-n", "", "prog"}); }),
		  "option -n needs a namespace NAME");
	EXPECT_EQ(error_of([] { parse_run_args({"--netns="}); }),
		  "option --netns needs a namespace NAME");
	EXPECT_EQ(error_of([] { parse_run_args({"--netns"}); }),
		  "option --netns needs a namespace NAME");
	try {
		parse_run_args({"-q", "prog"});
	} catch (const UsageError &e) {
		EXPECT_EQ(e.object(), "run");
	}
}

TEST(RunArgs, NetnsFromGlobalOrLocal)
{
	EXPECT_EQ(run_netns("", ""), "");
	EXPECT_EQ(run_netns("blue", ""), "blue");
	EXPECT_EQ(run_netns("", "red"), "red");
	EXPECT_EQ(run_netns("blue", "blue"), "blue");
	EXPECT_EQ(error_of([] { run_netns("blue", "red"); }),
		  "two network namespaces given: \"blue\" and \"red\"");
}

// --- environment ------------------------------------------------------------

TEST(RunEnv, LdPreloadAloneOrPrepended)
{
	const std::string lib = "/usr/lib/alttcp/libalttcp_preload.so";
	EXPECT_EQ(compose_ld_preload(lib, nullptr), lib);
	EXPECT_EQ(compose_ld_preload(lib, ""), lib);
	EXPECT_EQ(compose_ld_preload(lib, "/opt/a.so"),
		  "/usr/lib/alttcp/libalttcp_preload.so:/opt/a.so");
	// The caller's value is kept as it was, separators and all.
	EXPECT_EQ(compose_ld_preload(lib, "/opt/a.so /opt/b.so:libc.so.6"),
		  "/usr/lib/alttcp/libalttcp_preload.so:/opt/a.so /opt/b.so:libc.so.6");
}

TEST(RunEnv, StrictSetsTheVariableAndOnlyThen)
{
	using Env = std::vector<std::pair<std::string, std::string>>;
	RunArgs ra = parse_run_args({"prog"});
	EXPECT_EQ(run_environment(ra, "/l.so", nullptr), (Env{{"LD_PRELOAD", "/l.so"}}));
	EXPECT_EQ(run_environment(ra, "/l.so", "/x.so"), (Env{{"LD_PRELOAD", "/l.so:/x.so"}}));
	ra = parse_run_args({"--strict", "prog"});
	EXPECT_EQ(run_environment(ra, "/l.so", "/x.so"),
		  (Env{{"LD_PRELOAD", "/l.so:/x.so"}, {"ALTTCP_PRELOAD_STRICT", "1"}}));
}

TEST(RunEnv, ExecFailureStatusIsAShells)
{
	EXPECT_EQ(exec_failure_status(ENOENT), 127);
	EXPECT_EQ(exec_failure_status(ENOTDIR), 127);
	EXPECT_EQ(exec_failure_status(EACCES), 126);
	EXPECT_EQ(exec_failure_status(ENOEXEC), 126);
}

// --- finding the library ----------------------------------------------------

TEST(PreloadLib, CandidatesBuildTreeThenInstalled)
{
	EXPECT_EQ(preload_lib_candidates(nullptr, "/usr/sbin/alttcpctl"),
		  (V{"/usr/sbin/preload/" + kLib, "/usr/lib/alttcp/" + kLib}));
	EXPECT_EQ(preload_lib_candidates("", "/src/alttcp/ctl/build/alttcpctl"),
		  (V{"/src/alttcp/ctl/build/preload/" + kLib, "/src/alttcp/ctl/lib/alttcp/" + kLib}));
	EXPECT_TRUE(preload_lib_candidates(nullptr, "").empty());
}

TEST(PreloadLib, EnvironmentIsTheOnlyCandidateWhenSet)
{
	EXPECT_EQ(preload_lib_candidates("/opt/x.so", "/usr/sbin/alttcpctl"), V{"/opt/x.so"});
	// Relative: made absolute, so that children which chdir() find it too.
	V c = preload_lib_candidates("sub/x.so", "/usr/sbin/alttcpctl");
	ASSERT_EQ(c.size(), 1u);
	EXPECT_EQ(c[0], (fs::current_path() / "sub/x.so").string());
}

TEST(PreloadLib, SearchOrderInATempDir)
{
	TempDir t;
	const std::string exe = (t.path() / "sbin/alttcpctl").string();
	const std::string build = (t.path() / "sbin/preload" / kLib).string();
	const std::string installed = (t.path() / "lib/alttcp" / kLib).string();

	// Nothing there yet.
	std::string e = error_of([&] { find_preload_lib(nullptr, exe); });
	EXPECT_EQ(e, kLib + " not found (tried " + build + ", " + installed +
			 "); set ALTTCP_PRELOAD_LIB to its path");

	// A directory of that name is not the library.
	fs::create_directories(installed);
	EXPECT_THROW(find_preload_lib(nullptr, exe), Error);
	fs::remove(installed);

	t.touch("lib/alttcp/" + kLib);
	EXPECT_EQ(find_preload_lib(nullptr, exe), installed);
	t.touch("sbin/preload/" + kLib);
	EXPECT_EQ(find_preload_lib(nullptr, exe), build);  // the build tree wins
	EXPECT_EQ(find_preload_lib("", exe), build);       // empty is unset

	const std::string mine = t.touch("elsewhere/mine.so");
	EXPECT_EQ(find_preload_lib(mine.c_str(), exe), mine);  // the variable wins

	// A variable naming nothing is an error, not a reason to look elsewhere.
	const std::string missing = (t.path() / "nope.so").string();
	EXPECT_EQ(error_of([&] { find_preload_lib(missing.c_str(), exe); }),
		  kLib + " not found: ALTTCP_PRELOAD_LIB is \"" + missing + "\", which is not a file");
}

TEST(PreloadLib, PathsLdPreloadCannotHoldAreRefused)
{
	TempDir t;
	const std::string spaced = t.touch("with space/" + kLib);
	EXPECT_EQ(error_of([&] { find_preload_lib(spaced.c_str(), "/usr/sbin/alttcpctl"); }),
		  "cannot preload \"" + spaced +
			  "\": LD_PRELOAD cannot hold a path with a space or a colon");
	const std::string coloned = t.touch("a:b/" + kLib);
	EXPECT_THROW(find_preload_lib(coloned.c_str(), "/usr/sbin/alttcpctl"), Error);
}

// --- through the command line -----------------------------------------------

TEST(RunCli, HelpVerbAndPrefixOfTheObject)
{
	for (const V &args : std::vector<V>{{"run", "help"}, {"ru", "help"}, {"run", "--help"}}) {
		Result r = run_cli(args);
		EXPECT_EQ(r.rc, 0) << args[1];
		EXPECT_EQ(r.err, "") << args[1];
		EXPECT_EQ(r.out.rfind("Usage: alttcpctl [OPTIONS] run [-n NAME] [--strict] [--] CMD [ARGS...]\n", 0), 0u)
			<< r.out;
		EXPECT_NE(r.out.find("ALTTCP_PRELOAD_LIB"), std::string::npos);
	}
}

TEST(RunCli, TopLevelHelpListsRun)
{
	Result r = run_cli({"help"});
	EXPECT_NE(r.out.find("  run [-n NAME] [--strict] [--] CMD [ARGS...]\n"), std::string::npos)
		<< r.out;
}

TEST(RunCli, MissingCommand)
{
	Result r = run_cli({"run"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err, "Error: run needs a COMMAND to run\nTry \"alttcpctl run help\".\n");
	EXPECT_EQ(run_cli({"run", "--strict", "--"}).err, r.err);
}

TEST(RunCli, UnknownOptionBeforeTheCommand)
{
	Result r = run_cli({"run", "--frob", "ls"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: unknown option \"--frob\"\nTry \"alttcpctl run help\".\n");
}

TEST(RunCli, ConflictingNamespaces)
{
	Result r = run_cli({"-n", "blue", "run", "-n", "red", "ls"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: two network namespaces given: \"blue\" and \"red\"\n"
			 "Try \"alttcpctl run help\".\n");
}

TEST(RunCli, LibraryNotFoundStopsBeforeAnythingRuns)
{
	TempDir t;
	const std::string missing = (t.path() / "nope.so").string();
	EnvGuard lib("ALTTCP_PRELOAD_LIB", missing);
	// A word that is not a verb is the command: "ls" here, and "h" too,
	// which must not be taken for a prefix of "help".
	for (const V &args : std::vector<V>{{"run", "ls"}, {"run", "h"}, {"run", "-n", "x", "--", "ls"}}) {
		Result r = run_cli(args);
		EXPECT_EQ(r.rc, 1);
		EXPECT_EQ(r.out, "");
		EXPECT_EQ(r.err, "Error: " + kLib + " not found: ALTTCP_PRELOAD_LIB is \"" + missing +
					 "\", which is not a file\n");
	}
}
