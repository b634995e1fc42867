/**
 * `npm run node`: starts `hardhat node` where the `localhost` network of hardhat.config.ts points (the one place its
 * URL is written; `CNT_NODE_URL` moves it), so the node, the CLI, the scripts and the end-to-end run agree on one
 * address. Passes its own arguments through (`npm run node -- --fork <url>`), the node's output, and its exit
 * code. When the port is taken, says so in one sentence and exits 1.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

import config from "../hardhat.config.js";

const root = path.resolve(import.meta.dirname, "..");
const configured = config.networks?.localhost;
const url = configured?.type === "http" ? configured.url : undefined;
if (typeof url !== "string") {
  console.error("hardhat.config.ts has no localhost network with a plain URL: nothing to start a node on");
  process.exit(1);
}
const parsed = new URL(url);
// URL keeps an IPv6 host in brackets; the server wants it bare.
const hostname = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));

/** Whether something already listens on `hostname:port` (or the address cannot be used), as a sentence. */
function portProblem(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        resolve(
          `Port ${port} on ${hostname} is already in use (another node is running?): stop it, or set CNT_NODE_URL ` +
            `to another URL, e.g. CNT_NODE_URL=http://127.0.0.1:${port + 1} npm run node.`,
        );
      } else {
        resolve(
          `Cannot listen on ${hostname}:${port} (${error.code ?? error.message}): set CNT_NODE_URL to a local URL.`,
        );
      }
    });
    probe.listen({ port, host: hostname, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}

const problem = await portProblem();
if (problem !== undefined) {
  console.error(problem);
  process.exit(1);
}

const hardhatPackage = path.join(root, "node_modules", "hardhat");
const bin = (
  JSON.parse(readFileSync(path.join(hardhatPackage, "package.json"), "utf8")) as { bin: { hardhat: string } }
).bin.hardhat;
const child = spawn(
  process.execPath,
  [path.join(hardhatPackage, bin), "node", "--hostname", hostname, "--port", String(port), ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);
// Ctrl-C reaches the node too (same process group); a signal sent to this process alone is passed on.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  process.exitCode =
    code ?? (signal === null ? 1 : 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal as string] ?? 1));
});
