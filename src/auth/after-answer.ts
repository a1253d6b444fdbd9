/**
 * Run work after the current response has been written: a macrotask, so the handler returns, the
 * server writes the answer (in the microtasks after it) and only then does this start. For work
 * whose duration would tell something to whoever waits for the answer (whether a sign-in address
 * is known). Failures go to `onError`; nothing reaches the client.
 */
export function afterAnswer(work: () => Promise<void>, onError: (err: unknown) => void): void {
  setImmediate(() => {
    work().catch(onError);
  });
}
