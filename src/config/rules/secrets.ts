import { isSensitiveOption } from "../../model/backends.js";
import { messages } from "../messages.js";
import { pointerOf } from "../pointer.js";
import { fields, type Path } from "../unchecked.js";
import type { Rule } from "./rule.js";

/**
 * A secret written out in the file (rather than through ${VAR}, ${file:…} or ${credential:…}) is
 * in every copy and commit of it: warned, wherever a secret goes.
 */
export const secretsNotWrittenOut: Rule = (input, report) => {
  const warnIfLiteral = (path: Path, label: string, value: unknown) => {
    if (typeof value === "string" && value !== "" && !input.referenced.has(pointerOf(path))) report.warn(messages.literalSecret(label), path);
  };
  const { config, backends } = input;
  for (const [name, channel] of Object.entries(config.notifications)) {
    for (const key of ["password", "token"] as const) warnIfLiteral(["notifications", name, key], key, channel[key]);
  }
  warnIfLiteral(["settings", "web", "token"], "settings.web.token", config.settings.web.token);
  warnIfLiteral(["settings", "fleet", "key"], "settings.fleet.key", config.settings.fleet?.key);
  for (const [name, credential] of Object.entries(config.credentials)) {
    if (!backends.find(credential.type)) continue;
    for (const [option, value] of Object.entries(credential.options)) {
      if (isSensitiveOption(credential.type, option, value, backends)) warnIfLiteral(["credentials", name, option], option, value);
    }
  }
  const tasks = fields(input.written.tasks);
  for (const name of Object.keys(config.tasks)) {
    const task = fields(tasks[name]);
    // The task's own encryption, and each destination's.
    const places: [Path, Record<string, unknown>][] = [[["tasks", name], task], ...Object.entries(fields(task.destinations)).map(([d, written]): [Path, Record<string, unknown>] => [["tasks", name, "destinations", d], fields(written)])];
    for (const [at, written] of places) {
      const encryption = fields(written.encryption);
      warnIfLiteral([...at, "encryption", "password"], "encryption.password", encryption.password);
      warnIfLiteral([...at, "encryption", "salt"], "encryption.salt", encryption.salt);
    }
  }
};
