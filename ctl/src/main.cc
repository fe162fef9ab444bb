#include <iostream>

#include "cli.h"
#include "colour.h"
#include "netns.h"
#include "nl_transport.h"

int main(int argc, char **argv)
{
	using namespace alttcpctl;
	std::vector<std::string> args(argv + 1, argv + argc);
	Connector connect = [](const Options &opts) -> std::unique_ptr<Transport> {
		if (!opts.netns.empty())
			enter_netns(opts.netns);
		return std::make_unique<NlTransport>();
	};
	int rc = run(args, Io{std::cout, std::cerr, stdout_wants_colour(), connect});
	std::cout.flush();
	// A full disk or closed pipe must not pass for success.
	if (!std::cout) {
		std::cerr << "Error: cannot write output\n";
		return 1;
	}
	return rc;
}
