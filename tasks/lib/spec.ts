/**
 * The CLI's task specifications: plain data, loaded with the Hardhat config, so every `cnt:*` task appears in
 * `npx hardhat --help` without loading ethers or the typed bindings. Each task's handler is imported only when the
 * task runs (see `./runner.ts`).
 */
import { ArgumentType } from "hardhat/types/arguments";
import { task } from "hardhat/config";

import type { Handler } from "./runner.js";

/** One `--name <value>` option. Every option reaches the handler as text (or a flag) and is parsed there. */
export interface OptionSpec {
  /** Option name in camelCase; Hardhat exposes it as `--kebab-case`. */
  name: string;
  /** Placeholder shown in the usage line, e.g. `<tCO2e>`. Omitted for flags. */
  value?: string;
  description: string;
  required?: boolean;
  /** A boolean flag (`--no-certificate`). */
  flag?: boolean;
}

export interface TaskSpec {
  /** `cnt:<area>:<verb>`. */
  id: string;
  description: string;
  /** Who may run it, for the usage text ("REGISTRAR", "any holder"). */
  role: string;
  options: OptionSpec[];
  example?: string;
  load: () => Promise<Handler>;
}

/** `batchId` → `--batch-id`. */
export function flagName(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The usage text printed by `npx hardhat help <task>`'s sibling: on a missing or malformed argument. */
export function usage(spec: TaskSpec): string {
  const parts = spec.options.map((o) => {
    const text = o.flag ? flagName(o.name) : `${flagName(o.name)} ${o.value ?? "<value>"}`;
    return o.required ? text : `[${text}]`;
  });
  const width = Math.max(...spec.options.map((o) => flagName(o.name).length + (o.value ? o.value.length + 1 : 0)), 6);
  const lines = [
    `Usage: npx hardhat [--network <name>] ${spec.id} ${parts.join(" ")} [--from <account>]`,
    "",
    `${spec.description} (${spec.role})`,
    "",
    ...spec.options.map((o) => {
      const left = o.flag ? flagName(o.name) : `${flagName(o.name)} ${o.value ?? "<value>"}`;
      return `  ${left.padEnd(width)}  ${o.description}${o.required ? "" : " (optional)"}`;
    }),
    `  ${"--from <account>".padEnd(width)}  signer: an account index of the node, an address, or a role name recorded in the deployment (default 0)`,
  ];
  if (spec.example) lines.push("", `Example: npx hardhat ${spec.example}`);
  return lines.join("\n");
}

/** Builds the Hardhat task definitions for `specs`. The `--from` option is added to every task. */
export function buildTasks(specs: readonly TaskSpec[]) {
  return specs.map((spec) => {
    let builder = task(spec.id, spec.description) as ReturnType<typeof task>;
    for (const option of spec.options) {
      builder = option.flag
        ? builder.addFlag({ name: option.name, description: option.description })
        : builder.addOption({
            name: option.name,
            description: option.description,
            type: ArgumentType.STRING,
            defaultValue: "",
          });
    }
    builder = builder.addOption({
      name: "from",
      description: "Signer: account index, address, or a role name recorded in the deployment",
      type: ArgumentType.STRING,
      defaultValue: "",
    });
    return builder
      .setInlineAction(async (args, hre) => {
        const { runTask } = await import("./runner.js");
        await runTask(spec, args, hre);
      })
      .build();
  });
}
