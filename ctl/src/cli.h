// The whole program minus the process: argv in, text out, exit status back.
// main() binds it to the real streams and the libnl transport; tests bind
// it to string streams and a fake.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "dispatch.h"

namespace alttcpctl {

struct Io {
	std::ostream &out;
	std::ostream &err;
	bool colour;
	Connector connect;
};

// args excludes argv[0].  Returns the exit status: 0, or 1 after printing
// "Error: ..." to io.err.
int run(const std::vector<std::string> &args, Io io);

void usage(std::ostream &out);

}  // namespace alttcpctl
