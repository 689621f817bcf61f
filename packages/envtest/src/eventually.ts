/**
 * Polls `probe` until it returns a value other than `undefined` or `false`, and returns it; fails
 * after `timeoutMs` with the last error the probe threw. Integration tests wait on a controller
 * that converges asynchronously, so every assertion on cluster state goes through here rather
 * than through a fixed sleep.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
