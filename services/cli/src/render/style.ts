/** How text is decorated: ANSI colours only on a terminal, and Unicode or plain ASCII glyphs. */
export interface Style {
  color: boolean;
  unicode: boolean;
}

const codes = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;

/** Wraps `text` in an ANSI colour when `style.color` is on. */
export function paint(style: Style, colour: keyof typeof codes, text: string): string {
  return style.color ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
}

/** The colour a status is shown in. */
export function statusColour(status: string): keyof typeof codes {
  if (['completed', 'approve'].includes(status)) return 'green';
  if (['failed', 'timed-out', 'cancelled', 'reject', 'abandoned'].includes(status)) return 'red';
  if (['running', 'awaiting-review', 'retry-wait', 'compensating', 'open'].includes(status)) return 'yellow';
  return 'dim';
}

/** The style for a stream: colour on a TTY unless `NO_COLOR` is set; Unicode unless `BATON_ASCII` is set. */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  return { color: Boolean(stream.isTTY) && !env.NO_COLOR, unicode: !env.BATON_ASCII };
}
