// A colour per user, the same in every window, for their caret and name over the text.

const SATURATION = 0.7;
const LIGHTNESS = 0.42;
/** Appended to the caret colour for the selection's background (hex alpha, about 20%). */
const SELECTION_ALPHA = '33';

/** FNV-1a of the id, so that nearby ids still get far-apart hues. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/** Hex, because y-codemirror.next derives the selection colour by appending an alpha byte. */
function hslToHex(hue: number, saturation: number, lightness: number): string {
  const amplitude = saturation * Math.min(lightness, 1 - lightness);
  const channel = (offset: number) => {
    const k = (offset + hue / 30) % 12;
    const value = lightness - amplitude * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

export function userColor(userId: string): { color: string; colorLight: string } {
  const color = hslToHex(hash(userId) % 360, SATURATION, LIGHTNESS);
  return { color, colorLight: color + SELECTION_ALPHA };
}
