// `fundtrace trace`: follow funds forward or backward from seed addresses, txs or outputs.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/commands.h"

namespace fundtrace {

CLI::App* AddTraceCommand(CLI::App& app, const GlobalOptions& g, std::function<int()>* run);

}  // namespace fundtrace
