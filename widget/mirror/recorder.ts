/**
 * Mirror mode's recorder, loaded only once the visitor shares the page. The page itself (the
 * snapshot, taken in slices, and its changes) is written by our own code in rrweb's format;
 * rrweb's recorder (`@rrweb/record`, in this chunk) watches the rest: field values, scrolling,
 * selection, the pointer and the window's size. Its events and ours are gathered per animation
 * frame, compressed and sent in pieces, one batch at a time, in order.
 */
import { record } from '@rrweb/record';
import { MIRROR_LIMITS } from '../../protocol/limits.ts';
import type { MirrorAction } from '../../protocol/mirror.ts';
import { PageChanges } from './changes.ts';
import { maskingOptions, type SiteRules } from './masking.ts';
import { NodeIds } from './node-ids.ts';
import { pack } from './pack.ts';
import { applyAction, pointAt, type Reach } from './remote-actions.ts';
import { Serializer } from './serialize.ts';
import { writeSnapshot } from './snapshot.ts';

/** rrweb's EventType numbers: Meta begins a new picture of the page. */
const META = 4;
const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
/** rrweb's IncrementalSource for changes to the page's nodes. */
const MUTATION = 0;

interface Recorded {
  type: number;
  data: unknown;
  timestamp: number;
}

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
  let pending: Recorded[] = [];
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

  const deliver = async (events: Recorded[], full: boolean, number: number) => {
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

  const push = (event: Recorded) => {
    if (stopped) return;
    if (event.type === META) {
      // A new picture of the page: what came before goes in its own batch.
      flush();
      pendingFull = true;
    }
    pending.push(event);
    schedule();
  };

  const masking = maskingOptions(rules);
  const ids = new NodeIds();
  const serializer = new Serializer(masking, ids, (root) => changes.observe(root));
  const changes = new PageChanges(serializer, ids, masking, (change) => {
    push({ type: INCREMENTAL, data: { source: MUTATION, ...change }, timestamp: Date.now() });
  });
  /** rrweb's events while a snapshot is being written: they go out after it. */
  let held: Recorded[] | undefined;
  let snapshotting = false;

  const stopRecording = record({
    emit(event) {
      if (held) held.push(event);
      else push(event);
    },
    // The page's nodes are ours to record (see above); rrweb numbers nothing itself.
    recordDOM: false,
    recordAfter: 'DOMContentLoaded',
    ...masking,
    recordCanvas: false,
    recordCrossOriginIframes: false,
    // Every keystroke shows, as in follow mode: a field's value is sent as it changes.
    sampling: { mousemove: 50, scroll: 100 },
  });

  const snapshotNow = async () => {
    clearTimeout(retry);
    // One already being written answers every ask that comes meanwhile.
    if (stopped || snapshotting) return;
    snapshotting = true;
    held = [];
    changes.hold();
    ids.reset();
    serializer.reset();
    const meta = { href: location.href, width: window.innerWidth, height: window.innerHeight };
    const node = await writeSnapshot(serializer, () => stopped);
    snapshotting = false;
    const later = held;
    held = undefined;
    if (stopped || !node) return;
    const now = Date.now();
    push({ type: META, data: meta, timestamp: now });
    push({
      type: FULL_SNAPSHOT,
      data: { node, initialOffset: { left: window.scrollX, top: window.scrollY } },
      timestamp: now,
    });
    changes.release();
    for (const event of later) push({ ...event, timestamp: Date.now() });
  };
  const takeSnapshot = () => {
    void snapshotNow();
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', takeSnapshot, { once: true });
  } else {
    takeSnapshot();
  }
  changes.observe(document);

  const stop = () => {
    if (stopped) return;
    stopped = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    clearTimeout(retry);
    changes.stop();
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
