export interface Hangups {
  /** Calls `fn` at every SIGHUP from now on, and at once if one came before. */
  onHangup(fn: () => void): void;
}

/**
 * A service must not die of a SIGHUP (systemctl reload) that arrives while it starts: from the
 * first moment the signal is held, and given to whoever asks for it once the service is up.
 */
export function holdHangups(isService: boolean): Hangups {
  const listeners: (() => void)[] = [];
  let early = false;
  if (isService) process.on("SIGHUP", () => (listeners.length > 0 ? listeners.forEach((fn) => fn()) : (early = true)));
  return {
    onHangup(fn) {
      listeners.push(fn);
      if (early) fn();
    },
  };
}
