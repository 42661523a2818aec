/** A value, or why there is none: how steps and queries report an expected failure. */
export type Result<T> = { ok: true; value: T } | { ok: false; reason: string; retryable?: boolean };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (reason: string, retryable = false): Result<never> => ({ ok: false, reason, retryable });
