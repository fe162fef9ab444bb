#include "config_cmd.h"
#include "dispatch.h"
#include "stats_cmd.h"

namespace alttcpctl {

const std::vector<const Object *> &objects()
{
	static const std::vector<const Object *> all = {
		&config_object(),
		&stats_object(),
	};
	return all;
}

}  // namespace alttcpctl
