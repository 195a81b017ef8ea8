// Time as a dependency, so tests can pin it and controllers never call Date.now() themselves.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
