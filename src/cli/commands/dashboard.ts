import { dashboardLink } from "../../app/dashboard.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

/** `cloudsync dashboard`: the link to the page the service serves, logging in with it. */
export async function dashboardCommand(ctx: CliContext): Promise<number> {
  const link = await dashboardLink(ctx.workspace);
  if (ctx.json) printJson(ctx, { url: link.url, login_url: link.login, token: link.token });
  else say(ctx, link.token === "generated" ? link.login : `${link.login} (log in with settings.web.token)`);
  return 0;
}
