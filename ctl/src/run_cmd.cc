#include "run_cmd.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <unistd.h>

#include "error.h"
#include "netns.h"
#include "options.h"

namespace alttcpctl {

namespace fs = std::filesystem;

void run_usage(std::ostream &out)
{
	out << "  run [-n NAME] [--strict] [--] CMD [ARGS...]\n"
	       "                                      run CMD with its IPv4 TCP sockets on alttcp\n"
	       "  run help                            explain run\n";
}

namespace {

const std::vector<std::string> kRunLongOptions = {"netns", "strict", "help"};

std::string take_value(const Args &args, std::size_t &i, const std::string &spelling)
{
	if (i + 1 >= args.size() || args[i + 1].empty())
		throw UsageError("option " + spelling + " needs a namespace NAME", "run");
	return args[++i];
}

void parse_long(RunArgs &ra, const Args &args, std::size_t &i)
{
	auto [name, value, has_value] = match_long_option(args[i], kRunLongOptions, "run");

	if (name == "netns") {
		if (has_value && value.empty())
			throw UsageError("option --netns needs a namespace NAME", "run");
		ra.netns = has_value ? value : take_value(args, i, "--netns");
		return;
	}
	if (has_value)
		throw UsageError("option --" + name + " takes no value", "run");
	if (name == "strict")
		ra.strict = true;
	else
		ra.help = true;
}

void parse_short(RunArgs &ra, const Args &args, std::size_t &i)
{
	const std::string &word = args[i];
	if (word[1] == 'n') {
		ra.netns = word.size() > 2 ? word.substr(2) : take_value(args, i, "-n");
		return;
	}
	if (word == "-h") {
		ra.help = true;
		return;
	}
	throw UsageError("unknown option \"" + word + "\"", "run");
}

std::string self_exe()
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0)
		return "";  // no /proc: only $ALTTCP_PRELOAD_LIB can help
	return std::string(buf, static_cast<std::size_t>(n));
}

void help(Context &ctx)
{
	ctx.out << "Usage: alttcpctl [OPTIONS] run [-n NAME] [--strict] [--] CMD [ARGS...]\n"
		   "       alttcpctl run help\n"
		   "\n"
		   "Runs CMD with " << kPreloadLibName << " in LD_PRELOAD, so that every\n"
		   "socket(AF_INET, SOCK_STREAM, 0 or IPPROTO_TCP) it makes is an alttcp socket.\n"
		   "Other sockets (IPv6, UDP, UNIX, raw, ...) are left alone.  CMD's children\n"
		   "inherit LD_PRELOAD, and so the library.  Without the module such sockets\n"
		   "fall back to Linux TCP after one warning on stderr.\n"
		   "\n"
		   "  -n, --netns NAME   run in the network namespace /run/netns/NAME (as the\n"
		   "                     global -n; the two must agree if both are given)\n"
		   "  --strict           without the module, fail those socket() calls with\n"
		   "                     EPROTONOSUPPORT instead (sets ALTTCP_PRELOAD_STRICT=1)\n"
		   "  --                 end of run's options; otherwise they end at CMD\n"
		   "\n"
		   "The library is $ALTTCP_PRELOAD_LIB if set, else preload/" << kPreloadLibName
		<< "\n"
		   "beside alttcpctl (a build tree), else ../lib/alttcp/ from it (an install).\n"
		   "Statically linked and setuid programs cannot be preloaded, nor programs that\n"
		   "make system calls without the C library (Go's net package, for one).\n"
		   "\n"
		   "The exit status is CMD's, or 127 when CMD is not found, 126 when it cannot\n"
		   "be run, 1 when alttcpctl fails before that.\n";
}

void run_verb(Context &ctx, const Args &args)
{
	RunArgs ra = parse_run_args(args);
	if (ra.help) {
		help(ctx);
		return;
	}
	std::string netns = run_netns(ctx.opts.netns, ra.netns);
	// Everything that can fail is checked before anything changes.
	std::string lib = find_preload_lib(std::getenv("ALTTCP_PRELOAD_LIB"), self_exe());
	auto env = run_environment(ra, lib, std::getenv("LD_PRELOAD"));
	if (!netns.empty())
		enter_netns(netns);
	for (const auto &[name, value] : env)
		if (setenv(name.c_str(), value.c_str(), 1) != 0)
			throw Error("cannot set " + name + ": " + std::strerror(errno));

	std::vector<char *> argv;
	for (const std::string &a : ra.command)
		argv.push_back(const_cast<char *>(a.c_str()));
	argv.push_back(nullptr);
	ctx.out.flush();
	std::cout.flush();
	execvp(argv[0], argv.data());

	// Only reached on failure.  The status must be a shell's, not the 1 of
	// cli.cc's errors, so this one error is reported here.
	int err = errno;
	std::cerr << "Error: cannot run \"" << ra.command[0] << "\": " << std::strerror(err)
		  << '\n';
	std::cerr.flush();
	std::exit(exec_failure_status(err));
}

}  // namespace

RunArgs parse_run_args(const Args &args)
{
	RunArgs ra;
	if (!args.empty() && args[0] == "help") {
		ra.help = true;
		return ra;
	}
	std::size_t i = 0;
	for (; i < args.size(); i++) {
		const std::string &a = args[i];
		if (a == "--") {
			i++;
			break;
		}
		if (a.size() < 2 || a[0] != '-')
			break;
		if (a[1] == '-')
			parse_long(ra, args, i);
		else
			parse_short(ra, args, i);
	}
	ra.command.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
	if (ra.help)
		ra.command.clear();
	else if (ra.command.empty())
		throw UsageError("run needs a COMMAND to run", "run");
	return ra;
}

std::string run_netns(const std::string &global, const std::string &local)
{
	if (!global.empty() && !local.empty() && global != local)
		throw UsageError("two network namespaces given: \"" + global + "\" and \"" + local +
					 "\"",
				 "run");
	return local.empty() ? global : local;
}

std::vector<std::string> preload_lib_candidates(const char *env_lib, const std::string &exe_path)
{
	std::vector<std::string> c;
	if (env_lib && *env_lib) {
		// Absolute, so that the command's children find it too after a
		// chdir().  Not normalised: "dir/../x" through a symlink is the
		// kernel's to resolve.
		std::error_code ec;
		fs::path p = fs::absolute(env_lib, ec);
		c.push_back(ec ? std::string(env_lib) : p.string());
		return c;
	}
	if (!exe_path.empty()) {
		fs::path dir = fs::path(exe_path).parent_path();
		c.push_back((dir / "preload" / kPreloadLibName).lexically_normal().string());
		c.push_back((dir / ".." / "lib" / "alttcp" / kPreloadLibName).lexically_normal().string());
	}
	return c;
}

std::string find_preload_lib(const char *env_lib, const std::string &exe_path)
{
	std::vector<std::string> c = preload_lib_candidates(env_lib, exe_path);
	for (const std::string &path : c) {
		std::error_code ec;
		if (!fs::is_regular_file(path, ec))
			continue;
		if (path.find_first_of(" :") != std::string::npos)
			throw Error("cannot preload \"" + path +
				    "\": LD_PRELOAD cannot hold a path with a space or a colon");
		return path;
	}
	std::string msg = std::string(kPreloadLibName) + " not found";
	if (env_lib && *env_lib)
		throw Error(msg + ": ALTTCP_PRELOAD_LIB is \"" + env_lib + "\", which is not a file");
	std::string tried;
	for (const std::string &path : c)
		tried += (tried.empty() ? "" : ", ") + path;
	throw Error(msg + (tried.empty() ? "" : " (tried " + tried + ")") +
		    "; set ALTTCP_PRELOAD_LIB to its path");
}

std::string compose_ld_preload(const std::string &lib, const char *existing)
{
	if (!existing || !*existing)
		return lib;
	return lib + ":" + existing;
}

std::vector<std::pair<std::string, std::string>>
run_environment(const RunArgs &ra, const std::string &lib, const char *existing_ld_preload)
{
	std::vector<std::pair<std::string, std::string>> env;
	env.emplace_back("LD_PRELOAD", compose_ld_preload(lib, existing_ld_preload));
	if (ra.strict)
		env.emplace_back("ALTTCP_PRELOAD_STRICT", "1");
	return env;
}

int exec_failure_status(int err)
{
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

const Object &run_command_object()
{
	// Verbs are not prefix-matched here: a first word that is not exactly
	// "help" starts the user's command (see Object::takes_command), so
	// run_verb sees every argument.
	static const Object obj{
		"run",
		{},
		run_verb,
		run_usage,
		true,
	};
	return obj;
}

}  // namespace alttcpctl
