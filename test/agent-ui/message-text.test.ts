/**
 * What the desk's transcript makes of a name: initials, and an avatar colour that white
 * initials can be read on, whatever the name. Colours are read back as the browser renders them.
 */
import { describe, expect, it } from 'vitest';
import { avatarColour, avatarHue, initials } from '../../agent-ui/message-text.ts';

/** WCAG's relative luminance of an `rgb(r, g, b)` the browser computed. */
function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('avatars', () => {
  it('white initials pass 4.5:1 on the avatar of every hue', () => {
    const probe = document.createElement('span');
    document.body.append(probe);
    const worst = { hue: -1, ratio: Number.POSITIVE_INFINITY };
    for (let hue = 0; hue < 360; hue++) {
      probe.style.background = avatarColour(hue);
      const ratio = 1.05 / (luminance(getComputedStyle(probe).backgroundColor) + 0.05);
      if (ratio < worst.ratio) Object.assign(worst, { hue, ratio });
    }
    probe.remove();
    expect(worst.ratio, `hue ${worst.hue}`).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps one colour per name and spreads names over the hues', () => {
    expect(avatarHue('Visitor 4821')).toBe(avatarHue('Visitor 4821'));
    const hues = new Set(
      ['Ann', 'Alex Moreau', 'Sam', 'Visitor 4821', 'Visitor 1044'].map(avatarHue),
    );
    expect(hues.size).toBe(5);
    for (const hue of hues) expect(hue).toBeGreaterThanOrEqual(0);
    for (const hue of hues) expect(hue).toBeLessThan(360);
  });

  it('shows up to two initials, capitalised, and never nothing', () => {
    expect(initials('Ann Lee')).toBe('AL');
    expect(initials('alex')).toBe('A');
    expect(initials('  jean  paul  sartre ')).toBe('JP');
    expect(initials('Visitor 4821')).toBe('V4');
    expect(initials('Émile')).toBe('É');
    expect(initials('   ')).toBe('?');
  });
});
