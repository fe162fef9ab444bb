#include "version_cmd.h"

#include "client.h"
#include "transport.h"
#include "writer.h"

namespace alttcpctl {

ModuleVersion query_module_version(Transport &t)
{
	Client c(t);
	ModuleVersion m;
	m.loaded = c.module_loaded();
	if (m.loaded)
		m.release = c.get_version();
	return m;
}

namespace {

// All that is known of a module that predates ALTTCP_CMD_GET_VERSION.
std::string older()
{
	return std::string("older than ") + kFirstVersionedModule;
}

}  // namespace

void write_versions(Writer &w, const std::string &tool, const ModuleVersion &m, bool json)
{
	w.begin_object();
	w.field_string("alttcpctl", tool);
	if (json) {
		if (m.release)
			w.field_string("module", *m.release);
		else
			w.field_null("module");
	} else if (m.release) {
		w.field_string("alttcp module", *m.release);
	} else {
		w.field_string("alttcp module:", m.loaded ? "unknown (" + older() + ")" : "not loaded");
	}
	w.end_object();
}

std::string version_warning(const std::string &tool, const ModuleVersion &m)
{
	if (!m.loaded || m.release == tool)
		return "";
	return "Warning: alttcpctl " + tool + " and the alttcp module " +
	       (m.release ? *m.release : "(" + older() + ")") +
	       " differ; install and load the same release of both\n";
}

void show_version(Context &ctx)
{
	auto t = ctx.connect(ctx.opts);
	ModuleVersion m = query_module_version(*t);
	write_versions(*output_writer(ctx), ALTTCPCTL_VERSION, m, ctx.opts.json);
	ctx.err << version_warning(ALTTCPCTL_VERSION, m);
}

}  // namespace alttcpctl
