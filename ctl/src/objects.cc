#include "config_cmd.h"
#include "conn_cmd.h"
#include "dispatch.h"
#include "listener_cmd.h"
#include "monitor_cmd.h"
#include "run_cmd.h"
#include "stats_cmd.h"

namespace alttcpctl {

const std::vector<const Object *> &objects()
{
	static const std::vector<const Object *> all = {
		&config_object(),
		&conn_object(),
		&stats_object(),
		&monitor_object(),
		&listener_object(),
		&run_command_object(),
	};
	return all;
}

}  // namespace alttcpctl
