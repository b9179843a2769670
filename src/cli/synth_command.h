// `fundtrace synth`: writes a synthetic chain with laundering scenarios and ground truth
// (src/synth/generator.h, docs/synth.md).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/commands.h"
#include "synth/generator.h"

namespace fundtrace {

// Generates the chain described by `options` and prints what was written (a summary, or
// synth.json's fields plus timings with --json). Progress goes to stderr when g.progress and
// stderr is a terminal or FUNDTRACE_PROGRESS=1. Returns an exit code (kExit*).
int RunSynth(const GlobalOptions& g, const synth::SynthOptions& options);

// Registers the `synth` subcommand on `app`. If the parsed command line selects it, *run is set
// to a function that runs it with `g` as it is at that time (so main may finish filling `g`
// after parsing). `g` and `run` must outlive the parse and the call. Returns the subcommand.
CLI::App* AddSynthCommand(CLI::App& app, const GlobalOptions& g, std::function<int()>* run);

}  // namespace fundtrace
