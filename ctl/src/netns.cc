#include "netns.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "error.h"

namespace alttcpctl {

void enter_netns(const std::string &name)
{
	// `ip netns` names are single path components; refusing others keeps
	// "-n ../../proc/1/ns/net" from meaning something unexpected.
	if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
		throw Error("invalid network namespace name \"" + name + "\"");
	std::string path = "/run/netns/" + name;
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		throw Error("cannot open network namespace \"" + name + "\": " + std::strerror(errno));
	int rc = setns(fd, CLONE_NEWNET);
	int saved = errno;
	close(fd);
	if (rc < 0)
		throw Error("cannot enter network namespace \"" + name + "\": " + std::strerror(saved));
}

}  // namespace alttcpctl
