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
  for (const [name, credential] of Object.entries(config.credentials)) {
    if (!backends.find(credential.type)) continue;
    for (const [option, value] of Object.entries(credential.options)) {
      if (isSensitiveOption(credential.type, option, value, backends)) warnIfLiteral(["credentials", name, option], option, value);
    }
  }
  const tasks = fields(input.written.tasks);
  for (const name of Object.keys(config.tasks)) {
    const encryption = fields(fields(tasks[name]).encryption);
    warnIfLiteral(["tasks", name, "encryption", "password"], "encryption.password", encryption.password);
    warnIfLiteral(["tasks", name, "encryption", "salt"], "encryption.salt", encryption.salt);
  }
};
