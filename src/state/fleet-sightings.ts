// What this host's service made of the fleet at its last read (fleet/seen.json):
// when each host's file last changed on this host's clock, and what was told.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FleetSightings } from "../model/fleet.js";
import { makePrivateDirectory } from "./durable.js";
import { replaceFile } from "./private-files.js";

export class FleetSightingsFile {
  constructor(readonly stateDir: string) {}

  get directory(): string {
    return join(this.stateDir, "fleet");
  }

  private get path(): string {
    return join(this.directory, "seen.json");
  }

  /** The sightings, or null when there are none (no service has read the fleet here, or the file is damaged). */
  read(): FleetSightings | null {
    try {
      const read = JSON.parse(readFileSync(this.path, "utf8")) as Partial<FleetSightings>;
      if (typeof read.hosts !== "object" || read.hosts === null) return null;
      return { read_at: read.read_at ?? null, hosts: read.hosts, told: { ...{ stale: [], untrusted: [], failed: {} }, ...read.told } };
    } catch {
      return null;
    }
  }

  save(sightings: FleetSightings): void {
    makePrivateDirectory(this.directory);
    replaceFile(this.path, `${JSON.stringify(sightings)}\n`, { mode: 0o600 });
  }
}
