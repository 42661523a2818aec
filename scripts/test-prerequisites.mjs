#!/usr/bin/env node
// Run before `npm test`: the programs the tests drive for real. Whatever is
// missing is installed with apt-get when that is possible without asking
// (root, or sudo without a password); otherwise this stops at once with the
// one command to run, rather than letting the suite fail a hundred ways.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** command → the Debian/Ubuntu package that provides it, and why the tests need it. */
const NEEDED = [
  ["rclone", "rclone", "the engine every run test drives"],
  ["chromium", "chromium", "the dashboard's browser tests"],
  ["promtool", "prometheus", "checks the metrics text"],
  ["mkfs.btrfs", "btrfs-progs", "snapshot tests on a loop-mounted btrfs"],
  ["openssl", "openssl", "the SMTPS test's certificate"],
  ["zsh", "zsh", "the zsh completion test"],
  ["fish", "fish", "the fish completion test"],
  ["systemd-analyze", "systemd", "checks exported units and calendars"],
  ["script", "bsdutils", "terminal tests (a pseudo-terminal)"],
  ["time", "time", "measures a process's peak memory (GNU time)"],
];

// sbin is searched too: a user's PATH often lacks it, and what is there is installed all the same.
const onPath = (command) =>
  [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/sbin"].some((dir) => {
    try {
      accessSync(join(dir || ".", command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

// Ubuntu's chromium package is a snap stub; a browser found by another name (or $CHROMIUM) will do.
const browserFound = () => (process.env.CHROMIUM && existsSync(process.env.CHROMIUM)) || ["chromium", "chromium-browser", "google-chrome"].some(onPath);
const missing = NEEDED.filter(([command]) => !(command === "chromium" ? browserFound() : onPath(command)));
if (missing.length === 0) process.exit(0);

const packages = [...new Set(missing.map(([, pkg]) => pkg))];
const install = `apt-get install -y --no-install-recommends ${packages.join(" ")}`;
const list = missing.map(([command, pkg, why]) => `  ${command} (${pkg}): ${why}`).join("\n");
const run = (argv) => spawnSync(argv[0], argv.slice(1), { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;

const hasApt = onPath("apt-get");
const asRoot = process.getuid?.() === 0;
const sudo = !asRoot && onPath("sudo") && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
if (hasApt && (asRoot || sudo)) {
  console.error(`The tests need programs this machine lacks; installing them:\n${list}`);
  const prefix = asRoot ? [] : ["sudo", "-n"];
  if (run([...prefix, "apt-get", "update", "-qq"]) && run([...prefix, ...install.split(" ")])) process.exit(0);
  console.error(`\nThe install failed. Run it yourself, then npm test again:\n  sudo ${install}`);
  process.exit(1);
}
console.error(
  hasApt
    ? `The tests need programs this machine lacks:\n${list}\n\nInstall them (this needs root), then run npm test again:\n  sudo apt-get update && sudo ${install}`
    : `The tests need programs this machine lacks:\n${list}\n\nInstall them with your system's package manager, then run npm test again.`,
);
process.exit(1);
