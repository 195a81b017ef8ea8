#!/usr/bin/env node
// The kubectl plugin: on PATH as kubectl-aci, `kubectl aci exec POD -- COMMAND` runs this (cli/kubectl-plugin.ts).
import { kubectlPluginMain } from "../dist/cli/kubectl-plugin.js";

process.exitCode = await kubectlPluginMain(process.argv.slice(2));
