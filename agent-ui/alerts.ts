import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { strings } from './strings.ts';

/**
 * New-request alerts: a short tone (browsers allow sound only after the helper's first click
 * on the page), a desktop notification when the helper has allowed them, and the count in
 * the tab title. What `hostConnected` adds, `hostDisconnected` removes.
 */
export class Alerts implements ReactiveController {
  readonly #baseTitle = document.title;
  #audio: AudioContext | undefined;
  readonly #unlock = () => {
    this.#audio ??= new AudioContext();
  };

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  get notificationsAsked(): boolean {
    return typeof Notification === 'undefined' || Notification.permission !== 'default';
  }

  hostConnected(): void {
    addEventListener('pointerdown', this.#unlock, { once: true });
    addEventListener('keydown', this.#unlock, { once: true });
  }

  hostDisconnected(): void {
    removeEventListener('pointerdown', this.#unlock);
    removeEventListener('keydown', this.#unlock);
    void this.#audio?.close();
    this.#audio = undefined;
    document.title = this.#baseTitle;
  }

  /** Asked once, from a button: browsers refuse permission prompts without a click. */
  async askForNotifications(): Promise<void> {
    if (typeof Notification !== 'undefined') await Notification.requestPermission();
  }

  /** "(3) Helpers": what needs attention, in the tab title. */
  setCount(count: number): void {
    document.title = count > 0 ? strings.alerts.title(count, this.#baseTitle) : this.#baseTitle;
  }

  /** A tone and, when the page is hidden, a desktop notification with this title and text. */
  alert(text: string, title = strings.alerts.newRequest): void {
    this.#beep();
    if (
      typeof Notification !== 'undefined' &&
      Notification.permission === 'granted' &&
      document.hidden
    ) {
      new Notification(title, { body: text, tag: 'help-request' });
    }
  }

  #beep(): void {
    const audio = this.#audio;
    if (!audio) return;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  }
}
