#!/usr/bin/env node
// The command line is TypeScript compiled to dist/ (npm ci runs the build through `prepare`).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
