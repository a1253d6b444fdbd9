/** Time as core sees it: tests pass a fixed clock, the server the system one. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
