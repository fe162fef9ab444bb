#include "cli.h"

#include "error.h"
#include "version_cmd.h"

namespace alttcpctl {

void usage(std::ostream &out)
{
	out << "Usage: alttcpctl [OPTIONS] OBJECT [COMMAND [ARGS...]]\n"
	       "       alttcpctl [OPTIONS] OBJECT help\n"
	       "       alttcpctl { help | -h | --help | -V | --version }\n"
	       "\n"
	       "Objects and commands (any unique prefix will do, e.g. \"conf sh\"):\n";
	for (const Object *o : objects())
		o->usage(out);
	out << "\n"
	       "Options:\n"
	       "  -j, --json           print JSON\n"
	       "  -p, --pretty         print indented JSON (implies --json)\n"
	       "  -e, --extended       conn show: also uid, inode and age (as ss -e)\n"
	       "  -i, --info           conn show: also RTT, cwnd, counters... (as ss -i)\n"
	       "  -n, --netns NAME     act in the network namespace /run/netns/NAME\n"
	       "  -h, --help           print this help\n"
	       "  -V, --version        print the versions of alttcpctl and the loaded module\n";
}

namespace {

void dispatch(const Args &rest, Context &ctx)
{
	std::vector<std::string> names;
	for (const Object *o : objects())
		names.push_back(o->name);
	names.push_back("help");
	std::size_t i = match_prefix(rest[0], names, "object");
	if (i == objects().size()) {
		usage(ctx.out);
		return;
	}
	run_object(*objects()[i], ctx, Args(rest.begin() + 1, rest.end()));
}

}  // namespace

int run(const std::vector<std::string> &args, Io io)
{
	try {
		ParsedCommandLine cl = parse_options(args);
		if (cl.opts.help) {
			usage(io.out);
			return 0;
		}
		Context ctx{cl.opts, io.out, io.colour, io.connect, io.err};
		if (cl.opts.version)
			show_version(ctx);
		else if (cl.rest.empty())
			throw UsageError("no object given");
		else
			dispatch(cl.rest, ctx);
		io.out.flush();
		return 0;
	} catch (const UsageError &e) {
		io.err << "Error: " << e.what() << '\n'
		       << "Try \"alttcpctl " << (e.object().empty() ? "" : e.object() + " ")
		       << "help\".\n";
	} catch (const Error &e) {
		io.err << "Error: " << e.what() << '\n';
	} catch (const std::exception &e) {
		// bad_alloc and friends: still one line, still exit 1.
		io.err << "Error: " << e.what() << '\n';
	}
	return 1;
}

}  // namespace alttcpctl
