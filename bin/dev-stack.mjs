// `npm start` / `npm stop`: the demo stack. Starts the Graph emulator on the demo mailbox and the webpack dev server
// (plain http, no certificates), prints the URL to open, and stops both on Ctrl-C or `npm stop`.
//   node bin/dev-stack.mjs start   env: EMULATOR_PORT (4300), PORT (3000), REKINDLE_DEMO_MAILBOX (demo file)
//   node bin/dev-stack.mjs stop
//   node bin/dev-stack.mjs sideload   (npm run sideload: https dev server + office-addin-debugging, desktop Outlook)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stateFile = join(root, "node_modules", ".cache", "rekindle-dev-stack.json");
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 4300);
const webPort = Number(process.env.PORT ?? 3000);
const mailbox = process.env.REKINDLE_DEMO_MAILBOX ?? "test/fixtures/demo-mailbox.json";
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";
// Node refuses to spawn .cmd files without a shell on Windows.
const shell = process.platform === "win32";

// office-addin-debugging is fetched on demand, not installed with the project: it pulls in native modules (keytar)
// that only build on desktop machines with a keychain, and it is only needed to sideload into desktop Outlook.
const officeAddinDebugging = "office-addin-debugging@7";

const portOpen = (port) =>
  new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

async function waitForPort(port, name, child, timeoutMs) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited (code ${child.exitCode}); see its output above`);
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} did not listen on port ${port} within ${Math.round(timeoutMs / 1000)} s`);
}

// webpack-dev-middleware holds requests until the bundle is built, so the page answering means the first compile is
// done; a moment later webpack has printed its stats, and the banner can be the last thing on screen.
async function waitForFirstCompile(port, timeoutMs) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/taskpane.html`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.ok) {
        await new Promise((r) => setTimeout(r, 500));
        return;
      }
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `The webpack dev server did not finish its first build within ${Math.round(timeoutMs / 1000)} s`,
  );
}

function killTree(pid) {
  if (!pid) return;
  try {
    if (process.platform === "win32") spawnSync("taskkill", ["/pid", String(pid), "/T", "/F"]);
    else process.kill(-pid, "SIGTERM"); // the child leads its own process group
  } catch {
    // already gone
  }
}

async function start() {
  for (const [port, what] of [
    [emulatorPort, "the emulator"],
    [webPort, "the dev server"],
  ]) {
    if (await portOpen(port))
      throw new Error(`port ${port} for ${what} is in use; run \`npm stop\` or set the port`);
  }
  const detached = process.platform !== "win32";
  const emulator = spawn(
    npm,
    ["run", "-s", "emulator", "--", "--mailbox", mailbox, "--port", String(emulatorPort)],
    { cwd: root, stdio: "inherit", detached, shell },
  );
  const web = spawn(npx, ["webpack", "serve", "--mode", "development"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    detached,
    shell,
    env: {
      ...process.env,
      PORT: String(webPort),
      REKINDLE_EMULATOR_URL: `http://127.0.0.1:${emulatorPort}/v1.0`,
    },
  });
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, JSON.stringify({ emulator: emulator.pid, web: web.pid }));
  const stopAll = () => {
    killTree(emulator.pid);
    killTree(web.pid);
    rmSync(stateFile, { force: true });
  };
  process.on("SIGINT", () => (stopAll(), process.exit(0)));
  process.on("SIGTERM", () => (stopAll(), process.exit(0)));
  try {
    await waitForPort(emulatorPort, "The Graph emulator", emulator, 120_000);
    await waitForPort(webPort, "The webpack dev server", web, 300_000);
    await waitForFirstCompile(webPort, 300_000);
  } catch (error) {
    stopAll();
    throw error;
  }
  console.log(
    `\nRekindle demo is running.\n  Open  http://localhost:${webPort}/taskpane.html  in a browser.\n` +
      `  Graph emulator: http://127.0.0.1:${emulatorPort}/v1.0 (demo mailbox ${mailbox})\n` +
      `  Stop with Ctrl-C or \`npm stop\`.\n`,
  );
  const exited = (name) => () => {
    if (!existsSync(stateFile)) process.exit(0); // `npm stop` already stopped both
    console.error(`${name} stopped; stopping the demo.`);
    stopAll();
    process.exit(1);
  };
  emulator.once("exit", exited("The Graph emulator"));
  web.once("exit", exited("The webpack dev server"));
}

function stop() {
  let stopped = false;
  if (existsSync(stateFile)) {
    const { emulator, web } = JSON.parse(readFileSync(stateFile, "utf8"));
    killTree(emulator);
    killTree(web);
    rmSync(stateFile, { force: true });
    stopped = true;
    console.log("Stopped the Graph emulator and the dev server.");
  }
  // A sideloaded add-in (npm run sideload) is stopped by office-addin-debugging.
  const sideload = join(root, "node_modules", ".cache", "rekindle-sideload");
  if (existsSync(sideload)) {
    spawnSync(npx, ["--yes", officeAddinDebugging, "stop", "manifest.xml"], {
      cwd: root,
      stdio: "inherit",
      shell,
    });
    rmSync(sideload, { force: true });
    stopped = true;
  }
  if (!stopped) console.log("Nothing to stop.");
}

const command = process.argv[2];
if (command === "start") {
  start().catch((error) => {
    console.error(`npm start: ${error.message}`);
    process.exit(1);
  });
} else if (command === "stop") {
  stop();
} else if (command === "sideload") {
  // Desktop Outlook: https dev server (office-addin-dev-certs installs a trusted localhost certificate) + sideload.
  const marker = join(root, "node_modules", ".cache", "rekindle-sideload");
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, "manifest.xml");
  const result = spawnSync(
    npx,
    [
      "--yes",
      officeAddinDebugging,
      "start",
      "manifest.xml",
      "desktop",
      "--app",
      "outlook",
      "--dev-server",
      shell ? '"npm run dev-server"' : "npm run dev-server",
      "--dev-server-port",
      String(webPort),
    ],
    { cwd: root, stdio: "inherit", shell },
  );
  process.exit(result.status ?? 1);
} else {
  console.error("usage: node bin/dev-stack.mjs start|stop|sideload");
  process.exit(2);
}
