/** A large, valid configuration: N tasks over M credentials; the first `changed` tasks get another schedule. */
export function largeConfig(tasks: number, credentials: number, changed?: number): string;
