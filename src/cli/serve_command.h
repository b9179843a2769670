// `fundtrace serve` (the REST API and web UI, src/server/) and `fundtrace apikey` (create, list
// and revoke the API keys it accepts).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/commands.h"

namespace fundtrace {

// Adds `serve` and `apikey` to `app`; sets *run when one of them is the chosen command.
void AddServeCommand(CLI::App& app, GlobalOptions& g, std::function<int()>* run);

}  // namespace fundtrace
