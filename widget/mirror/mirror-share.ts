/**
 * The visitor's side of mirror mode, loaded when a helper first asks: the question, the
 * visitor's answer, and the recorder, which runs only on the page (tab) where the visitor
 * said "Share this page", carries on across that tab's reloads and navigations, and stops the
 * moment the share ends, whoever ends it.
 */
import type { Socket } from 'socket.io-client';
import type { VisitorClientEvents, VisitorServerEvents } from '../../protocol/events.ts';
import type { MirrorAction, MirrorStatus } from '../../protocol/mirror.ts';
import { ask } from '../chat/ask.ts';
import './mirror-prompt.ts';
import type { RecordedPart, Recording } from './recorder.ts';

type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

/**
 * Which share this tab agreed to, and the last batch it sent: kept across its reloads (the
 * replay counts on batch numbers that only go up), never seen by other tabs.
 */
const CONSENT_KEY = 'help-widget:mirror';

/**
 * Whether this browser can record the page: batches are gzip-compressed by CompressionStream
 * (Chrome 80, Firefox 113, Safari 16.4). Without it the visitor is not asked to share a page
 * that could never arrive; the helper is told why instead.
 */
export function canRecord(): boolean {
  return typeof CompressionStream === 'function';
}
const BATCH_KEY = 'help-widget:mirror-batch';

export interface MirrorHost {
  socket(): VisitorSocket | undefined;
  conversationId(): string | undefined;
  /** Whether this Esc took control back: one Esc, one step back; sharing stops on the next. */
  escapeTaken(event: KeyboardEvent): boolean;
  update(): void;
}

export class MirrorShare {
  /** The share as the server last told it; undefined until a helper first asked. */
  status: MirrorStatus | undefined;
  /** The last snapshot was more than the server takes: sharing stopped. */
  tooLarge = false;
  readonly #host: MirrorHost;
  #recording: Recording | undefined;
  /** Set while the recorder's code loads; cleared by a stop that comes meanwhile. */
  #starting: { cancelled: boolean } | undefined;
  readonly #escape = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && this.recordingHere && !this.#host.escapeTaken(event)) this.stop();
  };

  constructor(host: MirrorHost) {
    this.#host = host;
  }

  /** Whether this page is the one being shown to the helper. */
  get recordingHere(): boolean {
    return this.#recording !== undefined || this.#starting !== undefined;
  }

  setStatus(status: MirrorStatus): void {
    if (status.state === 'requested' && !canRecord()) {
      this.#cannotRecord(status);
      return;
    }
    this.status = status;
    const consented =
      status.state === 'sharing' && sessionStorage.getItem(CONSENT_KEY) === status.mirrorId;
    if (consented) this.#start(status);
    else this.#stopRecording();
    if (status.state === 'none') this.#forgetConsent();
    if (status.state === 'requested') this.tooLarge = false;
    this.#host.update();
  }

  /** "Share this page" or "Not now". */
  async answer(allow: boolean): Promise<void> {
    const conversationId = this.#host.conversationId();
    const socket = this.#host.socket();
    const mirrorId = this.status?.mirrorId;
    if (!conversationId || !socket || !mirrorId) return;
    if (allow) {
      sessionStorage.setItem(CONSENT_KEY, mirrorId);
      sessionStorage.removeItem(BATCH_KEY);
    } else this.#forget();
    const answer = await ask(socket, 'mirror:answer', { conversationId, allow });
    if (answer?.ok) this.setStatus(answer.data);
  }

  /** Answers for the visitor, without a question they could say yes to in vain. */
  #cannotRecord(status: MirrorStatus): void {
    this.status = { ...status, state: 'none' };
    this.#host.update();
    const socket = this.#host.socket();
    if (!socket) return;
    const { conversationId } = status;
    void ask(socket, 'mirror:answer', { conversationId, allow: false, unsupported: true });
  }

  /** "Stop sharing" or Esc: recording stops at once, whatever the network does. */
  stop(): void {
    this.#forget();
    const conversationId = this.#host.conversationId();
    const socket = this.#host.socket();
    if (conversationId && socket?.connected) socket.emit('mirror:stop', { conversationId });
  }

  /** The server or the helper's replay has nothing to build on. */
  snapshot(): void {
    this.#recording?.snapshot();
  }

  /** "Point" on the replay: only the shared page, only the tab shown. */
  point(nodeId: number): void {
    if (document.visibilityState === 'visible') this.#recording?.point(nodeId);
  }

  /** A click or a value from the helper in control; `granted` is the visitor's current say. */
  control(action: MirrorAction, granted: boolean): void {
    if (granted && document.visibilityState === 'visible') this.#recording?.apply(action);
  }

  /** The conversation ended on this page: nothing more is sent. */
  end(): void {
    this.#forget();
    this.status = undefined;
  }

  #forgetConsent(): void {
    sessionStorage.removeItem(CONSENT_KEY);
    sessionStorage.removeItem(BATCH_KEY);
  }

  #forget(): void {
    this.#forgetConsent();
    this.#stopRecording();
    if (this.status) this.status = { ...this.status, state: 'none' };
    this.#host.update();
  }

  #start(status: MirrorStatus): void {
    if (this.recordingHere) return;
    const starting = { cancelled: false };
    this.#starting = starting;
    addEventListener('keydown', this.#escape, true);
    void import('./recorder.ts').then(({ startRecording }) => {
      if (starting.cancelled) return;
      this.#starting = undefined;
      const sent = Number(sessionStorage.getItem(BATCH_KEY) ?? -1);
      this.#recording = startRecording(
        status,
        Number.isSafeInteger(sent) ? sent + 1 : 0,
        (part) => this.#send(status.mirrorId ?? '', part),
        () => {
          this.tooLarge = true;
          this.stop();
        },
      );
      this.#host.update();
    });
  }

  async #send(mirrorId: string, part: RecordedPart) {
    const conversationId = this.#host.conversationId();
    const socket = this.#host.socket();
    if (!conversationId || !socket?.connected) return undefined;
    sessionStorage.setItem(BATCH_KEY, String(part.batch));
    const answer = await ask(socket, 'mirror:data', { conversationId, mirrorId, ...part });
    return answer?.ok ? answer.data : undefined;
  }

  #stopRecording(): void {
    if (this.#starting) this.#starting.cancelled = true;
    this.#starting = undefined;
    this.#recording?.stop();
    this.#recording = undefined;
    removeEventListener('keydown', this.#escape, true);
  }
}
