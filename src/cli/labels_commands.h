// The `labels` command group (import, show, search, stats, export, taxonomy) and `screen`.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/commands.h"

namespace fundtrace {

// Adds `labels` and `screen` to `app`. When the command line selects one of them, parsing sets
// *run to the function that executes it (returning the exit code); otherwise *run stays empty.
// `g` is read when *run is called, so options parsed later (--data, --json) apply.
void AddLabelCommands(CLI::App& app, GlobalOptions& g, std::function<int()>* run);

}  // namespace fundtrace
