#!/usr/bin/env node
"use strict";
// Runs the compiled CLI (built by `npm install` through the "prepare" script, or `npm run build:cli`).
const path = require("node:path");
let cli;
try {
  cli = require(path.join(__dirname, "..", "dist", "node", "src", "cli", "main.js"));
} catch (error) {
  if (error && error.code === "MODULE_NOT_FOUND") {
    process.stderr.write(
      "rekindle: the CLI is not built yet. Run `npm install` (or `npm run build:cli`) first.\n",
    );
    process.exit(1);
  }
  throw error;
}
// `rekindle draft … | head`: the reader went away; stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error && error.code === "EPIPE") process.exit(0);
    throw error;
  });
}
cli
  .main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    now: () => Date.now(),
    locale: Intl.DateTimeFormat().resolvedOptions().locale,
  })
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(
        `rekindle: unexpected failure: ${error && error.message ? error.message : error}\n`,
      );
      process.exitCode = 1;
    },
  );
