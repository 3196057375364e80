import { vi } from 'vitest';

interface Entry {
  target: EventTarget;
  type: string;
  listener: unknown;
  capture: boolean;
}

type Options = boolean | AddEventListenerOptions | EventListenerOptions | undefined;

const captureOf = (options: Options) =>
  typeof options === 'boolean' ? options : options?.capture === true;

const same = (a: Entry, b: Entry) =>
  a.target === b.target &&
  a.type === b.type &&
  a.listener === b.listener &&
  a.capture === b.capture;

/**
 * Keeps account of what code adds to `targets` (window, document, the Navigation object):
 * event listeners and interval timers. The browser's functions are spied on and still run;
 * nothing of ours is mocked. `open()` lists what was added and is still in place.
 */
export function listenerLedger(targets: EventTarget[]) {
  const added: Entry[] = [];
  const removed: Entry[] = [];
  const intervals = new Set<number>();
  const { addEventListener, removeEventListener } = EventTarget.prototype;
  // A bare `addEventListener(...)` in a module calls it with no `this`: that is the window.
  function add(
    this: EventTarget | undefined,
    ...args: Parameters<EventTarget['addEventListener']>
  ) {
    const target = this ?? window;
    const [type, listener, options] = args;
    addEventListener.apply(target, args);
    if (!targets.includes(target)) return;
    const entry = { target, type, listener, capture: captureOf(options) };
    added.push(entry);
    // A listener added with a signal is removed by the browser when the signal aborts.
    const signal = typeof options === 'object' ? options.signal : undefined;
    if (signal?.aborted) removed.push(entry);
    else signal?.addEventListener('abort', () => removed.push(entry));
  }
  function remove(
    this: EventTarget | undefined,
    ...args: Parameters<EventTarget['removeEventListener']>
  ) {
    const target = this ?? window;
    const [type, listener, options] = args;
    removeEventListener.apply(target, args);
    if (targets.includes(target)) {
      removed.push({ target, type, listener, capture: captureOf(options) });
    }
  }
  // Window keeps its own copies of these (it is the global object), so both are watched.
  const spies: { mockRestore(): void }[] = [
    vi.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(add),
    vi.spyOn(EventTarget.prototype, 'removeEventListener').mockImplementation(remove),
  ];
  if (Object.hasOwn(window, 'addEventListener')) {
    spies.push(
      vi.spyOn(window, 'addEventListener').mockImplementation(add),
      vi.spyOn(window, 'removeEventListener').mockImplementation(remove),
    );
  }
  const { setInterval, clearInterval } = window;
  const every = (handler: TimerHandler, timeout?: number, ...rest: unknown[]): number => {
    const id = setInterval(handler, timeout, ...rest);
    intervals.add(id);
    return id;
  };
  const stopEvery = (id?: number): void => {
    clearInterval(id);
    if (id !== undefined) intervals.delete(id);
  };
  // Node's timer types are merged into these; the browser's are numbers.
  spies.push(
    vi.spyOn(window, 'setInterval').mockImplementation(every as typeof window.setInterval),
    vi.spyOn(window, 'clearInterval').mockImplementation(stopEvery as typeof window.clearInterval),
  );
  return {
    /** Listeners added and not removed since, as `type` (and "capture"), and live timers. */
    open(): string[] {
      const left = added.filter((entry) => !removed.some((gone) => same(entry, gone)));
      return [
        ...left.map((e) => `${e.type}${e.capture ? ' (capture)' : ''}`),
        ...[...intervals].map(() => 'interval timer'),
      ];
    },
    /** The kinds of listener added, so a test knows it watched something. */
    get types(): string[] {
      return added.map((entry) => entry.type);
    },
    restore(): void {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
