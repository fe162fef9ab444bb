// The object-verb grammar.  Each object (config, conn, stats, monitor,
// listener, run) lives in its own file and exposes one Object; adding
// one is a new file plus a line in objects.cc.
#pragma once

#include <cstddef>
#include <functional>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "options.h"

namespace alttcpctl {

class Transport;

// Opening the transport is deferred to the verbs that need the kernel so
// that help and local validation work without the module (and so a mock can
// stand in under test).
using Connector = std::function<std::unique_ptr<Transport>(const Options &)>;

struct Context {
	const Options &opts;
	std::ostream &out;
	bool colour;  // set only when stdout is a tty and NO_COLOR is unset
	Connector connect;
	// Warnings that do not stop a command (an inconsistent dump, lost
	// events); errors are thrown instead.
	std::ostream &err = std::cerr;
};

using Args = std::vector<std::string>;
using VerbFn = void (*)(Context &, const Args &);  // throws Error on failure

struct Verb {
	// A name starting with '-' (an option-like alias such as "-z") matches
	// only when typed in full; the others also by unique prefix.
	const char *name;
	VerbFn run;
};

struct Object {
	const char *name;
	std::vector<Verb> verbs;
	VerbFn default_verb;             // run when no verb is given
	void (*usage)(std::ostream &);   // the object's section of the help
	// The default verb gets every argument, whatever the first word: `run
	// CMD ARGS...`, where CMD may be any word (verbs stays empty).
	bool takes_command = false;
	// When set and true for the first argument, that argument starts the
	// default verb's arguments rather than naming a verb, as `ss state
	// established` needs no "show" (`conn state established`).
	bool (*starts_default_args)(const std::string &word) = nullptr;
};

// Every object, in the order the help lists them.
const std::vector<const Object *> &objects();

// Index of the name that word equals, else of the only name it is a prefix
// of, as `ip` accepts "conf sh".  Throws UsageError naming `what` when there
// is none or more than one.
std::size_t match_prefix(const std::string &word, const std::vector<std::string> &names,
			 const std::string &what, const std::string &object = "");

// Runs the object's verb named by args[0] (or its default) with the rest.
void run_object(const Object &obj, Context &ctx, const Args &args);

}  // namespace alttcpctl

namespace alttcpctl {
class Writer;
// The writer -j/-p ask for, on ctx.out; text_key_width as make_text_writer's.
std::unique_ptr<Writer> output_writer(const Context &ctx, std::size_t text_key_width = 0);
}  // namespace alttcpctl
