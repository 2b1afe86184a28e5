import type {
  AnyListener,
  EventHub,
  Listener,
  PolicyEvents,
  Subscription,
} from "./events.js";

/**
 * The work a policy runs. It receives an `AbortSignal` and must honour it:
 * stop and reject soon after the signal fires, or pass it on to I/O such
 * as `fetch`. A function that ignores the signal keeps running, and a
 * cooperative timeout then waits for it.
 */
export type PolicyFunction<T> = (signal: AbortSignal) => PromiseLike<T> | T;

/** A resilience policy that emits the events named by `E`. */
export interface Policy<E extends keyof PolicyEvents> {
  /** Name of the policy, carried by every event it emits. */
  readonly name: string;
  /**
   * Runs `fn` under the policy. When `signal` fires, the policy stops
   * waiting, retrying or queueing, and passes the signal on to `fn`.
   */
  execute<T>(fn: PolicyFunction<T>, signal?: AbortSignal): Promise<T>;
  /** Adds a listener for one event; returns its subscription. */
  on<K extends E>(name: K, listener: Listener<PolicyEvents[K]>): Subscription;
  /** Adds a listener for every event of this policy. */
  onAny(listener: AnyListener<Pick<PolicyEvents, E>>): Subscription;
}

/**
 * Creates the `on` and `onAny` methods of a policy over a hub that other
 * policies may share, so `onAny` only passes on the events named in
 * `names`.
 */
export function createSubscriptions<E extends keyof PolicyEvents>(
  hub: EventHub<PolicyEvents>,
  names: readonly E[],
): Pick<Policy<E>, "on" | "onAny"> {
  const own = new Set<string>(names);
  return {
    on: (name, listener) => hub.on(name, listener),
    onAny: (listener) =>
      hub.onAny((name, event) => {
        if (own.has(name)) {
          (listener as unknown as AnyListener<PolicyEvents>)(name, event);
        }
      }),
  };
}
