// Run alttcpctl's whole command line against a fake kernel and keep what
// it printed, for the tests of every command.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "fake_transport.h"

namespace alttcpctl::test {

struct Result {
	int rc;
	std::string out, err;
};

inline Result run_with(FakeKernel &k, const std::vector<std::string> &args)
{
	std::ostringstream out, err;
	int rc = run(args, Io{out, err, false, fake_connector(k)});
	return {rc, out.str(), err.str()};
}

}  // namespace alttcpctl::test
