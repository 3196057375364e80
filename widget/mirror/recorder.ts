/**
 * Mirror mode's recorder, loaded only once the visitor shares the page: rrweb's recorder
 * (`@rrweb/record`, its own chunk) with our masking, its events gathered per animation frame,
 * compressed and sent in pieces, one batch at a time, in order.
 */
import { record } from '@rrweb/record';
import { MIRROR_LIMITS } from '../../protocol/limits.ts';
import type { MirrorAction } from '../../protocol/mirror.ts';
import { maskingOptions, type SiteRules } from './masking.ts';
import { pack } from './pack.ts';
import { applyAction, pointAt, type Reach } from './remote-actions.ts';

/** rrweb's event types that begin a new picture of the page (EventType.Meta, FullSnapshot). */
const META = 4;

export interface RecordedPart {
  batch: number;
  full: boolean;
  part: number;
  parts: number;
  data: Uint8Array<ArrayBuffer>;
}

export interface Recording {
  /** Sends a fresh snapshot: the server or the helper's replay has nothing to build on. */
  snapshot(): void;
  /** The helper points at the element the recording numbered `nodeId`. */
  point(nodeId: number): boolean;
  /** The helper, in control, clicks or fills in a field; false when refused. */
  apply(action: MirrorAction): boolean;
  stop(): void;
}

/**
 * Starts recording this page. `send` answers whether the server wants a fresh snapshot, or
 * undefined when the piece did not get through (then the next batch starts with a snapshot).
 * `tooLarge` is called, and recording stops, when a snapshot is more than the server takes.
 */
export function startRecording(
  rules: SiteRules,
  /** Batches are numbered from here: a reloaded page carries on the share's count. */
  firstBatch: number,
  send: (part: RecordedPart) => Promise<{ snapshot: boolean } | undefined>,
  tooLarge: () => void,
): Recording {
  let pending: unknown[] = [];
  let pendingFull = false;
  let batch = firstBatch;
  let stopped = false;
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** A piece did not get through: later batches would not fit the replay until a snapshot. */
  let lost = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  /** Batches go out one after another: a later one never overtakes an earlier one. */
  let sending: Promise<void> = Promise.resolve();

  const flush = () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = 0;
    timer = undefined;
    if (pending.length === 0 || stopped) return;
    const events = pending;
    const full = pendingFull;
    pending = [];
    pendingFull = false;
    // Changes to a picture the replay never got are worth nothing.
    if (lost && !full) return;
    lost = false;
    const number = batch++;
    sending = sending.then(() => deliver(events, full, number));
  };

  const deliver = async (events: unknown[], full: boolean, number: number) => {
    const pieces = await pack(events);
    if (stopped) return;
    if (pieces.length > MIRROR_LIMITS.maxParts) {
      stop();
      tooLarge();
      return;
    }
    let wanted = false;
    for (const [part, data] of pieces.entries()) {
      const answer = await send({ batch: number, full, part, parts: pieces.length, data });
      if (stopped) return;
      if (!answer) {
        // Offline or no answer: start afresh a little later (or at once on reconnect, when
        // the share calls snapshot()), not in a loop while the network is gone.
        lost = true;
        clearTimeout(retry);
        retry = setTimeout(takeSnapshot, 2000);
        return;
      }
      wanted ||= answer.snapshot;
    }
    if (wanted) takeSnapshot();
  };

  const schedule = () => {
    if (frame || timer) return;
    frame = requestAnimationFrame(flush);
    // A hidden tab gets no animation frames; its changes still go out.
    timer = setTimeout(flush, 100);
  };

  const masking = maskingOptions(rules);
  const stopRecording = record({
    emit(event) {
      if (stopped) return;
      if (event.type === META) {
        // A new picture of the page: what came before goes in its own batch.
        flush();
        pendingFull = true;
      }
      pending.push(event);
      schedule();
    },
    ...masking,
    inlineStylesheet: true,
    inlineImages: false,
    collectFonts: false,
    recordCanvas: false,
    recordCrossOriginIframes: false,
    // Scripts, comments and head metadata mean nothing to a replay that runs no script.
    slimDOMOptions: 'all',
    // Every keystroke shows, as in follow mode: a field's value is sent as it changes.
    sampling: { mousemove: 50, scroll: 100 },
  });

  const takeSnapshot = () => {
    clearTimeout(retry);
    if (!stopped) record.takeFullSnapshot(true);
  };

  const stop = () => {
    if (stopped) return;
    stopped = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    clearTimeout(retry);
    stopRecording?.();
  };

  const reach: Reach = {
    node: (nodeId) => (stopped ? null : record.mirror.getNode(nodeId)),
    blockSelector: masking.blockSelector,
    maskTextSelector: masking.maskTextSelector,
  };
  return {
    snapshot: takeSnapshot,
    point: (nodeId) => pointAt(reach, nodeId),
    apply: (action) => applyAction(reach, action),
    stop,
  };
}
