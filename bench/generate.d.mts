/** A large, valid configuration: N tasks over M credentials; the first `changed` tasks get another schedule; task N's path is ROOT/N. */
export function largeConfig(tasks: number, credentials: number, changed?: number, root?: string): string;
