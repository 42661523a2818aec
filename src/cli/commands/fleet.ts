import { fleetView } from "../../app/fleet.js";
import { fleetJson, renderFleet } from "../../views/fleet.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

/** Every host of the fleet and its tasks, read from the shared folder now. */
export async function fleetCommand(ctx: CliContext): Promise<number> {
  const view = await fleetView(ctx.workspace);
  if (ctx.json) printJson(ctx, fleetJson(view));
  else say(ctx, renderFleet(view, null));
  return 0;
}
