// `fundtrace risk` (score an address or a tx, or a batch of addresses) and `fundtrace profile`
// (MistTrack's address analysis: overview, counterparties, activity, profile).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/commands.h"

namespace fundtrace {

// Adds `risk` to `app`. When the command line selects it, parsing sets *run to the function that
// executes it (returning the exit code). `g` is read when *run is called.
void AddRiskCommands(CLI::App& app, GlobalOptions& g, std::function<int()>* run);
// Adds `profile` the same way.
void AddProfileCommand(CLI::App& app, GlobalOptions& g, std::function<int()>* run);

}  // namespace fundtrace
