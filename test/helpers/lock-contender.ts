// One of several processes racing for the same stale locks, round by round;
// bundled by test/state/lock.test.ts. For each round it prints the most
// holders it saw at once while it held the lock (1, or 0 when it lost).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { FileLock } from "../../src/state/lock.js";

const [dir, firstStart, roundMs, rounds] = process.argv.slice(2).map((a, i) => (i === 0 ? a : Number(a))) as [string, number, number, number];
const results: number[] = [];
for (let round = 0; round < rounds; round++) {
  const startAt = firstStart + round * roundMs;
  while (Date.now() < startAt) {
    // spin: every contender leaves the line within a millisecond of the others
  }
  let lock: FileLock | undefined;
  try {
    lock = await FileLock.acquire(join(dir, `round-${round}.lock`), { command: "race", waitMs: 0 });
  } catch {
    results.push(0);
    continue;
  }
  const holders = join(dir, `holders-${round}`);
  mkdirSync(holders, { recursive: true });
  writeFileSync(join(holders, String(process.pid)), "");
  let most = readdirSync(holders).length;
  await sleep(roundMs / 4);
  most = Math.max(most, readdirSync(holders).length);
  rmSync(join(holders, String(process.pid)));
  lock.release();
  results.push(most);
}
process.stdout.write(JSON.stringify(results));
